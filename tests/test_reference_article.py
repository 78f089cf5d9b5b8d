"""The reference article, built from the content we ship, shows the parts of the
Front's real page in the same order."""

import re

from support.reference_page import plain_text, reference_body_paragraphs
from support.site_build import article_source, build_site

ARTICLE = "tin-tuc/ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh.html"
TITLE = "Ký kết thực hiện công tác truyền thông, phản ánh tình hình Nhân dân trên địa bàn tỉnh"


def document_position(page, element):
    return list(page.descendants).index(element)


def test_reference_article_shows_every_part_in_the_reference_order(shipped_site):
    page = shipped_site.page(ARTICLE)
    back_link = page.select_one(".back-link a")
    title = page.select_one("main h1")
    meta = page.select_one(".article-meta")
    caption = page.select_one(".article-body figure figcaption")
    signature = page.select_one(".article-signature")
    related = page.find("h2", string="CÁC TIN CÙNG CHUYÊN MỤC:")
    counter = page.find("h2", string="LƯỢT TRUY CẬP")

    assert back_link.get_text() == "<< Quay Lại"
    assert back_link["href"] == "/chuyen-muc/hoat-dong-cua-nganh/"
    assert title.get_text(strip=True) == TITLE
    assert " ".join(meta.get_text().split()) == "Hoạt động của Ngành | Đăng ngày: 06/04/2023"
    assert meta.find("a")["href"] == "/chuyen-muc/hoat-dong-cua-nganh/"
    assert caption.get_text(strip=True) == "Quang cảnh buổi họp ký kết"
    assert signature.get_text(strip=True) == "NGUYÊN LƯU"
    counter_figures = [" ".join(row.get_text().split()) for row in counter.find_parent("section").select("dl div")]
    assert counter_figures == ["Đang online: —", "Tổng truy cập: —"]

    parts = [back_link, title, meta, caption, signature, related, counter]
    positions = [document_position(page, part) for part in parts]
    assert positions == sorted(positions)


def test_reference_article_body_holds_every_paragraph_word_for_word(shipped_site):
    body = shipped_site.page(ARTICLE).select_one(".article-body")
    paragraphs = [plain_text(p.get_text()) for p in body.find_all("p", recursive=False)]
    assert paragraphs == reference_body_paragraphs()


def test_reference_article_photo_is_shipped_where_the_editor_replaces_it(shipped_site):
    image = shipped_site.page(ARTICLE).select_one(".article-body figure img")
    assert image["alt"] == "Quang cảnh buổi họp ký kết"
    # Published as WebP widths named after the file the editor replaces (plugins/photos).
    assert re.fullmatch(r"/images/2023/04/ky-ket-phoi-hop-truyen-thong-960\.[0-9a-f]{10}\.webp", image["src"])
    assert (shipped_site.output / image["src"].lstrip("/")).stat().st_size > 0
    assert (shipped_site.content / "images/2023/04/ky-ket-phoi-hop-truyen-thong.jpg").exists()


def test_reference_article_is_listed_on_its_category_page(shipped_site):
    page = shipped_site.page("chuyen-muc/hoat-dong-cua-nganh/index.html")
    assert page.select_one("main h1").get_text() == "Hoạt động của Ngành"
    links = [a["href"] for a in page.select("main .news-item-title a")]
    assert links == ["/" + ARTICLE]


def test_page_title_and_description_are_plain_escaped_text(shipped_site):
    page = shipped_site.page(ARTICLE)
    assert page.title.get_text() == f"{TITLE} — Ủy ban MTTQ Việt Nam tỉnh Phú Yên"
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Sáng ngày 6/4, lãnh đạo Ủy Ban MTTQ Việt Nam tỉnh")
    assert "<" not in description and "&" not in description


def test_counter_block_is_left_out_when_no_counter_is_configured(tmp_path):
    site = build_site(tmp_path, {"articles/mot.md": article_source("Tin một", "2024-02-01")},
                      overrides='VISIT_COUNTER_URL = ""\n')
    assert site.ok, site.log
    page = site.page("tin-tuc/mot.html")
    assert page.select("#visit-counter") == []
    assert page.find("script", src="/theme/js/counter.js") is None


def test_site_map_page_lists_every_category_page_and_agency_and_the_footer_links_it(shipped_site):
    site_map = shipped_site.page("so-do-trang.html")
    links = {a["href"] for a in site_map.select("main a")}
    categories = {f"/chuyen-muc/{slug}/" for slug in (
        "tin-tuc-su-kien", "hoat-dong-cua-nganh", "hoat-dong-mat-tran-dia-phuong",
        "giam-sat-va-phan-bien-xa-hoi", "cac-cuoc-van-dong-phong-trao-thi-dua", "van-ban")}
    agencies = {f"/co-quan/{path.stem}.html" for path in (shipped_site.content / "agencies").glob("*.md")}
    assert categories | agencies | {"/", "/gioi-thieu.html", "/lien-he.html", "/co-quan/", "/tim-kiem.html"} <= links
    for path in ("index.html", ARTICLE):
        assert shipped_site.page(path).select_one("footer a[href='/so-do-trang.html']").get_text() == "Sơ đồ trang"
