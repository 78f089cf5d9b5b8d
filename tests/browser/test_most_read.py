"""'Tin đọc nhiều' in Chromium, fed by a stand-in for the counter's
GET /api/top?limit=N → {"pages": [{"path", "title", "views"}, …]} (top pages of
the last 7 days, answered with the same Origin rules as /api/stats).

The stand-in is a WSGI app implementing exactly that contract, so each answer a
real counter may give (pages, none, an error, a slow reply, hostile titles) can
be produced on demand."""

from urllib.parse import parse_qs
import json
import shutil
import time

import jinja2
import pytest

from site_labels import load_labels
from support.static_server import serve_folder, serve_wsgi
from tests.counter_server import REPO_ROOT

LABELS = load_labels(REPO_ROOT / "theme" / "labels.toml")
PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Tin</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/theme/css/site.css"></head>
<body><div class="layout"><main class="main"><h1>Tin tức</h1><p>Nội dung bài viết.</p></main>
<aside class="sidebar">{widget}</aside></div></body></html>
"""
TOP = [
    {"path": "/tin-tuc/dai-hoi.html", "title": "Đại hội đại biểu Mặt trận", "views": 120},
    {"path": "/tin-tuc/la-thu.html", "title": '<img src=x onerror="window.hacked=1">Thư “gửi” bạn đọc & ', "views": 80},
    {"path": "https://lua-dao.example/x.html", "title": "Trang ngoài", "views": 70},
    {"path": "//lua-dao.example/y.html", "title": "Trang ngoài khác", "views": 60},
    {"path": "javascript:alert(1)", "title": "Mã độc", "views": 50},
    {"path": "/tin-tuc/ba.html", "title": "Bài thứ ba", "views": 40},
]


class StandInCounter:
    """What the counter answers next: `pages`, `status`, `delay` (seconds)."""

    def __init__(self, origin):
        self.origin, self.pages, self.status, self.delay, self.limits = origin, [], 200, 0, []

    def __call__(self, environ, start_response):
        headers = [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", self.origin),
                   ("Vary", "Origin"), ("Cache-Control", "no-store")]
        if environ["PATH_INFO"] == "/api/top":
            self.limits.append(parse_qs(environ["QUERY_STRING"]).get("limit"))
            time.sleep(self.delay)
            if self.status != 200:
                start_response(f"{self.status} Error", headers)
                return [b'{"error": "unavailable"}']
            start_response("200 OK", headers)
            return [json.dumps({"pages": self.pages}).encode()]
        start_response("200 OK", headers)
        return [b'{"online": 1, "total": 2}']


def widget(counter_url):
    templates = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO_ROOT / "theme" / "templates"))
    return templates.get_template("partials/visit_counter.html").render(
        VISIT_COUNTER_URL=counter_url, MOST_READ_COUNT=5, LABELS=LABELS, SITEURL="", THEME_STATIC_DIR="theme")


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("most-read")
    shutil.copytree(REPO_ROOT / "theme" / "static", root / "theme")
    with serve_folder(root) as origin:
        counter = StandInCounter(origin)
        with serve_wsgi(counter) as counter_url:
            (root / "tin.html").write_text(PAGE.format(widget=widget(counter_url)), encoding="utf-8")
            yield origin + "/tin.html", counter


@pytest.fixture
def open_page(browser, setup):
    url, counter = setup
    pages = []

    def open_(pages_answer=(), status=200, delay=0):
        counter.pages, counter.status, counter.delay = list(pages_answer), status, delay
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.add_init_script("""window.shifts = 0;
          new PerformanceObserver((list) => { for (const e of list.getEntries()) window.shifts += e.value; })
            .observe({type: 'layout-shift', buffered: true});""")
        page.goto(url)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.close()


def test_most_read_lists_the_counters_pages_as_text_linking_only_this_sites_paths(open_page, setup):
    page = open_page(TOP)
    block = page.locator("#most-read")
    block.wait_for(state="visible")
    assert page.locator("#most-read li a").all_inner_texts() == [
        "Đại hội đại biểu Mặt trận", '<img src=x onerror="window.hacked=1">Thư “gửi” bạn đọc &', "Bài thứ ba"]
    assert page.eval_on_selector_all("#most-read a", "links => links.map(a => a.getAttribute('href'))") == [
        "/tin-tuc/dai-hoi.html", "/tin-tuc/la-thu.html", "/tin-tuc/ba.html"]
    assert page.locator("#most-read img").count() == 0
    assert page.evaluate("window.hacked") is None
    assert block.get_by_role("heading").inner_text() == "TIN ĐỌC NHIỀU"
    assert setup[1].limits[-1] == ["5"]


def test_showing_the_list_moves_nothing_already_on_the_page(open_page):
    page = open_page(TOP)
    page.locator("#most-read").wait_for(state="visible")
    page.wait_for_timeout(300)
    assert page.evaluate("window.shifts") == 0


@pytest.mark.parametrize("answer", [
    {"pages_answer": []},
    {"status": 500},
    {"pages_answer": [{"path": "https://lua-dao.example/", "title": "Ngoài"}]},
])
def test_most_read_stays_hidden_when_the_counter_has_nothing_to_show(open_page, answer):
    page = open_page(**answer)
    page.wait_for_function("document.querySelector('#visit-counter [data-counter-field=total]').textContent !== '—'")
    page.wait_for_timeout(500)
    assert not page.locator("#most-read").is_visible()
    assert page.locator("#most-read li").count() == 0


def test_most_read_stays_hidden_when_the_counter_is_slow(open_page):
    page = open_page(TOP, delay=6)
    page.wait_for_timeout(5000)  # counter.js gives up after 4 s
    assert not page.locator("#most-read").is_visible()


def test_no_most_read_block_without_a_counter():
    html = widget("")
    assert "most-read" not in html and "most-read.js" not in html
