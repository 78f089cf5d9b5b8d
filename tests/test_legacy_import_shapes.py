"""Old pages of every shape import field for field: browsers' saved pages and their photos, old fonts,
headings, lists, captions, and whole copies of the old site."""

import csv
import html
import shutil

import pytest

from bench.legacy_mirror import write_mirror
from site_core.categories import category_key
from site_core.sources import parsed_text as parse
from editor_tools.legacy_import import import_mirror
from site_core.legacy_fonts import to_tcvn3, to_vni
from support.editor_tasks import content_folder, run_task
from support.site_build import SITE_ROOT, build_site

PLACEHOLDER = SITE_ROOT / "editor_tools" / "legacy_import" / "anh-dang-cap-nhat.jpg"
JPEG = PLACEHOLDER.read_bytes() + b"a photo of the meeting, not the stand-in"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TITLE = "Hội nghị tổng kết công tác Mặt trận năm 2023"
SLUG = "hoi-nghi-tong-ket-cong-tac-mat-tran-nam-2023"
WRITTEN = f"content/articles/hoat-dong-cua-nganh/{SLUG}.md"
FIRST = "Sáng ngày 15/12, Ủy ban MTTQ Việt Nam tỉnh tổ chức hội nghị tổng kết công tác Mặt trận năm 2023."
SECOND = "Các đại biểu đánh giá cao kết quả đạt được trong cuộc vận động xây dựng nông thôn mới."


def cms_page(body, charset="utf-8", title=TITLE, date="15/12/2023", author="<b>TRẦN AN</b>"):
    """The old CMS's table layout, as the site served it."""
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}</title></head><body>
<table><tr><td class="col-left"><ul><li><a href="/">Trang chủ</a></li></ul></td><td class="box-noidung">
<div class="back"><a href="javascript:history.back()">&lt;&lt; Quay Lại</a></div>
<div class="TieuDe">{title}</div>
<div class="NgayDang">Hoạt động của Ngành | Đăng ngày: {date}</div>
<div class="NoiDung">
<p>{FIRST}</p>
{body}
<p>{SECOND}</p>
<p align="right">{author}</p>
</div></td></tr></table></body></html>
"""


def import_one(tmp_path, page, *arguments):
    content = content_folder(tmp_path / "site")
    result = run_task("import-legacy", str(page), "--content", str(content), *arguments)
    written = tmp_path / "site" / WRITTEN
    return result, written.read_text(encoding="utf-8") if written.exists() else "", content


def body_of(article_text):
    document = parse(article_text)
    return [part.strip() for part in "\n".join(document.body_lines).split("\n\n") if part.strip()]


PHOTO_MARKUP = '<p align="center"><img src="{src}" width="500"></p><p><em>Quang cảnh hội nghị</em></p>'


@pytest.mark.parametrize("src, saved, suffix", [
    # Chrome and Edge: "<name>_files/" next to the page, the address written "./…" with %20 for spaces.
    ("./Hoi nghi tong ket_files/anh%20hoi%20nghi.jpg", "Hoi nghi tong ket_files/anh hoi nghi.jpg", ".jpg"),
    # Firefox: the same folder without "./", the photo keeping the site's file name in capitals.
    ("Hoi nghi tong ket_files/KYKET.JPG", "Hoi nghi tong ket_files/KYKET.JPG", ".jpg"),
    # Old Internet Explorer: a backslash, and photos renamed image001…
    ("Hoi nghi tong ket_files\\image001.jpg", "Hoi nghi tong ket_files/image001.jpg", ".jpg"),
    # German Windows: the folder is "<name>-Dateien"; the page still names the site's address.
    ("http://mattran.phuyen.gov.vn/Uploads/hop.png", "Hoi nghi tong ket-Dateien/hop.png", ".png"),
    # A plain relative path to a folder of the editor's own.
    ("../anh/hoi-nghi.png", "../anh/hoi-nghi.png", ".png"),
], ids=["chrome-edge", "firefox", "old-ie", "localised-folder", "relative-path"])
def test_a_photo_saved_beside_the_page_is_copied_under_an_ascii_name_and_used(tmp_path, src, saved, suffix):
    folder = tmp_path / "luu"
    page = folder / "Hoi nghi tong ket.html"
    photo = (folder / saved).resolve()
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(PNG if suffix == ".png" else JPEG)
    folder.mkdir(exist_ok=True)
    page.write_text(cms_page(PHOTO_MARKUP.format(src=html.escape(src))), encoding="utf-8")

    result, article, content = import_one(tmp_path, page)

    assert result.returncode == 0, result.log
    copied = content / "images" / "2023" / "12" / f"{SLUG}{suffix}"
    assert copied.read_bytes() == photo.read_bytes()
    assert body_of(article)[1:3] == [f"![Quang cảnh hội nghị]({{static}}/images/2023/12/{SLUG}{suffix})",
                                     "/// caption\nQuang cảnh hội nghị\n///"]
    assert "Ảnh đang cập nhật" not in result.stdout


def test_a_wget_mirror_photo_keeps_the_sites_path_and_the_stand_in_is_used_only_when_nothing_was_saved(tmp_path):
    mirror = tmp_path / "mirror" / "mattran.phuyen.gov.vn"
    page = mirror / "tin-tuc" / "chi-tiet.aspx@id=1234"
    page.parent.mkdir(parents=True)
    (mirror / "Uploads" / "Images" / "2023").mkdir(parents=True)
    (mirror / "Uploads" / "Images" / "2023" / "hoi-nghi.jpg").write_bytes(JPEG)
    page.write_text(cms_page(
        '<img src="/Uploads/Images/2023/hoi-nghi.jpg"><i>Quang cảnh hội nghị</i>'
        '<p>Đoạn giữa hai ảnh.</p>'
        '<img src="file:///C:/Users/Lan/Pictures/anh%202.jpg" alt="Trao quà cho hộ nghèo">'), encoding="utf-8")

    result, article, content = import_one(tmp_path, page)

    assert result.returncode == 0, result.log
    photos = content / "images" / "2023" / "12"
    assert (photos / f"{SLUG}.jpg").read_bytes() == JPEG
    assert (photos / f"{SLUG}-2.jpg").read_bytes() == PLACEHOLDER.read_bytes()
    assert (f"ảnh cần chép vào content/images/2023/12/{SLUG}-2.jpg (ảnh gốc trên trang cũ: "
            "file:///C:/Users/Lan/Pictures/anh%202.jpg)") in result.stdout
    assert f"{SLUG}.jpg (ảnh gốc" not in result.stdout
    assert f"![Trao quà cho hộ nghèo]({{static}}/images/2023/12/{SLUG}-2.jpg)" in article


def test_bold_lines_become_headings_or_bold_paragraphs_and_lists_keep_their_numbers(tmp_path):
    page = tmp_path / "trang.htm"
    page.write_text(cms_page("""
<P><STRONG>Kết quả nổi bật</STRONG></P>
<p><span style="font-weight: bold">Năm 2023, toàn tỉnh vận động được 12 tỷ đồng cho Quỹ Vì người nghèo, vượt kế hoạch đề ra.</span></p>
<h3>Nhiệm vụ năm 2024</h3>
<ol start="3"><li>Tiếp tục cuộc vận động;</li><li>Nâng cao chất lượng giám sát.</li></ol>
<ul><li>Tặng 500 suất quà</li><li>Xây 20 nhà Đại đoàn kết</li></ul>
<p>1. Đoạn đánh số bằng tay thứ nhất.</p><p>2. Đoạn đánh số bằng tay thứ hai.</p>
"""), encoding="utf-8")

    result, article, content = import_one(tmp_path, page)

    assert result.returncode == 0, result.log
    assert body_of(article) == [
        FIRST,
        "## Kết quả nổi bật",
        "**Năm 2023, toàn tỉnh vận động được 12 tỷ đồng cho Quỹ Vì người nghèo, vượt kế hoạch đề ra.**",
        "## Nhiệm vụ năm 2024",
        "3. Tiếp tục cuộc vận động;\n4. Nâng cao chất lượng giám sát.",
        "- Tặng 500 suất quà\n- Xây 20 nhà Đại đoàn kết",
        "1. Đoạn đánh số bằng tay thứ nhất.\n2. Đoạn đánh số bằng tay thứ hai.",
        SECOND,
    ]
    assert not (content / "images").exists()    # no bold line became a photo

    site = build_site(tmp_path / "built", content_dir=content)
    assert site.ok, site.log
    body = site.page(f"tin-tuc/{SLUG}.html").select_one("[data-pagefind-body]") or site.page(f"tin-tuc/{SLUG}.html")
    assert [h.get_text() for h in body.find_all("h2")][:2] == ["Kết quả nổi bật", "Nhiệm vụ năm 2024"]
    numbered = body.find_all("ol")
    assert numbered[0]["start"] == "3"
    assert [li.get_text() for li in numbered[0].find_all("li")] == ["Tiếp tục cuộc vận động;",
                                                                   "Nâng cao chất lượng giám sát."]
    assert "Tặng 500 suất quà" in [li.get_text() for ul in body.find_all("ul") for li in ul.find_all("li")]


def test_a_numbered_list_in_a_text_page_stays_a_list(tmp_path):
    page = tmp_path / "trang.txt"
    page.write_text(f"{TITLE}\nHoạt động của Ngành | Đăng ngày: 15/12/2023\n\n{FIRST}\n\n"
                    "1. Tuyên truyền chủ trương của Đảng.\n2. Giám sát việc thực hiện chính sách.\n\n"
                    f"{SECOND}\n\nTRẦN AN\n", encoding="utf-8")
    result, article, _ = import_one(tmp_path, page)
    assert result.returncode == 0, result.log
    assert body_of(article) == [FIRST, "1. Tuyên truyền chủ trương của Đảng.\n2. Giám sát việc thực hiện chính sách.",
                                SECOND]


def test_a_whole_page_in_tcvn3_bytes_finds_its_date_and_title_and_says_it_was_converted(tmp_path):
    page = tmp_path / "tcvn3.htm"
    old = cms_page('<p><b><font face=".VnTimeH">Kết quả nổi bật</font></b></p>', charset="windows-1252",
                   title=f'<font face=".VnTime">{TITLE}</font>')
    page.write_bytes(to_tcvn3(old))

    result, article, _ = import_one(tmp_path, page)

    assert result.returncode == 0, result.log
    assert "không thấy ngày đăng" not in result.stdout and "không thấy tiêu đề" not in result.stdout
    assert "cần xem: trang gõ bằng phông TCVN3 (.VnTime): đã chuyển" in result.stdout
    fields = {entry.key: entry.value for entry in parse(article).header}
    assert fields == {"Title": TITLE, "Date": "2023-12-15", "Category": "Hoạt động của Ngành", "Author": "Trần An"}
    # .VnTime has no "Ủ": mid-sentence it comes back small.
    assert body_of(article) == [FIRST.replace("Ủy", "ủy"), "## KẾT QUẢ NỔI BẬT", SECOND]


@pytest.mark.parametrize("shape", ["entities", "characters"])
def test_a_tcvn3_body_inside_a_unicode_page_is_converted_and_the_rest_left_alone(tmp_path, shape):
    legacy = to_tcvn3(SECOND).decode("cp1252")
    if shape == "entities":
        legacy = "".join(c if c.isascii() else f"&#{ord(c)};" for c in legacy)
    page = tmp_path / "tron.html"
    page.write_text(cms_page("").replace(f"<p>{SECOND}</p>", f"<p>{legacy}</p>"), encoding="utf-8")

    result, article, _ = import_one(tmp_path, page)

    assert result.returncode == 0, result.log
    assert "trang gõ bằng phông TCVN3 (.VnTime): đã chuyển 1 đoạn sang Unicode" in result.stdout
    assert body_of(article) == [FIRST, SECOND]
    assert parse(article).value("Title") == TITLE


def test_a_page_in_vni_bytes_imports_like_the_unicode_one(tmp_path):
    page = tmp_path / "vni.html"
    page.write_bytes(to_vni(cms_page('<p><font face="VNI-Times">Đoạn giữa, gõ bằng VNI.</font></p>',
                                     charset="windows-1252")))
    result, article, _ = import_one(tmp_path, page)
    assert result.returncode == 0, result.log
    assert "trang gõ bằng phông VNI (VNI-Times)" in result.stdout
    assert parse(article).value("Title") == TITLE
    assert body_of(article) == [FIRST, "Đoạn giữa, gõ bằng VNI.", SECOND]


def test_an_italic_line_after_a_photo_is_its_caption_and_elsewhere_stays_text(tmp_path):
    page = tmp_path / "trang.html"
    page.write_text(cms_page(
        '<div align="center"><img src="anh.jpg"></div><div align="center"><i>Trao quà Tết cho hộ nghèo</i></div>'
        "<p><em>Ghi chú của ban biên tập, không phải chú thích.</em></p>"), encoding="utf-8")
    (tmp_path / "anh.jpg").write_bytes(JPEG)
    result, article, _ = import_one(tmp_path, page)
    assert result.returncode == 0, result.log
    assert body_of(article) == [FIRST, f"![Trao quà Tết cho hộ nghèo]({{static}}/images/2023/12/{SLUG}.jpg)",
                                "/// caption\nTrao quà Tết cho hộ nghèo\n///",
                                "Ghi chú của ban biên tập, không phải chú thích.", SECOND]


MIRROR_PAGES = 550


@pytest.fixture(scope="module")
def imported_mirror(tmp_path_factory):
    root = tmp_path_factory.mktemp("mirror")
    mirror = write_mirror(root / "trang-cu", MIRROR_PAGES)
    content = content_folder(root)
    result = run_task("import-legacy", str(mirror.root), "--content", str(content))
    return mirror, content, result


def report_rows(mirror):
    with open(mirror.root / "bao-cao-nhap-bai.csv", encoding="utf-8-sig", newline="") as report:
        return list(csv.DictReader(report))


def test_a_whole_mirror_imports_every_article_counts_the_rest_and_reports_each_page(imported_mirror):
    mirror, content, result = imported_mirror
    assert result.returncode == 0, result.log
    rows = report_rows(mirror)
    assert len(rows) == MIRROR_PAGES
    by_page = {row["trang_cu"]: row for row in rows}
    assert {page for page, row in by_page.items() if row["ket_qua"] == "bỏ qua"} == set(mirror.not_articles)
    assert all(row["ly_do"] for row in rows if row["ket_qua"] == "bỏ qua")
    assert {page for page, row in by_page.items() if row["ket_qua"] == "đã tạo"} == set(mirror.articles)
    assert (f"Xong {MIRROR_PAGES} trang: đã tạo {len(mirror.articles)} bài, 0 bài đã có từ trước (không ghi đè), "
            f"bỏ qua {len(mirror.not_articles)} trang không phải bài viết, 0 trang lỗi.") in result.stdout
    assert "Đã đọc 500/550 trang…" in result.stderr


def casefolded_if_tcvn3(text, page):
    """TCVN3 typed in .VnTime has no capital with a tone mid-sentence ("ủy ban"): compare those pages case-blind."""
    return text.casefold() if "trang gõ bằng phông TCVN3" in page["can_xem"] else text


def test_every_article_of_the_mirror_imports_field_for_field(imported_mirror):
    mirror, content, _ = imported_mirror
    rows = {row["trang_cu"]: row for row in report_rows(mirror)}
    site = content.parent
    for page, expected in mirror.articles.items():
        row = rows[page]
        text = (site / row["bai_viet"]).read_text(encoding="utf-8")
        document = parse(text)
        fields = {entry.key: entry.value for entry in document.header}
        # The old site wrote "Tin tức - Sự kiện"; the article takes the registry's spelling, with the en dash.
        assert fields == {"Title": expected.title, "Date": expected.date, "Category": category_key(expected.category),
                          "Author": expected.author}, page
        body = body_of(text)
        paragraphs = [p for p in body if not p.startswith(("## ", "![", "///", "- ")) and not p[0].isdigit()]
        assert [casefolded_if_tcvn3(p, row) for p in paragraphs] == \
               [casefolded_if_tcvn3(p, row) for p in expected.paragraphs], page
        headings = [p[3:] for p in body if p.startswith("## ")]
        assert [casefolded_if_tcvn3(h, row) for h in headings] == \
               [casefolded_if_tcvn3(h, row) for h in expected.headings], page
        items = [line.split(" ", 1)[1] for p in body if p.startswith("- ") or p[0].isdigit() for line in p.splitlines()]
        assert [casefolded_if_tcvn3(i, row) for i in items] == \
               [casefolded_if_tcvn3(i, row) for _, i in expected.items], page
        captions = [p.split("\n")[1] for p in body if p.startswith("/// caption")]
        assert [casefolded_if_tcvn3(c, row) for c in captions] == \
               [casefolded_if_tcvn3(c, row) for c in expected.captions], page
        for number, saved in enumerate(expected.photo_files, start=1):
            suffix = "" if number == 1 else f"-{number}"
            copied = content / "images" / expected.date[:4] / expected.date[5:7] / \
                f"{(site / row['bai_viet']).stem}{suffix}.jpg"
            assert copied.read_bytes() == saved.read_bytes(), page


def test_the_imported_mirror_passes_the_check(imported_mirror):
    _, content, _ = imported_mirror
    checked = run_task("check", "--content", str(content))
    assert checked.returncode == 0, checked.log


def test_a_second_run_imports_only_what_is_new_and_overwrites_nothing(imported_mirror, tmp_path):
    mirror, content, _ = imported_mirror
    copy = tmp_path / "content"
    shutil.copytree(content, copy)
    before = {p: p.read_bytes() for p in copy.rglob("*.md")}
    new_page = mirror.root / "moi" / "bai-moi.html"
    new_page.parent.mkdir()
    new_page.write_text(cms_page(""), encoding="utf-8")
    try:
        again = run_task("import-legacy", str(mirror.root), "--content", str(copy),
                         "--report", str(tmp_path / "lan-2.csv"))
    finally:
        shutil.rmtree(new_page.parent)
    assert again.returncode == 0, again.log
    assert (f"đã tạo 1 bài, {len(mirror.articles)} bài đã có từ trước (không ghi đè), "
            f"bỏ qua {len(mirror.not_articles)} trang không phải bài viết, 0 trang lỗi.") in again.stdout
    assert all(path.read_bytes() == text for path, text in before.items())
    assert (copy / "articles" / "hoat-dong-cua-nganh" / f"{SLUG}.md").exists()
