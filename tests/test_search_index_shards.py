"""The search index in shards (plugins/site_search): one Pagefind bundle per
year of articles and one for the pages without a date, listed for the search
page; after one article changed, only its year's shard is indexed again."""

from pathlib import Path
from types import SimpleNamespace
import json
import shutil

from pelican.settings import read_settings

from site_search import site_search
from support.site_build import article_source, build_again, build_site

FILES = {
    "articles/mot-2023.md": article_source("Tin một", "2023-04-01", body="Đoàn kết toàn dân."),
    "articles/hai-2023.md": article_source("Tin hai", "2023-09-01", body="Phát huy sức mạnh."),
    "articles/ba-2024.md": article_source("Tin ba", "2024-02-01", body="Chung sức xây dựng."),
    "pages/gioi-thieu.md": "Title: Giới thiệu\n\nỦy ban MTTQ Việt Nam tỉnh.\n",
}


def bundle_files(output):
    bundle = output / "pagefind"
    return {path.relative_to(bundle).as_posix(): path.read_bytes() for path in bundle.rglob("*") if path.is_file()}


def test_each_year_and_the_undated_pages_are_a_shard_merged_into_the_first(tmp_path):
    site = build_site(tmp_path, FILES)
    assert site.ok, site.log
    bundles = site.output / "pagefind"
    assert json.loads((bundles / "shards.json").read_text(encoding="utf-8")) == [
        {"name": "2023", "pages": 2, "dated": True}, {"name": "2024", "pages": 1, "dated": True},
        {"name": "trang", "pages": 1, "dated": False}]
    # Pagefind's script, worker and WebAssembly come from the first shard; the others hold only their index.
    assert (bundles / "2023" / "pagefind.js").is_file() and (bundles / "2023" / "pagefind-worker.js").is_file()
    for merged in ("2024", "trang"):
        top = sorted(path.name for path in (bundles / merged).iterdir())
        assert top[:1] == ["fragment"] and "index" in top and "pagefind-entry.json" in top, top
        assert not [name for name in top if name.endswith((".js", ".css")) or name.startswith("wasm.")], top


def test_after_one_article_changed_only_its_shard_is_indexed_again_and_the_index_is_a_fresh_ones(
        tmp_path, monkeypatch):
    site = build_site(tmp_path / "site", FILES)
    assert site.ok, site.log
    (site.content / "articles" / "hai-2023.md").write_text(
        article_source("Tin hai", "2023-09-01", body="Nội dung đã sửa."), encoding="utf-8")
    build_again(site, overrides="SEARCH_INDEX = False\n")  # the pages only; the index is made below

    runs = []
    start_pagefind = site_search.start_pagefind

    def counted_start(copies, bundle, language, errors):
        runs.append(Path(copies).name)
        return start_pagefind(copies, bundle, language, errors)

    monkeypatch.setattr(site_search, "start_pagefind", counted_start)
    monkeypatch.chdir(tmp_path / "site")  # CACHE_PATH is relative to where pelican runs
    settings = read_settings(str(tmp_path / "site" / "test_settings.py"), override={"SEARCH_INDEX": True})
    site_search.build_search_index(SimpleNamespace(settings=settings))
    assert runs == ["2023"]
    site_search.build_search_index(SimpleNamespace(settings=settings))
    assert runs == ["2023"]  # nothing changed since: every shard is reused

    fresh = tmp_path / "fresh"
    shutil.copytree(site.output, fresh, ignore=shutil.ignore_patterns("pagefind"))
    site_search.build_search_index(SimpleNamespace(settings={
        **settings, "OUTPUT_PATH": str(fresh), "SEARCH_INDEX_CACHE": False}))
    assert sorted(runs[1:]) == ["2023", "2024", "trang"]
    assert bundle_files(site.output) == bundle_files(fresh)
    assert any(b"noiz dungz daz suaz" in data for data in unpacked(bundle_files(site.output)))


def unpacked(files):
    import gzip
    return [gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data for data in files.values()]
