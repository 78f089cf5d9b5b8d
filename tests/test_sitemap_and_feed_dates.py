"""Dates in sitemap.xml and in the feeds come from the content, never from the build."""

import pytest

from support.site_build import article_source, build_site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = build_site(tmp_path_factory.mktemp("dates"), {
        "articles/cu.md": article_source("Tin cũ", "2024-01-10 09:00"),
        "articles/moi.md": article_source("Tin mới", "2024-02-01 08:00", modified="2024-02-20 16:45"),
        "articles/van-ban.md": article_source("Văn bản", "2023-12-01", category="Văn bản"),
        "articles/an.md": article_source("Bài ẩn", "2024-05-01", status="hidden"),
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\nTrang giới thiệu.\n",
        "pages/lich.md": "Title: Lịch\nDate: 2024-03-03\n\nLịch tiếp dân.\n",
    })
    assert built.ok, built.log
    return built



def sitemap_lastmods(site):
    return {entry.loc.get_text().removeprefix("http://localhost:8000/"):
            entry.lastmod.get_text() if entry.lastmod else None
            for entry in site.xml("sitemap.xml").find_all("url")}


def test_articles_are_dated_by_their_modified_date_or_else_their_date(site):
    lastmods = sitemap_lastmods(site)
    assert lastmods["tin-tuc/cu.html"] == "2024-01-10T09:00:00+07:00"
    assert lastmods["tin-tuc/moi.html"] == "2024-02-20T16:45:00+07:00"


def test_listing_pages_are_dated_by_the_newest_article_they_list(site):
    lastmods = sitemap_lastmods(site)
    assert lastmods[""] == "2024-02-20T16:45:00+07:00"
    assert lastmods["chuyen-muc/hoat-dong-cua-nganh/"] == "2024-02-20T16:45:00+07:00"
    assert lastmods["chuyen-muc/van-ban/"] == "2023-12-01T00:00:00+07:00"


def test_pages_and_empty_categories_without_a_date_have_no_lastmod(site):
    lastmods = sitemap_lastmods(site)
    assert lastmods["gioi-thieu.html"] is None
    assert lastmods["lich.html"] == "2024-03-03T00:00:00+07:00"
    assert lastmods["chuyen-muc/tin-tuc-su-kien/"] is None


def test_hidden_articles_and_the_404_page_stay_out_of_the_sitemap(site):
    lastmods = sitemap_lastmods(site)
    assert "tin-tuc/an.html" not in lastmods
    assert "404.html" not in lastmods
    assert (site.output / "tin-tuc/an.html").exists()


def test_a_feed_is_updated_when_its_newest_entry_was(site):
    updated = site.xml("feeds/tat-ca.atom.xml").feed.find("updated", recursive=False).get_text()
    assert updated == "2024-02-20T16:45:00+07:00"
    updated = site.xml("feeds/van-ban.atom.xml").feed.find("updated", recursive=False).get_text()
    assert updated == "2023-12-01T00:00:00+07:00"


def test_an_empty_category_feed_takes_the_newest_date_of_the_site(site):
    feed = site.xml("feeds/tin-tuc-su-kien.atom.xml").feed
    assert feed.find("entry") is None
    assert feed.find("updated", recursive=False).get_text() == "2024-02-20T16:45:00+07:00"
