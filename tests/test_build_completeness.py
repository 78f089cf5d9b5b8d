"""plugins/build_completeness: a build that wrote fewer articles than should be live fails,
naming each file left out; drafts and scheduled articles are named as information."""

from datetime import date, timedelta
import os
import subprocess
import sys
import textwrap

from support.site_build import SITE_ROOT, write_tree

ARTICLE = "Title: {title}\nDate: {date}\nCategory: Hoạt động của Ngành\n{extra}\nThân bài.\n"


def pelican_without_fatal_warnings(workdir, files, overrides=""):
    """The build as someone would run it by hand: plain `pelican`, errors only logged."""
    content = workdir / "content"
    write_tree(content, files)
    (content / "categories.toml").write_text((SITE_ROOT / "content" / "categories.toml").read_text("utf-8"), "utf-8")
    settings = workdir / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\nfrom pelicanconf import *\n"
                        f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(workdir / 'output')!r}\n"
                        + textwrap.dedent(overrides), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pelican", str(content), "-s", str(settings)],
                            capture_output=True, text=True, cwd=workdir, env={**os.environ, "COLUMNS": "250"})
    return result.returncode, result.stdout + result.stderr


WITHOUT_THE_CHECK = 'PLUGINS = [p for p in PLUGINS if p != "content_check"]\n'


def test_an_article_pelican_cannot_read_fails_the_build_by_name(tmp_path):
    code, log = pelican_without_fatal_warnings(tmp_path, {
        "articles/dung.md": ARTICLE.format(title="Đúng", date="2023-04-06", extra=""),
        "articles/ngay-sai.md": ARTICLE.format(title="Sai", date="2023-02-30", extra=""),
    }, WITHOUT_THE_CHECK)
    assert code == 1, log
    assert "content/articles/ngay-sai.md:1: Bài này không được đăng: Pelican không đọc được tệp." in log
    assert "content/articles/dung.md:1" not in log
    assert "Trang chỉ ghi 1 bài trong khi có 2 bài cần đăng." in log


def test_a_markdown_setup_that_reads_nothing_fails_instead_of_publishing_an_empty_site(tmp_path):
    code, log = pelican_without_fatal_warnings(tmp_path, {
        "articles/mot.md": ARTICLE.format(title="Một", date="2023-04-06", extra=""),
    }, WITHOUT_THE_CHECK + 'MARKDOWN = {"extension_configs": {"khong_co_phan_mo_rong_nay": {}}}\n')
    assert code == 1, log
    assert "content/articles/mot.md:1: Bài này không được đăng" in log
    assert "Trang chỉ ghi 0 bài trong khi có 1 bài cần đăng." in log


def test_drafts_and_scheduled_articles_are_named_and_the_build_passes(tmp_path):
    # Within the year ahead: further than that, the check asks whether the year is a typo.
    scheduled = (date.today() + timedelta(days=60)).isoformat()
    code, log = pelican_without_fatal_warnings(tmp_path, {
        "articles/dang.md": ARTICLE.format(title="Đăng", date="2023-04-06", extra="Status: hidden\n"),
        "articles/nhap.md": ARTICLE.format(title="Nháp", date="2023-04-06", extra="Status: draft\n"),
        "articles/hen-gio.md": ARTICLE.format(title="Hẹn giờ", date=scheduled, extra=""),
    })
    assert code == 0, log
    assert "Bản nháp, không đăng: content/articles/nhap.md" in log
    assert f"Bài hẹn giờ ({scheduled}), chưa đăng: content/articles/hen-gio.md" in log
    assert "Đã đăng 1/1 bài viết." in log
