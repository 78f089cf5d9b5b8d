import json
import random

import pytest
from tests.counter.support import PAGE, SITE_ORIGIN

from counter.store import StoreUnavailable


def test_hit_answer_is_uncacheable_integers(client):
    answer = client.hit()

    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Content-Type"] == "application/json"
    assert set(answer.body) == {"total", "online", "today", "page"}
    assert all(type(value) is int for value in answer.body.values())


def test_allowed_origin_is_echoed_with_vary_origin(client):
    for answer in (client.hit(), client.stats()):
        assert answer.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
        assert answer.headers["Vary"] == "Origin"


def test_foreign_origin_is_refused_and_counts_nothing(client):
    refused = client.hit(origin="https://evil.example")

    assert refused.status == 403
    assert "error" in refused.body
    assert "Access-Control-Allow-Origin" not in refused.headers
    assert refused.headers["Vary"] == "Origin"
    assert client.stats().body["total"] == 0


def test_foreign_origin_cannot_read_stats(client):
    assert client.stats(origin="null").status == 403


def test_stats_without_origin_are_answered_without_cors_header(client):
    answer = client.stats(origin=None)

    assert answer.status == 200
    assert "Access-Control-Allow-Origin" not in answer.headers


def test_rate_limited_answer_says_when_to_retry(make_client):
    client = make_client(rate_per_second=3.0, rate_burst=1)
    client.hit()

    answer = client.hit()

    assert answer.status == 429
    assert answer.headers["Retry-After"] == "1"
    assert answer.body == {"error": "too many requests"}


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        b"[" * 4000 + b"]" * 4000,
        b'["/tin-tuc/abc.html"]',
        b'"/tin-tuc/abc.html"',
        b'{"view": "abcdefgh"}',
        b'{"path": 42, "view": "abcdefgh"}',
        b'{"path": "tin-tuc/abc.html", "view": "abcdefgh"}',
        b'{"path": "/tin-tuc/\\ud800.html", "view": "abcdefgh"}',
        b'{"path": "/tin-tuc/abc.html"}',
        b'{"path": "/tin-tuc/abc.html", "view": 12345678}',
        b'{"path": "/tin-tuc/abc.html", "view": "short"}',
        b'{"path": "/tin-tuc/abc.html", "view": "has spaces in it"}',
        b'{"path": "/tin-tuc/abc.html", "view": "' + b"a" * 65 + b'"}',
    ],
)
def test_malformed_hit_gets_400_json_and_counts_nothing(client, body):
    answer = client.request("POST", "/api/hit", body=body)

    assert answer.status == 400
    assert isinstance(answer.body["error"], str)
    assert client.stats().body["total"] == 0


def test_oversized_body_gets_413(client):
    body = json.dumps({"path": PAGE, "view": "abcdefgh", "pad": "x" * 10_000}).encode()

    answer = client.request("POST", "/api/hit", body=body)

    assert answer.status == 413
    assert answer.body == {"error": "body too large"}


@pytest.mark.parametrize("length", ["abc", "-1", "1e3"])
def test_invalid_content_length_gets_400(client, length):
    answer = client.request("POST", "/api/hit", headers={"CONTENT_LENGTH": length})

    assert answer.status == 400


@pytest.mark.parametrize("query", ["", "path=", "path=relative", "path=/a&path=/b", "x=1&" * 20 + "path=/"])
def test_stats_without_exactly_one_absolute_path_gets_400(client, query):
    answer = client.request("GET", "/api/stats", query=query)

    assert answer.status == 400
    assert "error" in answer.body


@pytest.mark.parametrize(
    "method, path, allowed",
    [("GET", "/api/hit", "POST"), ("PUT", "/api/hit", "POST"), ("POST", "/api/stats", "GET"),
     ("DELETE", "/healthz", "GET"), ("OPTIONS", "/api/hit", "POST")],
)
def test_unknown_method_gets_405_with_allow(client, method, path, allowed):
    answer = client.request(method, path)

    assert answer.status == 405
    assert answer.headers["Allow"] == allowed
    assert answer.body == {"error": "method not allowed"}


@pytest.mark.parametrize("path", ["/", "/api", "/api/hit/extra", "/../etc/passwd"])
def test_unknown_path_gets_404_json(client, path):
    answer = client.request("GET", path)

    assert answer.status == 404
    assert answer.body == {"error": "not found"}


def test_health_is_ok_when_the_store_answers(client):
    answer = client.request("GET", "/healthz", origin=None)

    assert answer.status == 200
    assert answer.body == {"status": "ok"}


def test_health_is_503_when_the_store_does_not_answer(make_client, monkeypatch):
    client = make_client()

    def unavailable(at):
        raise StoreUnavailable("disk I/O error")

    monkeypatch.setattr(client.app.store, "check_health", unavailable)

    answer = client.request("GET", "/healthz")
    assert answer.status == 503
    assert answer.body == {"error": "store unavailable"}


def test_random_bodies_never_cause_a_server_error(client):
    generator = random.Random(4)
    samples = [bytes(generator.randrange(256) for _ in range(generator.randrange(64))) for _ in range(150)]
    fields = ["/", PAGE, "", None, 0, 1.5, [], {}, True, "abcdefgh", "\u0000" * 9, "/\ud800", "/" + "\u1ea1" * 900]
    samples += [
        json.dumps({"path": generator.choice(fields), "view": generator.choice(fields)}).encode()
        for _ in range(150)
    ]

    statuses = {client.request("POST", "/api/hit", body=body).status for body in samples}

    assert statuses <= {200, 400, 413}


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
def test_a_read_only_postgresql_serves_stats_and_reports_503_health(make_client, database):
    import psycopg

    client = make_client()
    client.hit()
    with psycopg.connect(database, autocommit=True) as connection:
        connection.execute(f"ALTER DATABASE {database.rsplit('/', 1)[1]} SET default_transaction_read_only = on")
    try:
        read_only = make_client()  # its connections are new, hence read-only
        health = read_only.request("GET", "/healthz")
        stats = read_only.stats()
        hit = read_only.hit(address="198.51.100.77")
    finally:
        with psycopg.connect(database, autocommit=True) as connection:
            connection.execute("SET default_transaction_read_only = off")
            connection.execute(f"ALTER DATABASE {database.rsplit('/', 1)[1]} RESET default_transaction_read_only")

    assert health.status == 503
    assert (stats.status, stats.body["total"]) == (200, 1)
    assert hit.status == 503
