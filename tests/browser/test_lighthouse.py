"""Lighthouse (mobile preset) on the production build of the shipped content.

The site is built with publishconf.py and SITEURL set to the loopback address it
is served from, so canonical and Open Graph URLs are absolute and point at the
pages Lighthouse loads, as they would on the public host."""

import pytest
from bs4 import BeautifulSoup

from support.reader_pages import LIGHTHOUSE_PAGES, REFERENCE_ARTICLE
from support.site_build import SITE_ROOT, build_site
from support.site_checks import lighthouse
from support.static_server import serve_folder
from tests.counter_server import free_port

MINIMUM_SCORES = {"accessibility": 100, "seo": 100, "best-practices": 95, "performance": 95}


@pytest.fixture(scope="module")
def production_site_url(tmp_path_factory):
    port = free_port()
    site_url = f"http://127.0.0.1:{port}"
    site = build_site(tmp_path_factory.mktemp("production"), content_dir=SITE_ROOT / "content",
                      settings="publishconf", overrides=f"SITEURL = {site_url!r}\nFEED_DOMAIN = SITEURL\n")
    assert site.ok, site.log
    with serve_folder(site.output, port=port) as url:
        assert url == site_url
        yield url, site


@pytest.mark.parametrize("path", LIGHTHOUSE_PAGES)
def test_lighthouse_scores_meet_the_targets_on_a_phone(production_site_url, path):
    url, _ = production_site_url
    scores, failed_audits = lighthouse(url + path)
    shortfalls = {category: score for category, score in scores.items() if score < MINIMUM_SCORES[category]}
    assert shortfalls == {}, failed_audits
    assert set(scores) == set(MINIMUM_SCORES)


def test_lighthouse_reports_a_page_without_a_description(production_site_url):
    url, site = production_site_url
    page = BeautifulSoup((site.output / REFERENCE_ARTICLE.lstrip("/")).read_text(encoding="utf-8"), "lxml")
    page.find("meta", attrs={"name": "description"}).decompose()
    (site.output / "khong-mo-ta.html").write_text(str(page), encoding="utf-8")
    scores, failed_audits = lighthouse(url + "/khong-mo-ta.html", categories=("seo",))
    assert "meta-description" in failed_audits
    assert scores["seo"] < 100


def test_lighthouse_performance_on_an_article_with_a_12_megapixel_photo(photo_article_site_url):
    url, _ = photo_article_site_url
    scores, failed_audits = lighthouse(url + REFERENCE_ARTICLE, categories=("performance",))
    assert scores["performance"] >= MINIMUM_SCORES["performance"], failed_audits
