"""The editor preview in Chromium, during a real preview session: the page shows the
last save by itself, a mistake appears over the last good page with its file and
line and goes away once fixed, a draft shows with its banner, a renamed file's old
address stops being the article."""

import re
import shutil
import threading
import time

import pytest

from bench.corpus import write_corpus
from editor_tools.live_preview import PreviewSession
from support.site_build import SITE_ROOT

WAIT_MS = 60_000


def set_header(path, key, value):
    text = path.read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    lines = [line for line in header.splitlines() if not line.startswith(f"{key}:")] + [f"{key}: {value}"]
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")


def start_preview(tmp_path, articles, theme=None):
    content = write_corpus(tmp_path / "site", articles)
    settings = tmp_path / "site" / "settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\nfrom pelicanconf import *\n"
                        f"PATH = {str(content)!r}\nSEARCH_INDEX = False\n"
                        + (f"THEME = {str(theme)!r}\n" if theme else ""), encoding="utf-8")
    preview = PreviewSession(tmp_path / "site", settings, tmp_path / "site" / "output", 0)
    thread = threading.Thread(target=preview.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while preview.events.generation == 0 and time.monotonic() < deadline and thread.is_alive():
        time.sleep(0.1)
    assert preview.events.generation > 0, "the first build did not finish"
    return preview, thread, content


@pytest.fixture
def session(tmp_path):
    preview, thread, content = start_preview(tmp_path, 14)
    yield preview, content, f"http://localhost:{preview.port}"
    preview.stop()
    thread.join(timeout=60)


def test_the_preview_tells_the_truth_in_chromium(browser, session, artifacts):
    preview, content, url = session
    first, second = sorted((content / "articles").rglob("*.md"))[:2]
    page = browser.new_page()
    page.goto(f"{url}/tin-tuc/{first.stem}.html")

    # Two saves 0.3 s apart: the second one is what the page ends up showing.
    set_header(first, "Title", "Bản sửa thứ nhất")
    time.sleep(0.3)
    set_header(first, "Title", "Bản sửa thứ hai")
    # Locators, not wait_for_function: the site's Content-Security-Policy forbids eval, and the preview lives with it.
    page.locator("h1.article-title", has_text="Bản sửa thứ hai").wait_for(timeout=WAIT_MS)

    # A mistake shows over the last good page, with its file, line and fix.
    good = first.read_text(encoding="utf-8")
    first.write_text(re.sub(r"^Date: (\d+)-(\d+)-(\d+)", r"Date: \3/\2/\1", good, count=1, flags=re.MULTILINE),
                     encoding="utf-8")
    overlay = page.locator("#xem-truoc-loi")
    overlay.wait_for(state="visible", timeout=WAIT_MS)
    shown = overlay.inner_text()
    date_line = next(number for number, line in enumerate(good.splitlines(), 1) if line.startswith("Date:"))
    assert f"content/articles/{first.parent.name}/{first.name}:{date_line}" in shown
    assert "năm-tháng-ngày" in shown and "Cách sửa:" in shown
    assert "Bản sửa thứ hai" in page.locator("h1.article-title").inner_text()
    page.screenshot(path=str(artifacts / "live-preview-overlay.png"))

    # The fix restores the page by itself.
    first.write_text(good.replace("Bản sửa thứ hai", "Đã sửa ngày"), encoding="utf-8")
    page.locator("h1.article-title", has_text="Đã sửa ngày").wait_for(timeout=WAIT_MS)
    assert page.locator("#xem-truoc-loi").count() == 0

    # A draft, opened before it exists, appears with its banner.
    draft_page = browser.new_page()
    response = draft_page.goto(f"{url}/ban-nhap/{second.stem}.html")
    assert response.status == 404 and "Không tìm thấy trang" in draft_page.locator("h1").first.inner_text()
    set_header(second, "Status", "draft")
    banner = draft_page.locator(".preview-banner-label")
    banner.wait_for(timeout=WAIT_MS)
    assert banner.inner_text() == "BẢN NHÁP"
    draft_page.screenshot(path=str(artifacts / "live-preview-draft.png"))

    # The open page of a renamed file stops being the article.
    shutil.move(first, first.with_name("ten-moi-cua-bai.md"))
    page.locator("h1.article-title").wait_for(state="detached", timeout=WAIT_MS)
    assert "Không tìm thấy trang" in page.locator("h1").first.inner_text()
    assert page.goto(f"{url}/tin-tuc/ten-moi-cua-bai.html").status == 200
    page.close()
    draft_page.close()


def test_the_overlay_shows_an_editors_text_as_text_never_as_markup(browser, tmp_path):
    from editor_tools.live_preview import PreviewEvents, PreviewServer

    (tmp_path / "index.html").write_text("<!doctype html><html lang=vi><meta charset=utf-8><title>t</title>"
                                         "<body><h1>Trang</h1></body></html>", encoding="utf-8")
    events = PreviewEvents()
    server = PreviewServer(tmp_path, events, port=0)
    server.start()
    try:
        page = browser.new_page()
        page.goto(f"http://localhost:{server.port}/")
        page.wait_for_timeout(500)
        hostile = '<img src=x onerror="window.hacked=1">"Tiêu đề"</b>'
        events.failed([{"path": "content/articles/a/<b>x</b>.md", "line": 3, "message": hostile, "fix": "<script>x</script>"}])
        overlay = page.locator("#xem-truoc-loi")
        overlay.wait_for(timeout=WAIT_MS)
        assert hostile in overlay.inner_text() and "<script>x</script>" in overlay.inner_text()
        assert overlay.locator("img, b, script").count() == 0
        assert page.evaluate("window.hacked") is None
        events.built()
        page.wait_for_function("!document.getElementById('xem-truoc-loi')", timeout=WAIT_MS)
        page.close()
    finally:
        server.stop()


def test_a_stylesheet_change_is_applied_without_a_reload_and_a_script_change_reloads(browser, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(SITE_ROOT / "theme", theme)
    preview, thread, content = start_preview(tmp_path, 4, theme)
    try:
        article = sorted((content / "articles").rglob("*.md"))[0]
        page = browser.new_page()
        page.goto(f"http://localhost:{preview.port}/tin-tuc/{article.stem}.html")
        page.wait_for_timeout(500)  # the event stream is open
        loads = []
        page.on("load", lambda: loads.append(time.monotonic()))
        title = page.locator("h1.article-title")
        assert title.evaluate("node => getComputedStyle(node).color") != "rgb(1, 2, 3)"

        stylesheet = theme / "static" / "css" / "site.css"
        stylesheet.write_text(stylesheet.read_text(encoding="utf-8") +
                              "\nh1.article-title { color: rgb(1, 2, 3) !important; }\n", encoding="utf-8")
        deadline = time.monotonic() + WAIT_MS / 1000
        while title.evaluate("node => getComputedStyle(node).color") != "rgb(1, 2, 3)":
            assert time.monotonic() < deadline, "the new stylesheet was not applied"
            page.wait_for_timeout(100)
        assert loads == []  # swapped in place: the page was not loaded again

        script = theme / "static" / "js" / "site.js"
        script.write_text(script.read_text(encoding="utf-8") +
                          '\ndocument.documentElement.setAttribute("data-ban-sua", "1");\n', encoding="utf-8")
        page.locator("html[data-ban-sua='1']").wait_for(state="attached", timeout=WAIT_MS)
        assert len(loads) == 1
        page.close()
    finally:
        preview.stop()
        thread.join(timeout=60)
