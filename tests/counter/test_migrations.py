"""Upgrading a database made by the previous schema version keeps its figures and its memory of visitors."""

import sqlite3
from pathlib import Path

from counter import migrations
from counter.sqlite_store import SQLiteStore
from counter.visitors import VisitorKeys
from tests.counter.conftest import sqlite_only
from tests.counter.support import BROWSER_UA, PAGE


def sqlite_database_at_version(path: Path, version: int, monkeypatch, day: str) -> str:
    """A database as the counter of schema `version` left it; returns the key of the default test visitor on `day`."""
    every_migration = migrations.migrations
    with monkeypatch.context() as patch:
        patch.setattr(migrations, "migrations", lambda store: every_migration(store)[:version])
        store = SQLiteStore(path)
        try:
            assert store.schema_version() == version
            return VisitorKeys(store).key("203.0.113.7", BROWSER_UA, day)
        finally:
            store.close()


@sqlite_only
def test_the_sqlite_upgrade_to_one_statement_per_hit_keeps_totals_views_and_recent_visits(make_client, clock,
                                                                                           database, monkeypatch):
    path = Path(database)
    day = "2026-11-26"
    visitor = sqlite_database_at_version(path, 2, monkeypatch, day)
    with sqlite3.connect(path) as old:
        old.execute("INSERT INTO tallies VALUES ('total', '', 41), ('day', ?, 7), ('page', ?, 5)", (day, PAGE))
        old.execute("INSERT INTO page_days VALUES (?, ?, 5)", (day, PAGE))
        old.execute("INSERT INTO views VALUES ('replayed-view-id', ?)", (clock() - 60,))
        old.execute("INSERT INTO visits VALUES (?, ?, ?)", (visitor, PAGE, clock() - 60))

    client = make_client()

    assert client.app.store.schema_version() == len(migrations.migrations("sqlite"))
    assert client.stats().body == {"total": 41, "online": 0, "today": 7, "page": 5}
    assert client.hit(view="replayed-view-id", address="198.51.100.1").body["total"] == 41
    assert client.hit().body["total"] == 41  # visited 60 s before the upgrade
    assert client.hit(address="198.51.100.2").body == {"total": 42, "online": 3, "today": 8, "page": 6}
