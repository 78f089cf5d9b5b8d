"""The real server: `python -m counter` under waitress, spoken to over loopback."""

import json
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from tests.counter.support import BROWSER_UA, PAGE, SITE_ORIGIN

from tests.counter_server import REPO_ROOT, running_counter


def call(url: str, *, data: bytes | None = None, origin: str = SITE_ORIGIN, forwarded_for: str | None = None):
    headers = {"Origin": origin, "User-Agent": BROWSER_UA, "Content-Type": "text/plain"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


def hit_body(view: str) -> bytes:
    return json.dumps({"path": PAGE, "view": view}).encode()


@pytest.fixture
def site(tmp_path):
    manifest = tmp_path / "counter-manifest.json"
    manifest.write_text(json.dumps(["/", PAGE]))
    return tmp_path


def test_server_counts_hits_and_answers_stats_over_http(site):
    db = site / "counter.sqlite3"
    flags = ["--db", str(db), "--manifest", str(site / "counter-manifest.json"),
             "--origins", SITE_ORIGIN, "--offset", "41"]
    with running_counter(*flags, log_path=site / "server.log") as server:
        status, headers, body = call(f"{server.url}/api/hit", data=hit_body("first-view"))
        assert status == 200
        assert headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
        assert headers["Cache-Control"] == "no-store"
        assert body == {"total": 42, "online": 1, "today": 1, "page": 1}

        assert call(f"{server.url}/api/stats?path={PAGE}")[2]["total"] == 42
        status, _, body = call(f"{server.url}/api/hit", data=b"{not json")
        assert (status, body) == (400, {"error": "body must be JSON"})
        status, _, _ = call(f"{server.url}/api/hit", data=hit_body("x" * 10), origin="https://evil.example")
        assert status == 403
        status, _, body = call(f"{server.url}/api/hit", data=b" " * 20_000)
        assert (status, body) == (413, {"error": "body too large"})

    log = (site / "server.log").read_text()
    assert "127.0.0.1" in log  # the server did log its listening address...
    assert BROWSER_UA not in log  # ...but nothing about its visitors


def test_server_defaults_suit_the_repository_root(tmp_path):
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "counter-manifest.json").write_text(json.dumps([PAGE]))

    with running_counter(log_path=tmp_path / "server.log", cwd=tmp_path) as server:
        status, headers, body = call(
            f"{server.url}/api/hit", data=hit_body("default-view"), origin="http://localhost:8000"
        )
        assert status == 200
        assert headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
        assert body["total"] == 1

    assert (tmp_path / "var" / "counter.sqlite3").is_file()


@pytest.mark.parametrize("trusted, expected_total", [(["--trusted-proxy", "127.0.0.1"], 2), ([], 1)])
def test_server_reads_forwarded_for_only_from_a_trusted_proxy(site, trusted, expected_total):
    flags = ["--db", str(site / "counter.sqlite3"), "--manifest", str(site / "counter-manifest.json"),
             "--origins", SITE_ORIGIN, *trusted]
    with running_counter(*flags, log_path=site / "server.log") as server:
        for number, reader in enumerate(["198.51.100.1", "198.51.100.2"]):
            call(f"{server.url}/api/hit", data=hit_body(f"forwarded-{number}"), forwarded_for=reader)

        assert call(f"{server.url}/api/stats?path={PAGE}")[2]["total"] == expected_total


def test_backup_command_copies_the_counts(site):
    db = site / "counter.sqlite3"
    flags = ["--db", str(db), "--manifest", str(site / "counter-manifest.json"), "--origins", SITE_ORIGIN]
    with running_counter(*flags, log_path=site / "server.log") as server:
        call(f"{server.url}/api/hit", data=hit_body("backup-view"))
        subprocess.run(
            [sys.executable, "-m", "counter", "backup", str(site / "copy.sqlite3"), "--db", str(db)],
            cwd=REPO_ROOT, check=True, capture_output=True,
        )

    with sqlite3.connect(site / "copy.sqlite3") as copy:
        assert copy.execute("SELECT visits FROM tallies WHERE scope = 'total'").fetchone() == (1,)
