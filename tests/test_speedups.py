"""The speed-ups' guard: they run only on the Pelican they were tested with,
and the Pelican code they lean on is pinned, so an upgrade fails here loudly."""

import os
import subprocess
import sys

import pytest

from speedups.guard import version_tested
from speedups.pins import PINNED_SOURCES, changed_sources, source_digest
from support.site_build import article_source, build_site

ARTICLES = {f"articles/hoat-dong-cua-nganh/tin-{number}.md": article_source(
    f"Tin số {number} về “đoàn kết”", f"2024-03-{number:02d}", body=f'Nội dung -- "bài {number}"...')
    for number in range(1, 13)}
FEW_FILES = "PARALLEL_READING_MIN_FILES = PARALLEL_WRITING_MIN_ARTICLES = 1\n"
FAKE_NEWER_PELICAN = "import pelican\npelican.__version__ = '4.13.0'\n"


def test_the_pelican_code_the_speedups_lean_on_is_the_code_they_were_tested_with():
    # Fails after a Pelican upgrade that changed any of it: read the change, test, then re-pin.
    assert changed_sources() == []


def test_a_changed_or_missing_pinned_source_is_noticed():
    name = next(iter(PINNED_SOURCES))
    assert changed_sources({name: "0" * 64}) == [name]
    assert source_digest("pelican.writers:Writer.no_such_method") == "missing"
    assert changed_sources({"pelican.writers:Writer.no_such_method": "0" * 64}) == [
        "pelican.writers:Writer.no_such_method"]


@pytest.mark.parametrize("version, tested", [
    ("4.12.0", True), ("4.12.7", True), ("4.12.0.dev3", True),
    ("4.11.0", False), ("4.13.0", False), ("5.12.0", False), ("4.120.0", False), ("4.1.12", False), ("dev", False),
])
def test_only_the_tested_pelican_series_counts_as_tested(version, tested):
    assert version_tested(version) is tested


def files_of(output):
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*")) if path.is_file() and path.name != "sitemap.xml"}


def test_on_an_untested_pelican_the_speedups_step_aside_with_one_warning_and_the_site_is_the_same(tmp_path):
    plain = build_site(tmp_path / "plain", ARTICLES, overrides="SPEEDUPS = False\n")
    assert plain.ok, plain.log
    # CI builds with --fatal warnings: there the warning stops the build, loudly.
    strict = build_site(tmp_path / "strict", ARTICLES, overrides=FAKE_NEWER_PELICAN + FEW_FILES)
    assert not strict.ok
    assert "Pelican 4.13.0" in strict.log
    settings = tmp_path / "strict" / "test_settings.py"
    lenient = subprocess.run(
        [sys.executable, "-m", "pelican", str(strict.content), "-s", str(settings), "-o", str(strict.output)],
        capture_output=True, text=True, cwd=tmp_path / "strict", env={**os.environ, "COLUMNS": "400"})
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    log = lenient.stdout + lenient.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and "Pelican 4.13.0" in warnings[0] and "4.12.x" in warnings[0], log
    # Nothing of the speed-ups ran: no conversion cache, and Pelican typogrified by itself.
    assert not (tmp_path / "strict" / "cache" / "conversions.sqlite").exists()
    assert files_of(strict.output) == files_of(plain.output)
    assert "“bài 3”…" in strict.page("tin-tuc/tin-3.html").select_one(".article-body").get_text()


def test_on_the_tested_pelican_the_speedups_run(tmp_path):
    site = build_site(tmp_path, ARTICLES, overrides=FEW_FILES)
    assert site.ok, site.log
    assert "speedups" not in site.log
    assert (tmp_path / "cache" / "conversions.sqlite").stat().st_size > 0
