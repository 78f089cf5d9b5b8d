"""Requests that are answered with the current figures but never counted."""

import json
import os

import pytest
from tests.counter.support import PAGE

CRAWLER_AGENTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "facebookexternalhit/1.1",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0 Safari/537.36",
    "curl/8.5.0",
    "python-requests/2.32.3",
]


def assert_answered_but_not_counted(client, answer):
    assert answer.status == 200
    assert answer.body == {"total": 0, "online": 0, "today": 0, "page": 0}
    assert client.hit().body["total"] == 1  # the same page is countable by a reader


@pytest.mark.parametrize("user_agent", CRAWLER_AGENTS)
def test_crawlers_are_answered_but_not_counted(client, user_agent):
    answer = client.hit(address="198.51.100.1", user_agent=user_agent)

    assert_answered_but_not_counted(client, answer)


@pytest.mark.parametrize("user_agent", [None, "", "   "])
def test_requests_without_a_user_agent_are_not_counted(client, user_agent):
    answer = client.hit(address="198.51.100.1", user_agent=user_agent)

    assert_answered_but_not_counted(client, answer)


@pytest.mark.parametrize(
    "header, value",
    [("HTTP_PURPOSE", "prefetch"), ("HTTP_SEC_PURPOSE", "prefetch"), ("HTTP_SEC_PURPOSE", "prefetch;prerender")],
)
def test_prefetch_requests_are_not_counted(client, header, value):
    answer = client.hit(address="198.51.100.1", headers={header: value})

    assert_answered_but_not_counted(client, answer)


def test_path_missing_from_the_manifest_is_answered_but_not_counted(client):
    answer = client.hit("/khong-co-trang-nay.html")

    assert answer.status == 200
    assert answer.body == {"total": 0, "online": 0, "today": 0, "page": 0}


def test_manifest_is_reread_when_the_site_is_rebuilt(client, manifest_path):
    assert client.hit("/tin-tuc/moi.html").body["page"] == 0

    manifest_path.write_text(json.dumps(["/", PAGE, "/tin-tuc/moi.html"]))
    later = os.stat(manifest_path).st_mtime_ns + 1_000_000_000
    os.utime(manifest_path, ns=(later, later))

    assert client.hit("/tin-tuc/moi.html").body["page"] == 1


def test_missing_manifest_counts_nothing(make_client, tmp_path):
    client = make_client(manifest_path=tmp_path / "not-built-yet.json")

    assert client.hit().body["total"] == 0


def test_path_over_two_kilobytes_is_answered_but_not_counted(make_client, manifest_path):
    long_path = "/" + "a" * 2048
    manifest_path.write_text(json.dumps([long_path]))
    client = make_client()

    answer = client.hit(long_path)

    assert answer.status == 200
    assert answer.body["total"] == 0


def test_path_of_exactly_two_kilobytes_is_counted(make_client, manifest_path):
    path = "/" + "a" * 2047
    manifest_path.write_text(json.dumps([path]))
    client = make_client()

    assert client.hit(path).body["total"] == 1


def test_hit_without_origin_is_answered_but_not_counted(client):
    answer = client.hit(origin=None)

    assert answer.status == 200
    assert "Access-Control-Allow-Origin" not in answer.headers
    assert answer.body["total"] == 0
