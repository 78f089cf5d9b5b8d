"""'Tìm kiếm' in Chromium: queries typed without diacritics, đ included, find
the same articles as with them; site furniture is not searched."""

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from support.reader_pages import REFERENCE_ARTICLE
from support.site_build import article_source, build_site
from support.static_server import serve_folder

REFERENCE_TITLE = "Ký kết thực hiện công tác truyền thông, phản ánh tình hình Nhân dân trên địa bàn tỉnh"


def search(browser, site_url, query):
    """(status line, [(title, url)]) shown on the search page for `query`."""
    page = browser.new_page()
    page.goto(f"{site_url}/tim-kiem.html?q={quote(query)}")
    # A locator wait: the site's Content-Security-Policy forbids the eval a string predicate needs.
    expect(page.locator(".search-status")).not_to_contain_text("…")
    status = page.locator(".search-status").inner_text()
    links = page.locator(".search-results-list a")
    results = [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(links.count())]
    page.close()
    return status, results


@pytest.mark.parametrize("query", ["doan ket", "đoàn kết", "dong", "động", "dai phat thanh"])
def test_reference_article_is_found_with_or_without_diacritics(browser, shipped_site_url, query):
    status, results = search(browser, shipped_site_url, query)
    assert (REFERENCE_TITLE, REFERENCE_ARTICLE) in results
    assert status == f"Tìm thấy {len(results)} kết quả cho “{query}”."


@pytest.mark.parametrize("query", ["bao phu yen", "Báo Phú Yên"])
def test_agency_profiles_are_found_with_or_without_diacritics(browser, shipped_site_url, query):
    _, results = search(browser, shipped_site_url, query)
    assert ("Báo Phú Yên", "/co-quan/bao-phu-yen.html") in results


def test_newest_first_leaves_out_the_pages_without_a_date_as_relevance_does_not(browser, shipped_site_url):
    # "Ủy ban" is in the reference article and in the agency profiles and pages, which have no date.
    _, relevant = search(browser, shipped_site_url, "uy ban")
    page = browser.new_page()
    page.goto(f"{shipped_site_url}/tim-kiem.html?q={quote('uy ban')}&xep=moi-nhat")
    expect(page.locator(".search-status")).not_to_contain_text("…")
    links = page.locator(".search-results-list a")
    newest = [links.nth(i).get_attribute("href") for i in range(links.count())]
    page.close()
    assert any(url.startswith("/co-quan/") for _, url in relevant)
    assert newest == [REFERENCE_ARTICLE]


@pytest.mark.parametrize("furniture_word", ["online", "Atom"])
def test_sidebar_and_footer_are_not_searched(browser, shipped_site_url, furniture_word):
    # "Đang online" is the visit counter's, "Atom" the footer's feed link: on every page, in no article.
    status, results = search(browser, shipped_site_url, furniture_word)
    assert results == []
    assert status.startswith(f"Không tìm thấy kết quả nào cho “{furniture_word}”.")


def test_search_page_shows_the_query_and_each_result_with_an_excerpt_around_the_match(browser, shipped_site_url, artifacts):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    page.goto(f"{shipped_site_url}/tim-kiem.html?q={quote('doan ket')}")
    page.wait_for_selector(".search-results-list li")
    assert page.locator("#search-page-query").input_value() == "doan ket"
    result = page.locator(".search-results-list li").first
    assert result.locator(".search-result-meta").inner_text() == "Hoạt động của Ngành · 06/04/2023"
    assert "khối đại đoàn kết toàn dân tộc" in result.locator(".search-result-excerpt").inner_text()
    assert set(result.locator(".search-result-excerpt mark").all_inner_texts()) == {"đoàn kết"}
    page.screenshot(path=str(artifacts / "search-doan-ket-360.png"), full_page=True)
    page.close()


def test_header_search_box_reaches_the_search_page_without_javascript(browser, shipped_site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(shipped_site_url + REFERENCE_ARTICLE)
    page.fill("#site-search-query", "đoàn kết")
    page.locator(".site-search button").click()
    page.wait_for_url("**/tim-kiem.html?q=*")
    assert page.locator("main h1").inner_text() == "Tìm kiếm"
    assert page.locator("main noscript, main p").filter(has_text="cần bật JavaScript").count() == 1
    context.close()


@pytest.fixture(scope="module")
def decoy_site_url(tmp_path_factory):
    """One article with the accented words, and decoys that match the bare
    letters only if đ is not folded ("doanh", "dòng")."""
    site = build_site(tmp_path_factory.mktemp("decoys"), {
        "articles/dai-doan-ket.md": article_source(
            "Khối đại đoàn kết", "2024-03-01", body="Phong trào đoàn kết và hoạt động của Nhân dân."),
        "articles/doanh-nghiep.md": article_source(
            "Doanh nghiệp kết nối", "2024-03-02", body="Doanh nghiệp kết nối với dòng sản phẩm mới."),
    })
    assert site.ok, site.log
    with serve_folder(site.output) as url:
        yield url


@pytest.mark.parametrize("query", ["doan ket", "Đoàn Kết", "dong", "động"])
def test_folded_query_finds_the_article_spelt_with_d_stroke(browser, decoy_site_url, query):
    _, results = search(browser, decoy_site_url, query)
    assert ("Khối đại đoàn kết", "/tin-tuc/dai-doan-ket.html") in results
