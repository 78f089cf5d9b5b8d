"""The editor preview rewrites a saved article's pages exactly as a full build would, and nothing else."""

import io
import re

from bs4 import BeautifulSoup
import pytest

from bench.corpus import write_corpus
from editor_tools.live_preview import PreviewBuilder
from editor_tools.live_preview.live_preview import serve_commands
from support.site_build import SITE_ROOT, build_site


def settings_file(workdir, content, output):
    path = workdir / "preview_settings.py"
    path.write_text(f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\nfrom pelicanconf import *\n"
                    f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(output)!r}\n", encoding="utf-8")
    return path


def edit(path, **front_matter):
    text = path.read_text(encoding="utf-8")
    for key, value in front_matter.items():
        text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
    path.write_text(text + "\nĐoạn mới thêm khi sửa bài -- có \"ngoặc kép\".\n", encoding="utf-8")


@pytest.fixture
def preview(tmp_path):
    content = write_corpus(tmp_path / "corpus", 40)
    output = tmp_path / "preview-output"
    builder = PreviewBuilder(settings_file(tmp_path, content, output), output)
    assert builder.rebuild() == "full build"
    return builder, content, output


def full_build_of(tmp_path, content):
    site = build_site(tmp_path / "full", content_dir=content)
    assert site.ok, site.log
    return site.output


def stamps(output):
    return {path.relative_to(output).as_posix(): path.stat().st_mtime_ns for path in output.rglob("*.html")}


def test_saving_one_article_rewrites_its_page_category_pages_and_home_as_a_full_build_would(preview, tmp_path):
    builder, content, output = preview
    article = sorted((content / "articles" / "van-ban").glob("*.md"))[0]
    before = stamps(output)
    edit(article, Title="Tiêu đề đã sửa cho bản xem trước")

    assert builder.rebuild() == "1 article(s)"

    full = full_build_of(tmp_path, content)
    rewritten = {path for path, stamp in stamps(output).items() if before.get(path) != stamp}
    assert f"tin-tuc/{article.stem}.html" in rewritten
    assert "index.html" in rewritten and "chuyen-muc/van-ban/index.html" in rewritten
    listing_it = {path for path in stamps(full) if path.startswith("tin-tuc/") and
                  any(a["href"] == f"/tin-tuc/{article.stem}.html"
                      for a in BeautifulSoup((full / path).read_bytes(), "lxml").select(".related-news a"))}
    assert listing_it
    assert all(path.startswith("chuyen-muc/van-ban/") or path in {"index.html", f"tin-tuc/{article.stem}.html"}
               or path in listing_it for path in rewritten), rewritten
    assert listing_it <= rewritten
    for path in rewritten:
        assert (output / path).read_bytes() == (full / path).read_bytes(), path
    assert "Tiêu đề đã sửa cho bản xem trước" in (output / f"tin-tuc/{article.stem}.html").read_text(encoding="utf-8")


def test_moving_an_article_to_another_category_rewrites_both_categories(preview, tmp_path):
    builder, content, output = preview
    article = sorted((content / "articles" / "van-ban").glob("*.md"))[0]
    edit(article, Category="Tin tức - Sự kiện")

    builder.rebuild()

    full = full_build_of(tmp_path, content)
    for folder in ("chuyen-muc/van-ban", "chuyen-muc/tin-tuc-su-kien"):
        pages = sorted(p.relative_to(full).as_posix() for p in (full / folder).rglob("index.html"))
        assert pages
        for path in pages:
            assert (output / path).read_bytes() == (full / path).read_bytes(), path


def test_a_new_page_or_a_deleted_article_gets_a_full_write(preview):
    builder, content, output = preview
    article = sorted((content / "articles" / "van-ban").glob("*.md"))[0]
    article.unlink()

    assert builder.rebuild() == "full write"
    assert not (output / f"tin-tuc/{article.stem}.html").exists()


def test_successive_saves_of_different_articles_each_match_a_full_build(preview, tmp_path):
    builder, content, output = preview
    first, second = sorted((content / "articles").rglob("*.md"))[:2]
    edit(first, Title="Bài thứ nhất đã sửa")
    builder.rebuild()
    edit(second, Title="Bài thứ hai đã sửa")

    assert builder.rebuild() == "1 article(s)"

    full = full_build_of(tmp_path, content)
    for article in (first, second):
        path = f"tin-tuc/{article.stem}.html"
        assert (output / path).read_bytes() == (full / path).read_bytes(), path
    assert (output / "index.html").read_bytes() == (full / "index.html").read_bytes()


def test_an_editors_mistake_shows_the_report_not_a_traceback_and_the_next_save_rebuilds(preview, capsys):
    builder, content, _ = preview
    article = sorted(content.glob("articles/**/*.md"))[0]
    original = article.read_text(encoding="utf-8")
    article.write_text(re.sub(r"^Date: (\d+)-(\d+)-(\d+)", r"Date: \3/\2/\1", original, count=1, flags=re.MULTILINE),
                       encoding="utf-8")
    replies = io.StringIO()
    serve_commands(builder, commands=["rebuild\n"], replies=replies)
    shown = capsys.readouterr().err
    assert replies.getvalue().startswith("failed")
    assert "không viết theo dạng năm-tháng-ngày" in shown and "Cách sửa:" in shown
    assert "Traceback" not in shown
    article.write_text(original, encoding="utf-8")
    serve_commands(builder, commands=["rebuild\n"], replies=replies)
    assert replies.getvalue().splitlines()[-1].endswith("full build")
