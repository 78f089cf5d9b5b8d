"""The speed-ups (reading and rendering on all cores, linear listings, no
translation matching) change how fast the site builds, never what it contains."""

import re

import pytest

from bench.corpus import write_corpus
from speedups.conversion_cache import fingerprint
from speedups.writing import HELPER_PAGES_PER_MAIN_PAGE, helpers_fit, renderers
from support.site_build import SITE_ROOT, article_source, build_again, build_site

# pelican-sitemap stamps undated pages with the build time; nothing else may differ.
BUILD_TIME = re.compile(rb"<lastmod>[^<]*</lastmod>")

EDGE_CASES = {
    "articles/hoat-dong-cua-nganh/tom-tat-rieng.md": article_source(
        'Tin có "tóm tắt" riêng', "2024-01-02", summary='Tóm tắt -- có *nhấn mạnh* và "ngoặc kép"...'),
    "articles/hoat-dong-cua-nganh/an.md": article_source("Bài ẩn", "2024-01-03", status="hidden"),
    "articles/hoat-dong-cua-nganh/nhap.md": article_source("Bản nháp", "2024-01-04", status="draft"),
    "articles/van-ban/ma-nguon.md": article_source(
        "Văn bản có mã", "2024-01-05", category="Văn bản",
        body='## Đại hội\n\n    "giữ nguyên" -- trong khối mã\n\nA & B --- "C"[^1]\n\n[^1]: Chú thích.'),
}


def build_with(tmp_path_factory, name, fast):
    workdir = tmp_path_factory.mktemp(name)
    content = write_corpus(workdir / "corpus", 70)
    for relative, text in EDGE_CASES.items():
        (content / relative).write_text(text, encoding="utf-8")
    reference = next((SITE_ROOT / "content" / "articles").rglob("*.md"))
    (content / "articles" / reference.parent.name / reference.name).write_text(
        reference.read_text(encoding="utf-8"), encoding="utf-8")
    plain_pelican = "" if fast else 'ARTICLE_TRANSLATION_ID = PAGE_TRANSLATION_ID = "slug"\n'
    site = build_site(workdir, content_dir=content, overrides=(
        f"SPEEDUPS = {fast}\n"
        "PARALLEL_READING_MIN_FILES = PARALLEL_WRITING_MIN_ARTICLES = 1\n"
        + plain_pelican))
    assert site.ok, site.log
    return site


def files_of(site):
    return {path.relative_to(site.output).as_posix(): path.read_bytes()
            for path in sorted(site.output.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory):
    return build_with(tmp_path_factory, "sequential", False), build_with(tmp_path_factory, "parallel", True)


def assert_same_files(expected, actual):
    expected, actual = files_of(expected), files_of(actual)
    assert sorted(actual) == sorted(expected)
    assert len(expected) > 70
    for path, data in expected.items():
        if path == "sitemap.xml":
            data, actual[path] = BUILD_TIME.sub(b"", data), BUILD_TIME.sub(b"", actual[path])
        assert actual[path] == data, path


def test_parallel_and_sequential_builds_write_the_same_files_byte_for_byte(both_builds):
    assert_same_files(*both_builds)


def test_a_build_from_the_warm_conversion_cache_writes_the_same_files(both_builds):
    sequential, parallel = both_builds
    assert (parallel.output.parent / "cache" / "conversions.sqlite").stat().st_size > 0
    assert_same_files(sequential, build_again(parallel))


def test_a_conversion_setting_change_is_never_served_from_the_cache(tmp_path):
    site = build_site(tmp_path, {"articles/mot.md": article_source("Tin một", "2024-02-01", body='Nói "vâng" -- rồi.')})
    assert site.ok, site.log
    assert "“vâng” –" in site.page("tin-tuc/mot.html").select_one(".article-body").get_text()
    build_again(site, "TYPOGRIFY = False\n")
    assert 'Nói "vâng" -- rồi.' in site.page("tin-tuc/mot.html").select_one(".article-body").get_text()


def test_the_cache_key_changes_with_a_plugin_source_a_library_setting_or_a_function_name(tmp_path):
    plugin = tmp_path / "plugins" / "mot" / "mot.py"
    plugin.parent.mkdir(parents=True)
    plugin.write_text("A = 1\n")
    settings = {"PLUGIN_PATHS": [str(tmp_path / "plugins")], "MARKDOWN": {"x": {"slugify": fingerprint}}}
    names = ["MARKDOWN"]
    first = fingerprint(settings, names)
    assert fingerprint(dict(settings), names) == first
    plugin.write_text("A = 2\n")
    second = fingerprint(settings, names)
    assert second != first
    assert fingerprint({**settings, "MARKDOWN": {"x": {"slugify": build_site}}}, names) != second


def test_parallel_build_still_typogrifies_bodies_titles_and_summaries_once(both_builds):
    page = both_builds[1].page("tin-tuc/tom-tat-rieng.html")
    assert page.select_one("h1").get_text() == "Tin có “tóm tắt” riêng"
    assert page.select_one('meta[name="description"]')["content"] == "Tóm tắt – có nhấn mạnh và “ngoặc kép”…"
    body = both_builds[1].page("tin-tuc/ma-nguon.html").select_one(".article-body")
    assert '"giữ nguyên" -- trong khối mã' in body.select_one("pre").get_text()
    assert "A & B — “C”" in body.get_text()


def test_two_articles_with_one_slug_still_fail_the_build(tmp_path):
    # Without the content check, which stops this earlier: Pelican's own overwrite
    # guard must still see both articles with the speed-ups on.
    site = build_site(tmp_path, {
        "articles/hoat-dong-cua-nganh/trung-ten.md": article_source("Bài một", "2024-01-01"),
        "articles/van-ban/trung-ten.md": article_source("Bài hai", "2024-01-02", category="Văn bản"),
    }, overrides='PLUGINS = [name for name in PLUGINS if name != "content_check"]\n')
    assert not site.ok
    assert "tin-tuc/trung-ten.html" in site.log


def test_rendering_helpers_start_only_within_the_memory_budget():
    assert helpers_fit({"PARALLEL_WRITING_MEMORY_MIB": 0}, 1)
    assert not helpers_fit({"PARALLEL_WRITING_MEMORY_MIB": 1}, 1)
    assert helpers_fit({"PARALLEL_WRITING_MEMORY_MIB": 100_000}, 1)


def test_each_helper_renders_more_pages_than_the_main_process_which_writes_them_all():
    one_helper = [renderers(1)[index % len(renderers(1))] for index in range(400)]
    assert one_helper.count(1) == HELPER_PAGES_PER_MAIN_PAGE * one_helper.count(0) == 300
    two_helpers = renderers(2)
    assert sorted(set(two_helpers)) == [0, 1, 2]
    assert two_helpers.count(1) == two_helpers.count(2) == HELPER_PAGES_PER_MAIN_PAGE * two_helpers.count(0)
