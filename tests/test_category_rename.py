"""Renaming a category: `invoke rename-category OLD NEW` rewrites every article and the registry in
one step, or changes nothing and says why."""

import subprocess
import sys

from bs4 import BeautifulSoup
import pytest

from support.site_build import REGISTRY, SITE_ROOT, article_source, build_site

OLD, NEW = "Hoạt động của Ngành", "Hoạt động của các sở, ngành"


def rename(content, old, new):
    return subprocess.run([sys.executable, "-m", "invoke", "rename-category", old, new, "--content", str(content)],
                          capture_output=True, text=True, cwd=SITE_ROOT)


@pytest.fixture
def site_files():
    return {
        "categories.toml": REGISTRY.read_text(encoding="utf-8"),
        "articles/a/mot.md": article_source("Bài một", "2024-01-02", category=OLD),
        # Windows line endings, a BOM, the key in lower case.
        "articles/a/hai.md": "\ufeff" + article_source("Bài hai", "2024-01-03", category=OLD).replace(
            "Category: ", "category: ").replace("\n", "\r\n"),
        "articles/b/ba.md": article_source("Bài ba", "2024-01-04", category="Văn bản",
                                           body=f"Bài này nhắc tên {OLD} trong thân bài."),
    }


def test_renaming_rewrites_each_category_line_and_the_registry_and_keeps_every_other_byte(tmp_path, site_files):
    site = build_site(tmp_path / "before", site_files)
    assert site.ok, site.log
    content = site.content
    before = {path: path.read_bytes() for path in content.rglob("*.md")}

    finished = rename(content, OLD, NEW)

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "trong 2 bài" in finished.stdout and "/chuyen-muc/hoat-dong-cua-nganh/" in finished.stdout
    mot, hai, ba = (content / "articles/a/mot.md", content / "articles/a/hai.md", content / "articles/b/ba.md")
    assert mot.read_bytes() == before[mot].replace(OLD.encode(), NEW.encode())
    assert hai.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\ncategory: " + NEW.encode() + b"\r\n" in hai.read_bytes()
    assert hai.read_bytes().count(b"\r\n") == before[hai].count(b"\r\n")
    assert ba.read_bytes() == before[ba]
    registry = (content / "categories.toml").read_text(encoding="utf-8")
    assert f'name = "{NEW}"\n' in registry and f'"{OLD}"' not in registry

    rebuilt = build_site(tmp_path / "after", content_dir=content)
    assert rebuilt.ok, rebuilt.log
    page = BeautifulSoup((rebuilt.output / "chuyen-muc/hoat-dong-cua-nganh/index.html").read_bytes(), "lxml")
    assert page.h1.get_text(strip=True) == NEW
    assert sorted(a.get_text(strip=True) for a in page.select("main h2 a, main h3 a")) == ["Bài hai", "Bài một"]


@pytest.mark.parametrize("old, new, message", [
    ("Hoạt động của ngành", NEW, 'Có phải là "Hoạt động của Ngành"?'),
    (OLD, "Văn bản", 'Đã có chuyên mục tên "Văn bản"'),
    (OLD, "  ", "Tên mới để trống."),
    (OLD, OLD, "Tên mới giống tên cũ"),
])
def test_a_rename_that_cannot_be_done_changes_nothing_and_says_why(tmp_path, site_files, old, new, message):
    site = build_site(tmp_path / "before", site_files)
    before = {path: path.read_bytes() for path in site.content.rglob("*") if path.is_file()}

    finished = rename(site.content, old, new)

    assert finished.returncode == 1 and message in finished.stdout + finished.stderr
    assert "Traceback" not in finished.stderr
    assert {path: path.read_bytes() for path in site.content.rglob("*") if path.is_file()} == before
