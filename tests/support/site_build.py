"""Build real sites the way CI does: the pelican command, --fatal warnings, into a temp folder."""

from dataclasses import dataclass
from pathlib import Path
import os
import shutil
import subprocess
import sys
import textwrap

from bs4 import BeautifulSoup

SITE_ROOT = Path(__file__).resolve().parents[2]
REGISTRY = SITE_ROOT / "content" / "categories.toml"
EDITOR_ONLY_PATHS = ("admin",)


@dataclass
class BuiltSite:
    returncode: int
    log: str
    output: Path
    content: Path

    @property
    def ok(self):
        return self.returncode == 0

    def page(self, relative_path):
        """The built page at `relative_path`, parsed."""
        html = (self.output / relative_path).read_text(encoding="utf-8")
        return BeautifulSoup(html, "lxml")

    def xml(self, relative_path):
        """The built feed or sitemap at `relative_path`, parsed as XML."""
        return BeautifulSoup((self.output / relative_path).read_text(encoding="utf-8"), "xml")

    def html_files(self):
        """The readers' pages: every HTML file but the editors' (EDITOR_ONLY_PATHS, /admin/)."""
        return sorted(path for path in (p.relative_to(self.output).as_posix() for p in self.output.rglob("*.html"))
                      if path.split("/")[0] not in EDITOR_ONLY_PATHS)


def write_tree(root, files):
    """Write {relative path: text} under root; text is dedented."""
    for relative_path, text in files.items():
        path = root / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def build_site(workdir, files=None, content_dir=None, settings="pelicanconf", overrides="", env=None):
    """Build content into workdir/output with the site's settings plus overrides.

    Either `files` ({path under content/: text}) or an existing `content_dir`.
    The real category registry is used unless the files bring their own.
    `env` adds environment variables for the pelican process.
    """
    workdir = Path(workdir)
    content = workdir / "content"
    if content_dir is not None:
        shutil.copytree(content_dir, content)
    else:
        content.mkdir(parents=True)
        write_tree(content, files or {})
    if not (content / "categories.toml").exists():
        shutil.copy(REGISTRY, content / "categories.toml")
    output = workdir / "output"
    settings_file = workdir / "test_settings.py"
    settings_file.write_text(
        f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\n"
        f"from {settings} import *\n"
        f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(output)!r}\n"
        + textwrap.dedent(overrides),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(content), "-s", str(settings_file),
         "-o", str(output), "--fatal", "warnings"],
        capture_output=True, text=True, cwd=workdir, env={**os.environ, "COLUMNS": "250", **(env or {})},
    )
    return BuiltSite(result.returncode, result.stdout + result.stderr, output, content)


def build_again(site, overrides=""):
    """Build the same workdir once more, its caches now warm; `overrides` are added to its settings."""
    settings = site.output.parent / "test_settings.py"
    if overrides:
        settings.write_text(settings.read_text(encoding="utf-8") + overrides, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pelican", str(site.content), "-s", str(settings),
                             "-o", str(site.output), "--fatal", "warnings"],
                            capture_output=True, text=True, cwd=site.output.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def article_source(title, date, category="Hoạt động của Ngành", body="Nội dung bài viết.", **extra):
    """Front matter and body of a Markdown article, in the form editors write."""
    lines = [f"Title: {title}", f"Date: {date}", f"Category: {category}"]
    lines += [f"{key.replace('_', '-').title()}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"
