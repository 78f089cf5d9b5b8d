"""What a reader finds on the home page and in old news: the lead story and its
photo, no article twice, times of posting, numbered pagers that reach the last
page, a title per page, /trang-1/, the archive by month and breadcrumbs."""

from datetime import date, timedelta

import pytest

from support.reader_pages import REFERENCE_PHOTO
from support.site_build import article_source, build_site

PHOTO = "images/2024/03/anh.jpg"


def with_photo(body="Nội dung bài viết.", alt="Quang cảnh hội nghị"):
    return f"{body}\n\n![{alt}]({{static}}/{PHOTO})\n"


@pytest.fixture(scope="module")
def news_site(tmp_path_factory):
    """23 articles in one category, 3 days apart from January 2024, 2 a page (12
    pages), the newest three without a photo; two older ones in other categories."""
    files = {PHOTO: REFERENCE_PHOTO.read_bytes()}
    for n in range(1, 24):
        body = "Nội dung bài viết." if n > 20 else with_photo(alt=f"Ảnh của tin {n}")
        day = date(2024, 1, 1) + timedelta(days=3 * n)
        files[f"articles/tin-{n:02d}.md"] = article_source(f"Tin {n}", f"{day:%Y-%m-%d} 08:{n:02d}", body=body)
    files["articles/van-ban.md"] = article_source("Văn bản gốc", "2023-12-05", category="Văn bản")
    files["articles/gach-noi.md"] = article_source("Tin gõ gạch nối", "2023-11-05", category="Tin tức - Sự kiện")
    site = build_site(tmp_path_factory.mktemp("news"), files, overrides="DEFAULT_PAGINATION = 2\n")
    assert site.ok, site.log
    return site


def article_links(page):
    """Every article the home page shows, by its headline (a photo links to its own article too)."""
    return [a["href"] for a in page.select("main :is(h2, h3) a[href^='/tin-tuc/']")]


def test_home_page_leads_with_the_newest_article_that_has_a_photo(news_site):
    home = news_site.page("index.html")
    lead = home.select_one(".lead-story")
    assert lead.select_one(".lead-story-title a").get_text() == "Tin 20"
    photo = lead.select_one("img")
    # The photos plugin's responsive version of the article's photo, with its size reserved.
    assert photo["src"].startswith("/images/2024/03/anh-") and photo["src"].endswith(".webp")
    assert photo["srcset"].count(" 480w") == 1
    assert (photo["width"], photo["height"]) == ("960", "540")
    assert photo["alt"] == "Ảnh của tin 20"
    assert photo.get("loading") is None  # the largest picture of the page is not lazy
    assert all(img.get("loading") == "lazy" for img in news_site.page("index.html").select(".secondary-story img"))


def test_secondary_stories_follow_the_lead_and_no_article_is_shown_twice(news_site):
    home = news_site.page("index.html")
    secondary = [a.get_text() for a in home.select(".secondary-story .news-item-title a")]
    assert secondary == ["Tin 23", "Tin 22", "Tin 21", "Tin 19"]
    links = article_links(home)
    assert len(links) == len(set(links)) > 8
    assert [h.get_text() for h in home.select(".home-category h2")] == ["Tin tức – Sự kiện", "Hoạt động của Ngành", "Văn bản"]


def test_the_home_page_is_the_same_whatever_the_order_of_the_plugins(tmp_path):
    files = {PHOTO: REFERENCE_PHOTO.read_bytes(),
             "articles/mot.md": article_source("Tin một", "2024-03-20", body=with_photo())}
    for n in range(1, 8):  # more than the lead and the secondary stories hold
        files[f"articles/van-ban-{n}.md"] = article_source(f"Văn bản {n}", f"2024-03-{n:02d}", category="Văn bản")
    reordered = "PLUGINS = ['front_page'] + [name for name in PLUGINS if name != 'front_page']\n"
    usual, other = build_site(tmp_path / "usual", files), build_site(tmp_path / "other", files, overrides=reordered)
    assert usual.ok and other.ok, usual.log + other.log
    homes = [(site.output / "index.html").read_bytes() for site in (usual, other)]
    assert homes[0] == homes[1]
    assert [h.get_text() for h in usual.page("index.html").select(".home-category h2")] == ["Văn bản"]


def test_an_article_marked_featured_leads_the_home_page(tmp_path):
    site = build_site(tmp_path, {
        PHOTO: REFERENCE_PHOTO.read_bytes(),
        "articles/moi.md": article_source("Tin mới có ảnh", "2024-03-02", body=with_photo()),
        "articles/cu.md": article_source("Tin cũ nổi bật", "2024-01-02", Featured="yes"),
    })
    assert site.ok, site.log
    home = site.page("index.html")
    assert home.select_one(".lead-story-title a").get_text() == "Tin cũ nổi bật"
    assert home.select_one(".lead-story img") is None
    assert [a.get_text() for a in home.select(".secondary-story .news-item-title a")] == ["Tin mới có ảnh"]


def test_a_featured_value_other_than_yes_or_no_stops_the_build_with_file_and_line(tmp_path):
    site = build_site(tmp_path, {"articles/noi-bat.md": article_source("Tin", "2024-01-02", Featured="có")})
    assert not site.ok
    assert 'noi-bat.md:4: Featured "có" không hợp lệ.' in site.log
    assert "Cách sửa: ghi `Featured: yes`" in site.log


def test_time_of_posting_is_shown_when_the_article_has_one(news_site):
    dates = [t.get_text() for t in news_site.page("index.html").select(".news-item-date time")]
    assert "08:20 01/03/2024" in dates
    assert "05/12/2023" in dates  # "Date: 2023-12-05": no time given, none shown
    article = news_site.page("tin-tuc/tin-20.html")
    assert article.select_one(".article-date time").get_text() == "08:20 01/03/2024"


def test_category_name_typed_with_a_hyphen_is_the_registry_category_shown_with_an_en_dash(news_site):
    article = news_site.page("tin-tuc/gach-noi.html")
    assert article.select_one(".article-category a").get_text() == "Tin tức – Sự kiện"
    assert article.select_one(".article-category a")["href"] == "/chuyen-muc/tin-tuc-su-kien/"


def test_first_page_of_a_category_links_its_last_and_a_window_around_the_current(news_site):
    first = news_site.page("chuyen-muc/hoat-dong-cua-nganh/index.html")
    numbers = [item.get_text(strip=True) for item in first.select(".pager li")]
    assert numbers == ["1", "2", "3", "…", "12"]
    assert first.select_one(".pager a[aria-label$='(trang cuối)']")["href"] == "/chuyen-muc/hoat-dong-cua-nganh/trang-12/"
    middle = news_site.page("chuyen-muc/hoat-dong-cua-nganh/trang-7/index.html")
    assert [item.get_text(strip=True) for item in middle.select(".pager li")] == ["1", "…", "5", "6", "7", "8", "9", "…", "12"]
    assert middle.select_one(".pager [aria-current=page]").get_text() == "7"
    assert middle.select_one(".pager li a")["href"] == "/chuyen-muc/hoat-dong-cua-nganh/"


def test_every_page_of_a_listing_has_its_own_title_and_description(news_site):
    pages = ["chuyen-muc/hoat-dong-cua-nganh/index.html"] + [
        f"chuyen-muc/hoat-dong-cua-nganh/trang-{n}/index.html" for n in range(2, 13)]
    titles = [news_site.page(path).title.get_text() for path in pages]
    descriptions = [news_site.page(path).find("meta", attrs={"name": "description"})["content"] for path in pages]
    assert len(set(titles)) == len(set(descriptions)) == 12
    assert titles[1] == "Hoạt động của Ngành – Trang 2 — Ủy ban MTTQ Việt Nam tỉnh Phú Yên"


@pytest.mark.parametrize("listing", ["chuyen-muc/hoat-dong-cua-nganh/", "chuyen-muc/van-ban/", "luu-tru/2024/01/"])
def test_page_one_of_a_listing_sends_the_reader_to_its_first_page(news_site, listing):
    redirect = news_site.page(listing + "trang-1/index.html")
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url=/{listing}"
    assert redirect.find("link", rel="canonical")["href"] == f"/{listing}"
    assert f"{listing}trang-1/" not in (news_site.output / "sitemap.xml").read_text(encoding="utf-8")


def test_archive_lists_every_month_with_articles_and_each_month_page_lists_them(news_site):
    archive = news_site.page("luu-tru/index.html")
    months = [a["href"] for a in archive.select(".archive-months a")]
    assert months == ["/luu-tru/2024/03/", "/luu-tru/2024/02/", "/luu-tru/2024/01/", "/luu-tru/2023/12/", "/luu-tru/2023/11/"]
    march = news_site.page("luu-tru/2024/03/index.html")
    assert march.select_one("h1").get_text() == "Tháng 03/2024"
    assert [a.get_text() for a in march.select(".news-item-title a")] == ["Tin 23", "Tin 22"]
    assert news_site.page("luu-tru/2024/01/trang-2/index.html").title.get_text().startswith("Tháng 01/2024 – Trang 2")


def test_archive_is_linked_from_category_pages_and_the_footer(news_site):
    for path in ("chuyen-muc/van-ban/index.html", "index.html", "tin-tuc/tin-01.html"):
        links = [a["href"] for a in news_site.page(path).select("main a, footer a")]
        assert "/luu-tru/" in links, path
    assert "/luu-tru/" in [a["href"] for a in news_site.page("chuyen-muc/van-ban/index.html").select("main a")]


def test_articles_and_category_pages_carry_breadcrumbs(tmp_path):
    title = 'Hội nghị "Dân vận khéo" & tổng kết'
    site = build_site(tmp_path, {"articles/dan-van.md": article_source(title, "2024-01-02")})
    assert site.ok, site.log
    article = site.page("tin-tuc/dan-van.html")
    crumbs = article.select(".breadcrumbs li")
    assert [item.get_text(strip=True) for item in crumbs[:2]] == ["Trang chủ", "Hoạt động của Ngành"]
    assert crumbs[1].a["href"] == "/chuyen-muc/hoat-dong-cua-nganh/"
    assert "Dân vận khéo" in crumbs[2].get_text() and crumbs[2].select_one("[aria-current=page]")
    category = site.page("chuyen-muc/hoat-dong-cua-nganh/index.html")
    assert [item.get_text(strip=True) for item in category.select(".breadcrumbs li")] == ["Trang chủ", "Hoạt động của Ngành"]


def test_a_printed_article_carries_its_web_address(news_site):
    address = news_site.page("tin-tuc/tin-01.html").select_one(".print-address")
    assert address.get_text().endswith("/tin-tuc/tin-01.html")
    assert address.has_attr("data-pagefind-ignore")


def test_search_page_landmarks_have_distinct_names(news_site):
    forms = news_site.page("tim-kiem.html").select("[role=search]")
    assert len(forms) == 2
    assert len({form["aria-label"] for form in forms}) == 2
