"""Agency profiles: their pages, the index, the articles that name them, and the
checks that stop a build when an editor names an agency wrongly."""

from datetime import date
import io

from PIL import Image, PngImagePlugin
import pytest

from support.site_build import SITE_ROOT, article_source, build_site

from site_core.agency_profiles import AGENCY_DEFAULTS, load_agency_slugs
from site_core.former_names import FormerName, parse_former_names
from agencies.agencies import kind_label_key
from site_labels.site_labels import load_labels


def agency_source(title, kind, body="", **fields):
    """A profile as editors write it: `Key: value` lines, a blank line, the Markdown body."""
    lines = [f"Title: {title}", f"Kind: {kind}"]
    lines += [f"{key.capitalize()}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n\n" + body + "\n"


PROFILES = {
    "agencies/mat-tran-tinh.md": agency_source("Ủy ban Mặt trận tỉnh Thử", "mat-tran", "Giới thiệu Mặt trận.",
                                               website="https://mattran.example.vn"),
    "agencies/so-cu.md": agency_source("Sở Cũ", "nha-nuoc", "Sở đã hợp nhất.", short_name="Sở C&C",
                                       status="merged", valid_until="2025-03-01", successor="so-moi",
                                       website="https://socu.example.vn"),
    "agencies/so-moi.md": agency_source("Sở Mới", "nha-nuoc", "Sở sau hợp nhất, xem [tin]({filename}/articles/lien-ket.md).",
                                        valid_from="2025-03-01"),
    "agencies/ban-giai-the.md": agency_source("Ban Đã Giải Thể", "nha-nuoc", status="dissolved",
                                              valid_until="2020-05-01"),
    "agencies/bao-tinh.md": agency_source("Báo Tỉnh", "bao-chi", "Tờ báo của tỉnh.", valid_from="1946-08-19",
                                          former_names="Báo Chiến Thắng Xưa (đến 2020-01-01); Tên Không Rõ Năm",
                                          website="https://bao.example.vn"),
    "agencies/hoi-toi-gian.md": agency_source("Hội Tối Giản", "doan-the"),
    "agencies/hoi-bao-tro.md": agency_source("Hội Bảo Trợ", "doan-the", "Hội đang hoạt động.",
                                             logo="logo/hoi-bao-tro.png"),
    "agencies/hoi-cuu.md": agency_source("Hội Cựu", "doan-the", status="dissolved", valid_until="2010-01-01"),
}




def logo_png():
    """A small red logo whose PNG carries the text chunks image editors write."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Nguyễn Văn A, máy tính phòng in")
    output = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 0, 0)).save(output, "PNG", pnginfo=text)
    return output.getvalue()


LOGO_BYTES = logo_png()


def tagged_news():
    files = {}
    for day in range(1, 24):
        tags = "so-cu, bao-tinh" if day % 3 == 0 else "so-cu"
        files[f"articles/tin-{day:02d}.md"] = article_source(f"Tin {day}", f"2024-01-{day:02d}", agencies=tags)
    files.update({
        "articles/bao-2019.md": article_source("Tin báo 2019", "2019-06-01", agencies="bao-tinh, mat-tran-tinh"),
        "articles/bao-2020.md": article_source("Tin báo ngày đổi tên", "2020-01-01", agencies="bao-tinh"),
        "articles/an.md": article_source("Bài ẩn", "2024-02-01", status="hidden", agencies="mat-tran-tinh"),
        "articles/nhap.md": article_source("Bản nháp", "2024-02-02", status="draft", agencies="mat-tran-tinh"),
        "articles/khong-gan.md": article_source("Tin không nêu cơ quan", "2024-02-03"),
        "articles/lien-ket.md": article_source("Tin có liên kết", "2024-02-04",
                                               body="Theo [Sở Mới]({filename}/agencies/so-moi.md)."),
    })
    return files


@pytest.fixture(scope="module")
def agency_site(tmp_path_factory):
    logo = {"logo/hoi-bao-tro.png": LOGO_BYTES}
    site = build_site(tmp_path_factory.mktemp("agencies"), {**PROFILES, **tagged_news(), **logo})
    assert site.ok, site.log
    return site


def words(element):
    return " ".join(element.get_text().split())


def listed_titles(site, path):
    return [a.get_text() for a in site.page(path).select(".agency-news .news-item-title a")]


def every_page_of(site, slug):
    pages = [f"co-quan/{slug}.html"]
    pages += sorted(p for p in site.html_files() if p.startswith(f"co-quan/{slug}/trang-"))
    return pages


def test_agency_index_groups_by_kind_in_settings_order_with_active_agencies_first(agency_site):
    index = agency_site.page("co-quan/index.html")
    assert index.select_one("main h1").get_text() == "Cơ quan, đơn vị phối hợp"
    groups = [(words(group.h2), [a.get_text() for a in group.select(".agency-list-name > a")])
              for group in index.select(".agency-group")]
    assert groups == [
        ("Mặt trận Tổ quốc", ["Ủy ban Mặt trận tỉnh Thử"]),
        ("Cơ quan nhà nước", ["Sở Mới", "Ban Đã Giải Thể", "Sở Cũ"]),
        ("Cơ quan báo chí", ["Báo Tỉnh"]),
        ("Tổ chức chính trị - xã hội, đoàn thể", ["Hội Bảo Trợ", "Hội Tối Giản", "Hội Cựu"]),
    ]


def test_agency_index_shows_short_names_notices_and_websites(agency_site):
    index = agency_site.page("co-quan/index.html")
    old = index.find("a", string="Sở Cũ").find_parent("li")
    assert old.select_one(".agency-list-short-name").get_text() == "(Sở C&C)"
    assert words(old.select_one(".agency-notice")) == "Từ 01/03/2025 hợp nhất vào Sở Mới."
    assert old.select_one(".agency-website")["href"] == "https://socu.example.vn"
    assert index.find("a", string="Sở Mới").find_parent("li").select(".agency-notice, .agency-website") == []


def test_agency_index_is_linked_from_the_footer_and_the_sidebar_of_every_page(agency_site):
    for path in ("index.html", "tin-tuc/tin-01.html", "co-quan/so-moi.html", "chuyen-muc/van-ban/index.html"):
        page = agency_site.page(path)
        assert page.select_one(".site-footer a[href='/co-quan/']").get_text() == "Cơ quan, đơn vị phối hợp", path
        assert page.select_one(".agency-websites a[href='/co-quan/']") is not None, path


def test_sidebar_links_the_websites_of_active_agencies_only(agency_site):
    block = agency_site.page("index.html").select_one(".agency-websites")
    assert block.h2.get_text() == "LIÊN KẾT WEBSITE"
    links = [(a.get_text(), a["href"]) for a in block.select(".sidebar-list a")]
    assert links == [("Ủy ban Mặt trận tỉnh Thử", "https://mattran.example.vn"),
                     ("Báo Tỉnh", "https://bao.example.vn")]


def test_each_agency_page_lists_exactly_the_published_articles_naming_it_newest_first(agency_site):
    expected = {
        "so-cu": [f"Tin {day}" for day in range(23, 0, -1)],
        "bao-tinh": [f"Tin {day}" for day in range(21, 0, -3)] + ["Tin báo ngày đổi tên", "Tin báo 2019"],
        "mat-tran-tinh": ["Tin báo 2019"],
    }
    for path in PROFILES:
        slug = path.removeprefix("agencies/").removesuffix(".md")
        listed = [title for page in every_page_of(agency_site, slug) for title in listed_titles(agency_site, page)]
        assert listed == expected.get(slug, []), slug


def test_agency_pages_are_paginated_like_category_pages(agency_site):
    pages = every_page_of(agency_site, "so-cu")
    assert pages == ["co-quan/so-cu.html", "co-quan/so-cu/trang-2/index.html", "co-quan/so-cu/trang-3/index.html"]
    assert [len(listed_titles(agency_site, page)) for page in pages] == [10, 10, 3]
    first, second = agency_site.page(pages[0]), agency_site.page(pages[1])
    assert words(first.select_one(".pager")) == "1 2 3 Trang sau »"
    assert first.select_one(".pager a[rel=next]")["href"] == "/co-quan/so-cu/trang-2/"
    assert second.select_one(".pager a[rel=prev]")["href"] == "/co-quan/so-cu.html"
    assert second.select_one("main h1").get_text() == "Sở Cũ"


def test_agency_without_articles_says_so(agency_site):
    page = agency_site.page("co-quan/so-moi.html")
    assert page.select(".news-item") == []
    assert page.select_one(".agency-news-empty").get_text() == "Chưa có tin bài nào nêu cơ quan này."


def test_merged_agency_shows_a_dated_notice_linking_its_successor(agency_site):
    page = agency_site.page("co-quan/so-cu.html")
    notice = page.select_one(".agency-notice")
    assert words(notice) == "Từ 01/03/2025 hợp nhất vào Sở Mới."
    assert notice.a["href"] == "/co-quan/so-moi.html"
    assert notice.time["datetime"] == "2025-03-01"
    successor = agency_site.page("co-quan/so-moi.html")
    assert successor.select(".agency-notice") == []
    facts = dict(zip([dt.get_text() for dt in successor.select(".agency-facts dt")],
                     [dd for dd in successor.select(".agency-facts dd")]))
    assert facts["Hình thành từ"].a["href"] == "/co-quan/so-cu.html"
    assert words(facts["Thời gian hoạt động"]) == "từ 01/03/2025"


def test_dissolved_agency_shows_the_date_it_ended(agency_site):
    page = agency_site.page("co-quan/ban-giai-the.html")
    assert words(page.select_one(".agency-notice")) == "Từ 01/05/2020 đã giải thể."
    assert page.select_one(".agency-notice a") is None


def test_profile_with_only_the_required_fields_renders_without_empty_labels(agency_site):
    page = agency_site.page("co-quan/hoi-toi-gian.html")
    main = page.select_one("main")
    assert main.h1.get_text() == "Hội Tối Giản"
    rows = [(dt.get_text(), words(dt.find_next_sibling("dd"))) for dt in main.select(".agency-facts dt")]
    assert rows == [("Loại cơ quan", "Tổ chức chính trị - xã hội, đoàn thể"), ("Tình trạng", "Đang hoạt động")]
    assert main.select(".agency-notice, .agency-logo, .agency-body") == []
    empty = [tag.name for tag in main.find_all(["p", "dd", "dt", "div", "ul", "li", "a"]) if not tag.get_text(strip=True)]
    assert empty == []


def test_agency_logo_is_shown_and_published_wherever_it_sits_under_content(agency_site):
    logo = agency_site.page("co-quan/hoi-bao-tro.html").select_one("img.agency-logo")
    assert logo["src"] == "/logo/hoi-bao-tro.png"
    assert logo["alt"] == "Biểu trưng của Hội Bảo Trợ"
    published = agency_site.output / "logo/hoi-bao-tro.png"
    # Published as a clean copy (plugins/photos): the same pixels without the text chunks.
    assert b"Author" not in published.read_bytes()
    with Image.open(published) as copy, Image.open(io.BytesIO(LOGO_BYTES)) as original:
        assert (copy.format, copy.size) == ("PNG", (40, 20))
        assert copy.convert("RGB").tobytes() == original.tobytes()


def test_agency_profile_shows_its_former_names_with_their_dates(agency_site):
    page = agency_site.page("co-quan/bao-tinh.html")
    former = [words(dd) for dd in page.select_one("dt:-soup-contains('Tên gọi trước đây')").find_next_siblings("dd")]
    assert former[:2] == ["Báo Chiến Thắng Xưa (đến 01/01/2020)", "Tên Không Rõ Năm"]
    assert page.select_one(".agency-body p").get_text() == "Tờ báo của tỉnh."


def test_article_page_links_its_agencies_under_the_body(agency_site):
    page = agency_site.page("tin-tuc/tin-03.html")
    block = page.select_one(".article-agencies")
    assert block.h2.get_text() == "Cơ quan, đơn vị trong bài"
    assert [(a.get_text(), a["href"]) for a in block.select("a")] == [
        ("Sở Cũ", "/co-quan/so-cu.html"), ("Báo Tỉnh", "/co-quan/bao-tinh.html")]
    everything = list(page.descendants)
    assert everything.index(page.select_one(".article-body")) < everything.index(block)
    assert agency_site.page("tin-tuc/khong-gan.html").select(".article-agencies") == []


def test_article_dated_before_a_rename_keeps_the_agencys_name_of_that_day(agency_site):
    def agency_names(slug):
        return [a.get_text() for a in agency_site.page(f"tin-tuc/{slug}.html").select(".article-agencies a")]
    assert agency_names("bao-2019") == ["Báo Chiến Thắng Xưa", "Ủy ban Mặt trận tỉnh Thử"]
    assert agency_names("bao-2020") == ["Báo Tỉnh"]


def test_articles_and_profiles_link_each_other_by_source_file(agency_site):
    assert agency_site.page("tin-tuc/lien-ket.html").select_one(".article-body a")["href"] == "/co-quan/so-moi.html"
    assert agency_site.page("co-quan/so-moi.html").select_one(".agency-body a")["href"] == "/tin-tuc/lien-ket.html"


def test_hidden_and_draft_articles_stay_off_agency_pages(agency_site):
    assert [a.get_text() for a in agency_site.page("tin-tuc/an.html").select(".article-agencies a")] == [
        "Ủy ban Mặt trận tỉnh Thử"]
    assert "tin-tuc/nhap.html" not in agency_site.html_files()
    assert listed_titles(agency_site, "co-quan/mat-tran-tinh.html") == ["Tin báo 2019"]


def test_agency_pages_and_index_are_in_the_sitemap(agency_site):
    sitemap = agency_site.xml("sitemap.xml")
    paths = {loc.get_text().split("localhost:8000", 1)[-1] for loc in sitemap.find_all("loc")}
    assert {"/co-quan/", "/co-quan/so-cu.html", "/co-quan/so-moi.html", "/co-quan/so-cu/trang-2/"} <= paths


@pytest.mark.parametrize("overrides", [
    'ARTICLE_PATHS = [""]\n',
    'PAGE_PATHS = [""]\n',
    'PAGE_PATHS = ["pages", "agencies"]\n',
])
def test_agency_profiles_are_never_read_as_articles_or_pages(tmp_path, overrides):
    site = build_site(tmp_path, {"agencies/so-moi.md": agency_source("Sở Mới", "nha-nuoc"),
                                 "articles/mot.md": article_source("Tin một", "2024-02-01")},
                      overrides=overrides)
    assert site.ok, site.log
    assert "tin-tuc/so-moi.html" not in site.html_files()
    assert "so-moi.html" not in site.html_files()
    assert "co-quan/so-moi.html" in site.html_files()


def build_with_problems(tmp_path, files):
    site = build_site(tmp_path, files)
    assert not site.ok
    return site.log


def test_article_naming_an_unknown_agency_fails_naming_the_file_the_value_and_the_known_slugs(tmp_path):
    log = build_with_problems(tmp_path, {
        "agencies/so-moi.md": agency_source("Sở Mới", "nha-nuoc"),
        "agencies/bao-tinh.md": agency_source("Báo Tỉnh", "bao-chi"),
        "articles/mot.md": article_source("Tin một", "2024-02-01", agencies="bao-tinh, so-moj"),
    })
    assert "content/articles/mot.md:4: " in log
    assert 'Cơ quan "so-moj" (dòng Agencies) không có hồ sơ trong content/agencies/.' in log
    assert 'có phải là "so-moi"?' in log
    assert "bao-tinh, so-moi." in log


def test_successor_that_does_not_exist_fails_naming_the_profile_and_the_known_slugs(tmp_path):
    log = build_with_problems(tmp_path, {
        "agencies/so-cu.md": agency_source("Sở Cũ", "nha-nuoc", status="merged", valid_until="2025-03-01",
                                           successor="so-khong-co"),
        "agencies/so-moi.md": agency_source("Sở Mới", "nha-nuoc"),
    })
    assert "content/agencies/so-cu.md:5: " in log
    assert 'Successor "so-khong-co" không phải hồ sơ cơ quan nào.' in log
    assert "so-cu, so-moi." in log


def test_successor_chain_that_loops_fails_naming_the_loop(tmp_path):
    ended = {"status": "merged", "valid_until": "2025-03-01"}
    log = build_with_problems(tmp_path, {
        "agencies/a-mot.md": agency_source("Một", "khac", successor="b-hai", **ended),
        "agencies/b-hai.md": agency_source("Hai", "khac", successor="c-ba", **ended),
        "agencies/c-ba.md": agency_source("Ba", "khac", successor="a-mot", **ended),
        "agencies/d-bon.md": agency_source("Bốn", "khac", successor="a-mot", **ended),
    })
    assert "content/agencies/a-mot.md:3: Chuỗi cơ quan kế thừa (Successor) quay vòng: a-mot → b-hai → c-ba → a-mot." in log
    assert "Nội dung có 1 lỗi" in log


@pytest.mark.parametrize("status, word", [("merged", "hợp nhất"), ("dissolved", "giải thể")])
def test_status_without_its_date_fails_naming_the_file(tmp_path, status, word):
    log = build_with_problems(tmp_path, {
        "agencies/so-cu.md": agency_source("Sở Cũ", "nha-nuoc", status=status, successor="so-moi"),
        "agencies/so-moi.md": agency_source("Sở Mới", "nha-nuoc"),
    })
    assert f"content/agencies/so-cu.md:3: Status: {status} cần ghi ngày {word} (dòng Valid_until)." in log


@pytest.mark.parametrize("fields, message", [
    ({"kind": "bao"}, 'Kind "bao" không phải là loại cơ quan đã định.'),
    ({"status": "closed"}, 'Status "closed" không hợp lệ cho hồ sơ cơ quan.'),
    ({"valid_from": "01/03/2025"}, 'Valid_from "01/03/2025" không đúng dạng năm-tháng-ngày.'),
    ({"shortname": "SM"}, 'Dòng "Shortname:" không phải là trường của hồ sơ cơ quan.'),
    ({"website": "so-moi.gov.vn"}, 'Website "so-moi.gov.vn" chưa phải là địa chỉ đầy đủ.'),
    ({"logo": "images/khong-co.png"}, 'Không tìm thấy tệp logo "images/khong-co.png".'),
    ({"status": "merged", "valid_until": "2025-03-01"}, "cần ghi cơ quan mà nó hợp nhất vào (dòng Successor)."),
    ({"successor": "so-moi"}, "Cơ quan đang hoạt động (Status: active) thì chưa có cơ quan kế thừa"),
    ({"former_names": "Sở Xưa (đến 2025/01/01)"}, 'Tên cũ "Sở Xưa (đến 2025/01/01)": ngày "2025/01/01" không đúng'),
])
def test_a_wrong_profile_field_fails_the_build_saying_what_is_wrong(tmp_path, fields, message):
    fields = {"kind": "nha-nuoc", **fields}
    kind = fields.pop("kind")
    log = build_with_problems(tmp_path, {"agencies/so-moi.md": agency_source("Sở Mới", kind, **fields)})
    assert "content/agencies/so-moi.md:" in log
    assert message in log


def test_every_agency_problem_is_reported_in_one_build(tmp_path):
    log = build_with_problems(tmp_path, {
        "agencies/so-cu.md": agency_source("Sở Cũ", "nha-nuoc", status="merged", successor="so-moi"),
        "agencies/so-moi.md": agency_source("Sở Mới", "nha-nuoc", successor="so-cu"),
        "articles/mot.md": article_source("Tin một", "2024-02-01", agencies="so-ba"),
        "articles/hai.md": article_source("Tin hai", "2024-02-02", status="draft", agencies="so-bon"),
    })
    assert "Nội dung có 5 lỗi" in log
    for part in ("content/agencies/so-cu.md:3: Status: merged", "content/agencies/so-moi.md:3: Cơ quan đang hoạt động",
                 "quay vòng: so-cu → so-moi → so-cu", 'content/articles/mot.md:4: Cơ quan "so-ba"',
                 'content/articles/hai.md:5: Cơ quan "so-bon"'):
        assert part in log


def test_load_agency_slugs_lists_the_profile_file_stems(tmp_path):
    for name in ("bao-tinh.md", "so-moi.md", "ghi-chu.txt"):
        (tmp_path / "agencies").mkdir(exist_ok=True)
        (tmp_path / "agencies" / name).write_text("Title: x\n", encoding="utf-8")
    assert load_agency_slugs(tmp_path) == ["bao-tinh", "so-moi"]
    assert load_agency_slugs(tmp_path / "khong-co") == []


def test_every_agency_kind_has_a_label():
    labels = load_labels(SITE_ROOT / "theme" / "labels.toml")
    missing = [kind for kind in AGENCY_DEFAULTS["AGENCY_KINDS"] if kind_label_key(kind) not in labels]
    assert missing == []


def test_former_names_keep_non_date_parentheses_and_accept_one_name_per_line():
    names, errors = parse_former_names(["Báo Cứu Quốc (khu VI)", "Báo Xưa (từ 1946-08-19 đến 1950-01-01); Tên Khác"])
    assert errors == []
    assert names == [FormerName("Báo Cứu Quốc (khu VI)"),
                     FormerName("Báo Xưa", date(1946, 8, 19), date(1950, 1, 1)), FormerName("Tên Khác")]


@pytest.mark.parametrize("value, error", [
    ("Tên A (từ 2000-01-01)", 'Tên cũ "Tên A (từ 2000-01-01)": phần ngày trong ngoặc viết chưa đúng.'),
    ("Tên A (từ 2005-01-01 đến 2001-01-01)", 'ngày "từ" phải trước ngày "đến".'),
    ("Tên A (đến 2005-01-01); Tên B (từ 2004-01-01 đến 2010-01-01)",
     'Tên cũ "Tên A" và "Tên B" có khoảng thời gian chồng lên nhau.'),
])
def test_former_names_with_wrong_dates_are_explained(value, error):
    names, errors = parse_former_names(value)
    assert len(errors) == 1 and error in errors[0]


def test_site_settings_override_the_agency_defaults(tmp_path):
    site = build_site(tmp_path, {
        "agencies/bao-tinh.md": agency_source("Báo Tỉnh", "bao-chi"),
        "agencies/hoi-mot.md": agency_source("Hội Một", "doan-the"),
        "articles/mot.md": article_source("Tin một", "2024-02-01", agencies="bao-tinh"),
    }, overrides='AGENCY_URL = "don-vi/{slug}/"\nAGENCY_SAVE_AS = "don-vi/{slug}/index.html"\n'
                 'AGENCY_KINDS = ["doan-the", "bao-chi"]\n')
    assert site.ok, site.log
    assert site.page("tin-tuc/mot.html").select_one(".article-agencies a")["href"] == "/don-vi/bao-tinh/"
    index = site.page("co-quan/index.html")
    assert [words(h2) for h2 in index.select(".agency-group h2")] == ["Tổ chức chính trị - xã hội, đoàn thể",
                                                                       "Cơ quan báo chí"]
    assert site.page("don-vi/bao-tinh/index.html").select_one("main h1").get_text() == "Báo Tỉnh"
