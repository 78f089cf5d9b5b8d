"""SQLite store: one database file shared by any number of threads and processes.

Every change happens in a short BEGIN IMMEDIATE transaction, so concurrent
writers queue on SQLite's write lock (waiting up to busy_timeout) instead of
losing increments; WAL mode lets readers go on meanwhile. Within a process
the threads share one connection, and a second one checkpoints the WAL.
"""

import logging
import secrets
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path

from counter.store import (
    ONLINE_WINDOW_SECONDS,
    REVISIT_WINDOW_SECONDS,
    VIEW_RETENTION_SECONDS,
    Hit,
    Stats,
    StoreUnavailable,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
PRUNE_INTERVAL_SECONDS = 60
CHECKPOINT_EVERY_COMMITS = 1000

SCHEMA = """
CREATE TABLE IF NOT EXISTS salts (
    day TEXT PRIMARY KEY,
    salt BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS views (
    view TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS views_by_seen_at ON views (seen_at);
CREATE TABLE IF NOT EXISTS visits (
    visitor TEXT NOT NULL,
    path TEXT NOT NULL,
    counted_at REAL NOT NULL,
    PRIMARY KEY (visitor, path)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS visits_by_counted_at ON visits (counted_at);
CREATE TABLE IF NOT EXISTS presence (
    visitor TEXT PRIMARY KEY,
    seen_at REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS presence_by_seen_at ON presence (seen_at);
-- count(*) over presence grows with the audience; keep the row count instead.
CREATE TRIGGER IF NOT EXISTS presence_arrives AFTER INSERT ON presence BEGIN
    INSERT INTO tallies (scope, key, visits) VALUES ('presence', '', 1)
    ON CONFLICT (scope, key) DO UPDATE SET visits = visits + 1;
END;
CREATE TRIGGER IF NOT EXISTS presence_leaves AFTER DELETE ON presence BEGIN
    UPDATE tallies SET visits = visits - 1 WHERE scope = 'presence' AND key = '';
END;
CREATE TABLE IF NOT EXISTS tallies (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    visits INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
"""

# The visit counts when it is new, or when the last counted one is old enough;
# otherwise the conflicting row is left alone and no row changes.
COUNT_VISIT = """
INSERT INTO visits (visitor, path, counted_at) VALUES (:visitor, :path, :at)
ON CONFLICT (visitor, path) DO UPDATE SET counted_at = excluded.counted_at
WHERE excluded.counted_at - visits.counted_at >= :revisit_window
"""

INCREMENT_TALLY = """
INSERT INTO tallies (scope, key, visits) VALUES (?, ?, 1)
ON CONFLICT (scope, key) DO UPDATE SET visits = visits + 1
"""

# Online = rows in presence less those expired but not yet pruned, which are
# none right after a hit and few otherwise.
READ_STATS = """
SELECT
    (SELECT visits FROM tallies WHERE scope = 'total' AND key = ''),
    coalesce((SELECT visits FROM tallies WHERE scope = 'presence' AND key = ''), 0)
        - (SELECT count(*) FROM presence WHERE seen_at <= :at - :online_window),
    (SELECT visits FROM tallies WHERE scope = 'day' AND key = :day),
    (SELECT visits FROM tallies WHERE scope = 'page' AND key = :path)
"""


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(
        path,
        isolation_level=None,  # transactions are explicit
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,  # shared by the threads, under SQLiteStore._lock
    )
    # NORMAL is durable across process crashes in WAL mode; a power cut
    # may lose the last few hits, which a visit counter can afford.
    db.execute("PRAGMA synchronous = NORMAL")
    # Deleted salts and visitor keys are overwritten, not left in free pages.
    db.execute("PRAGMA secure_delete = ON")
    return db


def _switch_to_wal(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode (a lasting property of the file, not the connection).

    Changing the journal mode fails at once with "database is locked" while
    another process holds a lock, without consulting busy_timeout, so retry.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


class SQLiteStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._next_prune_at = float("-inf")
        # One connection per process, its threads taking turns: they share one
        # warm page cache, and wait here rather than in SQLite's busy handler,
        # whose sleeps (up to 100 ms each) would add latency for nothing.
        self._lock = threading.Lock()
        with self._errors_as_unavailable():
            self._db = _connect(self.path)
            # Rows are tiny and each hit touches a few pages of several
            # tables: small pages mean less to write to the WAL per commit.
            self._db.execute("PRAGMA page_size = 1024")
            _switch_to_wal(self._db)
            self._db.executescript(f"BEGIN IMMEDIATE; {SCHEMA} COMMIT;")
            # SQLite would checkpoint inside the COMMIT of whichever hit fills
            # the WAL, fsync included, while that hit holds the write lock.
            # Instead a separate connection checkpoints without holding it.
            self._db.execute("PRAGMA wal_autocheckpoint = 0")
            self._checkpointer = _connect(self.path)
        self._checkpoint_lock = threading.Lock()
        self._commits_since_checkpoint = 0

    def salt_for(self, day: str) -> bytes:
        with self._transaction() as db:
            destroyed = db.execute("DELETE FROM salts WHERE day < ?", (day,)).rowcount
            db.execute(
                "INSERT OR IGNORE INTO salts (day, salt) VALUES (?, ?)",
                (day, secrets.token_bytes(32)),
            )
            salt = db.execute("SELECT salt FROM salts WHERE day = ?", (day,)).fetchone()[0]
        if destroyed:
            # secure_delete zeroes the old salt in the database file; emptying
            # the WAL removes the copies that earlier commits left there.
            with self._lock, self._errors_as_unavailable():
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return salt

    def record(self, hit: Hit) -> Stats:
        with self._transaction() as db:
            db.execute("DELETE FROM presence WHERE seen_at <= ?", (hit.at - ONLINE_WINDOW_SECONDS,))
            if hit.at >= self._next_prune_at:
                self._prune(db, hit.at)
            db.execute(
                "INSERT INTO presence (visitor, seen_at) VALUES (?, ?)"
                " ON CONFLICT (visitor) DO UPDATE SET seen_at = max(seen_at, excluded.seen_at)",
                (hit.visitor, hit.at),
            )
            if self._is_new_view(db, hit) and self._is_countable_visit(db, hit):
                db.executemany(
                    INCREMENT_TALLY,
                    [("total", ""), ("day", hit.day), ("page", hit.path)],
                )
            stats = self._read(db, hit.path, hit.at, hit.day)
        self._checkpoint_if_due()
        return stats

    def stats(self, path: str, at: float, day: str) -> Stats:
        with self._lock, self._errors_as_unavailable():
            return self._read(self._db, path, at, day)

    def ping(self) -> None:
        with self._lock, self._errors_as_unavailable():
            self._db.execute("SELECT 1 FROM tallies LIMIT 1").fetchall()

    def backup(self, destination: Path | str) -> None:
        with self._lock, closing(sqlite3.connect(destination)) as target:
            self._db.backup(target)

    def close(self) -> None:
        with self._checkpoint_lock:
            self._checkpointer.close()
        with self._lock:
            self._db.close()

    def _checkpoint_if_due(self) -> None:
        """Copy the WAL into the database now and then; PASSIVE never waits for writers."""
        if self._commits_since_checkpoint < CHECKPOINT_EVERY_COMMITS:
            return
        if not self._checkpoint_lock.acquire(blocking=False):
            return  # another thread is at it
        try:
            self._commits_since_checkpoint = 0
            self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as error:
            # The hit is already committed; the next checkpoint will catch up.
            log.warning("WAL checkpoint failed: %s", error)
        finally:
            self._checkpoint_lock.release()

    @staticmethod
    def _is_new_view(db: sqlite3.Connection, hit: Hit) -> bool:
        inserted = db.execute(
            "INSERT OR IGNORE INTO views (view, seen_at) VALUES (?, ?)", (hit.view, hit.at)
        )
        return inserted.rowcount == 1

    @staticmethod
    def _is_countable_visit(db: sqlite3.Connection, hit: Hit) -> bool:
        changed = db.execute(
            COUNT_VISIT,
            {
                "visitor": hit.visitor,
                "path": hit.path,
                "at": hit.at,
                "revisit_window": REVISIT_WINDOW_SECONDS,
            },
        )
        return changed.rowcount == 1

    def _prune(self, db: sqlite3.Connection, at: float) -> None:
        """Forget visits and view ids that no rule needs any more."""
        db.execute("DELETE FROM visits WHERE counted_at <= ?", (at - REVISIT_WINDOW_SECONDS,))
        db.execute("DELETE FROM views WHERE seen_at <= ?", (at - VIEW_RETENTION_SECONDS,))
        self._next_prune_at = at + PRUNE_INTERVAL_SECONDS

    @staticmethod
    def _read(db: sqlite3.Connection, path: str, at: float, day: str) -> Stats:
        row = db.execute(
            READ_STATS,
            {"at": at, "online_window": ONLINE_WINDOW_SECONDS, "day": day, "path": path},
        ).fetchone()
        total, online, today, page = (value or 0 for value in row)
        return Stats(total=total, online=online, today=today, page=page)

    @contextmanager
    def _errors_as_unavailable(self):
        try:
            yield
        except sqlite3.OperationalError as error:
            raise StoreUnavailable(str(error)) from error

    @contextmanager
    def _transaction(self):
        with self._lock, self._errors_as_unavailable():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            self._commits_since_checkpoint += 1
