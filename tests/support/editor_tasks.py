"""Run the editors' invoke tasks the way an editor does: the `invoke` command, in a subprocess."""

from pathlib import Path
import os
import shutil
import subprocess
import sys

from support.site_build import REGISTRY, SITE_ROOT, write_tree

INVOKE = Path(sys.executable).with_name("invoke")


def run_task(*arguments, cwd=SITE_ROOT):
    result = subprocess.run([str(INVOKE), *arguments], capture_output=True, text=True, cwd=cwd,
                            env={**os.environ, "COLUMNS": "250"})
    result.log = result.stdout + result.stderr
    return result


def content_folder(root, files=None, agencies=()):
    """A content/ folder under root with the real registry, agency profiles named by slug, and files."""
    content = Path(root) / "content"
    content.mkdir(parents=True, exist_ok=True)
    shutil.copy(REGISTRY, content / "categories.toml")
    for slug in agencies:
        write_tree(content, {f"agencies/{slug}.md": f"Title: {slug}\nKind: nha-nuoc\n\nHồ sơ.\n"})
    write_tree(content, files or {})
    return content


def site_copy(root):
    """The site (settings, tasks, plugins, core, tools, theme, content) copied to root, for tasks without --content."""
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(SITE_ROOT / name, Path(root) / name)
    for name in ("plugins", "site_core", "editor_tools", "theme", "content"):
        shutil.copytree(SITE_ROOT / name, Path(root) / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return Path(root)
