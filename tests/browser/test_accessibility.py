"""WCAG 2.1 AA in Chromium: axe-core finds nothing on every kind of page, text
reflows at 320 CSS px (1280 px at 400 %, 640 px at 200 %), the skip link and
keyboard focus are visible, and nothing moves by itself."""

import pytest

from support.reader_pages import FIXTURE_PAGES, REFERENCE_ARTICLE, SHIPPED_PAGES
from support.site_checks import axe_violations


@pytest.mark.parametrize("path", SHIPPED_PAGES)
def test_shipped_pages_have_no_axe_violations(browser, shipped_site_url, path):
    page = browser.new_page()
    page.goto(shipped_site_url + path)
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    page.close()


@pytest.mark.parametrize("path", FIXTURE_PAGES)
def test_many_articles_pages_have_no_axe_violations(browser, many_articles_site_url, path):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(many_articles_site_url + path)
    page.wait_for_load_state("networkidle")  # search results are drawn after the index answers
    assert axe_violations(page) == []
    page.close()


def test_axe_reports_text_with_too_little_contrast(browser, defective_site_url):
    page = browser.new_page()
    page.goto(defective_site_url + "/tin-tuc/chu-mo.html")
    violations = axe_violations(page)
    assert [v["id"] for v in violations] == ["color-contrast"]
    assert violations[0]["targets"] == [[".article-body > p > span"]]
    page.close()


# Fonts differ from machine to machine; spacing every letter out stands in for the widest of them.
@pytest.mark.parametrize("letter_spacing", ["normal", "0.3em"])
@pytest.mark.parametrize("path", SHIPPED_PAGES + ["/tin-tuc/tin-tuc-su-kien-1.html"])
def test_pages_reflow_at_320_css_pixels_without_sideways_scrolling(browser, shipped_site_url, many_articles_site_url,
                                                                  path, letter_spacing):
    site_url = many_articles_site_url if path.startswith("/tin-tuc/tin-tuc-su-kien") else shipped_site_url
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto(site_url + path)
    # A constructed style sheet: the site's Content-Security-Policy refuses an added <style>.
    page.evaluate("""spacing => { const sheet = new CSSStyleSheet();
        sheet.replaceSync(`* { letter-spacing: ${spacing} !important; }`);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }""", letter_spacing)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()


def test_first_tab_shows_the_skip_link_and_it_moves_focus_to_the_content(browser, shipped_site_url):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    assert skip_link.evaluate("link => link === document.activeElement")
    box = skip_link.bounding_box()
    assert box["y"] >= 0 and box["height"] > 0
    assert skip_link.evaluate("link => getComputedStyle(link).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    page.close()


def test_every_link_and_control_shows_keyboard_focus(browser, shipped_site_url):
    page = browser.new_page()
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    unfocused = []
    for _ in range(page.locator("a, button:visible, input").count()):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
            return [document.activeElement.outerHTML.slice(0, 80), s.outlineStyle, s.outlineWidth]; }""")
        if style[1] == "none" or style[2] == "0px":
            unfocused.append(style[0])
    assert unfocused == []
    page.close()


def test_nothing_moves_by_itself(browser, shipped_site_url):
    page = browser.new_page()
    for path in SHIPPED_PAGES:
        page.goto(shipped_site_url + path)
        moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => {
            const s = getComputedStyle(e);
            return s.animationName !== 'none' || e.matches('marquee, video[autoplay], audio[autoplay]');
        }).length""")
        assert moving == 0, path
    page.close()
