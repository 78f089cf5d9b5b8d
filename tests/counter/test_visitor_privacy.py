import logging
import sqlite3
from ipaddress import ip_network

from tests.counter.support import PROXY, local_time

from counter.visitors import VisitorKeys, client_address


def salt_days(db_path) -> list[str]:
    with sqlite3.connect(db_path) as db:
        return [day for (day,) in db.execute("SELECT day FROM salts ORDER BY day")]


def database_bytes(db_path) -> bytes:
    files = sorted(path for path in db_path.parent.iterdir() if path.name.startswith(db_path.name))
    assert db_path in files
    return b"".join(path.read_bytes() for path in files)


def test_visitor_key_changes_at_local_midnight_and_the_old_salt_is_destroyed(client):
    keys = client.app.visitor_keys
    before = keys.key("203.0.113.7", "Firefox", "2026-11-26")
    old_salt = client.app.store.salt_for("2026-11-26")
    assert keys.key("203.0.113.7", "Firefox", "2026-11-26") == before

    after = keys.key("203.0.113.7", "Firefox", "2026-11-27")

    assert after != before
    assert salt_days(client.app.store.path) == ["2026-11-27"]
    assert old_salt not in database_bytes(client.app.store.path)


def test_same_reader_counts_again_after_local_midnight(client, clock):
    clock.set(local_time(2026, 11, 26, 23, 59, 59))
    client.hit()
    clock.set(local_time(2026, 11, 27, 0, 0, 0))

    assert client.hit().body["total"] == 2
    assert salt_days(client.app.store.path) == ["2026-11-27"]


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


def row_counts(db_path) -> dict[str, int]:
    with sqlite3.connect(db_path) as db:
        return {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("presence", "visits", "views")}


def test_visitor_keys_are_forgotten_once_no_rule_needs_them(client, clock):
    client.hit(address="203.0.113.1")
    clock.advance(31 * 60)

    client.hit(address="203.0.113.2")

    assert row_counts(client.app.store.path) == {"presence": 1, "visits": 1, "views": 2}


def test_view_ids_are_forgotten_after_two_days(client, clock):
    client.hit(address="203.0.113.1")
    clock.advance(2 * 24 * 60 * 60)

    client.hit(address="203.0.113.2")

    assert row_counts(client.app.store.path)["views"] == 1
