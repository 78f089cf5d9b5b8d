"""`invoke new`: a draft in its category's folder, ASCII file name, ISO date, never overwriting."""

from datetime import datetime
from zoneinfo import ZoneInfo
import unicodedata

from editor_tools.new_article import person_name
from support.editor_tasks import content_folder, run_task

PATH = "content/articles/hoat-dong-cua-nganh/doan-dai-bieu-dang-uy-tham-va-lam-viec.md"


def test_new_creates_a_draft_in_its_category_folder_with_an_ascii_name_that_passes_the_check(tmp_path):
    content = content_folder(tmp_path)
    result = run_task("new", "Đoàn đại biểu Đảng ủy thăm và làm việc", "--category", "Hoạt động của Ngành",
                      "--author", "NGUYÊN LƯU", "--content", str(content))
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()

    assert result.returncode == 0, result.log
    assert result.stdout.splitlines()[0] == PATH
    year, month = today[:4], today[5:7]
    assert result.stdout.splitlines()[2] == (
        f"Ảnh của bài: chép vào content/images/{year}/{month}/ (tên tệp không dấu, ví dụ ten-anh.jpg) "
        f"rồi ghi trong bài ![mô tả ảnh]({{static}}/images/{year}/{month}/ten-anh.jpg)")
    assert (tmp_path / PATH).read_text(encoding="utf-8") == (
        "Title: Đoàn đại biểu Đảng ủy thăm và làm việc\n"
        f"Date: {today}\n"
        "Category: Hoạt động của Ngành\n"
        "Author: Nguyên Lưu\n"
        "Status: draft\n"
        "\n"
        "Viết nội dung bài ở đây.\n")
    checked = run_task("check", "--content", str(content))
    assert checked.returncode == 0, checked.log


def test_new_refuses_a_category_outside_the_registry_and_lists_the_names(tmp_path):
    content = content_folder(tmp_path)
    result = run_task("new", "Tin", "--category", "Hoạt động của ngành", "--content", str(content))
    assert result.returncode == 1
    assert 'Không tạo bài: Chuyên mục "Hoạt động của ngành" không có trong danh mục chuyên mục. ' \
           'Có phải là "Hoạt động của Ngành"?' in result.stderr
    assert '"Giám sát và phản biện xã hội"' in result.stderr
    assert not (content / "articles").exists()


def test_new_never_overwrites_an_existing_article_even_in_another_category(tmp_path):
    existing = "Title: Tin\nDate: 2023-04-06\nCategory: Văn bản\n\nĐã viết.\n"
    content = content_folder(tmp_path, {"articles/van-ban/tin.md": existing})
    result = run_task("new", "Tin", "--category", "Hoạt động của Ngành", "--content", str(content))
    assert result.returncode == 1
    assert "Không tạo bài: Đã có bài content/articles/van-ban/tin.md: không ghi đè." in result.stderr
    assert (content / "articles/van-ban/tin.md").read_text(encoding="utf-8") == existing
    assert not (content / "articles/hoat-dong-cua-nganh").exists()


def test_names_in_capitals_become_vietnamese_title_case_even_from_combining_marks():
    assert person_name("NGUYÊN LƯU") == "Nguyên Lưu"
    assert person_name(unicodedata.normalize("NFD", "ĐẶNG THỊ  HỒNG")) == "Đặng Thị Hồng"
    assert unicodedata.normalize("NFD", "NGUYÊN").title() != "Nguyên"  # why person_name exists
