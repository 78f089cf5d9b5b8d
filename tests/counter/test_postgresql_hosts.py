"""Two counter processes (two web hosts) on one PostgreSQL: exact totals, and kill -9 loses no acknowledged hit."""

import http.client
import json
import signal
import threading

import psycopg
import pytest
from tests.counter.support import BROWSER_UA, PAGE, SITE_ORIGIN

from tests.counter_server import running_counter

HITS_PER_HOST = 150


@pytest.fixture
def shared_database(postgresql_server):
    name = "two_hosts"
    with psycopg.connect(postgresql_server.url(), autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    return postgresql_server.url(name)


def counter_flags(url: str, site) -> list[str]:
    manifest = site / "counter-manifest.json"
    manifest.write_text(json.dumps([PAGE]))
    return ["--db", url, "--manifest", str(manifest), "--origins", SITE_ORIGIN, "--trusted-proxy", "127.0.0.1",
            "--rate-per-second", "10000", "--rate-burst", "10000"]


def hit(port: int, reader: str, view: str) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("POST", "/api/hit", json.dumps({"path": PAGE, "view": view}), {
            "Origin": SITE_ORIGIN, "User-Agent": BROWSER_UA, "X-Forwarded-For": reader, "Content-Type": "text/plain",
        })
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def stored_total(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT visits FROM tallies WHERE scope = 'total'").fetchone()
    return row[0] if row else 0


def reader(host: int, number: int) -> str:
    return f"2001:db8:{host:x}:{number:x}::1"


def test_two_counters_on_one_postgresql_count_exactly(shared_database, tmp_path):
    flags = counter_flags(shared_database, tmp_path)
    with running_counter(*flags, log_path=tmp_path / "a.log") as first, \
            running_counter(*flags, log_path=tmp_path / "b.log") as second:
        ports = [int(server.url.rsplit(":", 1)[1]) for server in (first, second)]
        statuses = []

        def send(host: int) -> None:
            for number in range(HITS_PER_HOST):
                statuses.append(hit(ports[host], reader(host, number), f"view-{host}-{number}-a")[0])
                # the same reader through the other host: one visit, not two
                statuses.append(hit(ports[1 - host], reader(host, number), f"view-{host}-{number}-b")[0])

        threads = [threading.Thread(target=send, args=(host,)) for host in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert statuses == [200] * (4 * HITS_PER_HOST)
    assert stored_total(shared_database) == 2 * HITS_PER_HOST


def test_kill_9_of_one_counter_loses_no_acknowledged_hit(shared_database, tmp_path):
    flags = counter_flags(shared_database, tmp_path)
    acknowledged = []
    with running_counter(*flags, log_path=tmp_path / "survivor.log") as survivor:
        with running_counter(*flags, log_path=tmp_path / "victim.log") as victim:
            port = int(victim.url.rsplit(":", 1)[1])
            killer = threading.Timer(1.0, victim.process.send_signal, args=(signal.SIGKILL,))
            killer.start()
            for number in range(100_000):
                try:
                    status, _ = hit(port, reader(7, number), f"killed-{number}")
                except (OSError, http.client.HTTPException):
                    break  # the victim died mid-request: that hit was never acknowledged
                if status == 200:
                    acknowledged.append(number)
            killer.join()
            assert victim.process.wait(timeout=10) == -signal.SIGKILL
        survivor_port = int(survivor.url.rsplit(":", 1)[1])
        after = hit(survivor_port, reader(8, 1), "after-the-kill")

    assert len(acknowledged) > 10
    total = stored_total(shared_database)
    # Every acknowledged hit is stored; at most the one in flight at the kill is stored unacknowledged.
    assert len(acknowledged) + 1 <= total <= len(acknowledged) + 2
    assert after == (200, after[1]) and after[1]["total"] == total
