"""What a reader sees of the reference article, in real Chromium, on a phone and a desktop."""

import pytest

ARTICLE = "/tin-tuc/ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh.html"
VISIBLE_PARTS = [
    ".back-link a", "main h1", ".article-meta", ".article-body figcaption",
    ".article-signature", "#related-news-heading", "#visit-counter-heading",
]


@pytest.mark.parametrize("width, height", [(360, 740), (1440, 900)])
def test_reader_sees_every_part_in_order_without_sideways_scrolling(browser, shipped_site_url, artifacts, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(shipped_site_url + ARTICLE)

    tops = []
    for selector in VISIBLE_PARTS:
        part = page.locator(selector)
        assert part.is_visible(), selector
        tops.append(part.bounding_box()["y"])
    if width < 900:
        assert tops == sorted(tops)
    else:
        assert tops[:6] == sorted(tops[:6])

    assert page.locator("main h1").inner_text() == (
        "Ký kết thực hiện công tác truyền thông, phản ánh tình hình Nhân dân trên địa bàn tỉnh")
    assert page.locator(".article-meta").inner_text().split() == "Hoạt động của Ngành | Đăng ngày: 06/04/2023".split()
    assert page.locator(".article-signature").inner_text() == "NGUYÊN LƯU"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    image = page.locator(".article-body img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.bounding_box()["width"] <= width
    page.screenshot(path=str(artifacts / f"reference-article-{width}.png"), full_page=True)
    assert errors == []
    page.close()


def test_back_link_returns_to_the_page_the_reader_came_from(browser, shipped_site_url):
    page = browser.new_page()
    page.goto(shipped_site_url + "/")
    page.locator("main :is(.lead-story-title, .news-item-title) a").first.click()
    page.wait_for_url("**" + ARTICLE)
    page.locator(".back-link a").click()
    page.wait_for_url(shipped_site_url + "/")
    page.close()


def test_back_link_opened_directly_goes_to_the_category(browser, shipped_site_url):
    page = browser.new_page()
    page.goto(shipped_site_url + ARTICLE)
    page.locator(".back-link a").click()
    page.wait_for_url("**/chuyen-muc/hoat-dong-cua-nganh/")
    assert page.locator("main h1").inner_text() == "Hoạt động của Ngành"
    page.close()
