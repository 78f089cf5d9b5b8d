from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from support.static_server import serve_folder

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
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
