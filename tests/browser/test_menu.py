"""The main menu in Chromium: folded behind one button on a phone, open on a desktop and without scripts."""

import pytest

MENU_LINKS = ".site-nav ul a"


def menu_link_names(page):
    return page.locator(MENU_LINKS).all_inner_texts()


def test_phone_menu_opens_and_closes_with_its_button(browser, shipped_site_url, artifacts):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(shipped_site_url + "/")
    toggle = page.get_by_role("button", name="Chuyên mục")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(MENU_LINKS).first.is_visible()
    assert page.locator("main h1, main h2").first.bounding_box()["y"] < 300

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Hoạt động của Ngành").first.is_visible()
    page.screenshot(path=str(artifacts / "menu-open-360.png"))
    toggle.click()
    assert not page.locator(MENU_LINKS).first.is_visible()
    page.close()


@pytest.mark.parametrize("width, scripts", [(1440, True), (360, False)])
def test_menu_is_open_without_a_button_on_a_desktop_or_without_scripts(browser, shipped_site_url, width, scripts):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=scripts)
    page = context.new_page()
    page.goto(shipped_site_url + "/")
    assert not page.locator(".menu-toggle").is_visible()
    links = page.locator(MENU_LINKS)
    assert links.count() >= 7
    assert all(links.nth(index).is_visible() for index in range(links.count()))
    assert menu_link_names(page)[0] == "Trang chủ"
    context.close()


def test_escape_closes_the_phone_menu_and_returns_focus_to_its_button(browser, shipped_site_url):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(shipped_site_url + "/")
    toggle = page.get_by_role("button", name="Chuyên mục")
    toggle.click()
    page.keyboard.press("Tab")  # into the open menu
    assert page.evaluate("document.activeElement.closest('#site-menu') !== null")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(MENU_LINKS).first.is_visible()
    assert page.evaluate("document.activeElement.matches('[data-menu-toggle]')")
    page.close()


CONTRAST = """([ring, background]) => {
  const rgb = (text) => text.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const luminance = (color) => {
    const [r, g, b] = rgb(color).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [light, dark] = [luminance(ring), luminance(background)].sort((a, b) => b - a);
  return (light + 0.05) / (dark + 0.05);
}"""


def test_focus_ring_on_the_red_menu_bar_has_at_least_three_to_one_contrast(browser, shipped_site_url):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(shipped_site_url + "/")
    link = page.locator(MENU_LINKS).nth(1)
    link.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focused from the keyboard, so :focus-visible applies
    ring = link.evaluate("a => getComputedStyle(a).outlineStyle !== 'none' && getComputedStyle(a).outlineColor")
    assert ring
    bar = page.locator(".site-nav").evaluate("nav => getComputedStyle(nav).backgroundColor")
    assert page.evaluate(CONTRAST, [ring, bar]) >= 3
    page.close()
