"""/admin/ (plugins/cms_admin): what the build writes, and the Pelican header format's round trip.

The format (plugins/cms_admin/static/pelican-format.js) runs in Node here, the way
the admin page runs it: parse a file as Decap opens it, serialise it as Decap saves it.
"""

import gzip
import json
from pathlib import Path
import subprocess

from bs4 import BeautifulSoup
import pytest
import yaml

from support.site_build import SITE_ROOT, build_again, build_site

FORMAT = SITE_ROOT / "plugins" / "cms_admin" / "static" / "pelican-format.js"
SHIPPED_CONTENT = SITE_ROOT / "content"
# Runs the format on [{text, kind, edits}] read from stdin; answers [{parsed, saved}].
ROUND_TRIP = """
const format = require(process.argv[1]);
const settings = JSON.parse(process.argv[2]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const answers = cases.map(({text, kind, edits}) => {
  const codec = format.createFormat(settings[kind]);
  const data = codec.fromFile(text);
  const parsed = Object.assign({}, data);
  delete parsed[format.SOURCE_KEY];
  Object.assign(data, edits || {});
  return {parsed, saved: codec.toFile(data)};
});
process.stdout.write(JSON.stringify(answers));
"""


def admin_settings(site):
    html = (site.output / "admin" / "index.html").read_text(encoding="utf-8")
    return json.loads(BeautifulSoup(html, "lxml").find(id="pelican-cms-settings").string)


def round_trip(cases, formats):
    result = subprocess.run(["node", "-e", ROUND_TRIP, str(FORMAT), json.dumps(formats["formats"])],
                            input=json.dumps(cases), capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def kind_of(path):
    relative = path.relative_to(SHIPPED_CONTENT).parts[0]
    return {"articles": "article", "pages": "page", "agencies": "agency"}[relative]


@pytest.fixture(scope="module")
def formats(shipped_site):
    return admin_settings(shipped_site)


@pytest.fixture(scope="module")
def config(shipped_site):
    return yaml.safe_load((shipped_site.output / "admin" / "config.yml").read_text(encoding="utf-8"))


def test_admin_page_is_noindex_and_loads_only_files_of_its_own_folder(shipped_site):
    admin = shipped_site.output / "admin"
    page = shipped_site.page("admin/index.html")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy and "script-src 'self' 'unsafe-eval'" in policy
    scripts = [script["src"] for script in page.find_all("script", src=True)]
    assert scripts == ["cms-admin.js", "pelican-format.js", "decap-cms.js"]
    for name in scripts:
        assert (admin / name).is_file()
    assert page.find("link", rel="cms-config-url")["href"] == "config.yml"


def test_admin_is_left_out_of_sitemap_feeds_counter_manifest_and_search(shipped_site):
    output = shipped_site.output
    sitemap = [loc.text for loc in shipped_site.xml("sitemap.xml").find_all("loc")]
    assert sitemap and not [url for url in sitemap if "/admin" in url]
    manifest = [page["path"] for page in
                json.loads((output / "counter-manifest.json").read_text(encoding="utf-8"))["pages"]]
    assert "/tin-tuc/ky-ket-thuc-hien-cong-tac-truyen-thong-phan-anh-tinh-hinh-nhan-dan-tren-dia-ban-tinh.html" in manifest
    assert not [path for path in manifest if path.startswith("/admin")]
    for feed in (output / "feeds").glob("*.xml"):
        assert "/admin" not in feed.read_text(encoding="utf-8")
    from site_search.site_search import built_pages
    pages = [path.relative_to(output).as_posix() for path in built_pages(output, ["admin"])]
    assert "index.html" in pages and not [page for page in pages if page.startswith("admin/")]
    # What Pagefind indexed: its fragments name the pages they come from.
    indexed = " ".join(path.name for path in (output / "pagefind").rglob("*"))
    assert indexed  # the index exists, so the check below looks at something


def test_config_has_a_collection_per_registry_category_then_pages_and_agencies(config):
    import tomllib
    registry = tomllib.loads((SHIPPED_CONTENT / "categories.toml").read_text(encoding="utf-8"))["chuyen_muc"]
    collections = config["collections"]
    expected = [(entry["slug"], entry["name"], f"content/articles/{entry['slug']}")
                for entry in sorted(registry, key=lambda entry: entry["order"])]
    assert [(c["name"], c["label"], c["folder"]) for c in collections[:-2]] == expected
    assert [(c["name"], c["folder"]) for c in collections[-2:]] == [("trang", "content/pages"),
                                                                    ("co-quan", "content/agencies")]
    assert config["locale"] == "vi"
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"}
    assert [c["preview_path"] for c in collections[-3:]] == [
        "tin-tuc/{{slug}}.html", "{{slug}}.html", "co-quan/{{slug}}.html"]
    assert collections[0]["summary"] == "{{title}} — {{date | date('DD/MM/YYYY')}}"
    for collection in collections:
        assert collection["media_folder"] == "/content/images/{{year}}/{{month}}"
        assert collection["public_folder"] == "{static}/images/{{year}}/{{month}}"


def test_article_fields_follow_the_schema_of_keys(config):
    from cms_admin.schema_keys import keys_by_kind
    article = config["collections"][0]
    fields = {field["name"]: field for field in article["fields"]}
    schema = keys_by_kind()["article"]
    assert [field["name"] for field in article["fields"]] == [key.name.lower() for key in schema] + ["body"]
    assert {name for name, field in fields.items() if field.get("required")} == {
        key.name.lower() for key in schema if key.required}
    assert fields["category"] == {**fields["category"], "widget": "hidden", "default": article["label"]}
    assert [option["value"] for option in fields["status"]["options"]] == ["published", "draft", "hidden"]
    assert fields["agencies"]["widget"] == "relation" and fields["agencies"]["collection"] == "co-quan"
    assert fields["agencies"]["multiple"] is True
    assert fields["redirect_from"]["widget"] == "list"
    assert fields["slug"]["pattern"][0] == "^[a-z0-9]+(-[a-z0-9]+)*$"
    assert fields["date"]["widget"] == "datetime" and fields["date"]["date_format"] == "DD/MM/YYYY"
    agency = {field["name"]: field for field in config["collections"][-1]["fields"]}
    assert [option["value"] for option in agency["kind"]["options"]] == [
        "mat-tran", "nha-nuoc", "bao-chi", "doan-the", "khac"]
    assert agency["successor"]["widget"] == "relation" and agency["successor"]["multiple"] is False


def test_a_new_category_becomes_a_collection_without_touching_the_cms(tmp_path):
    registry = (SHIPPED_CONTENT / "categories.toml").read_text(encoding="utf-8") + (
        '\n[[chuyen_muc]]\nname = "Đoàn kết dân tộc"\nslug = "doan-ket-dan-toc"\norder = 7\n'
        'description = "Chuyên mục thử."\n')
    site = build_site(tmp_path, {"categories.toml": registry, "articles/doan-ket-dan-toc/bai.md": (
        "Title: Bài thử\nDate: 2024-01-02\nCategory: Đoàn kết dân tộc\n\nNội dung.\n")})
    assert site.ok, site.log
    config = yaml.safe_load((site.output / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert ("doan-ket-dan-toc", "Đoàn kết dân tộc", "content/articles/doan-ket-dan-toc") in [
        (c["name"], c["label"], c["folder"]) for c in config["collections"]]


def test_build_without_the_cms_bundle_fails_saying_which_command_installs_it(tmp_path):
    site = build_site(tmp_path, {"articles/bai.md": (
        "Title: Bài thử\nDate: 2024-01-02\nCategory: Hoạt động của Ngành\n\nNội dung.\n")},
        overrides=f"CMS_BUNDLE_PATH = {str(tmp_path / 'khong-co')!r}\n")
    assert not site.ok
    assert "npm ci --ignore-scripts" in site.log and "Không có Decap CMS" in site.log
    assert not (site.output / "admin").exists()


@pytest.fixture(scope="module")
def compressed_bundle_cache(tmp_path_factory):
    """One CACHE_PATH for the production builds here, so Decap's bundle is compressed once, not per test."""
    return tmp_path_factory.mktemp("cache")


def test_production_backend_and_editorial_workflow_come_from_the_environment(tmp_path, compressed_bundle_cache):
    site = build_site(tmp_path, {"articles/bai.md": (
        "Title: Bài thử\nDate: 2024-01-02\nCategory: Hoạt động của Ngành\n\nNội dung.\n")},
        settings="publishconf", overrides=f"CACHE_PATH = {str(compressed_bundle_cache)!r}\n", env={"SITE_URL": "https://mattran.example.vn", "CMS_BACKEND": "gitlab",
                                     "CMS_REPO": "mttq/trang-tin", "CMS_BRANCH": "xuat-ban",
                                     "CMS_APP_ID": "abc123"})
    assert site.ok, site.log
    config = yaml.safe_load((site.output / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "gitlab", "repo": "mttq/trang-tin", "branch": "xuat-ban",
                                 "auth_type": "pkce", "app_id": "abc123"}
    assert config["publish_mode"] == "editorial_workflow"
    policy = site.page("admin/index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "connect-src 'self' blob: data: https://gitlab.com;" in policy


def test_precompressed_bundle_is_made_once_and_then_taken_from_the_cache(tmp_path, compressed_bundle_cache):
    import brotli

    site = build_site(tmp_path, {"articles/bai.md": (
        "Title: Bài thử\nDate: 2024-01-02\nCategory: Hoạt động của Ngành\n\nNội dung.\n")},
        overrides=('PLUGINS = [*PLUGINS, "pelican.plugins.precompress"]\n'
                   f"CACHE_PATH = {str(compressed_bundle_cache)!r}\n"))
    assert site.ok, site.log
    bundle = site.output / "admin" / "decap-cms.js"
    assert brotli.decompress(bundle.with_name("decap-cms.js.br").read_bytes()) == bundle.read_bytes()
    assert gzip.decompress(bundle.with_name("decap-cms.js.gz").read_bytes()) == bundle.read_bytes()
    kept = {path: path.stat().st_mtime_ns for path in (compressed_bundle_cache / "cms-admin").iterdir()}
    assert {path.suffix for path in kept} >= {".br", ".gz"}

    build_again(site)
    assert {path: path.stat().st_mtime_ns for path in (compressed_bundle_cache / "cms-admin").iterdir()} == kept
    assert brotli.decompress(bundle.with_name("decap-cms.js.br").read_bytes()) == bundle.read_bytes()


def test_production_github_without_its_oauth_client_fails_naming_the_variable(tmp_path):
    site = build_site(tmp_path, {"articles/bai.md": (
        "Title: Bài thử\nDate: 2024-01-02\nCategory: Hoạt động của Ngành\n\nNội dung.\n")},
        settings="publishconf", env={"CMS_BACKEND": "github", "CMS_REPO": "mttq/trang-tin"})
    assert not site.ok
    assert "CMS_AUTH_URL" in site.log and "Cách sửa:" in site.log


def test_production_without_a_backend_has_no_admin(tmp_path):
    site = build_site(tmp_path, {"articles/bai.md": (
        "Title: Bài thử\nDate: 2024-01-02\nCategory: Hoạt động của Ngành\n\nNội dung.\n")},
        settings="publishconf", env={"CMS_BACKEND": ""})
    assert site.ok, site.log
    assert not (site.output / "admin").exists()


def shipped_files():
    return sorted(path for folder in ("articles", "pages", "agencies")
                  for path in (SHIPPED_CONTENT / folder).rglob("*.md"))


def test_every_shipped_file_is_saved_back_byte_for_byte(formats):
    files = shipped_files()
    assert len(files) >= 9
    cases = [{"text": path.read_bytes().decode("utf-8"), "kind": kind_of(path)} for path in files]
    for path, case, answer in zip(files, cases, round_trip(cases, formats)):
        assert answer["saved"] == case["text"], path
        assert answer["parsed"]["title"], path


def test_editing_one_field_of_a_shipped_file_changes_only_that_line(formats):
    files = shipped_files()
    cases = [{"text": path.read_text(encoding="utf-8"), "kind": kind_of(path),
              "edits": {"title": "Tiêu đề mới: có dấu hai chấm"}} for path in files]
    for path, case, answer in zip(files, cases, round_trip(cases, formats)):
        before, after = case["text"].splitlines(True), answer["saved"].splitlines(True)
        changed = [(old, new) for old, new in zip(before, after) if old != new]
        assert len(before) == len(after) and len(changed) == 1, path
        assert changed[0][1] == "Title: Tiêu đề mới: có dấu hai chấm\n", path


TRICKY = {
    "crlf_and_bom": "\ufeffTitle: Hội nghị\r\nDate: 2024-01-02\r\nCategory: Văn bản\r\n\r\nThân bài.\r\n",
    "trailing_spaces": "Title: Hội nghị   \nDate: 2024-01-02 \nCategory: Văn bản\n   \nThân bài.  \n",
    "colons_in_values": "Title: Kết luận: đoàn kết là sức mạnh\nDate: 2024-01-02 08:30\nCategory: Văn bản\n"
                        "Summary: Giờ họp: 8:30; địa điểm: hội trường\n\nNội dung: có dấu hai chấm.\n",
    "empty_values": "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\nAuthor:\nSummary: \n\nThân.\n",
    "no_trailing_newline": "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\n\nThân bài không xuống dòng",
    "header_only_no_newline": "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản",
    "body_starts_with_blank_lines": "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\n\n\n\n  \nThân.\n",
    "multi_value_keys": "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\n"
                        "Agencies: mttq-phu-yen,bao-phu-yen ,  so-tttt-phu-yen\n"
                        "Redirect_from: /tin-tuc/a.html, /tin-tuc/b.html\n\nThân.\n",
    "lower_case_keys_and_continuation": "title: Hội nghị rất dài\n    còn tiếp ở dòng sau\ndate: 2024-01-02\n"
                                        "category: Văn bản\n\nThân.\n",
    "decomposed_vietnamese": "Title: Ho\u0323i nghi\u0323\nDate: 2024-01-02\nCategory: Văn bản\n\nThân.\n",
    "yaml_like_fences": "---\nTitle: Hội nghị\nDate: 2024-01-02\n---\nThân.\n",
    "no_header": "Chỉ có thân bài.\n",
    "body_directly_after_header": "Title: Hội nghị\nThân bài ngay sau.\n",
    "old_mac_line_ends": "Title: Hội nghị\rDate: 2024-01-02\r\rThân.\r",
}


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_files_are_saved_back_byte_for_byte(formats, name):
    [answer] = round_trip([{"text": TRICKY[name], "kind": "article"}], formats)
    assert answer["saved"] == TRICKY[name]


def test_tricky_files_read_as_pelican_reads_them(formats):
    names = ["colons_in_values", "empty_values", "multi_value_keys", "lower_case_keys_and_continuation",
             "body_starts_with_blank_lines", "crlf_and_bom"]
    answers = dict(zip(names, round_trip([{"text": TRICKY[n], "kind": "article"} for n in names], formats)))
    assert answers["colons_in_values"]["parsed"]["title"] == "Kết luận: đoàn kết là sức mạnh"
    assert answers["colons_in_values"]["parsed"]["summary"] == "Giờ họp: 8:30; địa điểm: hội trường"
    assert answers["empty_values"]["parsed"]["author"] == ""
    assert answers["multi_value_keys"]["parsed"]["agencies"] == ["mttq-phu-yen", "bao-phu-yen", "so-tttt-phu-yen"]
    assert answers["multi_value_keys"]["parsed"]["redirect_from"] == ["/tin-tuc/a.html", "/tin-tuc/b.html"]
    assert answers["lower_case_keys_and_continuation"]["parsed"]["title"] == "Hội nghị rất dài còn tiếp ở dòng sau"
    assert answers["body_starts_with_blank_lines"]["parsed"]["body"] == "Thân.\n"
    assert answers["crlf_and_bom"]["parsed"]["title"] == "Hội nghị"
    assert answers["crlf_and_bom"]["parsed"]["body"] == "Thân bài.\n"


@pytest.mark.parametrize("name, edits, expected", [
    ("crlf_and_bom", {"summary": "Tóm tắt: mới"},
     "\ufeffTitle: Hội nghị\r\nDate: 2024-01-02\r\nCategory: Văn bản\r\nSummary: Tóm tắt: mới\r\n\r\nThân bài.\r\n"),
    ("trailing_spaces", {"date": "2024-02-03"},
     "Title: Hội nghị   \nDate: 2024-02-03\nCategory: Văn bản\n   \nThân bài.  \n"),
    ("empty_values", {"author": "Nguyên Lưu"},
     "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\nAuthor: Nguyên Lưu\nSummary: \n\nThân.\n"),
    ("multi_value_keys", {"agencies": ["bao-phu-yen"]},
     "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\nAgencies: bao-phu-yen\n"
     "Redirect_from: /tin-tuc/a.html, /tin-tuc/b.html\n\nThân.\n"),
    ("multi_value_keys", {"redirect_from": []},
     "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\n"
     "Agencies: mttq-phu-yen,bao-phu-yen ,  so-tttt-phu-yen\n\nThân.\n"),
    ("lower_case_keys_and_continuation", {"title": "Ngắn"},
     "title: Ngắn\ndate: 2024-01-02\ncategory: Văn bản\n\nThân.\n"),
    ("no_trailing_newline", {"body": "Thân mới."},
     "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\n\nThân mới.\n"),
    ("body_starts_with_blank_lines", {"status": "draft"},
     "Title: Hội nghị\nDate: 2024-01-02\nCategory: Văn bản\nStatus: draft\n\n\n\n  \nThân.\n"),
])
def test_an_edit_changes_only_its_own_line(formats, name, edits, expected):
    [answer] = round_trip([{"text": TRICKY[name], "kind": "article", "edits": edits}], formats)
    assert answer["saved"] == expected


def test_a_new_file_is_written_in_the_schema_order(formats):
    fields = {"status": "published", "title": "Bài mới", "category": "Văn bản", "date": "2024-05-10 08:30",
              "author": "Nguyên Lưu", "agencies": ["bao-phu-yen", "mttq-phu-yen"], "summary": "",
              "body": "Đoạn một.\n\nĐoạn hai."}
    script = (f"const f = require({json.dumps(str(FORMAT))}).createFormat({json.dumps(formats['formats']['article'])});"
              f"process.stdout.write(f.toFile({json.dumps(fields)}));")
    saved = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert saved == ("Title: Bài mới\nDate: 2024-05-10 08:30\nCategory: Văn bản\nAuthor: Nguyên Lưu\n"
                     "Status: published\nAgencies: bao-phu-yen, mttq-phu-yen\n\nĐoạn một.\n\nĐoạn hai.\n")
