"""The agency profiles we ship: the four agencies of the reference article, live and linked."""

from support.site_build import SITE_ROOT

from site_core.agency_profiles import load_agency_slugs

ARTICLE = "tin-tuc/ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh.html"
SIGNATORIES = [
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Phú Yên", "/co-quan/mttq-phu-yen.html"),
    ("Sở Thông tin và Truyền thông tỉnh Phú Yên", "/co-quan/so-tttt-phu-yen.html"),
    ("Báo Phú Yên", "/co-quan/bao-phu-yen.html"),
    ("Đài Phát thanh – Truyền hình Phú Yên", "/co-quan/dai-ptth-phu-yen.html"),
]


def words(element):
    return " ".join(element.get_text().split())


def test_reference_article_links_the_four_agencies_that_signed(shipped_site):
    links = shipped_site.page(ARTICLE).select(".article-agencies a")
    assert [(a.get_text(), a["href"]) for a in links] == SIGNATORIES


def test_each_signatory_page_is_live_and_lists_the_reference_article(shipped_site):
    for name, url in SIGNATORIES:
        page = shipped_site.page(url.lstrip("/"))
        assert page.select_one("main h1").get_text() == name
        assert [a["href"] for a in page.select(".agency-news .news-item-title a")] == ["/" + ARTICLE], url


def test_department_shows_its_2025_merger_into_the_science_department(shipped_site):
    notice = shipped_site.page("co-quan/so-tttt-phu-yen.html").select_one(".agency-notice")
    assert words(notice) == "Từ 01/03/2025 hợp nhất vào Sở Khoa học và Công nghệ tỉnh Phú Yên."
    assert notice.a["href"] == "/co-quan/so-khcn-phu-yen.html"


def test_front_committee_shows_its_merger_into_the_dak_lak_committee(shipped_site):
    notice = shipped_site.page("co-quan/mttq-phu-yen.html").select_one(".agency-notice")
    assert words(notice) == "Từ 01/07/2025 hợp nhất vào Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đắk Lắk."
    assert notice.a["href"] == "/co-quan/mttq-dak-lak.html"


def test_newspaper_and_station_are_only_planned_to_merge_so_show_no_notice(shipped_site):
    for slug in ("bao-phu-yen", "dai-ptth-phu-yen"):
        page = shipped_site.page(f"co-quan/{slug}.html")
        assert page.select(".agency-notice") == [], slug
        assert "dự kiến hợp nhất" in page.select_one(".agency-body").get_text(), slug


def test_every_shipped_profile_cites_its_sources_and_invents_no_contact_details(shipped_site):
    slugs = load_agency_slugs(SITE_ROOT / "content")
    assert len(slugs) == 6
    for slug in slugs:
        page = shipped_site.page(f"co-quan/{slug}.html")
        sources = page.find("h2", string="Nguồn")
        assert sources is not None and sources.find_next_sibling("ul").find("li") is not None, slug
        labels = {dt.get_text() for dt in page.select(".agency-facts dt")}
        assert not labels & {"Địa chỉ", "Điện thoại", "Thư điện tử"}, slug


def test_sidebar_links_the_websites_of_the_active_press_agencies(shipped_site):
    links = shipped_site.page("index.html").select(".agency-websites .sidebar-list a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("Báo Phú Yên", "https://baophuyen.vn"),
        ("Đài Phát thanh – Truyền hình Phú Yên", "https://ptpphuyen.vn"),
    ]
