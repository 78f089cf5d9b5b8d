"""One name per page, and the most-read list (/api/top)."""

import json
import os

import pytest
from tests.counter.support import SITE_ORIGIN, local_time

DAY = 24 * 60 * 60


def write_manifest(path, pages: dict[str, str | None]) -> None:
    path.write_text(json.dumps({"pages": [{"path": page, "title": title} for page, title in pages.items()]},
                               ensure_ascii=False))
    later = os.stat(path).st_mtime_ns + 1_000_000_000
    os.utime(path, ns=(later, later))


@pytest.mark.parametrize(
    "folder, other_name",
    [("/", "/index.html"), ("/chuyen-muc/tin-tuc/", "/chuyen-muc/tin-tuc/index.html"),
     ("/mặt-trận/", "/m%E1%BA%B7t-tr%E1%BA%ADn/index.html"), ("/a/b/c/", "/a/b/c/%69ndex.html")],
)
def test_a_folder_and_its_index_html_are_one_page(make_client, manifest_path, folder, other_name):
    write_manifest(manifest_path, {folder: None, folder + "index.html": None})
    client = make_client()

    client.hit(folder, address="203.0.113.1")
    answer = client.hit(other_name, address="203.0.113.2")

    assert answer.body["page"] == 2
    assert client.stats(other_name).body["page"] == client.stats(folder).body["page"] == 2


def test_old_manifest_listing_only_index_html_still_counts_the_folder(make_client, manifest_path):
    manifest_path.write_text(json.dumps(["/chuyen-muc/index.html"]))
    client = make_client()

    assert client.hit("/chuyen-muc/").body["page"] == 1


def test_a_page_named_like_an_index_but_not_one_stays_apart(make_client, manifest_path):
    write_manifest(manifest_path, {"/tin-tuc/myindex.html": "A", "/tin-tuc/": None})
    client = make_client()

    assert client.hit("/tin-tuc/myindex.html").body["page"] == 1
    assert client.stats("/tin-tuc/").body["page"] == 0


def top(client, query="", **options):
    return client.request("GET", "/api/top", query=query, **options)


def test_top_lists_titled_pages_by_views_over_seven_local_days(make_client, manifest_path, clock):
    write_manifest(manifest_path, {
        "/": None, "/tin-tuc/a.html": "Hội nghị <b> & \"bàn\"", "/tin-tuc/b.html": "Bài B",
        "/tin-tuc/c.html": "Bài C", "/tin-tuc/old.html": "Bài cũ",
    })
    client = make_client()
    clock.set(local_time(2026, 11, 19, 23, 59))  # eight local days ago: outside the window
    for number in range(5):
        client.hit("/tin-tuc/old.html", address=f"198.51.100.{number}")
    clock.set(local_time(2026, 11, 20, 0, 1))  # the first of the seven days
    for number in range(3):
        client.hit("/tin-tuc/b.html", address=f"198.51.100.{number}")
    clock.set(local_time(2026, 11, 26, 10, 0))
    for number in range(2):
        client.hit("/tin-tuc/a.html", address=f"198.51.100.{number}")
    client.hit("/tin-tuc/c.html", address="198.51.100.9")
    for number in range(9):
        client.hit("/", address=f"198.51.100.{number}")

    answer = top(client)

    assert answer.status == 200
    assert answer.headers["Cache-Control"] == "public, max-age=300"
    assert answer.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert answer.body == {"pages": [
        {"path": "/tin-tuc/b.html", "title": "Bài B", "views": 3},
        {"path": "/tin-tuc/a.html", "title": "Hội nghị <b> & \"bàn\"", "views": 2},
        {"path": "/tin-tuc/c.html", "title": "Bài C", "views": 1},
    ]}


def test_top_respects_the_limit_and_breaks_ties_by_path(make_client, manifest_path):
    pages = {f"/tin-tuc/{letter}.html": f"Bài {letter}" for letter in "fedcba"}
    write_manifest(manifest_path, pages)
    client = make_client()
    for number, page in enumerate(pages):
        client.hit(page, address=f"198.51.100.{number}")

    assert [page["path"] for page in top(client, "limit=2").body["pages"]] == ["/tin-tuc/a.html", "/tin-tuc/b.html"]
    assert len(top(client).body["pages"]) == 5
    assert len(top(client, "limit=10").body["pages"]) == 6


def test_top_leaves_out_pages_no_longer_in_the_manifest(make_client, manifest_path, clock):
    write_manifest(manifest_path, {"/tin-tuc/a.html": "A", "/tin-tuc/b.html": "B"})
    client = make_client()
    client.hit("/tin-tuc/a.html", address="198.51.100.1")
    client.hit("/tin-tuc/a.html", address="198.51.100.2")
    client.hit("/tin-tuc/b.html", address="198.51.100.3")
    write_manifest(manifest_path, {"/tin-tuc/b.html": "B"})

    assert top(client).body == {"pages": [{"path": "/tin-tuc/b.html", "title": "B", "views": 1}]}


@pytest.mark.parametrize("query", ["limit=0", "limit=11", "limit=-1", "limit=abc", "limit=", "limit=1&limit=2",
                                   "limit=%EF%BC%93"])
def test_top_refuses_a_limit_outside_one_to_ten(client, query):
    answer = top(client, query)

    assert answer.status == 400
    assert answer.headers["Cache-Control"] == "no-store"
    assert "error" in answer.body


def test_top_follows_the_origin_rules(client):
    assert top(client, origin="https://evil.example").status == 403
    answer = top(client, origin=None)
    assert answer.status == 200
    assert "Access-Control-Allow-Origin" not in answer.headers
