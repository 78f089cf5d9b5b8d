"""Two production builds of the same commit are byte-identical, even days apart.

The second build runs with its clock moved days ahead (datetime and time.time,
see support/shifted_clock), another time zone, another hash seed (set order),
other file modification times and another folder. Anything in pages, feeds,
sitemap or the precompressed files that came from the build rather than from
the content would differ.
"""

from datetime import date, timedelta
from pathlib import Path
import gzip
import os
import shutil
import subprocess
import sys

import brotli
import pytest

from support.photos import phone_photo
from support.site_build import SITE_ROOT, article_source, build_site, write_tree

# A scheduled date within the year ahead (further than that the check asks if the year is a typo).
SCHEDULED = (date.today() + timedelta(days=60)).isoformat()

SHIFTED_CLOCK = Path(__file__).resolve().parent / "support" / "shifted_clock"
DAYS_LATER = "9"

EXTRA_CONTENT = {
    "articles/van-ban/sua-doi.md": article_source("Văn bản sửa đổi", "2024-03-01 08:00", category="Văn bản",
                                                  modified="2024-03-05 10:00").replace(
        "\n\n", "\nRedirect_from: /tin-tuc/van-ban-cu.html\n\n", 1),
    "articles/van-ban/an.md": article_source("Bài ẩn", "2024-03-02", category="Văn bản", status="hidden"),
    "articles/van-ban/hen-gio.md": article_source("Bài hẹn giờ", SCHEDULED, category="Văn bản"),
    "articles/van-ban/co-anh.md": article_source(
        "Văn bản có ảnh điện thoại", "2024-03-06", category="Văn bản",
        body="![Ảnh chụp bằng điện thoại]({static}/images/2024/03/dien-thoai.jpg)\n\n/// caption\nẢnh chụp\n///"),
    "images/2024/03/dien-thoai.jpg": phone_photo(1600, 1200, orientation=6),
}
FIRST_BUILD = {"TZ": "UTC", "PYTHONHASHSEED": "1"}
LATER_BUILD = {"TZ": "America/Los_Angeles", "PYTHONHASHSEED": "2",
               "PYTHONPATH": str(SHIFTED_CLOCK), "CLOCK_SHIFT_DAYS": DAYS_LATER}


def content_copy(folder, mtime):
    content = folder / "content"
    shutil.copytree(SITE_ROOT / "content", content)
    write_tree(content, EXTRA_CONTENT)
    for path in content.rglob("*"):
        os.utime(path, (mtime, mtime))
    return content


def tree_bytes(root):
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    first_dir, later_dir = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("later")
    first = build_site(first_dir / "site", content_dir=content_copy(first_dir, 1_700_000_000),
                       settings="publishconf", env=FIRST_BUILD)
    later = build_site(later_dir / "site", content_dir=content_copy(later_dir, 1_000_000_000),
                       settings="publishconf", env=LATER_BUILD)
    assert first.ok, first.log
    assert later.ok, later.log
    return tree_bytes(first.output), tree_bytes(later.output)


def test_the_later_build_really_runs_with_its_clock_days_ahead():
    probe = "import datetime, time; print(datetime.datetime.now().timestamp() - time.time(), time.time())"
    shifted = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             env={**os.environ, **LATER_BUILD}, check=True).stdout.split()
    real = subprocess.run([sys.executable, "-c", "import time; print(time.time())"],
                          capture_output=True, text=True, check=True).stdout
    assert abs(float(shifted[0])) < 60
    assert float(shifted[1]) - float(real) > (int(DAYS_LATER) - 1) * 86400


def test_two_builds_days_apart_are_byte_identical(two_builds):
    first, later = two_builds
    assert sorted(first) == sorted(later)
    differing = [path for path in first if first[path] != later[path]]
    assert differing == []


def test_the_compared_builds_cover_pages_feeds_sitemap_and_compressed_files(two_builds):
    first, _ = two_builds
    for path in ("index.html", "tin-tuc/sua-doi.html", "tin-tuc/an.html", "tin-tuc/van-ban-cu.html", "sitemap.xml",
                 "feeds/tat-ca.atom.xml", "feeds/tin-tuc-su-kien.atom.xml",
                 "index.html.gz", "index.html.br", "sitemap.xml.gz", "theme/css/site.css.br"):
        assert path in first, path
    assert "tin-tuc/hen-gio.html" not in first
    photo_versions = [path for path in first if path.startswith("images/2024/03/dien-thoai-")]
    assert len([path for path in photo_versions if path.endswith(".webp")]) == 4
    assert len([path for path in photo_versions if path.endswith(".jpg")]) == 1


def test_gzip_files_carry_no_timestamp_and_unpack_to_their_page(two_builds):
    first, _ = two_builds
    compressed = [path for path in first if path.endswith(".gz")]
    assert compressed
    for path in compressed:
        assert first[path][4:8] == b"\0\0\0\0", path  # MTIME field of the gzip header
        assert gzip.decompress(first[path]) == first[path.removesuffix(".gz")], path


def test_brotli_files_unpack_to_their_page(two_builds):
    first, _ = two_builds
    compressed = [path for path in first if path.endswith(".br")]
    assert compressed
    for path in compressed:
        assert brotli.decompress(first[path]) == first[path.removesuffix(".br")], path
