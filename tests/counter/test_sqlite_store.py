import shutil
import sqlite3

from counter import sqlite_store
from tests.counter.conftest import sqlite_only


@sqlite_only
def test_hits_are_checkpointed_into_the_database_file_while_serving(make_client, monkeypatch, tmp_path):
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_EVERY_COMMITS", 1)
    client = make_client()

    for number in range(6):
        client.hit(address=f"203.0.113.{number}")

    # The main file alone, without its -wal, must already hold the visits.
    copy = tmp_path / "main-file-only.sqlite3"
    shutil.copyfile(client.app.store.path, copy)
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT visits FROM tallies WHERE scope = 'total'").fetchone() == (6,)
