"""The real server under faults: bad databases at start-up, oversized requests, idle sockets, a store that cannot write."""

import json
import os
import resource
import select
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from tests.counter.support import BROWSER_UA, PAGE, SITE_ORIGIN

from tests.counter_server import REPO_ROOT, free_port, running_counter


def start(*flags: str, cwd=REPO_ROOT, prefix: list[str] = (), **options) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COUNTER_")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    return subprocess.run([*prefix, sys.executable, "-m", "counter", "--port", str(free_port()), *flags],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=30, **options)


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]


def test_a_folder_as_database_stops_the_start_with_one_line(tmp_path):
    assert_one_line_error(start("--db", str(tmp_path)), str(tmp_path), "folder")


@pytest.mark.parametrize("content", [b"hello, this is not a database" * 100, b"\x00" * 4096 + b"x" * 100])
def test_a_file_that_is_not_a_database_stops_the_start_with_one_line(tmp_path, content):
    path = tmp_path / "counter.sqlite3"
    path.write_bytes(content)

    assert_one_line_error(start("--db", str(path)), str(path), "not an SQLite database")


def test_a_damaged_database_stops_the_start_with_one_line(tmp_path):
    path = tmp_path / "counter.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE filler (x)")
        db.executemany("INSERT INTO filler VALUES (?)", [(os.urandom(200),) for _ in range(400)])
    data = bytearray(path.read_bytes())
    data[4096 * 3: 4096 * 6] = os.urandom(4096 * 3)
    path.write_bytes(bytes(data))

    assert_one_line_error(start("--db", str(path)), str(path), "backup")


def test_a_database_path_under_a_file_stops_the_start_with_one_line(tmp_path):
    (tmp_path / "plain-file").write_text("x")

    assert_one_line_error(start("--db", str(tmp_path / "plain-file" / "counter.sqlite3")), "plain-file")


# Root ignores file modes through CAP_DAC_OVERRIDE; a counter started without it (and without
# CAP_DAC_READ_SEARCH) meets them as any user would. setpriv is in util-linux, always on Debian.
WITHOUT_ROOTS_OVERRIDE = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
)


@contextmanager
def read_only(*paths):
    """Make files (0444) and folders (0555) read-only for a counter started with WITHOUT_ROOTS_OVERRIDE."""
    for path in paths:
        os.chmod(path, 0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path in paths:
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


def test_a_folder_the_counter_cannot_write_stops_the_start_with_one_line(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()

    with read_only(folder):
        result = start("--db", str(folder / "counter.sqlite3"), prefix=WITHOUT_ROOTS_OVERRIDE)

    assert_one_line_error(result, str(folder / "counter.sqlite3"), "writable")


def test_an_unreachable_postgresql_stops_the_start_with_one_line_without_the_password():
    result = start("--db", f"postgresql://counter:s3cret@127.0.0.1:{free_port()}/counter")

    assert_one_line_error(result, "cannot connect", "127.0.0.1")
    assert "s3cret" not in result.stderr


def test_a_schema_newer_than_the_counter_stops_the_start(tmp_path):
    path = tmp_path / "counter.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)")
        db.execute("INSERT INTO schema_migrations VALUES (999, 'future', '')")

    assert_one_line_error(start("--db", str(path)), "999", "newer")


@pytest.fixture
def site(tmp_path):
    manifest = tmp_path / "counter-manifest.json"
    manifest.write_text(json.dumps(["/", PAGE]))
    return tmp_path


def raw_request(url: str, data: bytes, attempts: int = 5) -> tuple[int, dict, bytes]:
    """Send `data` as is and read the whole answer.

    A server that answers before reading everything closes with bytes
    unread, and its kernel then resets the connection, which can discard the
    answer before it is read; such an attempt is made again.
    """
    for attempt in range(attempts):
        try:
            return _raw_request_once(url, data)
        except (ConnectionResetError, BrokenPipeError):
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _raw_request_once(url: str, data: bytes) -> tuple[int, dict, bytes]:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as connection:
        # In pieces, stopping once the server answers, to make a reset less likely.
        for start in range(0, len(data), 4096):
            if select.select([connection], [], [], 0.02)[0]:
                break
            connection.sendall(data[start:start + 4096])
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (b"POST /api/hit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: " + b"a" * 20_000 + b"\r\nContent-Length: 0\r\n\r\n", 431),
        (b"POST /api/hit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: " + b"a" * 70_000 + b"\r\nContent-Length: 0\r\n\r\n", 431),
        (b"POST /api/hit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 20000\r\n\r\n" + b"a" * 20_000, 413),
        (b"POST /api/hit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n" + b"a" * 100_000, 413),
        (b"POST /api/hit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n" + b"10000\r\n" + b"a" * 65536 + b"\r\n0\r\n\r\n", 413),
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: -5\r\n\r\n", 400),
    ],
)
def test_every_error_answer_is_json_even_when_waitress_answers(site, request_bytes, status):
    flags = ["--db", str(site / "counter.sqlite3"), "--manifest", str(site / "counter-manifest.json")]
    with running_counter(*flags, log_path=site / "server.log") as server:
        answered, headers, body = raw_request(server.url, request_bytes)

    assert answered == status
    assert headers["Content-Type"] == "application/json"
    assert isinstance(json.loads(body)["error"], str)


def call(url: str, *, data: bytes | None = None, timeout: float = 5, user_agent: str = BROWSER_UA):
    request = urllib.request.Request(url, data=data, headers={"Origin": SITE_ORIGIN, "User-Agent": user_agent})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_150_idle_and_150_slow_sockets_do_not_stop_readers_being_served(site):
    flags = ["--db", str(site / "counter.sqlite3"), "--manifest", str(site / "counter-manifest.json"),
             "--origins", SITE_ORIGIN]
    with running_counter(*flags, log_path=site / "server.log") as server:
        port = int(server.url.rsplit(":", 1)[1])
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
        slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
        for connection in slow:
            connection.sendall(b"POST /api/hit HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Slow: ")
        try:
            started = time.monotonic()
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(
                    lambda number: call(f"{server.url}/api/hit",
                                        data=json.dumps({"path": PAGE, "view": f"reader-{number:04d}"}).encode()),
                    range(20),
                ))
            elapsed = time.monotonic() - started
            for connection in slow:
                connection.sendall(b"a")  # still trickling
        finally:
            for connection in idle + slow:
                connection.close()

    assert [status for status, _ in answers] == [200] * 20
    assert elapsed < 5


def test_health_is_503_while_writes_fail_and_200_again_afterwards(site):
    flags = ["--db", str(site / "counter.sqlite3"), "--manifest", str(site / "counter-manifest.json"),
             "--origins", SITE_ORIGIN]
    with running_counter(*flags, log_path=site / "server.log") as server:
        assert call(f"{server.url}/healthz")[0] == 200
        hit = json.dumps({"path": PAGE, "view": "before-the-fault"}).encode()
        assert call(f"{server.url}/api/hit", data=hit)[0] == 200
        # No file may grow: every write of the database fails, as on a full disk.
        _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
        resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (0, hard))
        try:
            failing = call(f"{server.url}/healthz")
            stats_meanwhile = call(f"{server.url}/api/stats?path={PAGE}")
        finally:
            resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (hard, hard))

        recovered = call(f"{server.url}/healthz")
        after = call(f"{server.url}/api/hit", data=json.dumps({"path": PAGE, "view": "after-the-fault"}).encode(),
                     user_agent=BROWSER_UA.replace("Chrome/131", "Chrome/132"))

    assert failing == (503, {"error": "store unavailable"})
    assert stats_meanwhile == (200, {"total": 1, "online": 1, "today": 1, "page": 1})
    assert recovered == (200, {"status": "ok"})
    assert after[1]["total"] == 2


def test_a_read_only_database_serves_stats_and_reports_503_health(site):
    folder = site / "data"
    folder.mkdir()
    database = folder / "counter.sqlite3"
    flags = ["--db", str(database), "--manifest", str(site / "counter-manifest.json"), "--origins", SITE_ORIGIN]
    with running_counter(*flags, log_path=site / "first.log") as server:
        call(f"{server.url}/api/hit", data=json.dumps({"path": PAGE, "view": "written-first"}).encode())

    with read_only(database, folder):
        with running_counter(*flags, log_path=site / "read-only.log", expect_healthy=False,
                             prefix=WITHOUT_ROOTS_OVERRIDE) as server:
            health = call(f"{server.url}/healthz")
            stats = call(f"{server.url}/api/stats?path={PAGE}")
            hit = call(f"{server.url}/api/hit", data=json.dumps({"path": PAGE, "view": "refused-hit"}).encode())

    assert health == (503, {"error": "store unavailable"})
    assert stats[0] == 200 and (stats[1]["total"], stats[1]["page"]) == (1, 1)
    assert hit == (503, {"error": "store unavailable"})
