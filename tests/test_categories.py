"""Categories come from content/categories.toml; anything else fails the build."""

import pytest

from support.site_build import article_source, build_site


def test_category_not_in_the_registry_fails_the_build_naming_the_file_and_the_allowed_names(tmp_path):
    site = build_site(tmp_path, {
        "articles/x/sai-chuyen-muc.md": article_source("Tin", "2024-01-02", category="Hoạt động của ngành"),
        "articles/x/dung.md": article_source("Tin đúng", "2024-01-02"),
    })
    assert not site.ok
    assert "content/articles/x/sai-chuyen-muc.md:3:" in site.log
    assert 'Chuyên mục "Hoạt động của ngành" không có trong danh mục chuyên mục.' in site.log
    assert 'có phải là "Hoạt động của Ngành"?' in site.log
    assert '"Giám sát và phản biện xã hội"' in site.log
    assert "dung.md" not in site.log


def test_every_wrong_category_is_reported_in_one_build(tmp_path):
    site = build_site(tmp_path, {
        "articles/a.md": article_source("Một", "2024-01-02", category="Tin tuc"),
        "articles/b.md": "Title: Hai\nDate: 2024-01-03\n\nThân bài.\n",
    })
    assert not site.ok
    assert "content/articles/a.md:3:" in site.log
    assert "content/articles/b.md:1: Bài viết chưa ghi chuyên mục (dòng Category)." in site.log
    assert "Nội dung có 2 lỗi" in site.log


def test_menu_follows_the_registry_order_and_every_category_has_a_page(tmp_path):
    site = build_site(tmp_path, {"articles/a.md": article_source("Một", "2024-01-02")})
    assert site.ok, site.log
    menu = [a.get_text() for a in site.page("index.html").select(".site-nav a")]
    assert menu[:7] == [
        "Trang chủ", "Tin tức – Sự kiện", "Hoạt động của Ngành", "Hoạt động Mặt trận địa phương",
        "Giám sát và phản biện xã hội", "Các cuộc vận động, phong trào thi đua", "Văn bản",
    ]
    empty = site.page("chuyen-muc/van-ban/index.html")
    assert empty.select_one(".category-empty").get_text() == "Chuyên mục này chưa có bài viết."


def test_registry_slug_decides_the_url_even_when_the_name_would_slugify_differently(tmp_path):
    registry = '[[chuyen_muc]]\nname = "Văn bản chỉ đạo"\nslug = "van-ban"\norder = 1\ndescription = "Văn bản."\n'
    site = build_site(tmp_path, {
        "categories.toml": registry,
        "articles/a.md": article_source("Một", "2024-01-02", category="Văn bản chỉ đạo"),
    })
    assert site.ok, site.log
    assert "chuyen-muc/van-ban/index.html" in site.html_files()


@pytest.mark.parametrize("registry, message", [
    ('[[chuyen_muc]]\nname = "A"\nslug = "a"\norder = 1\ndescription = "x"\n\n'
     '[[chuyen_muc]]\nname = "B"\nslug = "Có dấu"\norder = 2\ndescription = "x"\n', ':7: Slug "Có dấu"'),
    ('[[chuyen_muc]]\nname = "A"\norder = 1\n', ":1: Chuyên mục thứ 1 thiếu: slug, description"),
    ('[[chuyen_muc]\nname = "A"\n', "sai cú pháp TOML"),
])
def test_a_broken_registry_fails_the_build_saying_what_is_wrong(tmp_path, registry, message):
    site = build_site(tmp_path, {"categories.toml": registry, "articles/a.md": article_source("Một", "2024-01-02", category="A")})
    assert not site.ok
    assert "content/categories.toml:" in site.log
    assert message in site.log


@pytest.fixture(scope="module")
def long_category(tmp_path_factory):
    files = {f"articles/tin-{n:02d}.md": article_source(f"Tin {n}", f"2024-01-{n:02d}") for n in range(1, 24)}
    site = build_site(tmp_path_factory.mktemp("paged"), files)
    assert site.ok, site.log
    return site


def test_category_pages_are_paginated_newest_first_with_vietnamese_pager(long_category):
    first = long_category.page("chuyen-muc/hoat-dong-cua-nganh/index.html")
    second = long_category.page("chuyen-muc/hoat-dong-cua-nganh/trang-2/index.html")
    third = long_category.page("chuyen-muc/hoat-dong-cua-nganh/trang-3/index.html")
    titles = [[a.get_text() for a in p.select(".news-item-title a")] for p in (first, second, third)]
    assert titles[0] == [f"Tin {n}" for n in range(23, 13, -1)]
    assert titles[1] == [f"Tin {n}" for n in range(13, 3, -1)]
    assert titles[2] == ["Tin 3", "Tin 2", "Tin 1"]
    assert " ".join(first.select_one(".pager").get_text().split()) == "1 2 3 Trang sau »"
    assert first.select_one(".pager [aria-current=page]").get_text() == "1"
    assert second.select_one(".pager a[rel=prev]")["href"] == "/chuyen-muc/hoat-dong-cua-nganh/"
    assert second.select_one(".pager a[rel=next]")["href"] == "/chuyen-muc/hoat-dong-cua-nganh/trang-3/"
    assert third.select_one(".pager a[rel=next]") is None


def test_category_items_show_title_date_and_summary(long_category):
    item = long_category.page("chuyen-muc/hoat-dong-cua-nganh/index.html").select_one(".news-item")
    assert item.select_one(".news-item-date").get_text() == "23/01/2024"
    assert item.select_one(".news-item-summary").get_text() == "Nội dung bài viết."


def test_home_page_leads_with_the_newest_then_a_block_per_category_with_articles_none_twice(long_category):
    home = long_category.page("index.html")
    assert home.select_one(".lead-story-title a").get_text() == "Tin 23"
    assert [a.get_text() for a in home.select(".secondary-story .news-item-title a")] == ["Tin 22", "Tin 21", "Tin 20", "Tin 19"]
    blocks = [h.get_text() for h in home.select(".home-category h2")]
    assert blocks == ["Hoạt động của Ngành"]
    assert [a.get_text() for a in home.select(".home-category .news-item-title a")] == ["Tin 18", "Tin 17", "Tin 16", "Tin 15"]
