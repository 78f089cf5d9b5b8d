"""'CÁC TIN CÙNG CHUYÊN MỤC' lists the nearest published articles of the same category."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from support.site_build import article_source, build_site

from related_news import CategoryTimeline

# A scheduled date within the year ahead (further than that the check asks if the year is a typo).
SCHEDULED = (date.today() + timedelta(days=60)).isoformat()

DAY_ONE = datetime(2024, 3, 1)


def dated(day):
    return (DAY_ONE + timedelta(days=day)).strftime("%Y-%m-%d")


@pytest.fixture(scope="module")
def news_site(tmp_path_factory):
    files = {
        f"articles/hoat-dong-cua-nganh/tin-{day:02d}.md": article_source(f"Tin số {day}", dated(day))
        for day in range(12)
    }
    files.update({
        "articles/hoat-dong-cua-nganh/nhap.md": article_source("Bản nháp", dated(5), status="draft"),
        "articles/hoat-dong-cua-nganh/an.md": article_source("Bài ẩn", dated(6), status="hidden"),
        "articles/hoat-dong-cua-nganh/tuong-lai.md": article_source("Bài hẹn giờ", SCHEDULED),
        "articles/van-ban/van-ban-duy-nhat.md": article_source("Văn bản duy nhất", dated(3), category="Văn bản"),
    })
    site = build_site(tmp_path_factory.mktemp("news"), files)
    assert site.ok, site.log
    return site


def related_titles(site, slug):
    page = site.page(f"tin-tuc/{slug}.html")
    return [a.get_text() for a in page.select(".related-news-list a")]


def test_oldest_article_lists_the_eight_next_newer_ones_newest_first(news_site):
    assert related_titles(news_site, "tin-00") == [f"Tin số {day}" for day in range(8, 0, -1)]


def test_newest_article_lists_the_eight_previous_ones_newest_first(news_site):
    assert related_titles(news_site, "tin-11") == [f"Tin số {day}" for day in range(10, 2, -1)]


def test_middle_article_takes_the_nearest_on_both_sides_newer_first_on_a_tie(news_site):
    assert related_titles(news_site, "tin-05") == [
        "Tin số 9", "Tin số 8", "Tin số 7", "Tin số 6", "Tin số 4", "Tin số 3", "Tin số 2", "Tin số 1",
    ]


def test_related_lists_show_each_articles_date(news_site):
    dates = [t.get_text() for t in news_site.page("tin-tuc/tin-00.html").select(".related-news-list time")]
    assert dates[0] == "09/03/2024" and dates[-1] == "02/03/2024"


def test_drafts_hidden_and_future_articles_are_never_related_or_written(news_site):
    every_related = {title for day in range(12) for title in related_titles(news_site, f"tin-{day:02d}")}
    assert not every_related & {"Bản nháp", "Bài ẩn", "Bài hẹn giờ"}
    written = news_site.html_files()
    assert "tin-tuc/nhap.html" not in written
    assert "tin-tuc/tuong-lai.html" not in written
    assert not any(path.startswith("drafts/") for path in written)


def test_hidden_article_page_still_lists_its_published_neighbours(news_site):
    assert related_titles(news_site, "an") == [f"Tin số {day}" for day in range(10, 2, -1)]


def test_category_of_one_article_says_there_is_no_other_news(news_site):
    page = news_site.page("tin-tuc/van-ban-duy-nhat.html")
    assert page.select(".related-news-list") == []
    assert page.select_one(".related-news-none").get_text() == "Chưa có tin nào khác trong chuyên mục này."
    assert page.find("h2", string="CÁC TIN CÙNG CHUYÊN MỤC:") is not None


def test_timeline_never_returns_more_than_the_category_holds():
    articles = [SimpleNamespace(date=DAY_ONE + timedelta(days=d), slug=f"a{d}") for d in range(3)]
    timeline = CategoryTimeline(articles)
    assert [a.slug for a in timeline.nearest(articles[1], 8)] == ["a2", "a0"]
    assert timeline.nearest(articles[0], 0) == []
