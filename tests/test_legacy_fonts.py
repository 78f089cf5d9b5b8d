"""Old Vietnamese fonts (TCVN3, VNI): the tables, word-level detection, conversion, and `invoke check`."""

import unicodedata

import pytest

from bench.corpus import write_corpus
from site_core import legacy_fonts
from site_core.legacy_fonts import TCVN3, VNI, detect, from_tcvn3, from_vni, read_bytes, repair, to_tcvn3, to_vni
from support.editor_tasks import content_folder, run_task
from support.site_build import SITE_ROOT, build_site

# The charts, transcribed here independently of the module's tables: for each vowel, its spelling
# with no tone, then huyền, sắc, hỏi, ngã, nặng. TCVN3 as Windows-1252 shows its bytes (TCVN 5712:1993 VN3).
TCVN3_CHART = {
    "a": "a µ ¸ ¶ · ¹", "ă": "¨ » ¾ ¼ ½ Æ", "â": "© Ç Ê È É Ë", "e": "e Ì Ð Î Ï Ñ", "ê": "ª Ò Õ Ó Ô Ö",
    "i": "i × Ý Ø Ü Þ", "o": "o ß ã á â ä", "ô": "« å è æ ç é", "ơ": "¬ ê í ë ì î", "u": "u ï ó ñ ò ô",
    "ư": "\xad õ ø ö ÷ ù", "y": "y ú ý û ü þ",
}
TCVN3_CAPITALS = {"Ă": "¡", "Â": "¢", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦", "Đ": "§", "đ": "®"}
VNI_CHART = {
    "a": "a aø aù aû aõ aï", "ă": "aê aè aé aú aü aë", "â": "aâ aà aá aå aã aä", "e": "e eø eù eû eõ eï",
    "ê": "eâ eà eá eå eã eä", "i": "i ì í æ ó ò", "o": "o oø où oû oõ oï", "ô": "oâ oà oá oå oã oä",
    "ơ": "ô ôø ôù ôû ôõ ôï", "u": "u uø uù uû uõ uï", "ư": "ö öø öù öû öõ öï", "y": "y yø yù yû yõ î",
}
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def every_letter():
    """(lowercase letter, its vowel, tone index) for the 12 vowels with the 6 tones each."""
    for vowel in TCVN3_CHART:
        for index, tone in enumerate(TONES):
            yield unicodedata.normalize("NFC", vowel + tone), vowel, index


def test_the_charts_cover_every_vietnamese_letter_with_every_tone_in_both_cases():
    letters = {letter for letter, _, _ in every_letter()} | {"đ"}
    assert len(letters) == 73
    assert set(legacy_fonts.vietnamese_letters()) == letters | {letter.upper() for letter in letters}


@pytest.mark.parametrize("letter, vowel, tone", list(every_letter()), ids=lambda value: str(value))
def test_tcvn3_converts_every_letter_both_ways_in_both_cases(letter, vowel, tone):
    spelled = TCVN3_CHART[vowel].split()[tone]
    assert to_tcvn3(letter) == spelled.encode("cp1252")
    assert from_tcvn3(spelled.encode("cp1252")) == letter
    assert from_tcvn3(spelled) == letter
    capital = letter.upper()
    if capital in TCVN3_CAPITALS:       # Ă Â Ê Ô Ơ Ư have codes of their own
        assert to_tcvn3(capital) == TCVN3_CAPITALS[capital].encode("cp1252")
        assert from_tcvn3(TCVN3_CAPITALS[capital]) == capital
    elif capital.isascii():
        assert to_tcvn3(capital) == capital.encode() and from_tcvn3(capital) == capital
    else:
        # VN3 has no capital with a tone: it was typed as the lowercase code in the ".VnTimeH" font.
        assert to_tcvn3(capital) == spelled.encode("cp1252")
        assert from_tcvn3(spelled, capitals=True) == capital


def test_tcvn3_d_with_stroke_both_ways():
    assert to_tcvn3("đĐ") == b"\xae\xa7" and from_tcvn3(b"\xae\xa7") == "đĐ"


@pytest.mark.parametrize("letter, vowel, tone", list(every_letter()), ids=lambda value: str(value))
def test_vni_converts_every_letter_both_ways_in_both_cases(letter, vowel, tone):
    spelled = VNI_CHART[vowel].split()[tone]
    for unicode_letter, vni in ((letter, spelled), (letter.upper(), spelled.upper())):
        assert to_vni(unicode_letter) == vni.encode("cp1252")
        assert from_vni(vni.encode("cp1252")) == unicode_letter
        assert from_vni(vni) == unicode_letter


def test_vni_d_with_stroke_both_ways():
    assert to_vni("đĐ") == "ñÑ".encode("cp1252") and from_vni("ñÑ") == "đĐ"


@pytest.mark.parametrize("converted, legacy", [
    (from_tcvn3, "Céng hoµ x· héi chñ nghÜa ViÖt Nam - §éc lËp - Tù do - H¹nh phóc"),
    (from_vni, "Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam - Ñoäc laäp - Töï do - Haïnh phuùc"),
], ids=["tcvn3", "vni"])
def test_the_national_motto_as_old_documents_print_it(converted, legacy):
    assert converted(legacy) == "Cộng hoà xã hội chủ nghĩa Việt Nam - Độc lập - Tự do - Hạnh phúc"


def test_a_heading_typed_in_the_capitals_font_comes_back_in_capitals():
    assert from_tcvn3("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    # A sentence can only have started with a capital, which .VnTime could not type.
    typed = to_tcvn3("Ủy ban họp. Ý kiến tán thành.").decode("cp1252")
    assert from_tcvn3(typed) == "ủy ban họp. ý kiến tán thành."
    assert legacy_fonts.convert(typed, TCVN3) == "Ủy ban họp. Ý kiến tán thành."


def as_typed(text, family):
    """What comes back of Unicode typed in `family`: TCVN3 cannot write a capital with a tone mid-sentence."""
    return text.replace("Ủy", "ủy") if family == TCVN3 else text


PARAGRAPH = ("Sáng ngày 6/4, lãnh đạo Ủy ban MTTQ Việt Nam tỉnh với Sở Thông tin và Truyền thông đã ký kết "
             "chương trình phối hợp về công tác thông tin, tuyên truyền, phản ánh tình hình Nhân dân.")


@pytest.mark.parametrize("family, legacy", [
    (TCVN3, to_tcvn3(PARAGRAPH).decode("cp1252")),
    (VNI, to_vni(PARAGRAPH).decode("cp1252")),
], ids=["tcvn3", "vni"])
def test_legacy_text_pasted_into_unicode_is_found_and_converted(family, legacy):
    text = f"Title: Tin\n\nĐoạn viết đúng bằng Unicode, có dấu.\n\n{legacy}\n"
    fixed = repair(text)
    assert fixed.family == family
    assert [number for number, _, _ in fixed.lines] == [5]
    assert fixed.text == f"Title: Tin\n\nĐoạn viết đúng bằng Unicode, có dấu.\n\n{as_typed(PARAGRAPH, family)}\n"


NOT_LEGACY = {
    "english": "The committee met on 6 April 2023 to sign a programme on news, outreach and public opinion.",
    "french": "Le café où je suis né, déjà vu, naïve résumé, « façade » à Noël, garçon, élève, être, où, là.",
    "german": "Für die Größe der Straße wählte man Bäume; Übung macht den Meister, schön grün.",
    "spanish": "¿Qué año? El señor Muñoz llegó a la ciudad, está aquí con sus niños.",
    "numbers": "Tổng 1.234.567 đồng; nhiệt độ 25°C ± 2; ½ kg; © 2023 MTTQ; 3×4; 90% hộ dân; µm.",
    "loanwords": "Karaoke, Facebook, Zalo, Pháp, Rô-ma, Ô-xtrây-li-a, Pa-ri, Canada, café sữa, lê-nin-nít.",
    "capitals": "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH PHÚ YÊN — HỘI NGHỊ ĐẠI BIỂU LẦN THỨ XIII.",
    "one_odd_word": "Hội nghị tổng kÕt công tác Mặt trận năm 2023 diễn ra tại thành phố Tuy Hòa.",
}


@pytest.mark.parametrize("text", NOT_LEGACY.values(), ids=NOT_LEGACY.keys())
def test_no_alarm_on_correct_text_of_other_kinds(text):
    assert detect(text) is None
    assert repair(text).text == text


def test_no_alarm_on_the_shipped_content_and_the_bench_corpus(tmp_path):
    corpus = write_corpus(tmp_path, 400)
    files = [*sorted((SITE_ROOT / "content").rglob("*.md")), *sorted(corpus.rglob("*.md")),
             *sorted((SITE_ROOT / "docs").rglob("*.md"))]
    alarms = [path for path in files if detect(path.read_text(encoding="utf-8"))]
    assert len(files) > 400 and alarms == []


def test_a_file_of_legacy_bytes_is_read_in_its_family_and_windows_1258_stays_windows_1258():
    text, fixed = read_bytes(to_tcvn3(PARAGRAPH))
    assert fixed.family == TCVN3 and text == PARAGRAPH.replace("Ủy", "ủy")
    text, fixed = read_bytes(to_vni(PARAGRAPH))
    assert fixed.family == VNI and text == PARAGRAPH
    windows_1258 = b"Vi\xea\xf2t Nam \xf0oa\xccn k\xea\xect."   # precomposed vowel, tone as a combining mark
    text, fixed = read_bytes(windows_1258)
    assert fixed.family == "" and text == "Việt Nam đoàn kết."


def test_a_tcvn3_body_in_raw_bytes_inside_a_utf8_page_keeps_both():
    raw = "<p>Trang chủ · Liên hệ</p>\n".encode() + b"<p>" + to_tcvn3(PARAGRAPH) + b"</p>\n"
    text, fixed = read_bytes(raw)
    assert fixed.family == TCVN3
    assert text == f"<p>Trang chủ · Liên hệ</p>\n<p>{PARAGRAPH.replace('Ủy', 'ủy')}</p>\n"


@pytest.mark.parametrize("word, syllable", [
    ("gì", True), ("gìn", True), ("giết", True), ("quốc", True), ("khuya", True), ("nghiêng", True),
    ("người", True), ("được", True), ("kết", True), ("kÕt", False), ("cafộ", False), ("kêt", False),
    ("các", True), ("cỏc", False), ("ci", False), ("ke", True), ("ngh", False), ("ươc", False),
])
def test_what_a_vietnamese_syllable_is(word, syllable):
    assert legacy_fonts.is_syllable(word) is syllable


ARTICLE = "articles/hoat-dong-cua-nganh/tong-ket.md"
HEADER = "Title: Tổng kết công tác Mặt trận\nDate: 2023-04-06\nCategory: Hoạt động của Ngành\n\n"


def test_invoke_check_names_the_font_at_each_line_and_fix_converts_the_files(tmp_path):
    tcvn3_line = to_tcvn3(PARAGRAPH).decode("cp1252")
    vni_title = "Title: " + to_vni("Hội nghị tổng kết công tác Mặt trận").decode("cp1252")
    content = content_folder(tmp_path, {
        ARTICLE: (HEADER + "Đoạn đúng chữ Unicode.\n\n" + tcvn3_line + "\n").encode(),
        "articles/van-ban/vni.md": (vni_title + "\nDate: 2023-04-07\nCategory: Văn bản\n\nThân bài.\n").encode(),
        "articles/van-ban/ansi.md": to_tcvn3(HEADER + PARAGRAPH + "\n"),
        "articles/van-ban/dung.md": HEADER.replace("Tổng kết", "Báo cáo") + "Café, naïve và « ngoặc kép ».\n",
    })
    checked = run_task("check", "--content", str(content))
    assert checked.returncode == 1
    assert (f"content/{ARTICLE}:7: Chữ gõ bằng phông TCVN3 (.VnTime), người đọc sẽ thấy chữ lỗi: "
            f'"S¸ng ngµy 6/4, l·nh ®¹o ñy ban MTTQ" (đúng ra là "Sáng ngày 6/4, lãnh đạo ủy ban MTTQ")'
            in checked.stdout)
    assert "content/articles/van-ban/vni.md:1: Chữ gõ bằng phông VNI (VNI-Times)" in checked.stdout
    assert ("content/articles/van-ban/ansi.md:1: Tệp lưu bằng bảng mã cũ, chữ gõ bằng phông TCVN3 (.VnTime)"
            in checked.stdout)
    assert "Cách sửa: chạy `invoke check --fix`" in checked.stdout
    assert "dung.md" not in checked.stdout
    assert "Tệp không lưu ở mã UTF-8" not in checked.stdout

    fixed = run_task("check", "--fix", "--content", str(content))
    assert fixed.returncode == 0, fixed.log
    assert (content / ARTICLE).read_text(encoding="utf-8").endswith(PARAGRAPH.replace("Ủy", "ủy") + "\n")
    assert (content / "articles/van-ban/vni.md").read_text(encoding="utf-8").startswith(
        "Title: Hội nghị tổng kết công tác Mặt trận\n")
    assert (content / "articles/van-ban/ansi.md").read_text(encoding="utf-8").startswith("Title: Tổng kết")
    assert "chữ gõ bằng phông TCVN3 (.VnTime) đã chuyển sang Unicode (dòng 7)" in fixed.stdout

    site = build_site(tmp_path / "built", content_dir=content)
    assert site.ok, site.log
    page = site.page("tin-tuc/tong-ket.html")
    assert PARAGRAPH.replace("Ủy", "ủy") in page.get_text(" ")
    assert "ViÖt" not in page.get_text(" ")
