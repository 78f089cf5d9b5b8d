"""Typogrify helps Vietnamese text and breaks nothing."""

import pytest

from support.site_build import article_source, build_site

BODY = """Mặt trận phát động phong trào "Toàn dân đoàn kết" -- năm 2024 --- và nhiều hoạt động khác...

## Đại hội đại biểu MTTQ VIỆT NAM

Ủy ban MTTQ Việt Nam tỉnh Phú Yên."""


@pytest.fixture(scope="module")
def typeset(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("typo"), {
        "articles/bai-viet.md": article_source('Hội nghị "Đại đoàn kết" toàn dân tộc', "2024-05-06", body=BODY),
    })
    assert site.ok, site.log
    return site


def test_quotes_dashes_and_ellipses_become_typographic(typeset):
    paragraph = typeset.page("tin-tuc/bai-viet.html").select_one(".article-body p").get_text()
    assert paragraph == "Mặt trận phát động phong trào “Toàn dân đoàn kết” – năm 2024 — và nhiều hoạt động khác…"


def test_titles_get_no_glued_spaces_and_capitals_are_not_wrapped(typeset):
    page = typeset.page("tin-tuc/bai-viet.html")
    title = page.select_one("h1")
    assert title.get_text() == "Hội nghị “Đại đoàn kết” toàn dân tộc"
    assert "\xa0" not in title.get_text()
    assert page.select("span.caps") == []
    assert page.select_one(".article-body h2").get_text() == "Đại hội đại biểu MTTQ VIỆT NAM"


def test_titles_in_the_head_are_plain_text(typeset):
    page = typeset.page("tin-tuc/bai-viet.html")
    assert page.title.get_text().startswith("Hội nghị “Đại đoàn kết” toàn dân tộc — ")
    assert "&" not in page.title.get_text() and "<" not in page.title.get_text()


def test_heading_anchors_are_ascii_and_keep_d_for_đ(typeset):
    heading = typeset.page("tin-tuc/bai-viet.html").select_one(".article-body h2")
    assert heading["id"] == "dai-hoi-dai-bieu-mttq-viet-nam"


def test_article_url_comes_from_the_file_name(typeset):
    assert "tin-tuc/bai-viet.html" in typeset.html_files()
