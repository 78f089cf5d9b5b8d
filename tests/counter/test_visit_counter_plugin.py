import json
from types import SimpleNamespace

from pelican import Pelican
from pelican.settings import read_settings

from plugins.visit_counter.visit_counter import MANIFEST_NAME, write_manifest
from tests.counter_server import REPO_ROOT


def build_output(root):
    for name in ["index.html", "tin-tuc/x.html", "chuyen-muc/abc/index.html", "theme/css/main.css",
                 "tin-tuc/mặt-trận.html", "admin/index.html", "admin/preview/x.html"]:
        page = root / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<!doctype html>")


def test_manifest_lists_every_html_page_once_under_its_one_name_with_titles(tmp_path):
    build_output(tmp_path)

    write_manifest(SimpleNamespace(output_path=str(tmp_path), settings={"EDITOR_ONLY_PATHS": ["admin"]}),
                   {"/tin-tuc/x.html": "Bài X", "/chuyen-muc/abc/": "ABC"})

    text = (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8")
    assert json.loads(text) == {"pages": [
        {"path": "/", "title": None},
        {"path": "/chuyen-muc/abc/", "title": "ABC"},
        {"path": "/tin-tuc/mặt-trận.html", "title": None},
        {"path": "/tin-tuc/x.html", "title": "Bài X"},
    ]}
    assert text.endswith("}\n")


def test_manifest_is_byte_for_byte_reproducible(tmp_path):
    build_output(tmp_path)
    pelican = SimpleNamespace(output_path=str(tmp_path), settings={})
    write_manifest(pelican)
    first = (tmp_path / MANIFEST_NAME).read_bytes()

    write_manifest(pelican)

    assert (tmp_path / MANIFEST_NAME).read_bytes() == first


def test_manifest_is_not_written_when_switched_off(tmp_path):
    build_output(tmp_path)

    write_manifest(SimpleNamespace(output_path=str(tmp_path), settings={"VISIT_COUNTER_MANIFEST": False}))

    assert not (tmp_path / MANIFEST_NAME).exists()


def test_pelican_build_with_the_plugin_writes_the_manifest(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "hoi-nghi.rst").write_text(
        "Hội nghị *\"Đoàn kết\"* & đổi mới\n###############################\n\n:date: 2026-11-20\n:category: Tin tức\n:slug: hoi-nghi\n\nNội dung.\n",
        encoding="utf-8",
    )
    settings = read_settings(override={
        "PATH": str(content),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "PLUGIN_PATHS": [str(REPO_ROOT / "plugins")],
        "PLUGINS": ["visit_counter"],
        "TYPOGRIFY": True,
        "CACHE_CONTENT": False,
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "FEED_ALL_ATOM": None,
        "CATEGORY_FEED_ATOM": None,
    })

    Pelican(settings).run()

    pages = json.loads((tmp_path / "output" / MANIFEST_NAME).read_text(encoding="utf-8"))["pages"]
    titles = {page["path"]: page["title"] for page in pages}
    assert titles["/"] is None
    assert "/index.html" not in titles
    assert titles["/hoi-nghi.html"] == "Hội nghị “Đoàn kết” & đổi mới"
