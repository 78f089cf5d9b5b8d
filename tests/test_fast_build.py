"""The speed-ups (reading and rendering on all cores, linear listings, no
translation matching) change how fast the site builds, never what it contains."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
import os
import re
import shutil
import subprocess
import sys

import pytest

from bench.corpus import write_corpus
from site_core.disk_cache import fingerprint
from site_core.sources import BUILD_SOURCES
from speedups.writing import HELPER_PAGES_PER_MAIN_PAGE, helpers_fit, renderers
from support.photos import phone_photo
from support.site_build import SITE_ROOT, article_source, build_again, build_site, write_tree

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


def build_with(tmp_path_factory, name, fast, articles=70, changed=None):
    """A build of the bench corpus plus the edge cases; `changed` edits the content first."""
    workdir = tmp_path_factory.mktemp(name)
    content = write_corpus(workdir / "corpus", articles)
    for relative, text in EDGE_CASES.items():
        (content / relative).write_text(text, encoding="utf-8")
    reference = next((SITE_ROOT / "content" / "articles").rglob("*.md"))
    (content / "articles" / reference.parent.name / reference.name).write_text(
        reference.read_text(encoding="utf-8"), encoding="utf-8")
    if changed:
        changed(content)
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
    assert len(expected) > 20
    for path, data in expected.items():
        if path == "sitemap.xml":
            data, actual[path] = BUILD_TIME.sub(b"", data), BUILD_TIME.sub(b"", actual[path])
        assert actual[path] == data, path


def test_parallel_and_sequential_builds_write_the_same_files_byte_for_byte(both_builds):
    assert_same_files(*both_builds)


def test_a_build_from_the_warm_conversion_cache_writes_the_same_files(both_builds):
    sequential, parallel = both_builds
    assert (parallel.output.parent / "cache" / "conversions.sqlite").stat().st_size > 0
    assert_same_files(sequential, build_again(parallel, "OUTPUT_CACHE = False\n"))


def add_a_paragraph(content):
    article = sorted((content / "articles").rglob("*.md"))[5]
    article.write_text(article.read_text(encoding="utf-8") + "\nĐoạn bổ sung -- có \"ngoặc kép\".\n",
                       encoding="utf-8")


def test_a_build_after_one_changed_article_with_the_caches_kept_writes_what_a_plain_build_writes(tmp_path_factory):
    fast = build_with(tmp_path_factory, "fast", True, articles=20)
    add_a_paragraph(fast.content)
    build_again(fast)
    assert_same_files(build_with(tmp_path_factory, "plain", False, articles=20, changed=add_a_paragraph), fast)


def test_an_unchanged_build_restored_from_the_output_cache_writes_the_same_files(both_builds):
    sequential, parallel = both_builds
    build_again(parallel, "OUTPUT_CACHE = True\n")  # stores the output; the same build again restores it
    log = rebuild(parallel)
    assert RESTORED in log
    assert_same_files(sequential, parallel)


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


# The output cache: an unchanged site comes back from cache/, and only then.
RESTORED = "lấy lại từ cache/"
SHIFTED_CLOCK = SITE_ROOT / "tests" / "support" / "shifted_clock"


def scheduled_in(days):
    return (datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


def rebuild(site, env=None):
    """The same pelican command again, its cache/ kept; returns the log."""
    result = subprocess.run([sys.executable, "-m", "pelican", str(site.content), "-s",
                             str(site.output.parent / "test_settings.py"), "-o", str(site.output),
                             "--fatal", "warnings"],
                            capture_output=True, text=True, cwd=site.output.parent,
                            env={**os.environ, "COLUMNS": "250", **(env or {})})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.fixture
def cached_site(tmp_path):
    site = build_site(tmp_path, {
        "articles/hoat-dong-cua-nganh/mot.md": article_source("Tin một", "2024-02-01"),
        "articles/hoat-dong-cua-nganh/hai.md": article_source("Tin hai", "2024-02-02"),
        "articles/hoat-dong-cua-nganh/hen-gio.md": article_source("Tin hẹn giờ", scheduled_in(3)),
    })
    assert site.ok, site.log
    assert RESTORED not in site.log
    return site


def test_an_unchanged_site_is_restored_from_the_cache_byte_for_byte_with_the_same_notices(cached_site):
    first_files, first_log = files_of(cached_site), cached_site.log
    (cached_site.output / "stray.html").write_text("left by hand", encoding="utf-8")
    log = rebuild(cached_site)
    assert RESTORED in log
    assert files_of(cached_site) == first_files
    notices = [line for line in first_log.splitlines() if line.startswith(("Thông tin:", "Đã đăng"))]
    assert any("hen-gio.md" in line for line in notices)
    assert notices == [line for line in log.splitlines() if line.startswith(("Thông tin:", "Đã đăng"))]


def test_an_output_page_written_over_in_place_after_the_build_is_never_restored(cached_site):
    def pages():
        return {path: BUILD_TIME.sub(b"", data) for path, data in files_of(cached_site).items()}

    built = pages()
    # In place, as the editor preview's quick run writes a page: the stored copy may share its data.
    with open(cached_site.output / "tin-tuc" / "mot.html", "r+b") as page:
        page.write("<!-- sửa tay -->".encode())
    rebuild(cached_site)
    assert pages() == built


def test_a_changed_article_or_setting_is_built_again(cached_site):
    article = cached_site.content / "articles" / "hoat-dong-cua-nganh" / "mot.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Tin một", "Tin một, đã sửa"), encoding="utf-8")
    log = rebuild(cached_site)
    assert RESTORED not in log
    assert cached_site.page("tin-tuc/mot.html").select_one("h1").get_text() == "Tin một, đã sửa"
    assert RESTORED in rebuild(cached_site)
    settings = cached_site.output.parent / "test_settings.py"
    settings.write_text(settings.read_text(encoding="utf-8") + 'SITENAME = "Tên trang mới"\n', encoding="utf-8")
    assert RESTORED not in rebuild(cached_site)
    assert "Tên trang mới" in cached_site.page("index.html").select_one("title").get_text()


def test_once_a_scheduled_article_is_due_the_site_is_built_again_and_shows_it(cached_site):
    assert not (cached_site.output / "tin-tuc" / "hen-gio.html").exists()
    log = rebuild(cached_site, {"PYTHONPATH": str(SHIFTED_CLOCK), "CLOCK_SHIFT_DAYS": "4"})
    assert RESTORED not in log
    assert cached_site.page("tin-tuc/hen-gio.html").select_one("h1").get_text() == "Tin hẹn giờ"


SWAP_PHOTO_WHEN_PELICAN_STARTS = """
import os
import shutil
from pelican import signals

def swap(pelican):
    shutil.copyfile(os.environ["SWAP_FROM"], os.environ["SWAP_TO"])

signals.initialized.connect(swap)
"""


def photo_names(site):
    return sorted(source["srcset"] for source in site.page("tin-tuc/mot.html").select("img[srcset]"))


def test_an_output_whose_inputs_changed_while_it_was_built_is_not_kept_in_the_cache(tmp_path):
    first, second = phone_photo(800, 600, seed=1), phone_photo(800, 600, seed=2)
    site = build_site(tmp_path, {
        "articles/mot.md": article_source("Tin một", "2024-02-01", body="![Ảnh đại biểu]({static}/images/a.jpg)"),
        "images/a.jpg": first})
    assert site.ok, site.log
    photos_of_the_first = photo_names(site)
    swapper = tmp_path / "swapper"
    swapper.mkdir()
    (swapper / "sitecustomize.py").write_text(SWAP_PHOTO_WHEN_PELICAN_STARTS, encoding="utf-8")
    (swapper / "second.jpg").write_bytes(second)
    article = site.content / "articles" / "mot.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Tin một", "Tin một, đã sửa"), encoding="utf-8")
    # The cache's key is made from the first photo, then the build runs on the second one.
    rebuild(site, {"PYTHONPATH": str(swapper), "SWAP_FROM": str(swapper / "second.jpg"),
                   "SWAP_TO": str(site.content / "images" / "a.jpg")})
    assert photo_names(site) != photos_of_the_first
    (site.content / "images" / "a.jpg").write_bytes(first)
    log = rebuild(site)
    assert RESTORED not in log
    assert photo_names(site) == photos_of_the_first


def test_a_build_with_the_output_cache_off_neither_restores_nor_stores(tmp_path):
    site = build_site(tmp_path, {"articles/mot.md": article_source("Tin một", "2024-02-01")},
                      overrides="OUTPUT_CACHE = False\n")
    assert site.ok, site.log
    assert RESTORED not in rebuild(site)
    assert not (tmp_path / "cache" / "output").exists()


def content_with_every_mistake(tmp_path):
    """The many-errors fixture plus every case of test_content_check, each in its own file."""
    from test_content_check import CASES, ARTICLE

    content = tmp_path / "content"
    shutil.copytree(SITE_ROOT / "tests" / "fixtures" / "many-errors" / "content", content)
    for number, (files, *_) in enumerate(CASES.values()):
        for relative, text in files.items():
            if relative == ARTICLE:
                relative = f"articles/hoat-dong-cua-nganh/truong-hop-{number}.md"
            write_tree(content, {relative: text})
    write_tree(content, {"articles/van-ban/hen-gio.md": article_source("Hẹn giờ", "2024-06-01", category="Văn bản"),
                         "articles/van-ban/trung-tieu-de.md": article_source("Hẹn giờ", "2023-06-01",
                                                                             category="Văn bản")})
    return content


def check_outcome(result):
    """What a check tells and hands on: problems, warnings, notices, report, and each parsed source."""
    sources = {path: (source.header, source.body_html) for path, source in sorted(BUILD_SOURCES.by_path.items())}
    return result.problems, result.warnings, result.notices, result.report(), sources


def test_the_content_check_on_all_cores_reports_exactly_what_one_process_reports(tmp_path):
    from content_check import check_site
    from pelican.settings import read_settings

    content = content_with_every_mistake(tmp_path)
    results = {}
    for parallel in (False, True):
        settings = read_settings(str(SITE_ROOT / "pelicanconf.py"), override={
            "PATH": str(content), "PARALLEL_CHECK": parallel, "PARALLEL_CHECK_MIN_FILES": 1})
        results[parallel] = check_outcome(check_site(settings, now=datetime(2024, 1, 1)))
    sequential, pooled = results[False], results[True]
    assert len(sequential[0]) > 40 and sequential[1] and sequential[2]
    assert pooled == sequential


def test_a_check_with_its_readings_kept_in_cache_reads_only_changed_files_and_reports_what_a_fresh_one_does(
        tmp_path, monkeypatch):
    from content_check import check_site
    import content_check.content_check as checking
    from pelican.settings import read_settings

    content = content_with_every_mistake(tmp_path)
    now = datetime(2024, 1, 1)
    read = []
    read_file = checking.read_file
    monkeypatch.setattr(checking, "read_file", lambda kind, path, *rest: read.append(path) or read_file(kind, path, *rest))

    def checked(cache, **override):
        read.clear()
        settings = read_settings(str(SITE_ROOT / "pelicanconf.py"), override={
            "PATH": str(content), "CACHE_PATH": str(tmp_path / "cache"), "PARALLEL_CHECK": False, **override})
        return check_outcome(check_site(settings, now=now, cache=cache))

    fresh = checked(cache=False)
    files = len(read)
    assert checked(cache=True) == fresh and len(read) == files
    assert checked(cache=True) == fresh and read == []
    # A new mistake in one file, and a slug another, unchanged file has: the checks across files still see it.
    changed = content / "articles" / "van-ban" / "hen-gio.md"
    changed.write_text(article_source("Hẹn giờ", "06/01/2024", category="Văn bản", slug="trung-tieu-de"),
                       encoding="utf-8")
    warm = checked(cache=True)
    assert read == [str(changed)]
    assert warm == checked(cache=False)
    assert any(problem.path.endswith("trung-tieu-de.md") and "trùng" in problem.message for problem in warm[0])
    # A reading setting changed: every file is read again.
    hosts = ["www.youtube-nocookie.com", "player.vimeo.com"]
    assert checked(cache=True, SANITIZER_IFRAME_HOSTS=hosts) == checked(cache=False, SANITIZER_IFRAME_HOSTS=hosts)
    checked(cache=True, SANITIZER_IFRAME_HOSTS=hosts)
    assert read == []
    checked(cache=True)
    assert len(read) == files
