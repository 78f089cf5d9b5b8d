"""Atom feeds for the site and each category, and sitemap.xml, list what was published."""

from datetime import date, timedelta
from urllib.robotparser import RobotFileParser

import pytest

from support.site_build import article_source, build_site

# A scheduled date within the year ahead (further than that the check asks if the year is a typo).
SCHEDULED = (date.today() + timedelta(days=60)).isoformat()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    site = build_site(tmp_path_factory.mktemp("feeds"), {
        "articles/mot.md": article_source("Tin một", "2024-02-01"),
        "articles/hai.md": article_source("Tin hai", "2024-02-02", category="Văn bản"),
        "articles/nhap.md": article_source("Bản nháp", "2024-02-03", status="draft"),
        "articles/sau-nay.md": article_source("Bài hẹn giờ", SCHEDULED),
        "pages/gioi-thieu.md": "Title: Giới thiệu\n\nTrang giới thiệu.\n",
    })
    assert site.ok, site.log
    return site



def test_site_feed_lists_published_articles_only(published):
    titles = [t.get_text() for t in published.xml("feeds/tat-ca.atom.xml").select("entry > title")]
    assert titles == ["Tin hai", "Tin một"]


def test_each_category_has_its_own_feed_linked_from_its_page(published):
    titles = [t.get_text() for t in published.xml("feeds/van-ban.atom.xml").select("entry > title")]
    assert titles == ["Tin hai"]
    link = published.page("chuyen-muc/van-ban/index.html").find("link", type="application/atom+xml", title=True,
                                                                 href="/feeds/van-ban.atom.xml")
    assert link is not None


def test_every_page_links_the_site_feed(published):
    for path in ("index.html", "tin-tuc/mot.html", "gioi-thieu.html"):
        assert published.page(path).find("link", href="/feeds/tat-ca.atom.xml") is not None


def test_sitemap_lists_articles_pages_and_categories_but_not_drafts(published):
    locations = {loc.get_text() for loc in published.xml("sitemap.xml").find_all("loc")}
    paths = {loc.split("localhost:8000", 1)[-1].lstrip("/") for loc in locations}
    assert {"tin-tuc/mot.html", "tin-tuc/hai.html", "gioi-thieu.html", "chuyen-muc/van-ban/"} <= paths
    assert not any("nhap" in p or "sau-nay" in p or "404" in p for p in paths)


def robots_of(site):
    robots = RobotFileParser()
    robots.parse((site.output / "robots.txt").read_text(encoding="utf-8").splitlines())
    return robots


@pytest.mark.parametrize("siteurl", ["https://mttq.example.vn", "https://mttq.github.io/tin-tuc-mat-tran"])
def test_robots_txt_points_crawlers_to_the_sitemap_and_away_from_the_search_index(tmp_path, siteurl):
    site = build_site(tmp_path, {"articles/mot.md": article_source("Tin một", "2024-02-01")},
                      overrides=f"SITEURL = {siteurl!r}\nRELATIVE_URLS = False\n")
    assert site.ok, site.log
    robots = robots_of(site)
    assert robots.site_maps() == [f"{siteurl}/sitemap.xml"]
    assert (site.output / "sitemap.xml").is_file()
    assert robots.can_fetch("Googlebot", f"{siteurl}/tin-tuc/mot.html")
    assert not robots.can_fetch("Googlebot", f"{siteurl}/pagefind/pagefind.js")


def test_robots_txt_of_the_local_preview_names_no_sitemap(published):
    robots = robots_of(published)
    assert robots.site_maps() is None
    assert robots.can_fetch("*", "/tin-tuc/mot.html") and not robots.can_fetch("*", "/pagefind/pagefind.js")
