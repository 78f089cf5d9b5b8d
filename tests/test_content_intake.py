"""Content intake (issue 12): header lines typed wrongly, pasted HTML, links and photos
from the editor's PC, misplaced files, far-future dates, same titles, and the same
site on every build. Each class of mistake is reported at its own line with a fix,
and the published output is checked too."""

from datetime import datetime
import os
import subprocess
import sys

from bs4 import BeautifulSoup
from pelican.settings import read_settings
import pytest

from content_check import check_site
from site_core.sources import invisible_name
from support.editor_tasks import content_folder
from support.photos import phone_photo
from support.site_build import SITE_ROOT, article_source, build_site

ARTICLE = "articles/hoat-dong-cua-nganh/bai.md"
SHOWN = "content/" + ARTICLE
OTHER = "articles/van-ban/quy-che-moi.md"
WITHOUT_THE_CHECK = 'PLUGINS = [name for name in PLUGINS if name != "content_check"]\n'


def check(tmp_path, files, now=datetime(2024, 6, 1)):
    content = content_folder(tmp_path, files, ())
    settings = read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    return check_site(settings, now=now)


def problems_at(result, path=SHOWN):
    return {(problem.line, problem.message) for problem in result.problems if problem.path == path}


HEADER_CASES = {
    "tab_instead_of_colon": ("Title: Tin\nDate: 2024-03-05\nAuthor\tNguyễn Văn An\nCategory: Hoạt động của Ngành\n",
                             3, "Dòng Author dùng dấu tab thay cho dấu hai chấm"),
    "tab_before_colon": ("Title: Tin\nDate:\t2024-03-05\nSummary\t: Tóm tắt\nCategory: Hoạt động của Ngành\n",
                         3, "Dòng Summary có dấu tab giữa tên khóa và dấu hai chấm"),
    "full_width_colon": ("Title：Hội nghị\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\n",
                         1, 'Dòng Title dùng dấu hai chấm lạ "："'),
    "key_without_colon": ("Title: Tin\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\nSummary Tóm tắt bài\n",
                          4, "Dòng Summary thiếu dấu hai chấm sau tên khóa."),
    "nbsp_in_title_value": ("Title: Hội\u00a0nghị tổng kết\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\n",
                            1, "Dòng Title có dấu cách không ngắt (NBSP) trong giá trị"),
    "zero_width_before_key": ("Title: Tin\nDate: 2024-03-05\n\u200bCategory: Hoạt động của Ngành\n",
                              3, "Dòng Category có ký tự vô hình U+200B trước tên khóa"),
    "zero_width_inside_category": ("Title: Tin\nDate: 2024-03-05\nCategory: Hoạt động\u200b của Ngành\n",
                                   3, "Dòng Category có ký tự vô hình U+200B trong giá trị"),
    "nbsp_after_colon": ("Title: Tin\nDate:\u00a02024-03-05\nCategory: Hoạt động của Ngành\n",
                         2, "Dòng Date có dấu cách không ngắt (NBSP) trong giá trị"),
    "word_joiner_in_author": ("Title: Tin\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\nAuthor: Lê\u2060 Thị Hoa\n",
                              4, "Dòng Author có ký tự vô hình U+2060 trong giá trị"),
}


@pytest.mark.parametrize("header, line, message", HEADER_CASES.values(), ids=HEADER_CASES)
def test_a_header_line_typed_wrongly_is_reported_at_its_line_and_later_lines_stay_header(tmp_path, header, line, message):
    result = check(tmp_path, {ARTICLE: header + "Author: Trần Bình\n\nThân bài.\n" if "Author" not in header
                              else header + "\nThân bài.\n"})
    found = problems_at(result)
    assert any(number == line and text.startswith(message) for number, text in found), found
    # Read as meant: the key is not missing, nothing after it turned into body text.
    assert not any("Thiếu dòng" in text or "chưa ghi chuyên mục" in text or "không có trong danh mục" in text
                   for _, text in found), found
    assert all(number == line for number, _ in found), found


def test_check_fix_rewrites_the_header_lines_as_the_editor_meant_them(tmp_path):
    typed = ("Title：Hội\u00a0nghị\r\nDate:\t2024-03-05\r\n\u200bCategory: Hoạt động của Ngành\r\n"
             "Author\tNguyễn An\r\n\r\nThân\u00a0bài giữ nguyên.\r\n")
    content = content_folder(tmp_path, {ARTICLE: typed.encode()}, ())
    settings = read_settings(str(SITE_ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    from content_check import normalise_files
    assert normalise_files(settings) == [SHOWN]
    assert (content / ARTICLE).read_bytes().decode() == (
        "Title: Hội nghị\r\nDate:\t2024-03-05\r\nCategory: Hoạt động của Ngành\r\nAuthor: Nguyễn An\r\n\r\n"
        "Thân\u00a0bài giữ nguyên.\r\n")
    assert check_site(settings, now=datetime(2024, 6, 1)).problems == []


def test_a_line_inside_the_header_that_is_no_key_is_reported_not_published_as_body(tmp_path):
    result = check(tmp_path, {ARTICLE: "Title: Tin\nDate: 2024-03-05\nđây là ghi chú của tôi\n"
                                       "Category: Hoạt động của Ngành\n\nThân bài.\n"})
    assert problems_at(result) == {(3, 'Dòng "đây là ghi chú của tôi" nằm trong phần khai báo (trước dòng trống '
                                       "đầu tiên) nhưng không phải dạng `Khóa: giá trị`.")}


PASTED = {
    "script_in_body": ("Đoạn một.\n\n<script>alert('x')</script>\n", 7, "Thẻ <script> bị bỏ cùng nội dung"),
    "event_attribute": ('Xem <a href="https://baophuyen.vn" onclick="steal()">báo</a>.\n', 5,
                        'Thẻ <a> có mã chạy khi bấm/tải trang "onclick"'),
    "javascript_link": ("Bấm [vào đây](javascript:alert(1)) nhé.\n", 5, 'Thẻ <a> có địa chỉ "javascript:alert(1)"'),
    "vbscript_mixed_case": ('<p>a <a href="VBScript:msgbox(1)">b</a></p>\n', 5, 'dùng kiểu "vbscript:"'),
    "word_markup": ('<p class="MsoNormal"><font face="Times">Chữ</font><o:p></o:p></p>\n', 5,
                    'Thẻ <p> có thuộc tính "class"'),
    "style_attribute": ('<p style="color:red">Đỏ</p>\n', 5, 'Thẻ <p> có thuộc tính "style"'),
    "iframe_from_other_host": ('<iframe src="https://www.youtube.com/embed/abc"></iframe>\n', 5,
                               'Thẻ <iframe> có khung nhúng từ "www.youtube.com"'),
    "data_url_image": ('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">\n', 5, 'dùng kiểu "data:"'),
}


@pytest.mark.parametrize("body, line, message", PASTED.values(), ids=PASTED)
def test_whatever_the_sanitizer_would_remove_is_an_error_at_its_line(tmp_path, body, line, message):
    source = "Title: Tin\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\n\n" + body
    found = problems_at(check(tmp_path, {ARTICLE: source}))
    assert any(number == line and message in text for number, text in found), found


def test_allowed_embeds_and_markdown_pass_the_sanitizer_unchanged(tmp_path):
    body = ('<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Video" allowfullscreen></iframe>\n\n'
            "| A | B |\n|:-:|--:|\n| 1 | 2 |\n\nChữ[^1].\n\n[^1]: Ghi chú.\n\n```python\nx = 1\n```\n")
    result = check(tmp_path, {ARTICLE: "Title: Tin\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\n\n" + body})
    assert result.problems == []


def test_smuggled_html_never_reaches_pages_or_feeds_even_without_the_check(tmp_path):
    site = build_site(tmp_path, {
        ARTICLE: ("Title: <script>alert(1)</script> Hội nghị\nDate: 2024-03-05\n"
                  "Category: Hoạt động của Ngành\nSummary: Tóm <img src=x onerror=alert(1)> tắt\n\n"
                  "Đoạn <b onmouseover=\"alert(2)\">đậm</b>.\n\n<script>alert(3)</script>\n\n"
                  "[liên kết](javascript:alert(4)) <iframe src=\"https://evil.example/\"></iframe>\n"),
    }, overrides=WITHOUT_THE_CHECK)
    assert site.ok, site.log
    pages = [site.output / "tin-tuc" / "bai.html", site.output / "index.html",
             site.output / "chuyen-muc" / "hoat-dong-cua-nganh" / "index.html"]
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        scripts = [script for script in soup.find_all("script") if not script.get("src")]
        assert all("alert" not in script.get_text() for script in scripts), page
        assert not soup.find("iframe")
        assert not any(attribute.startswith("on") for tag in soup.find_all(True) for attribute in tag.attrs), page
        assert not soup.find("a", href=lambda href: href and "javascript" in href.lower())
    article = BeautifulSoup((site.output / "tin-tuc" / "bai.html").read_text(encoding="utf-8"), "html.parser")
    assert article.find("h1").get_text() == "<script>alert(1)</script> Hội nghị"
    for feed in (site.output / "feeds").glob("*.xml"):
        xml = BeautifulSoup(feed.read_text(encoding="utf-8"), "xml")
        for entry in xml.find_all("entry"):
            for field in ("content", "summary"):
                html = entry.find(field)
                if html is not None:
                    inner = BeautifulSoup(html.get_text(), "html.parser")
                    assert not inner.find("script") and not inner.find("iframe")
                    assert not any(a.startswith("on") for tag in inner.find_all(True) for a in tag.attrs)
            # An Atom title without type="html" is text: feed readers show the brackets, run nothing.
            assert entry.find("title").get("type") in (None, "text")
            assert entry.find("title").get_text() == "<script>alert(1)</script> Hội nghị"


LINKS = {
    "localhost_article": ("[bài kia](http://localhost:8000/tin-tuc/quy-che-moi.html)", 5,
                          "Liên kết http://localhost:8000/tin-tuc/quy-che-moi.html trỏ tới máy đang xem thử",
                          "ghi `[tên bài]({filename}/articles/van-ban/quy-che-moi.md)`."),
    "loopback_ip": ("Xem [ở đây](http://127.0.0.1:8000/).", 5, "Liên kết http://127.0.0.1:8000/ trỏ tới máy",
                    "{filename}"),
    "photo_on_windows_pc": ("![Ảnh hội nghị](C:\\Users\\Lan\\Pictures\\anh hoi nghi.jpg)", 5,
                            "Ảnh trỏ tới một tệp trên máy của người viết", "{static}/images/"),
    "file_url": ("[tài liệu](file:///D:/tai-lieu/quy-che.docx)", 5, "Liên kết trỏ tới một tệp trên máy",
                 "{filename}"),
    "link_by_title": ("[Quy chế mới](Quy chế mới)", 5, 'Liên kết "Quy chế mới" không phải địa chỉ trang web',
                      "ghi `[tên bài]({filename}/articles/van-ban/quy-che-moi.md)`."),
    "relative_without_filename": ("[quy chế](../van-ban/quy-che-moi.md)", 5, "không phải địa chỉ trang web",
                                  "{filename}/articles/van-ban/quy-che-moi.md"),
    "missing_article_address": ("[bài](/tin-tuc/khong-co-bai-nay.html)", 5,
                                "Liên kết tới bài viết không có: /tin-tuc/khong-co-bai-nay.html.", "{filename}"),
    "reference_style_missing_photo": ("Ảnh: ![Quang cảnh][anh]\n\n[anh]: {static}/images/khong-co.jpg", 7,
                                      "Ảnh không có: {static}/images/khong-co.jpg", "Chép tệp vào đúng chỗ"),
    "reference_definition_markdown_cannot_read": (
        "Ảnh: ![Quang cảnh][anh]\n\n[anh]: {static}/images/khong co.jpg", 5,
        "Liên kết hoặc ảnh kiểu tham chiếu ![Quang cảnh][anh] không đọc được", "ngoặc nhọn"),
    "spaced_photo_name_missing": ("![Ảnh hội nghị]({static}/images/2024/03/anh hoi nghi.jpg)", 5,
                                  "Ảnh không có: {static}/images/2024/03/anh hoi nghi.jpg", "Chép tệp"),
}


@pytest.mark.parametrize("body, line, message, fix", LINKS.values(), ids=LINKS)
def test_links_and_photos_readers_cannot_open_are_errors_with_the_fix(tmp_path, body, line, message, fix):
    result = check(tmp_path, {
        ARTICLE: "Title: Tin\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\n\n" + body + "\n",
        OTHER: "Title: Quy chế mới\nDate: 2024-03-01\nCategory: Văn bản\n\nNội dung.\n",
    })
    matching = [problem for problem in result.problems if problem.path == SHOWN and message in problem.message]
    assert matching, result.report()
    assert matching[0].line == line and fix in matching[0].fix, matching[0]


def test_links_inside_code_blocks_are_text_not_links(tmp_path):
    body = "```\n[thử](http://localhost:8000/)\n```\n\n    ![x](C:\\anh.jpg)\n\n`[y](file:///c)`\n"
    result = check(tmp_path, {ARTICLE: "Title: Tin\nDate: 2024-03-05\nCategory: Hoạt động của Ngành\n\n" + body})
    assert result.problems == []


MISPLACED = {
    "upper_case_extension": ("articles/hoat-dong-cua-nganh/hoi-nghi.MD", "Tệp có đuôi .MD, không phải .md",
                             "đổi tên tệp thành hoi-nghi.md"),
    "mixed_case_extension": ("pages/gioi-thieu.Markdown", "Tệp có đuôi .Markdown", "gioi-thieu.md"),
    "saved_in_content_root": ("hoi-nghi.md", "Tệp bài viết nằm sai chỗ", "content/articles/<chuyên-mục>/"),
    "saved_among_photos": ("images/2024/03/bai-viet.md", "Tệp bài viết nằm sai chỗ", "content/articles/<chuyên-mục>/"),
    "text_file_among_articles": ("articles/van-ban/ghi-chu.txt", "Tệp có đuôi .txt", "ghi-chu.md"),
}


@pytest.mark.parametrize("path, message, fix", MISPLACED.values(), ids=MISPLACED)
def test_a_markdown_like_file_no_generator_reads_is_reported_with_where_it_goes(tmp_path, path, message, fix):
    result = check(tmp_path, {path: article_source("Tin", "2024-03-05")})
    matching = [problem for problem in result.problems if problem.path == "content/" + path]
    assert len(matching) == 1 and matching[0].message.startswith(message) and fix in matching[0].fix, result.report()


def test_only_photos_and_declared_attachments_are_copied_from_the_photo_folder(tmp_path):
    site = build_site(tmp_path, {
        ARTICLE: article_source("Tin", "2024-03-05", body="![Ảnh]({static}/images/a.jpg)"),
        "images/a.jpg": phone_photo(800, 600),
        "images/bai-quen.md": "Title: x\n\nx\n",
        "images/trang.html": "<script>alert(1)</script>",
        "images/bieu-mau.pdf": b"%PDF-1.4",
    }, overrides=WITHOUT_THE_CHECK)
    assert site.ok, site.log
    published = sorted(path.name for path in (site.output / "images").rglob("*") if path.is_file())
    assert "bieu-mau.pdf" in published
    assert not [name for name in published if name.endswith((".md", ".html"))], published


def test_a_date_more_than_a_year_ahead_asks_whether_the_year_is_a_typo(tmp_path):
    result = check(tmp_path, {ARTICLE: article_source("Tin", "2205-03-05")}, now=datetime(2025, 3, 1))
    assert problems_at(result) == {(2, "Date 2205-03-05 là hơn một năm sau hôm nay (2025-03-01): có phải gõ nhầm năm? "
                                       "Bài sẽ không hiện trên trang cho tới ngày đó.")}
    scheduled = check(tmp_path / "b", {ARTICLE: article_source("Tin", "2025-12-05")}, now=datetime(2025, 3, 1))
    assert scheduled.problems == [] and len(scheduled.notices) == 1


def test_two_published_articles_with_the_same_title_get_a_warning_naming_both(tmp_path):
    result = check(tmp_path, {
        ARTICLE: article_source("Hội nghị  tổng kết năm", "2024-03-05"),
        OTHER: article_source("hội nghị tổng kết năm", "2024-03-06", category="Văn bản"),
        "articles/van-ban/nhap.md": article_source("Hội nghị tổng kết năm", "2024-03-06", category="Văn bản",
                                                   status="draft"),
    })
    assert result.problems == []
    warned = sorted((warning.path, warning.line) for warning in result.warnings)
    assert warned == [(SHOWN, 1), ("content/" + OTHER, 1)]
    assert "content/" + OTHER in result.warnings[0].message and SHOWN in result.warnings[0].message


def test_a_photo_over_5_mb_gets_a_warning_at_the_line_that_shows_it(tmp_path):
    result = check(tmp_path, {
        ARTICLE: article_source("Tin", "2024-03-05", body="Mở đầu.\n\n![Ảnh lớn]({static}/images/lon.jpg)"),
        "images/lon.jpg": b"\xff" * (5 * 1024 * 1024 + 1),
    })
    assert result.problems == []
    assert [(w.path, w.line, w.message) for w in result.warnings] == [
        (SHOWN, 7, "Ảnh {static}/images/lon.jpg nặng 5,0 MB (quá 5 MB): người đọc trên điện thoại phải chờ lâu.")]


def test_a_build_stopped_by_mistakes_shows_the_report_without_a_traceback(tmp_path):
    site = build_site(tmp_path, {ARTICLE: article_source("Tin", "06/04/2024"), "hoi-nghi.MD": "Title: x\n\nx\n"})
    assert site.returncode == 1
    assert "content/articles/hoat-dong-cua-nganh/bai.md:2: Date" in site.log
    assert "content/hoi-nghi.MD:1: Tệp bài viết nằm sai chỗ" in site.log
    assert "Traceback" not in site.log


OPEN_COUNTER = """
import collections, os, sys
opened = collections.Counter()
content = os.path.realpath(sys.argv[1])
def count(event, args):
    if event == "open" and isinstance(args[0], str) and os.path.realpath(args[0]).startswith(content + os.sep):
        opened[os.path.relpath(os.path.realpath(args[0]), content)] += 1
sys.addaudithook(count)
if sys.argv[2] == "check":
    sys.path[:0] = [sys.argv[3], os.path.join(sys.argv[3], "plugins")]
    from pelican.settings import read_settings
    from content_check import check_site
    check_site(read_settings(os.path.join(sys.argv[3], "pelicanconf.py"), override={"PATH": content}))
else:
    from pelican import main
    try:
        main(sys.argv[2:])
    except SystemExit:
        pass
print("OPENED", dict(opened))
"""


def test_every_character_the_check_calls_invisible_is_one_python_calls_unprintable():
    # site_core.sources looks at a header line character by character only when it is not printable.
    assert [f"U+{code:04X}" for code in range(0x110000)
            if invisible_name(chr(code)) is not None and chr(code).isprintable()] == []


@pytest.mark.parametrize("parallel", [False, True], ids=["one_process", "worker_pool"])
def test_one_build_opens_each_source_file_once(tmp_path, parallel):
    files = {f"articles/van-ban/bai-{number}.md": article_source(f"Bài {number}", "2024-03-05", category="Văn bản",
                                                                 agencies="so-tu-phap") for number in range(6)}
    files["agencies/so-tu-phap.md"] = "Title: Sở Tư pháp\nKind: nha-nuoc\n\nHồ sơ.\n"
    files["pages/gioi-thieu.md"] = "Title: Giới thiệu\n\nTrang.\n"
    site = build_site(tmp_path, files, overrides=f"PARALLEL_READING_MIN_FILES = {1 if parallel else 1000}\n"
                                                 "PARALLEL_READING_CACHE = False\n")
    assert site.ok, site.log
    script = tmp_path / "count_opens.py"
    script.write_text(OPEN_COUNTER, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(site.content), str(site.content), "-s",
                             str(tmp_path / "test_settings.py"), "-o", str(tmp_path / "again")],
                            capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "COLUMNS": "250"})
    opened = eval(result.stdout.split("OPENED", 1)[1])
    sources = [path for path in files]
    assert {path: opened.get(path, 0) for path in sources} == {path: 1 for path in sources}, result.stdout[-3000:]
    # `invoke check` on its own reads each file once too.
    alone = subprocess.run([sys.executable, str(script), str(site.content), "check", str(SITE_ROOT)],
                           capture_output=True, text=True, cwd=tmp_path)
    opened = eval(alone.stdout.split("OPENED", 1)[1])
    assert {path: opened.get(path, 0) for path in sources} == {path: 1 for path in sources}, alone.stderr[-3000:]


def test_a_file_pelican_cannot_read_is_named_in_vietnamese_without_a_traceback(tmp_path):
    site = build_site(tmp_path, {ARTICLE: article_source("Tin", "2024-03-05")},
                      overrides=WITHOUT_THE_CHECK + 'MARKDOWN = {"extension_configs": {"khong_co_phan_mo_rong": {}}}\n')
    assert site.returncode == 1
    assert f"{SHOWN}:1: Pelican không đọc được tệp này" in site.log
    assert "Traceback" not in site.log


@pytest.mark.parametrize("header, line, message", [
    ("Title: Hội nghị <b>quan trọng</b>\n", 1, "Dòng Title có thẻ HTML <b>: trang sẽ hiện nguyên văn các ký tự này."),
    ("Title: Tin\nAuthor: <i>Lê Hoa</i>\n", 2, "Dòng Author có thẻ HTML <i>"),
    ("Title: Tin\nSummary: Tóm tắt <script>x()</script> bài\n", 2, "Dòng Summary: Thẻ <script> bị bỏ cùng nội dung"),
    ("Title: Tin\nSummary: Xem <a href=\"javascript:x()\">đây</a>\n", 2, 'Dòng Summary: Thẻ <a> có địa chỉ "javascript:x()"'),
], ids=["title_tag", "author_tag", "summary_script", "summary_javascript_link"])
def test_html_in_title_author_or_summary_is_an_error_at_its_line(tmp_path, header, line, message):
    result = check(tmp_path, {ARTICLE: header + "Date: 2024-03-05\nCategory: Hoạt động của Ngành\n\nThân.\n"})
    assert any(number == line and text.startswith(message) for number, text in problems_at(result)), result.report()
