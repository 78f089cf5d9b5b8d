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
