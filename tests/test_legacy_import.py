"""`invoke import-legacy`: pages saved from the old site become the articles we would write by hand."""

import re
import unicodedata

import pytest

from site_core.sources import parse
from editor_tools.legacy_import import read_legacy_page
from support.editor_tasks import content_folder, run_task
from support.site_build import SITE_ROOT

FIXTURES = SITE_ROOT / "tests" / "fixtures" / "legacy"
TEXT_PAGE = FIXTURES / "reference-article-page.txt"
HTML_PAGE = FIXTURES / "reference-article-page.html"
SLUG = "ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh"
COMMITTED = SITE_ROOT / "content" / "articles" / "hoat-dong-cua-nganh" / f"{SLUG}.md"
WRITTEN = f"content/articles/hoat-dong-cua-nganh/{SLUG}.md"
PHOTO = f"content/images/2023/04/{SLUG}.jpg"


def imported(tmp_path, *pages):
    content = content_folder(tmp_path)
    result = run_task("import-legacy", str(pages[0]), "--content", str(content), "--", *map(str, pages[1:]))
    return content, result


def committed_as_imported():
    """The committed reference article less its Agencies line: the old site never
    named agencies, editors tag them after importing."""
    return "".join(line for line in COMMITTED.read_text(encoding="utf-8").splitlines(keepends=True)
                   if not line.startswith("Agencies:"))


def fields_and_paragraphs(text):
    header, body_start, lines = parse(text)
    fields = {entry.key: entry.value for entry in header}
    paragraphs = [p.strip() for p in "\n".join(lines[body_start:]).split("\n\n") if p.strip()]
    return fields, paragraphs


@pytest.mark.parametrize("page", [TEXT_PAGE, HTML_PAGE], ids=["text", "html"])
def test_importing_the_reference_page_gives_the_committed_article(tmp_path, page):
    content, result = imported(tmp_path, page)
    assert result.returncode == 0, result.log
    written = (tmp_path / WRITTEN).read_text(encoding="utf-8")
    committed = committed_as_imported()

    assert fields_and_paragraphs(written) == fields_and_paragraphs(
        committed.replace("{static}/images/2023/04/ky-ket-phoi-hop-truyen-thong.jpg", f"{{static}}/images/2023/04/{SLUG}.jpg"))
    # Field for field and paragraph for paragraph; only the photo's file name differs.
    assert [line for line in written.splitlines() if "{static}" not in line] == \
           [line for line in committed.splitlines() if "{static}" not in line]
    assert (tmp_path / PHOTO).stat().st_size > 0
    assert f"cần xem: ảnh cần chép vào {PHOTO}" in result.stdout
    checked = run_task("check", "--content", str(content))
    assert checked.returncode == 0, checked.log


def test_the_html_page_and_the_text_page_import_to_the_same_file(tmp_path):
    _, from_text = imported(tmp_path / "text", TEXT_PAGE)
    _, from_html = imported(tmp_path / "html", HTML_PAGE)
    assert from_text.returncode == from_html.returncode == 0
    assert (tmp_path / "text" / WRITTEN).read_bytes() == (tmp_path / "html" / WRITTEN).read_bytes()
    assert "ảnh gốc trên trang cũ: /Uploads/Images/2023/Thang4/kyket-truyenthong.jpg" in from_html.stdout


def page_without(line_pattern):
    lines = TEXT_PAGE.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not re.search(line_pattern, line)) + "\n"


@pytest.mark.parametrize("missing, message", [
    (r"Đăng ngày", 'lỗi: không thấy ngày đăng (dòng "Đăng ngày: dd/mm/yyyy").'),
    (r"^Ký kết", "lỗi: không thấy tiêu đề bài (dòng ngay trên dòng ngày đăng)."),
])
def test_a_page_without_its_date_or_title_is_reported_and_nothing_is_written(tmp_path, missing, message):
    page = tmp_path / "trang-cu.txt"
    page.write_text(page_without(missing), encoding="utf-8")
    content, result = imported(tmp_path, page)
    assert result.returncode == 1
    assert f"{page}: KHÔNG tạo bài" in result.stdout
    assert message in result.stdout
    assert not (content / "articles").exists() and not (content / "images").exists()


def test_import_never_overwrites_and_reports_each_page_of_a_batch(tmp_path):
    content, first = imported(tmp_path, TEXT_PAGE)
    (tmp_path / WRITTEN).write_text("Title: Đã sửa tay\n", encoding="utf-8")
    _, again = imported(tmp_path, HTML_PAGE, TEXT_PAGE)
    assert first.returncode == 0 and again.returncode == 1
    assert again.stdout.count("KHÔNG tạo bài") == 2
    assert f"lỗi: Đã có bài {WRITTEN}: không ghi đè." in again.stdout
    assert "Đã tạo 0/2 bài." in again.stdout
    assert (tmp_path / WRITTEN).read_text(encoding="utf-8") == "Title: Đã sửa tay\n"


def test_the_site_furniture_is_dropped_and_the_signature_becomes_the_author():
    article = read_legacy_page(TEXT_PAGE.read_text(encoding="utf-8"))
    words = " ".join(block.text for block in article.body)
    assert article.author == "NGUYÊN LƯU"
    for furniture in ("Quay Lại", "CÁC TIN CÙNG CHUYÊN MỤC", "LƯỢT TRUY CẬP", "Tổng truy cập", "NGUYÊN LƯU"):
        assert furniture not in words
    assert [block.kind for block in article.body] == ["text", "figure", "text", "text", "text", "text"]


def test_a_short_line_between_later_paragraphs_is_a_caption_flagged_for_review():
    page = ("Tiêu đề\nVăn bản | Đăng ngày: 31/12/2022\n\nĐoạn một kết thúc.\n\nĐoạn hai kết thúc.\n\n"
            "Các đại biểu tham quan mô hình\n\nĐoạn ba kết thúc.\n\nTRẦN AN\n")
    article = read_legacy_page(page)
    assert (article.title, article.category, article.date, article.author) == ("Tiêu đề", "Văn bản", "2022-12-31", "TRẦN AN")
    assert [block.kind for block in article.body] == ["text", "text", "figure", "text"]
    assert article.notes == ['dòng 8: "Các đại biểu tham quan mô hình" được coi là chú thích ảnh; '
                             "nếu là tiêu đề mục, sửa thành `## ...`."]


def test_an_unknown_old_category_needs_the_category_option(tmp_path):
    page = tmp_path / "trang-cu.txt"
    page.write_text(TEXT_PAGE.read_text(encoding="utf-8").replace("Hoạt động của Ngành |", "Tin địa phương |"),
                    encoding="utf-8")
    content, refused = imported(tmp_path, page)
    assert refused.returncode == 1
    assert 'lỗi: chuyên mục "Tin địa phương" không có trong danh mục. Chọn một chuyên mục bằng --category "…"' in refused.stdout
    # Every valid name is listed, so the editor can copy one.
    listed = refused.stdout.split("các chuyên mục: ")[1]
    for name in ("Tin tức – Sự kiện", "Hoạt động của Ngành", "Văn bản"):
        assert f'"{name}"' in listed
    # Typed with a hyphen, as on a keyboard: the same category.
    chosen = run_task("import-legacy", str(page), "--category", "Tin tức - Sự kiện", "--content", str(content))
    assert chosen.returncode == 0, chosen.log
    assert (content / "articles" / "tin-tuc-su-kien" / f"{SLUG}.md").exists()


def windows_1258(text):
    """Encode as old Vietnamese Windows editors did: precomposed vowel, tone as a combining mark."""
    encoded = bytearray()
    for character in text:
        try:
            encoded += character.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, marks = unicodedata.normalize("NFD", character)[0], unicodedata.normalize("NFD", character)[1:]
        for tone in marks:
            vowel = unicodedata.normalize("NFC", base + marks.replace(tone, ""))
            try:
                encoded += vowel.encode("cp1258") + tone.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise ValueError(character)
    return bytes(encoded)


def test_a_page_saved_in_windows_1258_imports_like_the_utf8_one(tmp_path):
    page = tmp_path / "trang-cu.html"
    page.write_bytes(windows_1258(HTML_PAGE.read_text(encoding="utf-8").replace("charset=utf-8", "charset=windows-1258")))
    _, result = imported(tmp_path / "site", page)
    assert result.returncode == 0, result.log
    committed_lines = [line for line in committed_as_imported().splitlines() if "{static}" not in line]
    assert [line for line in (tmp_path / "site" / WRITTEN).read_text(encoding="utf-8").splitlines()
            if "{static}" not in line] == committed_lines
