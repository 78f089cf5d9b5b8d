"""'In bài' and sharing, as a reader meets them in Chromium."""

from support.reader_pages import REFERENCE_ARTICLE

KEPT_ON_PAPER = ["main h1", ".article-meta .article-date", ".article-body p >> nth=0",
                 ".article-body img", ".article-body figcaption", ".article-signature"]
LEFT_OFF_PAPER = [".site-nav", ".site-search", ".sidebar", "#visit-counter", ".related-news",
                  ".back-link", ".article-tools", ".site-footer", ".breadcrumbs"]


def test_print_button_appears_with_javascript_and_opens_the_print_dialog(browser, shipped_site_url):
    page = browser.new_page()
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    button = page.get_by_role("button", name="In bài")
    assert button.is_visible()
    button.click()
    assert page.evaluate("window.printed") == 1
    page.close()


def test_print_button_is_absent_without_javascript(browser, shipped_site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    assert page.locator(".print-button").count() == 1
    assert not page.locator(".print-button").is_visible()
    context.close()


def test_printed_article_keeps_the_text_and_leaves_out_the_furniture(browser, shipped_site_url, artifacts):
    page = browser.new_page()
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    page.emulate_media(media="print")
    assert [selector for selector in KEPT_ON_PAPER if not page.locator(selector).is_visible()] == []
    assert [selector for selector in LEFT_OFF_PAPER if page.locator(selector).is_visible()] == []
    page.screenshot(path=str(artifacts / "reference-article-print.png"), full_page=True)
    page.close()


def test_share_links_open_the_services_with_the_article_address(browser, shipped_site_url):
    page = browser.new_page()
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    links = page.locator(".share-links a")
    hrefs = {links.nth(i).inner_text(): links.nth(i).get_attribute("href") for i in range(links.count())}
    assert hrefs == {
        "Facebook": "https://www.facebook.com/sharer/sharer.php?u=" + page.evaluate("encodeURIComponent", canonical),
        "Zalo": "https://sp.zalo.me/share_to_zalo?url=" + page.evaluate("encodeURIComponent", canonical),
    }
    assert page.evaluate("[...document.scripts].filter(s => s.src && new URL(s.src).origin !== location.origin).length") == 0
    page.close()


def test_printed_article_shows_its_web_address_and_the_screen_does_not(browser, shipped_site_url):
    page = browser.new_page()
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    address = page.locator(".print-address")
    assert not address.is_visible()
    page.emulate_media(media="print")
    assert address.is_visible()
    assert address.inner_text().startswith("Địa chỉ bài viết: http")
    assert address.inner_text().endswith(REFERENCE_ARTICLE)
    page.close()
