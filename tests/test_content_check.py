"""`invoke check` (plugins/content_check): every mistake an editor can make is reported with
its file, its line, what is wrong and how to fix it."""

from datetime import datetime
import unicodedata

import pytest
from pelican.settings import read_settings

from content_check import check_site
from support.editor_tasks import content_folder, run_task, site_copy
from support.site_build import SITE_ROOT, build_site

ARTICLE = "articles/hoat-dong-cua-nganh/bai.md"
SHOWN = "content/" + ARTICLE
GOOD_HEADER = "Title: Tin\nDate: 2023-04-06\nCategory: Hoạt động của Ngành\n"
PHOTO = b"\xff\xd8\xff\xe0 stand-in jpeg"


def check(tmp_path, files, agencies=(), now=None):
    content = content_folder(tmp_path, files, agencies)
    settings = read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    return check_site(settings, now=now or datetime(2024, 1, 1))


def found(result):
    return [(p.path, p.line, p.message) for p in result.problems]


CASES = {
    "date_written_day_first_is_not_guessed": (
        {ARTICLE: "Title: Tin\nDate: 06/04/2023\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 2, 'Date "06/04/2023" không viết theo dạng năm-tháng-ngày; máy không đoán ngày và tháng.',
        "nếu là ngày 6 tháng 4 (cách viết ngày trước của Việt Nam), ghi Date: 2023-04-06; "
        "nếu là ngày 4 tháng 6, ghi Date: 2023-06-04."),
    "unambiguous_day_first_date_gets_one_iso_suggestion": (
        {ARTICLE: "Title: Tin\nDate: 25/4/2023 08:30\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 2, 'Date "25/4/2023 08:30" không viết theo dạng năm-tháng-ngày; máy không đoán ngày và tháng.',
        "ghi Date: 2023-04-25 08:30 (ngày 25 tháng 4 năm 2023)."),
    "month_first_date_is_recognised_as_such": (
        {ARTICLE: "Title: Tin\nDate: 04/25/2023\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 2, 'Date "04/25/2023" không viết theo dạng năm-tháng-ngày; máy không đoán ngày và tháng.',
        "có vẻ tháng được viết trước ngày (không có tháng 25); ghi Date: 2023-04-25"),
    "impossible_date": (
        {ARTICLE: "Title: Tin\nDate: 2023-02-30\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 2, 'Date "2023-02-30" là ngày không có thật.', "kiểm tra lại tháng (01–12)"),
    "impossible_time": (
        {ARTICLE: "Title: Tin\nDate: 2023-04-06 25:10\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 2, 'Date "2023-04-06 25:10" là ngày giờ không có thật.', "giờ (00:00–23:59)"),
    "unreadable_modified_date": (
        {ARTICLE: GOOD_HEADER + "Modified: hôm qua\n\nThân.\n"},
        SHOWN, 4, 'Không đọc được ngày ở Modified: "hôm qua".', "ví dụ Modified: 2023-04-06"),
    "missing_title": (
        {ARTICLE: "Date: 2023-04-06\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 1, "Thiếu dòng Title.", "thêm dòng `Title: Tiêu đề bài viết`"),
    "empty_title": (
        {ARTICLE: "Title:\nDate: 2023-04-06\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 1, "Dòng Title để trống.", "ghi giá trị sau dấu hai chấm"),
    "missing_date": (
        {ARTICLE: "Title: Tin\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 1, "Thiếu dòng Date.", "thêm dòng `Date: 2023-04-06`"),
    "missing_category": (
        {ARTICLE: "Title: Tin\nDate: 2023-04-06\n\nThân.\n"},
        SHOWN, 1, "Bài viết chưa ghi chuyên mục (dòng Category).", '"Hoạt động của Ngành"'),
    "empty_body": (
        {ARTICLE: GOOD_HEADER + "\n\n"},
        SHOWN, 5, "Thân bài trống.", "viết nội dung bài sau một dòng trống"),
    "typo_in_a_known_key": (
        {ARTICLE: GOOD_HEADER + "Sumary: Tóm tắt\n\nThân.\n"},
        SHOWN, 4, 'Khóa "Sumary" không có trong danh sách khóa của bài viết.',
        "có phải là Summary? Ghi `Summary: Tóm tắt`."),
    "key_written_with_vietnamese_letters": (
        {ARTICLE: "Title: Tin\nTác_giả: Nguyên Lưu\nDate: 2023-04-06\nCategory: Hoạt động của Ngành\n\nThân.\n"},
        SHOWN, 2, 'Tên khóa "Tác_giả" có chữ có dấu hoặc ký tự lạ: Pelican coi đây là thân bài, '
                  "mọi dòng khai báo từ đây trở xuống bị bỏ qua.",
        "có phải là Author? Ghi `Author: Nguyên Lưu`."),
    "key_written_twice": (
        {ARTICLE: GOOD_HEADER + "Title: Tin khác\n\nThân.\n"},
        SHOWN, 4, "Khóa Title được ghi hai lần (dòng 1 và dòng 4).", "giữ một dòng"),
    "category_not_in_the_registry": (
        {ARTICLE: "Title: Tin\nDate: 2023-04-06\nCategory: Hoat dong cua nganh\n\nThân.\n"},
        SHOWN, 3, 'Chuyên mục "Hoat dong cua nganh" không có trong danh mục chuyên mục.',
        'có phải là "Hoạt động của Ngành"?'),
    "agency_without_a_profile": (
        {ARTICLE: GOOD_HEADER + "Agencies: so-thong-tin-truyen-thong\n\nThân.\n"},
        SHOWN, 4, 'Cơ quan "so-thong-tin-truyen-thong" (dòng Agencies) không có hồ sơ trong content/agencies/.',
        'có phải là "so-thong-tin-va-truyen-thong"?'),
    "invalid_status": (
        {ARTICLE: GOOD_HEADER + "Status: Đã đăng\n\nThân.\n"},
        SHOWN, 4, 'Status "Đã đăng" không hợp lệ.', "draft (bản nháp, không đăng)"),
    "slug_with_accents": (
        {ARTICLE: GOOD_HEADER + "Slug: Tin mới\n\nThân.\n"},
        SHOWN, 4, 'Slug "Tin mới" có chữ hoa, chữ có dấu hoặc ký tự lạ.', "ghi `Slug: tin-moi`"),
    "missing_static_image": (
        {ARTICLE: GOOD_HEADER + "\nThân.\n\n![Ảnh hội nghị]({static}/images/2023/04/hoi-nghi.jpg)\n",
         "images/2023/04/hoi-nghi.JPG": PHOTO},
        SHOWN, 7, "Ảnh không có: {static}/images/2023/04/hoi-nghi.jpg (tìm tệp content/images/2023/04/hoi-nghi.jpg).",
        "có phải là content/images/2023/04/hoi-nghi.JPG?"),
    "missing_attached_file": (
        {ARTICLE: GOOD_HEADER + "\nTải [văn bản]({static}/images/2023/04/quyet-dinh.pdf).\n"},
        SHOWN, 5, "Tệp không có: {static}/images/2023/04/quyet-dinh.pdf (tìm tệp content/images/2023/04/quyet-dinh.pdf).",
        "Chép tệp vào đúng chỗ đó"),
    "image_without_alt_text": (
        {ARTICLE: GOOD_HEADER + "\nThân.\n\n![]({static}/images/a.jpg)\n", "images/a.jpg": PHOTO},
        SHOWN, 7, "Ảnh {static}/images/a.jpg chưa có mô tả (alt).", "`![Quang cảnh buổi họp](...)`"),
    "html_image_without_alt_text": (
        {ARTICLE: GOOD_HEADER + '\nThân.\n\n<img src="{static}/images/a.jpg">\n', "images/a.jpg": PHOTO},
        SHOWN, 7, "Ảnh {static}/images/a.jpg chưa có mô tả (alt).", "mô tả ngắn của ảnh"),
    "image_path_without_static": (
        {ARTICLE: GOOD_HEADER + "\n![Ảnh](images/a.jpg)\n", "images/a.jpg": PHOTO},
        SHOWN, 5, "Ảnh images/a.jpg không ghi theo dạng {static}: trên trang web ảnh sẽ không hiện.",
        "`{static}/images/a.jpg`"),
    "link_to_a_missing_article_file": (
        {ARTICLE: GOOD_HEADER + "\nXem [bài trước]({filename}/articles/hoat-dong-cua-nganh/bai-truoc.md).\n"},
        SHOWN, 5, "Liên kết tới bài hoặc trang không có: {filename}/articles/hoat-dong-cua-nganh/bai-truoc.md "
                  "(tìm tệp content/articles/hoat-dong-cua-nganh/bai-truoc.md).",
        "có phải là content/articles/hoat-dong-cua-nganh/bai.md?"),
    "link_to_a_missing_article_url": (
        {ARTICLE: GOOD_HEADER + "\nXem [bài](/tin-tuc/bai-cu.html#doan-2).\n"},
        SHOWN, 5, "Liên kết tới bài viết không có: /tin-tuc/bai-cu.html#doan-2.", "{filename}/articles/"),
    "text_typed_with_combining_marks": (
        {ARTICLE: GOOD_HEADER + "\nĐoạn một.\n\n" + unicodedata.normalize("NFD", "Việt Nam") + ".\n"},
        SHOWN, 7, "Chữ tiếng Việt được gõ bằng dấu rời (không ở dạng chuẩn NFC): tìm kiếm và đường dẫn sẽ sai.",
        "chạy `invoke check --fix`"),
    "file_not_saved_as_utf8": (
        {ARTICLE: GOOD_HEADER.encode() + "\nThân bài\n".encode("cp1258")},
        SHOWN, 5, "Tệp không lưu ở mã UTF-8, máy không đọc được chữ tiếng Việt.", "lưu lại với bảng mã UTF-8"),
    "file_that_is_not_markdown": (
        {"articles/hoat-dong-cua-nganh/bai.docx": b"PK\x03\x04"},
        "content/articles/hoat-dong-cua-nganh/bai.docx", 1,
        "Tệp không phải Markdown (.md): trang sẽ bỏ qua, không đăng.", "lưu bài thành tệp .md"),
    "placeholder_of_invoke_new_left_in_a_published_article": (
        {ARTICLE: GOOD_HEADER + "\nViết nội dung bài ở đây.\n"},
        SHOWN, 5, 'Bài vẫn còn dòng mẫu "Viết nội dung bài ở đây.".', "`Status: draft`"),
    "unknown_key_on_a_page": (
        {"pages/gioi-thieu.md": "Title: Giới thiệu\nCategory: Văn bản\n\nThân.\n"},
        "content/pages/gioi-thieu.md", 2, 'Khóa "Category" không có trong danh sách khóa của trang.',
        "Các khóa được dùng: Title, Slug, Status, Summary, Template, Save_as, Date, Modified, Redirect_from."),
    "page_date_written_day_first": (
        {"pages/gioi-thieu.md": "Title: Giới thiệu\nDate: 06/04/2023\n\nThân.\n"},
        "content/pages/gioi-thieu.md", 2,
        'Date "06/04/2023" không viết theo dạng năm-tháng-ngày; máy không đoán ngày và tháng.', "Date: 2023-04-06"),
    "page_without_title": (
        {"pages/gioi-thieu.md": "Slug: gioi-thieu\n\nThân.\n"},
        "content/pages/gioi-thieu.md", 1, "Thiếu dòng Title.", "thêm dòng"),
}


@pytest.mark.parametrize("files, path, line, message, fix", CASES.values(), ids=CASES.keys())
def test_each_mistake_is_reported_with_its_file_line_message_and_fix(tmp_path, files, path, line, message, fix):
    result = check(tmp_path, files, agencies=["so-thong-tin-va-truyen-thong"])
    assert found(result) == [(path, line, message)]
    assert fix in result.problems[0].fix


def test_two_articles_with_the_same_slug_name_each_other(tmp_path):
    result = check(tmp_path, {
        "articles/van-ban/thong-bao.md": "Title: A\nDate: 2023-04-06\nCategory: Văn bản\n\nThân.\n",
        "articles/hoat-dong-cua-nganh/bai-khac.md": GOOD_HEADER + "Slug: thong-bao\n\nThân.\n",
    })
    assert found(result) == [
        ("content/articles/hoat-dong-cua-nganh/bai-khac.md", 4,
         'Đường dẫn "thong-bao" trùng với content/articles/van-ban/thong-bao.md: hai bài sẽ ghi đè lên nhau.'),
        ("content/articles/van-ban/thong-bao.md", 1,
         'Đường dẫn "thong-bao" trùng với content/articles/hoat-dong-cua-nganh/bai-khac.md: hai bài sẽ ghi đè lên nhau.'),
    ]


def test_a_future_date_is_a_scheduled_notice_not_an_error(tmp_path):
    result = check(tmp_path, {ARTICLE: "Title: Tin\nDate: 2024-01-02 07:00\nCategory: Hoạt động của Ngành\n\nThân.\n"},
                   now=datetime(2024, 1, 1, 12, 0))
    assert result.problems == []
    assert [str(n) for n in result.notices] == [
        f"{SHOWN}:2: bài hẹn giờ, sẽ được đăng ở lần dựng trang đầu tiên sau 2024-01-02 07:00."]


def test_correct_articles_pages_links_and_images_have_no_problems(tmp_path):
    result = check(tmp_path, {
        ARTICLE: GOOD_HEADER + "Author: Nguyên Lưu\nSummary: Tóm tắt.\nStatus: hidden\nSlug: bai-viet\n"
                 "Modified: 2023-04-07 09:15\nAgencies: so-thong-tin-va-truyen-thong\nRedirect_from: /tin/1.aspx\n\n"
                 "Thân bài.\n\n![Ảnh]({static}/images/a.jpg)\n\n/// caption\nẢnh\n///\n\n"
                 "[Bài khác]({filename}/articles/van-ban/khac.md) và [bài](/tin-tuc/khac.html), "
                 "[trang](https://example.org/x).\n",
        "articles/van-ban/khac.md": "Title: Khác\nDate: 2023-04-01\nCategory: Văn bản\nStatus: draft\n\nThân.\n",
        "pages/lien-he.md": "Title: Liên hệ\nSlug: lien-he\nTemplate: page\n\nThân.\n",
        "images/a.jpg": PHOTO,
    }, agencies=["so-thong-tin-va-truyen-thong"])
    assert found(result) == []


def test_the_content_we_ship_passes_the_check():
    result = run_task("check")
    assert result.returncode == 0, result.log
    assert "không có lỗi" in result.stdout


MANY_ERRORS = SITE_ROOT / "tests" / "fixtures" / "many-errors" / "content"


def test_every_mistake_in_every_file_is_reported_in_one_run_sorted_by_file(tmp_path):
    result = run_task("check", "--content", str(MANY_ERRORS))
    assert result.returncode == 1
    reported = [line.split(": ", 1)[0] for line in result.stdout.splitlines() if line.startswith("content/")]
    assert reported == [
        "content/articles/hoat-dong-cua-nganh/hoi-nghi-giao-ban.md:2",
        "content/articles/hoat-dong-cua-nganh/hoi-nghi-giao-ban.md:3",
        "content/articles/hoat-dong-cua-nganh/hoi-nghi-giao-ban.md:4",
        "content/articles/hoat-dong-cua-nganh/hoi-nghi-giao-ban.md:5",
        "content/articles/hoat-dong-cua-nganh/hoi-nghi-giao-ban.md:9",
        "content/articles/hoat-dong-cua-nganh/hoi-nghi-giao-ban.md:9",
        "content/articles/hoat-dong-cua-nganh/tap-huan.md:1",
        "content/articles/hoat-dong-cua-nganh/tap-huan.md:2",
        "content/articles/hoat-dong-cua-nganh/tap-huan.md:4",
        "content/articles/hoat-dong-cua-nganh/tap-huan.md:5",
        "content/articles/hoat-dong-cua-nganh/tap-huan.md:7",
        "content/articles/tin-tuc-su-kien/dai-hoi.md:5",
        "content/articles/van-ban/tap-huan.md:1",
        "content/articles/van-ban/tap-huan.md:4",
        "content/pages/lien-he.md:2",
    ]
    assert "Nội dung có 15 lỗi, cần sửa trước khi đăng:" in result.stdout
    assert result.stdout.count("    Cách sửa: ") == 15


def test_a_check_that_keeps_unchanged_files_readings_finds_what_a_fresh_check_finds(tmp_path):
    """CONTENT_CHECK_REUSE (the editor preview): a file is read again only when its bytes
    change, and what depends on other files (a deleted photo, a new duplicate) is still seen."""
    from content_check.content_check import KEPT_READINGS
    from site_core.reader import markdown_options

    content = content_folder(tmp_path, {
        ARTICLE: GOOD_HEADER + "\nThân.\n\n![Ảnh]({static}/images/a.jpg)\n\n[Bài khác]({filename}/articles/van-ban/khac.md)\n",
        "articles/van-ban/khac.md": "Title: Khác\nDate: 2023-04-01\nCategory: Văn bản\n\nThân.\n",
        "images/a.jpg": PHOTO,
    })
    settings = read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    kept = dict(settings, CONTENT_CHECK_REUSE=True)
    now = datetime(2024, 1, 1)

    def same_as_fresh():
        fresh, reused = check_site(settings, now=now), check_site(kept, now=now)
        assert (found(reused), reused.warnings, reused.notices) == (found(fresh), fresh.warnings, fresh.notices)
        return found(reused)

    assert same_as_fresh() == []
    article_reading = KEPT_READINGS[str(content / ARTICLE)]
    # What Pelican's MarkdownReader does to MARKDOWN when a build reads: the same configuration.
    settings["MARKDOWN"]["extensions"] = markdown_options(settings)["extensions"]
    (content / "images" / "a.jpg").unlink()
    (content / "articles" / "van-ban" / "khac.md").write_text(
        "Title: Khác\nDate: 01/04/2023\nCategory: Văn bản\nSlug: bai\n\nThân.\n", encoding="utf-8")

    problems = same_as_fresh()

    assert [(path, line, message.split(" ")[0]) for path, line, message in problems] == [
        (SHOWN, 1, "Đường"), (SHOWN, 7, "Ảnh"), ("content/articles/van-ban/khac.md", 2, "Date"),
        ("content/articles/van-ban/khac.md", 4, "Đường")]
    assert KEPT_READINGS[str(content / ARTICLE)] is article_reading


def test_fix_rewrites_only_the_unicode_normalisation(tmp_path):
    typed = ("Title: " + unicodedata.normalize("NFD", "Đại hội Mặt trận") + "\nDate: 2023-04-06\n"
             "Category: Hoạt động của Ngành\n\n  " + unicodedata.normalize("NFD", "Nhân dân   tỉnh Phú Yên") + "  \r\n")
    clean = GOOD_HEADER + "\nĐã ở dạng NFC.\n"
    content = content_folder(tmp_path, {ARTICLE: typed.encode(), "articles/van-ban/khac.md": clean.encode()})
    untouched = content / "articles/van-ban/khac.md"
    before = untouched.stat().st_mtime_ns

    assert run_task("check", "--content", str(content)).returncode == 1
    fixed = run_task("check", "--fix", "--content", str(content))

    assert fixed.returncode == 0, fixed.log
    assert f"Đã chuẩn hoá NFC: {SHOWN}" in fixed.stdout
    assert (content / ARTICLE).read_bytes() == unicodedata.normalize("NFC", typed).encode()
    assert untouched.stat().st_mtime_ns == before


def test_invoke_build_runs_the_check_first_and_writes_nothing_when_it_fails(tmp_path):
    site = site_copy(tmp_path)
    (site / "content" / ARTICLE).write_text("Title: Tin\nDate: 06/04/2023\nCategory: Hoạt động của Ngành\n\nThân.\n",
                                            encoding="utf-8")
    result = run_task("build", cwd=site)
    assert result.returncode == 1
    assert f'{SHOWN}:2: Date "06/04/2023" không viết theo dạng năm-tháng-ngày' in result.stdout
    assert not (site / "output").exists()


def test_a_plain_pelican_build_stops_with_the_same_report(tmp_path):
    site = build_site(tmp_path, {
        "articles/a.md": "Title: Một\nDate: 06/04/2023\nCategory: Hoạt động của Ngành\n\nThân.\n",
        "articles/b.md": "Title: Hai\nTác_giả: Nguyên Lưu\nDate: 2023-04-06\nCategory: Hoạt động của Ngành\n\nThân.\n",
    })
    assert not site.ok
    assert 'content/articles/a.md:2: Date "06/04/2023" không viết theo dạng năm-tháng-ngày' in site.log
    assert 'content/articles/b.md:2: Tên khóa "Tác_giả" có chữ có dấu hoặc ký tự lạ' in site.log
    assert "Nội dung có 2 lỗi" in site.log
    assert not site.output.exists()


def test_front_matter_between_dashes_is_read_like_pelican_reads_it(tmp_path):
    result = check(tmp_path, {ARTICLE: "---\n" + GOOD_HEADER + "Sumary: x\n---\nThân.\n"})
    assert found(result) == [(SHOWN, 5, 'Khóa "Sumary" không có trong danh sách khóa của bài viết.')]
