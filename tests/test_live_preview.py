"""The editor preview's builder: after any save its output is what a full build writes,
byte for byte, and a failed build never changes what is served."""

from collections import Counter
from datetime import datetime, timedelta
import gc
import io
import json
import os
import re
import shutil
import subprocess
import weakref

from bs4 import BeautifulSoup
import pytest

from bench.corpus import write_corpus
from editor_tools.live_preview import PreviewBuilder
from editor_tools.live_preview.live_preview import Content, serve_commands
from site_core.problems import ContentProblems
from support.site_build import SITE_ROOT, build_site


def settings_file(workdir, content, extra=""):
    path = workdir / "preview_settings.py"
    path.write_text(f"import sys\nsys.path.insert(0, {str(SITE_ROOT)!r})\nfrom pelicanconf import *\n"
                    f"PATH = {str(content)!r}\nSEARCH_INDEX_CACHE = False\n{extra}", encoding="utf-8")
    return path


def set_header(path, key, value):
    """Replace (or add, or with None remove) one front-matter line."""
    text = path.read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    lines = [line for line in header.splitlines() if not line.startswith(f"{key}:")]
    if value is not None:
        lines.append(f"{key}: {value}")
    path.write_text("\n".join(lines) + "\n\n" + body, encoding="utf-8")


def articles_of(content, category="van-ban"):
    return sorted((content / "articles" / category).glob("*.md"))


@pytest.fixture
def preview(tmp_path):
    content = write_corpus(tmp_path / "corpus", 36, fixture_agencies=2)
    output = tmp_path / "preview-output"
    builder = PreviewBuilder(settings_file(tmp_path, content), output)
    assert builder.rebuild().kind == "full"
    return builder, content, output


def tree(output):
    """Every file of a build but the search index (rebuilt later, when saves pause)."""
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*")) if path.is_file() and path.relative_to(output).parts[0] != "pagefind"}


def full_build(tmp_path, content, extra=""):
    output = tmp_path / "full-output"
    shutil.rmtree(output, ignore_errors=True)
    PreviewBuilder(settings_file(tmp_path / "corpus", content, extra), output).rebuild()
    return output


def assert_same_as_full_build(tmp_path, content, output, extra=""):
    expected, actual = tree(full_build(tmp_path, content, extra)), tree(output)
    assert sorted(actual) == sorted(expected), (set(actual) ^ set(expected))
    differing = [name for name in expected if actual[name] != expected[name]]
    assert not differing, differing


def content_bytes(content):
    return {str(path): path.read_bytes() for path in content.rglob("*") if path.is_file()}


def rebuild_after(builder, content, change):
    """Make the change, then rebuild as the session does: told the paths the watcher reports
    (every file whose bytes changed, that appeared or that went)."""
    before = content_bytes(content)
    change()
    after = content_bytes(content)
    return builder.rebuild(paths=sorted(path for path in before.keys() | after.keys()
                                        if before.get(path) != after.get(path)))


def page(output, path):
    return BeautifulSoup((output / path).read_bytes(), "lxml")


def links_to(output, address):
    return sorted(path.relative_to(output).as_posix() for path in output.rglob("*.html")
                  if page(output, path.relative_to(output)).find("a", href=address))


def edit_title(content):
    set_header(articles_of(content)[0], "Title", "Tiêu đề đã sửa -- có \"ngoặc kép\"")


def change_slug(content):
    set_header(articles_of(content)[1], "Slug", "duong-dan-moi-cua-bai")


def rename_file(content):
    article = articles_of(content)[0]
    article.rename(article.with_name("ten-tep-moi.md"))


def back_to_draft(content):
    set_header(articles_of(content)[0], "Status", "draft")


def schedule(content):
    tomorrow = datetime.now() + timedelta(days=3)
    set_header(articles_of(content)[0], "Date", f"{tomorrow:%Y-%m-%d %H:%M}")


def move_category(content):
    set_header(articles_of(content)[0], "Category", "Tin tức - Sự kiện")


def new_date(content):
    set_header(articles_of(content, "tin-tuc-su-kien")[-1], "Date", "2026-01-02 08:00")


def gain_agencies(content):
    article = next(path for path in sorted((content / "articles").rglob("*.md"))
                   if "Agencies:" not in path.read_text(encoding="utf-8"))
    set_header(article, "Agencies", "co-quan-mau-1, co-quan-mau-2")


def lose_agencies(content):
    article = next(path for path in sorted((content / "articles").rglob("*.md"))
                   if "Agencies:" in path.read_text(encoding="utf-8"))
    set_header(article, "Agencies", None)


def add_article(content):
    source = articles_of(content)[0].read_text(encoding="utf-8")
    (content / "articles" / "van-ban" / "bai-moi-them.md").write_text(
        re.sub(r"^Title: .*$", "Title: Bài mới thêm vào", source, count=1, flags=re.MULTILINE), encoding="utf-8")


def delete_article(content):
    articles_of(content)[2].unlink()


def edit_two_articles(content):
    set_header(articles_of(content)[0], "Title", "Bài thứ nhất đã sửa")
    set_header(articles_of(content, "tin-tuc-su-kien")[0], "Title", "Bài thứ hai đã sửa")


@pytest.mark.parametrize("change", [edit_title, change_slug, rename_file, back_to_draft, schedule, move_category,
                                    new_date, gain_agencies, lose_agencies, add_article, delete_article,
                                    edit_two_articles])
def test_a_quick_rebuild_leaves_the_output_a_full_build_would_write(preview, tmp_path, change):
    builder, content, output = preview

    reply = rebuild_after(builder, content, lambda: change(content))

    # A page that goes away (old address, emptied listing) is followed by a full build.
    assert reply.ok and reply.kind in ("articles", "full"), reply
    assert reply.search_pending == (reply.kind == "articles")
    assert_same_as_full_build(tmp_path, content, output)


# Two articles a page: every category and month has several pages, so a quick run
# takes most of a listing's pages from the output and renders only those that change.
PAGED = "DEFAULT_PAGINATION = 2\n"


@pytest.mark.parametrize("change", [edit_title, new_date, move_category, change_slug, back_to_draft, add_article,
                                    delete_article])
def test_a_quick_rebuild_of_paged_listings_leaves_the_output_a_full_build_would_write(tmp_path, change):
    content = write_corpus(tmp_path / "corpus", 36, fixture_agencies=2)
    output = tmp_path / "preview-output"
    builder = PreviewBuilder(settings_file(tmp_path, content, PAGED), output)
    assert builder.rebuild().kind == "full"

    reply = rebuild_after(builder, content, lambda: change(content))

    assert reply.ok and reply.kind in ("articles", "full"), reply
    assert_same_as_full_build(tmp_path, content, output, PAGED)


def test_a_title_change_renders_only_the_listing_page_that_shows_the_article(tmp_path):
    content = write_corpus(tmp_path / "corpus", 36, fixture_agencies=2)
    output = tmp_path / "preview-output"
    builder = PreviewBuilder(settings_file(tmp_path, content, PAGED), output)
    builder.rebuild()
    article = articles_of(content)[0]
    address = f"/tin-tuc/{article.stem}.html"
    listing = sorted(path for path in (output / "chuyen-muc" / "van-ban").rglob("*.html")
                     if path.parent.name != "trang-1")  # plugins/first_page_redirects' page
    showing = [path for path in listing if page(output, path.relative_to(output)).find("a", href=address)]
    assert len(showing) == 1 and len(listing) > 2
    # A mark only a page taken from the output as it is keeps.
    for path in listing:
        path.write_text(path.read_text(encoding="utf-8") + "<!-- giữ nguyên -->", encoding="utf-8")

    rebuild_after(builder, content, lambda: set_header(article, "Title", "Tiêu đề mới trên một trang"))

    rendered = [path for path in listing if "<!-- giữ nguyên -->" not in path.read_text(encoding="utf-8")]
    assert rendered == showing
    assert "Tiêu đề mới trên một trang" in page(output, showing[0].relative_to(output)).get_text()


def test_a_quick_rebuild_writes_only_the_pages_made_from_the_changed_article(preview):
    builder, content, output = preview
    article = articles_of(content)[0]
    address = f"/tin-tuc/{article.stem}.html"
    listing = set(links_to(output, address))
    before = {path: path.stat().st_mtime_ns for path in output.rglob("*.html")}
    set_header(article, "Title", "Tiêu đề mới")

    builder.rebuild()

    rewritten = {path.relative_to(output).as_posix() for path, stamp in before.items()
                 if path.stat().st_mtime_ns != stamp}
    assert f"tin-tuc/{article.stem}.html" in rewritten and listing <= rewritten
    unrelated = [path for path in before if path.parts[-2] == "tin-tuc" and
                 path.relative_to(output).as_posix() not in listing | {f"tin-tuc/{article.stem}.html"}]
    assert unrelated and not any(path.relative_to(output).as_posix() in rewritten for path in unrelated)


def test_an_old_address_is_no_longer_served_after_a_slug_change_and_nothing_links_to_it(preview):
    builder, content, output = preview
    article = articles_of(content)[1]
    old = f"/tin-tuc/{article.stem}.html"
    assert links_to(output, old)
    set_header(article, "Slug", "dia-chi-moi")

    builder.rebuild()

    assert not (output / old.lstrip("/")).exists()
    assert (output / "tin-tuc/dia-chi-moi.html").exists()
    assert links_to(output, old) == []


def test_a_draft_and_a_scheduled_article_are_written_at_their_preview_address_with_a_banner(preview):
    builder, content, output = preview
    draft, scheduled = articles_of(content)[:2]
    set_header(draft, "Status", "draft")
    set_header(scheduled, "Date", f"{datetime.now() + timedelta(days=30):%Y-%m-%d %H:%M}")

    reply = builder.rebuild()

    for article, label, kind in ((draft, "BẢN NHÁP", "draft"), (scheduled, "BÀI HẸN GIỜ", "scheduled")):
        shown = page(output, f"ban-nhap/{article.stem}.html")
        assert shown.select_one(".preview-banner-label").get_text(strip=True) == label
        assert not (output / f"tin-tuc/{article.stem}.html").exists()
        assert [f"/ban-nhap/{article.stem}.html", kind] in [entry[1:] for entry in reply.drafts]


def test_drafts_are_never_written_by_a_production_build(tmp_path):
    content = write_corpus(tmp_path / "corpus", 6)
    draft = sorted((content / "articles").rglob("*.md"))[0]
    set_header(draft, "Status", "draft")
    site = build_site(tmp_path / "publish", content_dir=content, settings="publishconf")
    assert site.ok, site.log
    assert not list(site.output.rglob(f"{draft.stem}.html*"))
    assert not (site.output / "ban-nhap").exists()


def test_a_photo_copied_in_with_its_old_date_rebuilds_only_the_articles_that_show_it(preview, tmp_path):
    from PIL import Image

    builder, content, output = preview
    photo = next((content / "images").rglob("*.jpg"))
    users = links_to_photo(output, photo)
    assert users
    before = {path: page(output, path).find("img", src=re.compile(photo.stem))["src"] for path in users}
    stat = photo.stat()

    def copy_old_photo():
        with Image.open(photo) as image:
            image.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(photo, quality=80)
        os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns - 400 * 86400 * 10**9))  # `cp -p` of an old photo

    reply = rebuild_after(builder, content, copy_old_photo)

    assert (reply.kind, reply.what) == ("articles", f"1 ảnh ({len(users)} bài dùng ảnh)"), reply
    assert all(page(output, path).find("img", src=re.compile(photo.stem))["src"] != before[path] for path in users)
    assert not any((output / src.lstrip("/")).exists() for src in before.values())
    assert_same_as_full_build(tmp_path, content, output)


def test_a_photo_replaced_by_one_of_the_same_size_and_date_is_seen(preview, tmp_path):
    builder, content, output = preview
    photo = next((content / "images").rglob("*.jpg"))
    [shown_before] = {page(output, path).find("img", src=re.compile(photo.stem))["src"]
                      for path in links_to_photo(output, photo)}
    data, stat = bytearray(photo.read_bytes()), photo.stat()
    assert data[6:11] == b"JFIF\0"
    data[15] += 1  # the JFIF header's horizontal density: other bytes, the same length, the same pixels

    def replace_photo():
        photo.write_bytes(bytes(data))
        os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    assert rebuild_after(builder, content, replace_photo).kind == "articles"

    shown = {page(output, path).find("img", src=re.compile(photo.stem))["src"] for path in links_to_photo(output, photo)}
    assert shown and shown_before not in shown
    assert_same_as_full_build(tmp_path, content, output)


def test_a_new_photo_is_a_quick_rebuild_before_while_and_after_an_article_shows_it(preview, tmp_path):
    builder, content, output = preview
    placeholder = next((content / "images").rglob("*.jpg"))
    new_photo = content / "images" / "2024" / "05" / "anh-moi.jpg"
    new_photo.parent.mkdir(parents=True)
    shutil.copyfile(placeholder, new_photo)
    new_photo.write_bytes(new_photo.read_bytes()[:15] + b"\x07" + new_photo.read_bytes()[16:])

    assert builder.rebuild().kind == "articles"  # nothing shows it yet: nothing published
    assert_same_as_full_build(tmp_path, content, output)

    article = articles_of(content)[3]
    article.write_text(article.read_text(encoding="utf-8") + "\n![Ảnh mới]({static}/images/2024/05/anh-moi.jpg)\n",
                       encoding="utf-8")
    assert builder.rebuild().kind == "articles"
    shown = page(output, f"tin-tuc/{article.stem}.html").find("img", src=re.compile("anh-moi"))
    assert shown and (output / shown["src"].lstrip("/")).exists()
    assert_same_as_full_build(tmp_path, content, output)

    article.write_text(article.read_text(encoding="utf-8").replace("![Ảnh mới]", "Không còn ảnh [Ảnh mới]")
                       .replace("({static}/images/2024/05/anh-moi.jpg)", ""), encoding="utf-8")
    assert builder.rebuild().kind == "articles"  # nothing shows it any more: its versions go
    assert not (output / shown["src"].lstrip("/")).exists()
    assert_same_as_full_build(tmp_path, content, output)


def test_a_photo_linked_as_a_file_is_a_full_build(preview, tmp_path):
    builder, content, output = preview
    photo = next((content / "images").rglob("*.jpg"))
    article = articles_of(content)[2]
    article.write_text(article.read_text(encoding="utf-8") +
                       f"\n[Tải ảnh gốc]({{static}}/{photo.relative_to(content).as_posix()})\n", encoding="utf-8")
    assert builder.rebuild().kind in ("articles", "full")
    photo.write_bytes(photo.read_bytes()[:15] + b"\x05" + photo.read_bytes()[16:])

    assert builder.rebuild().kind == "full"  # published under its own name too, beside the pages


def test_a_same_length_correction_with_the_same_file_time_is_seen(preview):
    builder, content, output = preview
    article = articles_of(content)[0]
    stat = article.stat()

    def correct():
        article.write_text(article.read_text(encoding="utf-8").replace("Title: ", "Title: Z", 1)[:-1],
                           encoding="utf-8")
        os.utime(article, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # 2-second file times: nothing to see there

    assert rebuild_after(builder, content, correct).kind == "articles"
    assert article.stat().st_size == stat.st_size
    assert page(output, f"tin-tuc/{article.stem}.html").h1.get_text().startswith("Z")


def test_files_the_watcher_did_not_report_are_found_by_their_names(preview, tmp_path):
    builder, content, output = preview
    add_article(content)
    delete_article(content)

    assert builder.rebuild(paths=[]).kind in ("articles", "full")

    assert (output / "tin-tuc" / "bai-moi-them.html").exists()
    assert_same_as_full_build(tmp_path, content, output)


def test_a_change_reported_under_another_name_of_the_folder_is_seen(preview, tmp_path):
    builder, content, output = preview
    other_name = tmp_path / "ten-khac"
    other_name.symlink_to(content, target_is_directory=True)
    article = articles_of(content)[0]
    set_header(article, "Title", "Sửa qua đường dẫn khác")

    reply = builder.rebuild(paths=[str(other_name / article.relative_to(content))])

    assert reply.kind == "articles"
    assert page(output, f"tin-tuc/{article.stem}.html").h1.get_text() == "Sửa qua đường dẫn khác"


def test_a_file_saved_while_another_is_wrong_is_built_once_both_are_right(preview, tmp_path):
    builder, content, output = preview
    wrong, other = articles_of(content)[:2]
    original = wrong.read_text(encoding="utf-8")

    with pytest.raises(ContentProblems):
        rebuild_after(builder, content, lambda: set_header(wrong, "Date", "ngày mai"))
    with pytest.raises(ContentProblems):
        rebuild_after(builder, content, lambda: set_header(other, "Title", "Bài kia đã sửa"))
    assert rebuild_after(builder, content, lambda: wrong.write_text(original, encoding="utf-8")).kind == "articles"

    assert page(output, f"tin-tuc/{other.stem}.html").h1.get_text() == "Bài kia đã sửa"
    assert_same_as_full_build(tmp_path, content, output)


def links_to_photo(output, photo):
    return [path.relative_to(output).as_posix() for path in sorted((output / "tin-tuc").glob("*.html"))
            if page(output, path.relative_to(output)).find("img", src=re.compile(photo.stem))]


def test_a_mistake_keeps_the_last_good_site_and_its_fix_is_a_quick_rebuild(preview, capsys):
    builder, content, output = preview
    article = articles_of(content)[0]
    original = article.read_text(encoding="utf-8")
    before = tree(output)
    article.write_text(re.sub(r"^Date: (\d+)-(\d+)-(\d+)", r"Date: \3/\2/\1", original, count=1, flags=re.MULTILINE),
                       encoding="utf-8")
    replies = io.StringIO()

    serve_commands(builder, commands=['{"command": "rebuild"}\n'], replies=replies)

    reply = json.loads(replies.getvalue())
    shown = capsys.readouterr().err
    assert not reply["ok"] and "Traceback" not in shown
    [problem] = reply["problems"]
    assert problem["path"].endswith(f"{article.stem}.md") and problem["line"] == 2
    assert "năm-tháng-ngày" in problem["message"] and problem["fix"]
    assert f"{problem['path']}:2: {problem['message']}" in shown and "Cách sửa:" in shown
    assert tree(output) == before
    article.write_text(original.replace("Title: ", "Title: Đã sửa ", 1), encoding="utf-8")
    assert builder.rebuild().kind == "articles"


def test_a_template_mistake_is_reported_with_its_line_and_the_site_stays(tmp_path):
    content = write_corpus(tmp_path / "corpus", 4)
    theme = tmp_path / "theme"
    shutil.copytree(SITE_ROOT / "theme", theme)
    settings = settings_file(tmp_path, content)
    settings.write_text(settings.read_text(encoding="utf-8") + f"THEME = {str(theme)!r}\n", encoding="utf-8")
    output = tmp_path / "preview-output"
    builder = PreviewBuilder(settings, output)
    builder.rebuild()
    before = tree(output)
    template = theme / "templates" / "article.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9] + "{{ article.title | khong_co_bo_loc }}"
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    replies = io.StringIO()

    serve_commands(builder, commands=['{"command": "rebuild", "full": true}\n'], replies=replies)

    reply = json.loads(replies.getvalue())
    assert not reply["ok"]
    assert reply["problems"][0]["path"].endswith("templates/article.html")
    assert reply["problems"][0]["line"] == 10
    assert tree(output) == before
    assert not (tmp_path / "preview-output.dang-dung").exists()


def test_a_css_change_is_copied_without_a_build(preview):
    builder, content, output = preview
    css = SITE_ROOT / "theme" / "static" / "css" / "site.css"
    (output / "theme" / "css" / "site.css").write_text("/* cũ */", encoding="utf-8")

    reply = builder.copy_theme_static([str(css)])

    assert (reply.kind, reply.what) == ("css", "/theme/css/site.css")
    assert (output / "theme" / "css" / "site.css").read_bytes() == css.read_bytes()


def test_pelicans_memoized_content_keeps_only_the_articles_of_the_last_build(preview):
    """Pins the Pelican internal the worker clears (pelican.utils.memoized's `cache`)."""
    builder, content, _ = preview
    article = articles_of(content)[0]
    for number in range(4):
        set_header(article, "Title", f"Lần sửa {number}")
        builder.rebuild()
    cache = Content.get_content.cache
    assert isinstance(cache, dict) and cache
    kept = {id(article) for article in builder.articles.values()}
    assert {id(key[0]) for key in cache} <= kept


def live_objects_by_type():
    gc.collect()
    return Counter(repr(type(thing)) for thing in gc.get_objects())


def test_the_worker_keeps_no_object_per_rebuild(preview):
    """Over two equal runs of quick rebuilds, no kind of object grows by one or more per
    rebuild in both: what a build made and then dropped is freed (a sanitizer held in a
    cycle through nh3's Cleaner, which the garbage collector cannot see into, was not)."""
    builder, content, _ = preview
    article = articles_of(content)[0]
    rebuilds = 5

    def save_and_rebuild(times):
        for _ in range(times):
            save_and_rebuild.count += 1
            set_header(article, "Title", f"Lần sửa {save_and_rebuild.count}")
            assert builder.rebuild().kind == "articles"
    save_and_rebuild.count = 0

    save_and_rebuild(2)
    first = live_objects_by_type()
    save_and_rebuild(rebuilds)
    second = live_objects_by_type()
    save_and_rebuild(rebuilds)
    third = live_objects_by_type()

    growing = {kind: (second[kind] - first[kind], third[kind] - second[kind]) for kind in third
               if second[kind] - first[kind] >= rebuilds and third[kind] - second[kind] >= rebuilds}
    assert not growing


def test_a_sanitizer_is_freed_once_nothing_uses_it():
    from site_core.sanitizer import Sanitizer

    sanitizer = Sanitizer(["www.youtube.com"])
    assert sanitizer.clean('<iframe src="https://evil.example/x"></iframe><p onclick="x()">a</p>') == "<p>a</p>"
    alive = weakref.ref(sanitizer)
    del sanitizer
    gc.collect()
    assert alive() is None


def test_the_address_invoke_new_prints_is_where_the_preview_shows_the_draft(tmp_path):
    from support.editor_tasks import run_task

    content = write_corpus(tmp_path / "corpus", 3)
    created = run_task("new", "Hội nghị tổng kết công tác Mặt trận năm 2025", "--category", "Văn bản",
                       "--content", str(content))
    assert created.returncode == 0, created.log
    [address] = re.findall(r"http://localhost:\d+(/\S+)", created.stdout)
    output = tmp_path / "preview-output"

    PreviewBuilder(settings_file(tmp_path, content), output).rebuild()

    shown = page(output, address.lstrip("/"))
    assert shown.select_one(".preview-banner-label").get_text(strip=True) == "BẢN NHÁP"
    assert shown.h1.get_text(strip=True) == "Hội nghị tổng kết công tác Mặt trận năm 2025"


def test_the_search_index_catches_up_with_a_quick_rebuild_in_a_process_of_its_own(preview, tmp_path):
    from editor_tools.live_preview import PreviewProcess

    builder, content, output = preview
    set_header(articles_of(content)[0], "Title", "Tiêu đề mới cho tìm kiếm")
    assert builder.rebuild().search_pending

    command = PreviewProcess(builder.settings_path, output).command
    finished = subprocess.run([*command, "search"], capture_output=True, text=True)

    assert finished.returncode == 0, finished.stderr
    full = full_build(tmp_path, content)
    index = {path.relative_to(full).as_posix(): path.read_bytes() for path in (full / "pagefind").rglob("*")
             if path.is_file()}
    assert index and index == {path.relative_to(output).as_posix(): path.read_bytes()
                               for path in (output / "pagefind").rglob("*") if path.is_file()}
