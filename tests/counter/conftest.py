import json
from ipaddress import ip_network

import pytest

from counter.app import CounterApp
from counter.config import Config
from counter.sqlite_store import SQLiteStore
from tests.counter.support import OTHER_PAGE, PAGE, PROXY, SITE_ORIGIN, FakeClock, WsgiClient, local_time


@pytest.fixture
def clock():
    return FakeClock(local_time(2026, 11, 26, 10, 0, 0))


@pytest.fixture
def manifest_path(tmp_path):
    path = tmp_path / "counter-manifest.json"
    path.write_text(json.dumps(["/", PAGE, OTHER_PAGE]))
    return path


@pytest.fixture
def make_config(tmp_path, manifest_path):
    def make(**overrides) -> Config:
        settings = dict(
            db_path=tmp_path / "var" / "counter.sqlite3",
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
        store = SQLiteStore(config.db_path)
        stores.append(store)
        return WsgiClient(CounterApp(config, store, clock))

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def client(make_client):
    return make_client()
