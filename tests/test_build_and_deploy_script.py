"""ci/build-and-deploy: the one line any CI or cron job runs, on a copy of the repository."""

import os
from pathlib import Path
import shutil
import subprocess
import sys

import pytest

from support.site_build import SITE_ROOT

SCRIPT = "ci/build-and-deploy"


@pytest.fixture
def checkout(tmp_path):
    """A copy of the repository's files whose .venv borrows this one's packages."""
    copy = tmp_path / "kho"
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=SITE_ROOT, capture_output=True, text=True, check=True).stdout
    for name in filter(None, listed.split("\0")):
        if (SITE_ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(SITE_ROOT / name, copy / name)
    bin_folder = copy / ".venv" / "bin"
    bin_folder.mkdir(parents=True)
    invoke = bin_folder / "invoke"
    invoke.write_text(f'#!/bin/sh\nexec {sys.executable} -m invoke "$@"\n')
    invoke.chmod(0o755)
    (bin_folder / "python").symlink_to(sys.executable)
    (copy / ".venv" / ".installed-site").touch()  # newer than requirements/site.txt: make setup has nothing to do
    return copy


def run(checkout, *args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DEPLOY_")}
    return subprocess.run(["bash", SCRIPT, *args], cwd=checkout, capture_output=True, text=True,
                          env={**clean, **env})


def test_the_script_builds_for_production_and_publishes_a_release(checkout, tmp_path):
    target = tmp_path / "www"
    result = run(checkout, "publish", DEPLOY_TARGET=str(target), SITE_URL="https://tin.example.net")
    assert result.returncode == 0, result.stdout + result.stderr
    home = (target / "current" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://tin.example.net/' in home
    assert (target / "current" / "index.html.gz").exists()
    assert Path(os.readlink(target / "current")).parent.name == "releases"


def test_the_script_refuses_an_unknown_mode(checkout):
    result = run(checkout, "ftp")
    assert result.returncode == 2
    assert "usage" in result.stderr


def test_the_script_stops_when_the_build_fails(checkout, tmp_path):
    article = next((checkout / "content" / "articles").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8").replace("Category:", "Category: Không có\nX:"),
                       encoding="utf-8")
    target = tmp_path / "www"
    result = run(checkout, "publish", DEPLOY_TARGET=str(target))
    assert result.returncode != 0
    assert not target.exists()
