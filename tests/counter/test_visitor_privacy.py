import logging
import sqlite3
import time
from ipaddress import ip_network

import psycopg
from tests.counter.conftest import sqlite_only
from tests.counter.support import PROXY, local_time

from counter.salts import DAY_BYTES, salt_file_for
from counter.visitors import VisitorKeys, client_address


def database_bytes(db_path) -> bytes:
    files = sorted(path for path in db_path.parent.iterdir() if path.name.startswith(db_path.name))
    assert db_path in files
    return b"".join(path.read_bytes() for path in files)


def rows(store, query: str) -> list[tuple]:
    """Read the store's own tables, whichever database it is."""
    if hasattr(store, "path"):
        with sqlite3.connect(store.path) as db:
            return db.execute(query).fetchall()
    with psycopg.connect(store.url) as connection:
        return connection.execute(query).fetchall()


def stored_salts(store) -> list[tuple[str, bytes]]:
    """Every salt the store keeps: the SQLite store's RAM file, the PostgreSQL store's table."""
    if hasattr(store, "path"):
        content = salt_file_for(store.path).read_bytes()
        return [(content[:DAY_BYTES].decode(), content[DAY_BYTES:])]
    return [(day, bytes(salt)) for day, salt in rows(store, "SELECT day, salt FROM salt")]


def test_visitor_key_changes_at_local_midnight_and_the_old_salt_is_destroyed(client):
    keys = client.app.visitor_keys
    before = keys.key("203.0.113.7", "Firefox", "2026-11-26")
    old_salt = client.app.store.salt_for("2026-11-26")
    assert keys.key("203.0.113.7", "Firefox", "2026-11-26") == before

    after = keys.key("203.0.113.7", "Firefox", "2026-11-27")

    assert after != before
    assert [day for day, _ in stored_salts(client.app.store)] == ["2026-11-27"]
    assert old_salt not in b"".join(salt for _, salt in stored_salts(client.app.store))


@sqlite_only
def test_no_salt_is_ever_written_to_the_database_files_nor_to_a_backup(client, clock, tmp_path):
    client.hit()
    salts = [client.app.store.salt_for("2026-11-26")]
    clock.set(local_time(2026, 11, 27, 0, 0, 1))
    client.hit(address="203.0.113.8")
    salts.append(client.app.store.salt_for("2026-11-27"))
    client.app.store.backup(tmp_path / "backup.sqlite3")

    on_disk = database_bytes(client.app.store.path) + (tmp_path / "backup.sqlite3").read_bytes()

    for salt in salts:
        assert salt not in on_disk
    assert str(salt_file_for(client.app.store.path)).startswith("/dev/shm/")


def test_a_clock_stepping_back_over_midnight_never_brings_the_past_days_salt_back(make_client, clock):
    clock.set(local_time(2026, 11, 27, 0, 0, 30))
    first = make_client()
    assert first.hit().body["total"] == 1
    clock.set(local_time(2026, 11, 26, 23, 59, 50))  # the clock is corrected backwards

    again = first.hit()
    from_another_process = make_client().hit()

    assert (again.body["total"], from_another_process.body["total"]) == (1, 1)
    assert [day for day, _ in stored_salts(first.app.store)] == ["2026-11-27"]


@sqlite_only
def test_rotation_does_not_wait_for_a_backup_reading_the_database(client, clock):
    client.hit()
    backup = sqlite3.connect(client.app.store.path, isolation_level=None)
    backup.execute("BEGIN")
    backup.execute("SELECT count(*) FROM tallies").fetchone()  # holds a read snapshot, as a backup does
    clock.set(local_time(2026, 11, 27, 0, 0, 1))
    started = time.monotonic()

    answer = client.hit(address="203.0.113.9")

    assert time.monotonic() - started < 1.0
    assert answer.body["today"] == 1
    backup.execute("ROLLBACK")
    backup.close()


def test_same_reader_counts_again_after_local_midnight(client, clock):
    clock.set(local_time(2026, 11, 26, 23, 59, 59))
    client.hit()
    clock.set(local_time(2026, 11, 27, 0, 0, 0))

    assert client.hit().body["total"] == 2


def test_midnight_is_taken_in_vietnam_not_utc(client, clock):
    clock.set(local_time(2026, 11, 26, 6, 59, 59))  # 23:59:59 UTC the day before
    client.hit()
    clock.set(local_time(2026, 11, 26, 7, 0, 0))  # UTC midnight, not local

    assert client.hit().body["total"] == 1


def test_all_processes_share_the_salt_of_the_day(make_client):
    first, second = make_client(), make_client()

    assert first.app.visitor_keys.key("203.0.113.7", "Firefox", "2026-11-26") == (
        second.app.visitor_keys.key("203.0.113.7", "Firefox", "2026-11-26")
    )


def test_different_user_agents_at_one_address_are_different_visitors(client):
    client.hit(user_agent="Mozilla/5.0 Firefox/133.0")

    assert client.hit(user_agent="Mozilla/5.0 Chrome/131.0").body["total"] == 2


def test_forwarded_for_is_ignored_from_an_untrusted_peer(client):
    client.hit(address="203.0.113.7", headers={"HTTP_X_FORWARDED_FOR": "198.51.100.1"})

    answer = client.hit(address="203.0.113.7", headers={"HTTP_X_FORWARDED_FOR": "198.51.100.2"})

    assert answer.body["total"] == 1


def test_forwarded_for_names_the_visitor_behind_the_trusted_proxy(client):
    client.hit(address=PROXY, headers={"HTTP_X_FORWARDED_FOR": "198.51.100.1"})

    answer = client.hit(address=PROXY, headers={"HTTP_X_FORWARDED_FOR": "198.51.100.2"})

    assert answer.body["total"] == 2


def test_forwarded_for_is_read_from_the_right_past_trusted_hops():
    trusted = (ip_network("10.0.0.0/8"),)
    environ = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 198.51.100.9, 10.0.0.2"}

    assert client_address(environ, trusted) == "198.51.100.9"


def test_trusted_proxy_without_forwarded_for_is_the_visitor_itself():
    assert client_address({"REMOTE_ADDR": "10.0.0.1"}, (ip_network("10.0.0.0/8"),)) == "10.0.0.1"


def test_salt_is_fetched_once_per_day_per_process(make_client):
    store = make_client().app.store
    calls = []
    keys = VisitorKeys(store)
    original = store.salt_for
    store.salt_for = lambda day: calls.append(day) or original(day)

    for _ in range(3):
        keys.key("203.0.113.7", "Firefox", "2026-11-26")

    assert calls == ["2026-11-26"]


@sqlite_only
def test_addresses_and_user_agents_are_never_stored_nor_logged(make_client, clock, caplog):
    addresses = ["203.0.113.77", "2001:db8::beef:cafe"]
    agents = ["Mozilla/5.0 PrivacyProbeAgent/7.1", "Mozilla/5.0 AnotherDistinctiveBrowser/9.9"]
    client = make_client()
    caplog.set_level(logging.DEBUG)

    for address in addresses:
        for agent in agents:
            client.hit(address=address, user_agent=agent)
            client.hit("/not-in-manifest", address=address, user_agent=agent)
            client.request("POST", "/api/hit", body=b"{bad", address=address, user_agent=agent)
            client.hit(address=PROXY, user_agent=agent, headers={"HTTP_X_FORWARDED_FOR": address})
    clock.set(local_time(2026, 11, 27, 0, 1))
    client.hit(address="192.0.2.1")

    stored = database_bytes(client.app.store.path)  # live: with -wal and -shm
    client.app.store.close()
    stored += database_bytes(client.app.store.path)  # checkpointed into the main file
    logged = caplog.text
    for secret in addresses + agents:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in stored
        assert secret not in logged


def row_counts(store) -> dict[str, int]:
    return {table: rows(store, f"SELECT count(*) FROM {table}")[0][0] for table in ("presence", "visits", "views")}


def test_visitor_keys_are_forgotten_once_no_rule_needs_them(client, clock):
    client.hit(address="203.0.113.1")
    clock.advance(31 * 60)

    client.hit(address="203.0.113.2")

    assert row_counts(client.app.store) == {"presence": 1, "visits": 1, "views": 2}


def test_view_ids_are_forgotten_after_two_days(client, clock):
    client.hit(address="203.0.113.1")
    clock.advance(2 * 24 * 60 * 60)

    client.hit(address="203.0.113.2")

    assert row_counts(client.app.store)["views"] == 1
