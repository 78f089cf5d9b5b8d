"""'Tìm kiếm' finds Vietnamese words, not loose syllables, in Chromium: a
multi-syllable query typed without diacritics puts the articles containing the
word first; results show title, category and date, an excerpt with the match
marked in its own spelling, and can be followed past 30; quoted phrases, the
category filter, newest first, and a helpful word for empty or one-letter
queries."""

from datetime import date, timedelta
from urllib.parse import urlencode
import re

from playwright.sync_api import expect
import pytest

from support.site_build import article_source, build_site
from support.static_server import serve_folder

WORD_ARTICLES = 34  # more than 30: the reader must be able to go past them
DECOYS = 8
CATEGORIES = ["Hoạt động của Ngành", "Văn bản"]


def word_article(n):
    # The word once, among plain sentences.
    return ("Các đơn vị trên địa bàn tích cực triển khai nhiệm vụ được giao trong năm.\n\n"
            f"Ngày {n % 27 + 1}, xã tổ chức Đại hội đại biểu Mặt trận lần thứ {n}, nhiệm kỳ mới.\n\n"
            "Cán bộ, đoàn viên và Nhân dân cùng tham gia.")


def decoy_article():
    # "đại" and "hội" many times, never side by side.
    return ("Khối đại đoàn kết toàn dân tộc được xây dựng vững chắc; công tác xã hội được chú trọng.\n\n"
            "Đại biểu dự hội nghị đánh giá cao vai trò của Mặt trận. Đại đoàn kết là sức mạnh; hội viên, "
            "đoàn viên, đại biểu và hội nghị đều thống nhất.")


@pytest.fixture(scope="module")
def words_site_url(tmp_path_factory):
    files = {}
    first = date(2024, 1, 1)
    for n in range(1, WORD_ARTICLES + 1):
        files[f"articles/dai-hoi-{n:02d}.md"] = article_source(
            f"Tin cơ sở số {n}", f"{first + timedelta(days=n):%Y-%m-%d} 07:30",
            category=CATEGORIES[n % 2], body=word_article(n))
    for n in range(1, DECOYS + 1):
        # Decoys are newer and repeat the syllables: only words can put them below.
        files[f"articles/doan-ket-{n}.md"] = article_source(
            f"Đại đoàn kết, hội nghị số {n}", f"2024-06-{n:02d}", body=decoy_article())
    files["articles/lu-quet-tieu-de.md"] = article_source(
        "Lũ quét ở miền núi", "2023-05-01", body="Người dân được hướng dẫn phòng tránh thiên tai.")
    files["articles/lu-quet-than-bai.md"] = article_source(
        "Phòng chống thiên tai", "2023-05-02",
        body="Các xã vùng cao chuẩn bị lực lượng. Mưa lớn có thể gây lũ quét và sạt lở đất ở nhiều nơi.")
    site = build_site(tmp_path_factory.mktemp("words"), files)
    assert site.ok, site.log
    with serve_folder(site.output) as url:
        yield url


def open_search(browser, site_url, query, **options):
    page = browser.new_page()
    page.goto(f"{site_url}/tim-kiem.html?{urlencode({'q': query, **options})}")
    # Locator waits: the site's Content-Security-Policy forbids the eval a string predicate needs.
    expect(page.locator(".search-status")).to_contain_text(re.compile("Tìm thấy|Không tìm thấy"))
    return page


def result_links(page):
    return page.eval_on_selector_all(".search-results-list h2 a", "links => links.map(a => a.getAttribute('href'))")


def show_all(page):
    while page.locator(".search-more").is_visible():
        before = page.locator(".search-results-list li").count()
        page.locator(".search-more").click()
        expect(page.locator(".search-results-list li")).not_to_have_count(before)


@pytest.mark.parametrize("query", ["dai hoi", "Đại hội", "DAI HOI"])
def test_articles_containing_the_word_come_before_articles_with_its_syllables_apart(browser, words_site_url, query):
    page = open_search(browser, words_site_url, query)
    show_all(page)
    links = result_links(page)
    assert len(links) == WORD_ARTICLES + DECOYS
    assert all("/dai-hoi-" in link for link in links[:WORD_ARTICLES])
    assert page.locator(".search-status").inner_text() == f"Tìm thấy {WORD_ARTICLES + DECOYS} kết quả cho “{query}”."
    page.close()


def test_results_can_be_followed_past_thirty_and_focus_goes_to_the_first_new_one(browser, words_site_url):
    page = open_search(browser, words_site_url, "dai hoi")
    assert page.locator(".search-results-list li").count() == 10
    assert page.locator(".search-more").inner_text() == "Xem thêm 10 kết quả"
    for shown in (20, 30, 40):
        page.locator(".search-more").click()
        expect(page.locator(".search-results-list li")).to_have_count(shown)
        assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('.search-results-list li')[%d]" % (shown - 10))
    page.locator(".search-more").click()
    expect(page.locator(".search-results-list li")).to_have_count(WORD_ARTICLES + DECOYS)
    assert not page.locator(".search-more").is_visible()
    page.close()


def test_each_result_shows_title_category_date_and_the_match_marked_with_its_diacritics(browser, words_site_url, artifacts):
    page = open_search(browser, words_site_url, "dai hoi")
    first = page.locator(".search-results-list li").first
    title = first.locator("h2 a").inner_text()
    assert title.startswith("Tin cơ sở số ")
    number = int(title.rsplit(" ", 1)[1])
    assert first.locator(".search-result-meta").inner_text() == (
        f"{CATEGORIES[number % 2]} · 07:30 {date(2024, 1, 1) + timedelta(days=number):%d/%m/%Y}")
    assert first.locator(".search-result-excerpt mark").all_inner_texts() == ["Đại hội"]
    assert f"Đại hội đại biểu Mặt trận lần thứ {number}" in first.locator(".search-result-excerpt").inner_text()
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(artifacts / "search-dai-hoi-360.png"), full_page=True)
    page.close()


def test_a_quoted_phrase_finds_exactly_the_articles_containing_it(browser, words_site_url):
    page = open_search(browser, words_site_url, '"hoi nghi danh gia"')
    show_all(page)
    assert sorted(result_links(page)) == [f"/tin-tuc/doan-ket-{n}.html" for n in range(1, DECOYS + 1)]
    page.close()
    page = open_search(browser, words_site_url, '"dai bieu mat tran"')
    show_all(page)
    assert len(result_links(page)) == WORD_ARTICLES
    page.close()


def test_a_word_in_the_title_weighs_more_than_the_same_word_in_the_body(browser, words_site_url):
    page = open_search(browser, words_site_url, "lu quet")
    assert result_links(page) == ["/tin-tuc/lu-quet-tieu-de.html", "/tin-tuc/lu-quet-than-bai.html"]
    page.close()


def test_results_can_be_narrowed_to_a_category_and_sorted_newest_first(browser, words_site_url):
    page = open_search(browser, words_site_url, "dai hoi", **{"chuyen-muc": "van-ban", "xep": "moi-nhat"})
    show_all(page)
    metas = page.locator(".search-result-meta").all_inner_texts()
    assert len(metas) == WORD_ARTICLES // 2
    assert all(meta.startswith("Văn bản · ") for meta in metas)
    numbers = [int(link.rsplit("-", 1)[1].removesuffix(".html")) for link in result_links(page)]
    assert numbers == sorted(numbers, reverse=True)
    assert page.locator("#search-category").input_value() == "van-ban"
    assert page.locator("#search-sort").input_value() == "moi-nhat"
    page.close()


@pytest.mark.parametrize("query, expected", [
    ("", "Gõ từ khóa vào ô trên"),
    ("   ", "Gõ từ khóa vào ô trên"),
    ("đ", "Từ khóa “đ” quá ngắn"),
    ('"a"', "quá ngắn"),
])
def test_an_empty_or_one_letter_query_gets_a_helpful_message_and_no_results(browser, words_site_url, query, expected):
    page = browser.new_page()
    page.goto(f"{words_site_url}/tim-kiem.html?{urlencode({'q': query})}")
    expect(page.locator(".search-status")).not_to_have_text("")
    assert expected in page.locator(".search-status").inner_text()
    assert page.locator(".search-results-list li").count() == 0
    page.close()
