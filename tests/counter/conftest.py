import json
from ipaddress import ip_network

import psycopg
import pytest

from counter.app import CounterApp
from counter.config import Config
from counter.salts import RAM_FOLDER, SaltFile, salt_file_for
from counter.store import open_store
from tests.counter.support import OTHER_PAGE, PAGE, PROXY, SITE_ORIGIN, FakeClock, WsgiClient, local_time
from tests.postgresql_server import throwaway_postgresql

STORES = ["sqlite", "postgresql"]
POSTGRESQL_TABLES = "views, visits, presence, tallies, page_days, salt, newest_salt_day, health"

sqlite_only = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
"""For tests of what only the SQLite store has (its files, WAL, backup)."""


@pytest.fixture(autouse=True)
def no_salt_left_behind():
    """Servers started by a test leave their salt files in RAM; remove those (only a test's own)."""
    before = set(RAM_FOLDER.glob("visit-counter-salt-*"))
    yield
    for path in set(RAM_FOLDER.glob("visit-counter-salt-*")) - before:
        SaltFile(path).destroy()


@pytest.fixture(scope="session")
def postgresql_server():
    with throwaway_postgresql() as server:
        yield server


@pytest.fixture(scope="session")
def postgresql_url(postgresql_server):
    with psycopg.connect(postgresql_server.url(), autocommit=True) as connection:
        connection.execute("CREATE DATABASE counter_tests")
    return postgresql_server.url("counter_tests")


def empty_postgresql(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        if connection.execute("SELECT to_regclass('tallies')").fetchone()[0]:
            connection.execute(f"TRUNCATE {POSTGRESQL_TABLES}")


@pytest.fixture(params=STORES)
def database(request, tmp_path):
    """Where the store keeps its data: every contract test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "var" / "counter.sqlite3"
        yield str(path)
        SaltFile(salt_file_for(path)).destroy()
    else:
        url = request.getfixturevalue("postgresql_url")
        empty_postgresql(url)
        yield url


@pytest.fixture
def clock():
    return FakeClock(local_time(2026, 11, 26, 10, 0, 0))


@pytest.fixture
def manifest_path(tmp_path):
    path = tmp_path / "counter-manifest.json"
    path.write_text(json.dumps(["/", PAGE, OTHER_PAGE]))
    return path


@pytest.fixture
def make_config(database, manifest_path):
    def make(**overrides) -> Config:
        settings = dict(
            database=database,
            manifest_path=manifest_path,
            origins=frozenset({SITE_ORIGIN}),
            trusted_proxies=(ip_network(PROXY),),
            rate_per_second=1000.0,
            rate_burst=1000,
        )
        settings.update(overrides)
        return Config(**settings)

    return make


@pytest.fixture
def make_client(make_config, clock):
    stores = []

    def make(**overrides) -> WsgiClient:
        config = make_config(**overrides)
        store = open_store(config.database)
        stores.append(store)
        return WsgiClient(CounterApp(config, store, clock))

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def client(make_client):
    return make_client()
