"""The counter widget in headless Chromium, against the real counter service.

A page rendered from the real partial, with the real counter.js and CSS, is
served from one loopback port and the counter from another, as in production.

Two findings shape the assertions:
- Chromium itself logs a failed fetch as a console *error* ("Failed to load
  resource: net::ERR_CONNECTION_REFUSED", located at the request's URL). No
  script can silence that network log, so the tests allow exactly that entry
  for the counter's URL, and nothing else: no page error (uncaught exception
  or unhandled rejection) and no other console error.
- Under Playwright navigator.webdriver is true, and counter.js deliberately
  does not count automated browsers. The "reader" browser is launched with
  --disable-blink-features=AutomationControlled (webdriver false, as in a
  person's browser) and a non-headless user agent (the service treats
  HeadlessChrome as a crawler); the automated browser keeps the defaults and
  is tested to only read the figures.
"""

import json
import shutil
import socket
from urllib.request import urlopen

import jinja2
import pytest
from playwright.sync_api import expect

from site_labels import load_labels
from support.chromium import launch_chromium
from support.static_server import serve_folder
from tests.counter_server import REPO_ROOT, free_port, running_counter

READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36"
PAGE = "/tin-tuc/abc.html"
OFFSET = 1_234_567
LABELS = load_labels(REPO_ROOT / "theme" / "labels.toml")
FIXTURE_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Tin tức</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/theme/css/site.css">
</head><body><main><p>Nội dung bài viết.</p></main><aside>{widget}</aside></body></html>
"""


def render_widget(counter_url: str) -> str:
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO_ROOT / "theme" / "templates"))
    return templates.get_template("partials/visit_counter.html").render(
        VISIT_COUNTER_URL=counter_url, LABELS=LABELS, SITEURL="", THEME_STATIC_DIR="theme"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A static site on loopback; `site.show(counter_url)` rewrites its page for that counter."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO_ROOT / "theme" / "static", root / "theme")
    page_file = root / PAGE.lstrip("/")
    page_file.parent.mkdir(parents=True)
    with serve_folder(root) as origin:

        class Site:
            manifest = root / "counter-manifest.json"

            def show(self, counter_url: str) -> str:
                page_file.write_text(FIXTURE_PAGE.format(widget=render_widget(counter_url)), encoding="utf-8")
                return self.origin + PAGE

        Site.origin = origin
        Site.manifest.write_text(json.dumps([PAGE]))
        yield Site()


@pytest.fixture
def counter(site, tmp_path):
    flags = ["--db", str(tmp_path / "counter.sqlite3"), "--manifest", str(site.manifest),
             "--origins", site.origin, "--offset", str(OFFSET)]
    with running_counter(*flags, log_path=tmp_path / "counter.log") as server:
        yield server


@pytest.fixture(scope="module")
def reader_browser(playwright):
    browser = launch_chromium(playwright, ["--disable-blink-features=AutomationControlled"])
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def automated_browser(playwright):
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


class Tab:
    """A page plus everything it reported: page errors, console errors, counter requests."""

    def __init__(self, browser, counter_url: str):
        self.context = browser.new_context(user_agent=READER_UA)
        self.page = self.context.new_page()
        self.counter_url = counter_url
        self.page_errors, self.console_errors, self.counter_requests = [], [], []
        self.page.on("pageerror", self._on_page_error)
        self.page.on("console", self._on_console)
        self.page.on("request", self._on_request)

    def _on_page_error(self, error) -> None:
        self.page_errors.append(error)

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message)

    def _on_request(self, request) -> None:
        if request.url.startswith(self.counter_url):
            self.counter_requests.append(request)

    def field(self, name: str) -> str:
        return self.page.locator(f'#visit-counter [data-counter-field="{name}"]').inner_text()

    def wait_for_figures(self) -> None:
        # A locator wait: the site's Content-Security-Policy forbids the eval a string predicate needs.
        expect(self.page.locator("[data-counter-field=total]")).not_to_have_text("—", timeout=10_000)

    def unexplained_errors(self) -> list[str]:
        """Page errors, and console errors other than Chromium's log of a failed counter request."""
        console = [
            message.text for message in self.console_errors
            if not (message.text.startswith("Failed to load resource: net::ERR_")
                    and message.location["url"].startswith(self.counter_url))
        ]
        return [str(error) for error in self.page_errors] + console


@pytest.fixture
def open_tab():
    tabs = []

    def open_(browser, counter_url: str) -> Tab:
        tab = Tab(browser, counter_url)
        tabs.append(tab)
        return tab

    yield open_
    for tab in tabs:
        tab.context.close()


def counted_total(counter) -> int:
    with urlopen(f"{counter.url}/api/stats?path={PAGE}", timeout=5) as response:
        return json.loads(response.read())["total"]


def test_widget_shows_the_counted_total_in_vietnamese_number_format(site, counter, reader_browser, open_tab):
    tab = open_tab(reader_browser, counter.url)

    tab.page.goto(site.show(counter.url))
    tab.wait_for_figures()

    assert tab.field("total") == "1.234.568"
    assert tab.field("online") == "1"
    assert tab.page.evaluate("navigator.webdriver") is False
    assert [request.method for request in tab.counter_requests] == ["POST"]
    assert counted_total(counter) == OFFSET + 1
    assert tab.unexplained_errors() == []


def test_each_page_view_counts_with_a_fresh_view_id(site, counter, reader_browser, open_tab):
    tab = open_tab(reader_browser, counter.url)
    tab.page.goto(site.show(counter.url))
    tab.wait_for_figures()

    tab.page.reload()
    tab.wait_for_figures()

    views = {json.loads(request.post_data)["view"] for request in tab.counter_requests}
    assert len(views) == 2
    assert tab.field("total") == "1.234.568"  # a reload within 30 minutes is not a new visit


def test_figures_arriving_do_not_shift_the_layout(site, counter, reader_browser, open_tab):
    tab = open_tab(reader_browser, counter.url)
    tab.page.goto(site.show(counter.url))
    tab.wait_for_figures()
    boxes = "[...document.querySelectorAll('#visit-counter, #visit-counter [data-counter-field]')]" \
            ".map(e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })"
    with_figures = tab.page.evaluate(boxes)

    tab.page.evaluate("document.querySelectorAll('[data-counter-field]').forEach(e => e.textContent = '—')")

    assert tab.page.evaluate(boxes) == with_figures


def test_widget_keeps_the_dash_without_errors_when_the_service_is_down(site, reader_browser, open_tab):
    stopped_counter_url = f"http://127.0.0.1:{free_port()}"
    tab = open_tab(reader_browser, stopped_counter_url)

    with tab.page.expect_event("requestfailed"):
        tab.page.goto(site.show(stopped_counter_url))

    assert tab.field("total") == "—"
    assert tab.field("online") == "—"
    assert len(tab.counter_requests) == 1
    assert tab.unexplained_errors() == []


def test_widget_gives_up_quietly_when_the_service_hangs(site, reader_browser, open_tab):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        hanging_counter_url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        tab = open_tab(reader_browser, hanging_counter_url)

        with tab.page.expect_event("requestfailed", timeout=10_000) as failed:
            tab.page.goto(site.show(hanging_counter_url))

        assert "ABORTED" in failed.value.failure
        assert tab.field("total") == "—"
        assert tab.unexplained_errors() == []


def test_automated_browser_reads_the_figures_without_counting(site, counter, automated_browser, open_tab):
    tab = open_tab(automated_browser, counter.url)

    tab.page.goto(site.show(counter.url))
    tab.wait_for_figures()

    assert tab.page.evaluate("navigator.webdriver") is True
    assert [request.method for request in tab.counter_requests] == ["GET"]
    assert tab.field("total") == "1.234.567"
    assert counted_total(counter) == OFFSET
    assert tab.unexplained_errors() == []


def test_partial_renders_nothing_without_a_counter_url():
    assert render_widget("").strip() == ""
