import shutil
import sqlite3
import time

from counter import sqlite_store
from tests.counter.conftest import sqlite_only

CHECKPOINTER_PATIENCE_SECONDS = 20


def total_in_main_file_alone(store, tmp_path) -> int:
    """The total a copy of the database file without its -wal holds: what checkpoints have copied."""
    copy = tmp_path / "main-file-only.sqlite3"
    shutil.copyfile(store.path, copy)
    with sqlite3.connect(copy) as db:
        row = db.execute("SELECT visits FROM tallies WHERE scope = 'total'").fetchone()
    return row[0] if row else 0


def eventually(condition) -> bool:
    """Whether `condition()` becomes true while the checkpointer thread gets its turns."""
    deadline = time.monotonic() + CHECKPOINTER_PATIENCE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@sqlite_only
def test_hits_are_checkpointed_into_the_database_file_while_serving(make_client, monkeypatch, tmp_path):
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_EVERY_COMMITS", 1)
    client = make_client()

    for number in range(6):
        client.hit(address=f"203.0.113.{number}")

    # The main file alone, without its -wal, comes to hold the visits, with no idle pause.
    assert eventually(lambda: total_in_main_file_alone(client.app.store, tmp_path) == 6)


WAL_LIMIT_BYTES = 32 * 1024 * 1024


@sqlite_only
def test_the_wal_stays_under_32_mib_through_a_flood_with_readers_in_another_connection(make_client, tmp_path):
    import threading
    from concurrent.futures import ThreadPoolExecutor

    client = make_client()
    wal = client.app.store.path.with_name(client.app.store.path.name + "-wal")
    reading = threading.Event()
    sizes = []

    def read_as_another_process():
        with sqlite3.connect(client.app.store.path) as reader:
            while not reading.is_set():
                reader.execute("SELECT count(*) FROM views").fetchone()

    def flood(worker: int) -> None:
        for number in range(1500):
            client.hit(address=f"2001:db8:{worker:x}:{number:x}::1")
            if number % 50 == 0:
                sizes.append(wal.stat().st_size)

    reader = threading.Thread(target=read_as_another_process)
    reader.start()
    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(flood, range(4)))
    finally:
        reading.set()
        reader.join()

    assert client.stats().body["total"] == 6000
    assert max(sizes) <= WAL_LIMIT_BYTES
    assert wal.stat().st_size <= WAL_LIMIT_BYTES


@sqlite_only
def test_a_checkpoint_that_cannot_finish_is_logged_and_tried_again(make_client, monkeypatch, caplog, tmp_path):
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_EVERY_COMMITS", 3)
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_RETRY_COMMITS", 2)
    client = make_client()
    client.hit(address="203.0.113.1")
    backup = sqlite3.connect(client.app.store.path, isolation_level=None)
    backup.execute("BEGIN")
    backup.execute("SELECT count(*) FROM views").fetchone()  # a reader pinned in the log
    for number in range(2, 5):
        client.hit(address=f"203.0.113.{number}")
    assert eventually(lambda: "WAL checkpoint" in caplog.text and "did not finish" in caplog.text)
    assert total_in_main_file_alone(client.app.store, tmp_path) < 4
    backup.execute("ROLLBACK")
    backup.close()

    for number in range(5, 8):
        client.hit(address=f"203.0.113.{number}")

    # The retries, at the next commits, copy everything once the reader has gone.
    assert eventually(lambda: total_in_main_file_alone(client.app.store, tmp_path) == 7)


@sqlite_only
def test_a_database_of_the_version_before_migrations_is_adopted_and_its_salts_dropped(make_client, tmp_path, database):
    from pathlib import Path

    from counter.migrations import migrations

    path = Path(database)
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as old:
        old.executescript(migrations("sqlite")[0].sql)
        old.execute("INSERT INTO salts VALUES ('2026-11-26', x'00112233445566778899')")
        old.execute("INSERT INTO tallies VALUES ('total', '', 7), ('page', '/x/', 2), ('page', '/x/index.html', 3)")

    client = make_client()

    assert client.app.store.schema_version() == len(migrations("sqlite"))
    assert client.stats("/x/").body["page"] == 5
    assert client.stats().body["total"] == 7
    assert bytes.fromhex("00112233445566778899") not in path.read_bytes()


@sqlite_only
def test_health_reports_a_page_damaged_under_a_running_store(client):
    for number in range(200):
        client.hit(address=f"203.0.113.{number % 250}", user_agent=f"Mozilla/5.0 Firefox/{number}.0")
    store = client.app.store
    with store._lock:
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert client.request("GET", "/healthz").status == 200
    page_size = 1024
    with open(store.path, "r+b") as file:
        file.seek(page_size * 3)
        file.write(b"\xde\xad\xbe\xef" * (page_size * 4 // 4))

    answer = client.request("GET", "/healthz")

    assert answer.status == 503
    assert answer.body == {"error": "store unavailable"}
