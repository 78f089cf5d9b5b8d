"""A script an editor pastes into a title, a summary or a body never runs in a reader's
browser: the sanitizer takes it out of the HTML, and the Content-Security-Policy
stops any inline script that would still reach a page, while the site's own
scripts keep working."""

from support.site_build import build_site
from support.static_server import serve_folder

WITHOUT_THE_CHECK = 'PLUGINS = [name for name in PLUGINS if name != "content_check"]\n'
SMUGGLED = {
    "articles/hoat-dong-cua-nganh/bai.md": (
        "Title: Hội nghị <script>window.smuggled = 'tiêu đề'</script>\nDate: 2024-03-05\n"
        "Category: Hoạt động của Ngành\n"
        "Summary: Tóm tắt <img src=x onerror=\"window.smuggled = 'tóm tắt'\">\n\n"
        "Đoạn đầu <b onmouseover=\"window.smuggled = 'rê chuột'\">đậm</b>.\n\n"
        "<script>window.smuggled = 'thân bài'</script>\n\n"
        "<img src=\"khong-co.png\" alt=\"ảnh\" onerror=\"window.smuggled = 'ảnh lỗi'\">\n\n"
        "<svg><script>window.smuggled = 'svg'</script></svg>\n\n"
        "[Bấm vào đây](javascript:window.smuggled='liên kết')\n"),
}


def open_page(browser, url):
    page = browser.new_page()
    dialogs, console = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, dialogs, console


def test_a_script_smuggled_into_content_never_runs(browser, tmp_path):
    site = build_site(tmp_path, SMUGGLED, overrides=WITHOUT_THE_CHECK)
    assert site.ok, site.log
    with serve_folder(site.output) as url:
        for path in ("/tin-tuc/bai.html", "/", "/chuyen-muc/hoat-dong-cua-nganh/"):
            page, dialogs, _ = open_page(browser, url + path)
            for link in page.locator("a[href^='javascript']").all():
                link.click()
            page.locator("b").first.hover() if page.locator("b").count() else None
            assert page.evaluate("window.smuggled") is None, path
            assert dialogs == []
            # Not only blocked by the policy: the sanitizer left nothing that could run.
            assert page.evaluate("""() => [...document.querySelectorAll('script:not([src])')]
                .map(script => script.textContent)""") == ['document.documentElement.classList.add("js")']
            assert page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(element =>
                [...element.attributes].map(attribute => attribute.name)).filter(name => name.startsWith('on'))""") == []
            assert page.locator("a[href^='javascript' i], iframe, svg script").count() == 0
            # The site's own scripts ran: the head script (allowed by its hash) marked the page.
            assert page.evaluate("document.documentElement.classList.contains('js')"), path
            page.close()


def test_the_content_security_policy_blocks_an_inline_script_that_reaches_a_page(browser, tmp_path):
    site = build_site(tmp_path, SMUGGLED, overrides=WITHOUT_THE_CHECK)
    assert site.ok, site.log
    article = site.output / "tin-tuc" / "bai.html"
    html = article.read_text(encoding="utf-8")
    # As if the sanitizer had missed them: written into the built page itself.
    article.write_text(html.replace("</main>", "<script>window.smuggled = 'sau khi dựng'</script>"
                                               "<img src=\"x.png\" alt=\"\" onerror=\"window.smuggled = 'onerror'\">"
                                               "</main>", 1), encoding="utf-8")
    with serve_folder(site.output) as url:
        page, dialogs, console = open_page(browser, url + "/tin-tuc/bai.html")
        assert page.evaluate("window.smuggled") is None
        assert any("Content Security Policy" in message for message in console), console
        assert page.evaluate("document.documentElement.classList.contains('js')")
        page.close()
