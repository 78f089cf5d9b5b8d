from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from support.chromium import launch_chromium
from support.static_server import serve_folder

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the whole run: its sync API cannot be started twice at once."""
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def shipped_site_url(shipped_site):
    with serve_folder(shipped_site.output) as url:
        yield url


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def many_articles_site_url(many_articles_site):
    with serve_folder(many_articles_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def defective_site_url(defective_site):
    with serve_folder(defective_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def photo_article_site_url(tmp_path_factory):
    """The production build of the shipped content with a 12-megapixel phone photo in place
    of the reference article's placeholder, served where its SITEURL says."""
    from bench.page_weight import photo_article_content
    from support.site_build import build_site
    from tests.counter_server import free_port

    port = free_port()
    folder = tmp_path_factory.mktemp("photo-article")
    site = build_site(folder / "site", content_dir=photo_article_content(folder), settings="publishconf",
                      overrides=f"SITEURL = 'http://127.0.0.1:{port}'\nFEED_DOMAIN = SITEURL\n")
    assert site.ok, site.log
    with serve_folder(site.output, port=port) as url:
        yield url, site
