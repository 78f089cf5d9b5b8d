"""What the built HTML tells link previews and search engines, and where the
search and print tools sit."""

from pathlib import Path
import gzip
import json
import re

from bs4 import BeautifulSoup

from site_search import fold_vietnamese
from site_search.site_search import PARALLEL_MIN_PAGES, index_key, page_for_index, write_index_copies
from social_sharing import canonical_path
from social_sharing.social_sharing import first_image_src
from support.reader_pages import REFERENCE_ARTICLE
from support.site_build import article_source, build_again, build_site

ARTICLE = REFERENCE_ARTICLE.lstrip("/")


def meta(page, key):
    tag = page.find("meta", attrs={"property": key}) or page.find("meta", attrs={"name": key})
    return tag["content"]


def test_folding_drops_tone_marks_and_writes_d_stroke_as_d():
    assert fold_vietnamese("Đoàn kết toàn dân, hoạt động, Đắk Lắk") == "Doan ket toan dan, hoat dong, Dak Lak"


def test_index_pairs_never_reach_across_punctuation():
    copy = BeautifulSoup(page_for_index(
        '<html><body><article data-pagefind-body><h1>Tin</h1><p>Đại hội. Hội nghị, “đại biểu” – Xã hội</p></article></body></html>'), "lxml")
    assert copy.find_all("p")[1].get_text().split() == ["daijhoiz", "hoijnghiz", "daijbieuz", "xajhoiz"]


def test_index_copy_holds_folded_syllables_and_pairs_with_the_real_title_text_and_fields_and_no_ignored_parts():
    copy = BeautifulSoup(page_for_index(
        '<html lang="vi"><head><meta name="description" content="Tóm tắt"></head><body><nav>Menu</nav>'
        '<article data-pagefind-body><p data-pagefind-ignore>Quay lại</p><h1>Đoàn kết</h1>'
        '<p data-pagefind-ignore><span data-pagefind-meta="category" data-search-category="van-ban">Văn bản</span>'
        '<time datetime="2024-03-01T08:30:00+07:00" data-pagefind-meta="date" data-pagefind-sort="date[datetime]">'
        '08:30 01/03/2024</time></p><p>Hoạt động Đại hội</p></article>'
        '</body></html>'), "lxml")
    assert copy.html["lang"] == "vi"
    body = copy.find(attrs={"data-pagefind-body": True})
    assert body.h1.get_text() == "doanz ketz doanjketz"
    assert int(body.h1["data-pagefind-weight"]) > 1
    assert [p.get_text() for p in body.find_all("p")] == [
        "hoatz dongz daiz hoiz", "hoatjdongz dongjdaiz daijhoiz", "chuyenmucjjvanjbanz"]
    fields = {(kind, span[f"data-pagefind-{kind}"], span["data-value"])
              for span in body.find_all("span") for kind in ("meta", "filter", "sort")
              if span.has_attr(f"data-pagefind-{kind}")}
    assert fields == {("meta", "title[data-value]", "Đoàn kết"), ("meta", "text[data-value]", "Hoạt động Đại hội"),
                      ("meta", "category[data-value]", "Văn bản"), ("meta", "date[data-value]", "08:30 01/03/2024"),
                      ("sort", "date[data-value]", "2024-03-01T08:30:00+07:00")}
    assert "Menu" not in copy.get_text() and "Quay" not in str(copy)
    assert page_for_index("<html><body><main>Không đánh chỉ mục</main></body></html>") is None


def test_index_copies_sit_at_the_path_the_site_is_served_from(tmp_path):
    output, copies = tmp_path / "output", tmp_path / "copies"
    (output / "tin-tuc").mkdir(parents=True)
    (output / "tin-tuc" / "mot.html").write_text("<html><body><article data-pagefind-body>Một</article></body></html>")
    (output / "index.html").write_text("<html><body><main>Trang chủ</main></body></html>")
    write_index_copies(output, copies, "mat-tran")
    assert [p.relative_to(copies).as_posix() for p in copies.rglob("*.html")] == ["mat-tran/tin-tuc/mot.html"]


def test_index_copies_made_on_several_processes_are_the_ones_made_in_one(tmp_path):
    output = tmp_path / "output"
    for number in range(PARALLEL_MIN_PAGES + 5):
        page = output / "tin-tuc" / f"bai-{number}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f'<html lang="vi"><body><article data-pagefind-body><h1>Tin số {number}</h1>'
                        f"<p>Đoàn kết {number}</p></article></body></html>", encoding="utf-8")
    (output / "index.html").write_text("<html><body><main>Trang chủ</main></body></html>")

    def copies(processes):
        folder = tmp_path / f"copies-{processes}"
        written = write_index_copies(output, folder, "", processes=processes)
        return written, {path.relative_to(folder): path.read_bytes() for path in folder.rglob("*.html")}

    serial, parallel = copies(1), copies(2)
    assert serial[0] == len(serial[1]) == PARALLEL_MIN_PAGES + 5
    assert parallel == serial
    assert b"doanz ketz 7z" in serial[1][Path("tin-tuc/bai-7.html")]

    key = index_key(output, "", "vi", processes=1)
    assert index_key(output, "", "vi", processes=2) == key
    assert index_key(output, "mat-tran", "vi") != key
    (output / "tin-tuc" / "bai-7.html").write_text("<html><body><article data-pagefind-body>Sửa</article></body></html>")
    assert index_key(output, "", "vi") != key


def test_a_site_with_nothing_to_index_builds_without_an_index(tmp_path):
    site = build_site(tmp_path, {})
    assert site.ok, site.log
    assert not (site.output / "pagefind").exists()


def bundle_files(output):
    bundle = output / "pagefind"
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}


def test_unchanged_pages_reuse_the_last_search_index_and_a_change_rebuilds_it(tmp_path):
    files = {"articles/mot.md": article_source("Tin một", "2024-02-01", body="Đoàn kết toàn dân.")}
    site = build_site(tmp_path / "site", files)
    assert site.ok, site.log
    first = bundle_files(site.output)
    [kept] = (tmp_path / "site" / "cache" / "search-index" / "shards").glob("*/bundle")
    (kept / "reused.txt").write_text("từ lần dựng trước")

    # Without the speed layer's output cache, which would hand back the whole last output, index included.
    again = build_again(site, "OUTPUT_CACHE = False\n")
    assert bundle_files(again.output) == {**first, "2024/reused.txt": "từ lần dựng trước".encode()}

    (site.content / "articles" / "mot.md").write_text(
        article_source("Tin một", "2024-02-01", body="Phát huy sức mạnh."), encoding="utf-8")
    changed = bundle_files(build_again(site).output)
    fresh = build_site(tmp_path / "fresh", {"articles/mot.md": article_source(
        "Tin một", "2024-02-01", body="Phát huy sức mạnh.")})
    assert changed == bundle_files(fresh.output) != first


def test_first_image_is_the_first_img_with_a_source_whatever_its_case():
    assert first_image_src("") == first_image_src("<p>Không có ảnh; &lt;img&gt; chỉ là chữ.</p>") == ""
    assert first_image_src('<p>Mở đầu</p><img alt="Trống"><figure><IMG SRC="/a.jpg" alt="A"></figure>'
                           '<img src="/b.jpg" alt="B">') == "/a.jpg"


def test_canonical_path_drops_index_html():
    assert canonical_path("index.html") == ""
    assert canonical_path("chuyen-muc/van-ban/trang-2/index.html") == "chuyen-muc/van-ban/trang-2/"
    assert canonical_path("tin-tuc/mot.html") == "tin-tuc/mot.html"


def test_article_preview_has_its_title_summary_first_photo_and_canonical_address(shipped_site):
    page = shipped_site.page(ARTICLE)
    url = "http://localhost:8000" + REFERENCE_ARTICLE
    assert page.find("link", rel="canonical")["href"] == url
    assert meta(page, "og:url") == url
    assert meta(page, "og:type") == "article"
    assert meta(page, "og:title") == meta(page, "twitter:title") == (
        "Ký kết thực hiện công tác truyền thông, phản ánh tình hình Nhân dân trên địa bàn tỉnh")
    assert meta(page, "og:description") == meta(page, "description") == meta(page, "twitter:description")
    assert meta(page, "og:image") == meta(page, "twitter:image")
    # The photo's 1200×630 share picture (plugins/photos), named after the photo.
    assert re.fullmatch(r"http://localhost:8000/images/2023/04/ky-ket-phoi-hop-truyen-thong-1200x630\.[0-9a-f]{10}\.jpg",
                        meta(page, "og:image"))
    assert meta(page, "twitter:card") == "summary_large_image"


def test_production_previews_use_the_public_address_and_the_logo_without_a_photo(tmp_path):
    site = build_site(tmp_path, {
        "articles/mot.md": article_source("Tin “một” & hai", "2024-02-01", summary="Tóm tắt <em>ngắn</em>."),
    }, settings="publishconf")
    assert site.ok, site.log
    page = site.page("tin-tuc/mot.html")
    assert page.find("link", rel="canonical")["href"] == "https://example.org/tin-tuc/mot.html"
    assert meta(page, "og:image") == "https://example.org/theme/img/logo.png"
    assert meta(page, "og:title") == "Tin “một” & hai"
    assert meta(page, "og:description") == "Tóm tắt ngắn."
    assert (site.output / "theme/img/logo.png").stat().st_size > 0
    category = site.page("chuyen-muc/hoat-dong-cua-nganh/index.html")
    assert category.find("link", rel="canonical")["href"] == "https://example.org/chuyen-muc/hoat-dong-cua-nganh/"
    assert site.page("index.html").find("link", rel="canonical")["href"] == "https://example.org/"


def test_not_found_page_declares_no_canonical_address(shipped_site):
    assert shipped_site.page("404.html").find("link", rel="canonical") is None


def test_every_page_has_the_search_box_and_the_search_page_exists(shipped_site):
    for path in shipped_site.html_files():
        page = shipped_site.page(path)
        if page.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a redirect (an old address, a listing's /trang-1/) has no page furniture
        form = page.select_one("header form[role=search]")
        assert form["action"] == "/tim-kiem.html" and form["method"] == "get", path
        assert form.select_one("input[name=q]")["id"] == "site-search-query"
        assert form.find("label", attrs={"for": "site-search-query"}).get_text() == "Tìm kiếm"
    search_page = shipped_site.page("tim-kiem.html")
    assert search_page.select_one("main h1").get_text() == "Tìm kiếm"
    assert search_page.select_one("#search-results")["data-search-index"] == "/pagefind/shards.json"
    first_shard = json.loads((shipped_site.output / "pagefind" / "shards.json").read_text(encoding="utf-8"))[0]
    assert (shipped_site.output / "pagefind" / first_shard["name"] / "pagefind.js").exists()


def test_only_article_and_page_content_is_marked_for_the_index(shipped_site):
    marked = {path for path in shipped_site.html_files()
              if shipped_site.page(path).find(attrs={"data-pagefind-body": True})}
    profiles = {f"co-quan/{path.stem}.html" for path in (shipped_site.content / "agencies").glob("*.md")}
    assert len(profiles) >= 4
    assert marked == {ARTICLE, "gioi-thieu.html", "lien-he.html", *profiles}
    body = shipped_site.page(ARTICLE).find(attrs={"data-pagefind-body": True})
    assert body.select_one(".back-link")["data-pagefind-ignore"] is not None
    assert body.select_one(".article-tools")["data-pagefind-ignore"] is not None


def test_article_has_the_print_button_and_share_links_after_the_signature(shipped_site):
    page = shipped_site.page(ARTICLE)
    button = page.select_one(".article-tools button.print-button")
    assert button.get_text() == "In bài" and button.has_attr("hidden") and button["type"] == "button"
    signature = page.select_one(".article-signature")
    assert signature.find_next(class_="article-tools") is page.select_one(".article-tools")


def test_search_index_is_written_unless_switched_off_for_the_preview(tmp_path):
    files = {"articles/mot.md": article_source("Tin một", "2024-02-01")}
    with_index = build_site(tmp_path / "with", files)
    without_index = build_site(tmp_path / "without", files, overrides="SEARCH_INDEX = False\n")
    assert with_index.ok and without_index.ok, with_index.log + without_index.log
    assert (with_index.output / "pagefind" / "2024" / "pagefind.js").is_file()
    assert not (without_index.output / "pagefind").exists()


def unpacked(bundle):
    """The bundle's files as Pagefind reads them (its index files are gzipped)."""
    return [gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data for data in bundle.values()]


def test_after_one_changed_article_only_changed_pages_are_folded_again_and_the_index_is_a_fresh_builds(tmp_path):
    files = {f"articles/bai-{number}.md": article_source(
        f"Tin số {number}", f"2024-02-{number:02d}", body=f"Đoàn kết toàn dân, lần thứ {number}.")
        for number in range(1, 6)}
    site = build_site(tmp_path / "site", files)
    assert site.ok, site.log
    copies = tmp_path / "site" / "cache" / "search-index" / "copies"

    def kept():
        return {path: path.read_text(encoding="utf-8") for path in copies.rglob("*.html")}
    assert len(kept()) == 5
    assert any("doanz ketz toanz danz lanz thuz 3z" in text for text in kept().values())

    changed = {**files, "articles/bai-3.md": article_source("Tin số 3", "2024-02-03", body="Phát huy sức mạnh.")}
    (site.content / "articles" / "bai-3.md").write_text(changed["articles/bai-3.md"], encoding="utf-8")
    rebuilt = bundle_files(build_again(site).output)
    fresh = build_site(tmp_path / "fresh", changed, overrides="SEARCH_INDEX_CACHE = False\n")
    assert rebuilt == bundle_files(fresh.output)
    assert not any("lanz thuz 3z" in text for text in kept().values())
    assert any("phatz huyz sucz manhz" in text for text in kept().values())

    # A kept copy is marked: when the next rebuild takes it instead of folding its page again, the mark is indexed.
    untouched = next(path for path, text in kept().items() if "lanz thuz 4z" in text)
    untouched.write_text(kept()[untouched].replace("lanz thuz 4z", "lanz thuz 4z daudacbiet"), encoding="utf-8")
    (site.content / "articles" / "bai-2.md").write_text(
        article_source("Tin số 2", "2024-02-02", body="Chung sức xây dựng."), encoding="utf-8")
    assert any(b"daudacbiet" in data for data in unpacked(bundle_files(build_again(site).output)))


def test_a_page_is_shared_with_its_own_first_photo_and_summary_and_without_one_with_the_logo(tmp_path):
    from support.photos import phone_photo
    site = build_site(tmp_path, {
        "articles/mot.md": article_source("Tin một", "2024-02-01"),
        "pages/gioi-thieu.md": "Title: Giới thiệu\nSummary: Chức năng, nhiệm vụ của Ủy ban.\n\n"
                               "Ủy ban MTTQ Việt Nam tỉnh.\n\n![Trụ sở]({static}/images/2024/02/tru-so.jpg)\n",
        "pages/lien-he.md": "Title: Liên hệ\n\nĐịa chỉ liên hệ.\n",
        "images/2024/02/tru-so.jpg": phone_photo(1600, 1200, seed=7),
    }, settings="publishconf")
    assert site.ok, site.log
    about = site.page("gioi-thieu.html")
    assert re.fullmatch(r"https://example\.org/images/2024/02/tru-so-1200x630\.[0-9a-f]{10}\.jpg", meta(about, "og:image"))
    assert meta(about, "twitter:image") == meta(about, "og:image")
    assert meta(about, "og:description") == meta(about, "description") == "Chức năng, nhiệm vụ của Ủy ban."
    assert about.find("link", rel="canonical")["href"] == "https://example.org/gioi-thieu.html"
    contact = site.page("lien-he.html")
    assert meta(contact, "og:image") == "https://example.org/theme/img/logo.png"
    assert meta(contact, "og:title") == "Liên hệ"
    assert meta(contact, "description") == "Địa chỉ liên hệ."
