"""Long builds say how far they are: one line per phase with counts and seconds,
never a warning (CI builds with --fatal warnings), and nothing with -q."""

import os
import re
import subprocess
import sys

from support.photos import phone_photo
from support.site_build import article_source, build_site

ARTICLES = {f"articles/hoat-dong-cua-nganh/tin-{number}.md": article_source(f"Tin số {number}", f"2024-05-{number:02d}")
            for number in range(1, 8)}
ARTICLES["pages/gioi-thieu.md"] = "Title: Giới thiệu\n\nTrang giới thiệu.\n"
PHASE = re.compile(r"(Đọc nội dung|Ảnh|Ghi trang|Chỉ mục tìm kiếm|Trang không đổi, lấy lại từ cache/): (.*) — (\d+,\d) giây")


def phases(log):
    return {match[1]: match[2] for match in PHASE.finditer(log)}


def test_each_phase_reports_its_counts_and_seconds_at_info_level(tmp_path):
    site = build_site(tmp_path, ARTICLES)
    assert site.ok, site.log  # --fatal warnings: the lines are not warnings
    found = phases(site.log)
    assert found["Đọc nội dung"] == "7 bài viết, 1 trang"
    written = int(found["Ghi trang"].split()[0].replace(".", ""))
    # Every page, feed and robots.txt that Pelican's writer wrote (plugins write the sitemap, the
    # manifest, /admin/ and the listings' /trang-1/ redirects themselves).
    pages = [path for path in site.output.rglob("*.html")
             if path.relative_to(site.output).parts[0] not in ("pagefind", "admin")
             and path.parent.name != "trang-1"]
    assert written == len(pages) + len(list((site.output / "feeds").glob("*.xml"))) + 1
    assert found["Chỉ mục tìm kiếm"] == "8 trang"
    assert all("INFO" in line for line in site.log.splitlines() if PHASE.search(line))


def test_a_rebuild_says_the_search_index_was_reused_and_quiet_builds_say_nothing(tmp_path):
    site = build_site(tmp_path, ARTICLES)
    assert site.ok, site.log
    command = [sys.executable, "-m", "pelican", str(site.content), "-s", str(tmp_path / "test_settings.py"),
               "-o", str(site.output), "--fatal", "warnings", "-e", "OUTPUT_CACHE=false"]
    again = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "COLUMNS": "250"})
    assert again.returncode == 0
    assert "dùng lại chỉ mục trước" in phases(again.stdout + again.stderr)["Chỉ mục tìm kiếm"]
    quiet = subprocess.run(command + ["-q"], capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "COLUMNS": "250"})
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert phases(quiet.stdout + quiet.stderr) == {}


def test_photos_are_a_phase_of_their_own_between_reading_and_writing(tmp_path):
    body = "![Đại biểu dự hội nghị]({static}/images/2024/05/dai-bieu.jpg)\n\nNội dung."
    site = build_site(tmp_path, {**ARTICLES,
                                 "articles/hoat-dong-cua-nganh/co-anh.md": article_source("Tin có ảnh", "2024-05-20", body=body),
                                 "images/2024/05/dai-bieu.jpg": phone_photo(1200, 900)})
    assert site.ok, site.log
    assert phases(site.log)["Ảnh"] == "1 ảnh"
    order = [match[1] for match in PHASE.finditer(site.log)]
    assert order == ["Đọc nội dung", "Ảnh", "Ghi trang", "Chỉ mục tìm kiếm"]


def test_an_unchanged_site_restored_from_the_cache_says_so_in_one_line_and_nothing_with_q(tmp_path):
    site = build_site(tmp_path, ARTICLES)
    assert site.ok, site.log
    command = [sys.executable, "-m", "pelican", str(site.content), "-s", str(tmp_path / "test_settings.py"),
               "-o", str(site.output), "--fatal", "warnings"]
    again = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "COLUMNS": "250"})
    assert again.returncode == 0, again.stdout + again.stderr
    files = len([path for path in site.output.rglob("*") if path.is_file()])
    assert phases(again.stdout + again.stderr) == {"Trang không đổi, lấy lại từ cache/": f"{files} tệp"}
    quiet = subprocess.run(command + ["-q"], capture_output=True, text=True, cwd=tmp_path,
                           env={**os.environ, "COLUMNS": "250"})
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert phases(quiet.stdout + quiet.stderr) == {}
