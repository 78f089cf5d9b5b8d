"""SQLite store: one database file shared by any number of threads and processes.

Every change happens in a short BEGIN IMMEDIATE transaction, so concurrent
writers queue on SQLite's write lock (waiting up to busy_timeout) instead of
losing increments; WAL mode lets readers go on meanwhile. Within a process
the threads share one connection, and hits that arrive while another commit
is under way are committed together (group commit): a commit's cost grows
with the pages it writes (about 12.5 WAL frames for a lone hit, bench/COUNTER-RESULTS.md),
and hits of one batch share most of their pages (the tallies, the newest end of
each time index). Each hit is answered only
after the commit that holds it. A hit is one INSERT into the view `hits`,
whose trigger applies the counting rule (migration 0003).

The WAL stays small, and checkpoints stay off the requests' path: a
background thread with its own connection copies the WAL into the database
(PASSIVE, alongside the writers) every CHECKPOINT_EVERY_COMMITS commits.
Every RESTART_EVERY_COMMITS commits, when the WAL passes RESTART_WAL_BYTES,
and after CHECKPOINT_INTERVAL_SECONDS without one, it runs a RESTART
checkpoint under the store's lock, which lets the next writer start the log
again from its beginning, truncated to journal_size_limit. A checkpoint that
cannot finish (a reader in another process, a backup) is logged and tried
again CHECKPOINT_RETRY_COMMITS commits or one interval later.
"""

import logging
import os
import sqlite3
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from counter import migrations
from counter.salts import SaltFile, salt_file_for
from counter.store import (
    ONLINE_WINDOW_SECONDS,
    PAGE_DAYS_KEPT,
    REVISIT_WINDOW_SECONDS,
    VIEW_RETENTION_SECONDS,
    Hit,
    PageViews,
    Stats,
    StoreOpenError,
    StoreUnavailable,
)

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
PRUNE_INTERVAL_SECONDS = 60
CHECKPOINT_EVERY_COMMITS = 500
CHECKPOINT_RETRY_COMMITS = 500
RESTART_EVERY_COMMITS = 2000
RESTART_WAL_BYTES = 8 * 1024 * 1024
CHECKPOINT_BUSY_TIMEOUT_MS = 50
CHECKPOINT_INTERVAL_SECONDS = 10.0
JOURNAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024
PAGE_CACHE_KIB = 16 * 1024

RECORD_HIT = """
INSERT INTO hits (visitor, path, view, at, day, expired_at, revisit_window) VALUES (?, ?, ?, ?, ?, ?, ?)
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

READ_TOP = """
SELECT path, sum(visits) AS views FROM page_days WHERE day >= ?
GROUP BY path ORDER BY views DESC, path LIMIT ?
"""

# SQLite's primary result codes for "this file cannot be written".
CANNOT_WRITE = {"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"}


def _connect(path: Path, *, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                             check_same_thread=False)
    else:
        db = sqlite3.connect(
            path,
            isolation_level=None,  # transactions are explicit
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,  # shared by the threads, under SQLiteStore._lock
        )
    # NORMAL is durable across process crashes in WAL mode; a power cut
    # may lose the last few hits, which a visit counter can afford.
    db.execute("PRAGMA synchronous = NORMAL")
    # Deleted visitor keys are overwritten, not left in free pages.
    db.execute("PRAGMA secure_delete = ON")
    db.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT_BYTES}")
    db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    # The threads take turns under SQLiteStore._lock; SQLite checkpoints are ours.
    db.execute("PRAGMA wal_autocheckpoint = 0")
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
        except sqlite3.OperationalError as error:
            if time.monotonic() >= deadline or getattr(error, "sqlite_errorname", "") != "SQLITE_BUSY":
                raise
            time.sleep(0.01)


def _split_statements(script: str) -> list[str]:
    """Statements of an SQL script, trigger bodies kept whole (sqlite3.complete_statement decides)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        raise ValueError(f"unterminated SQL statement: {buffer.strip()[:60]}")
    return statements


def _open_error(path: Path, error: BaseException) -> StoreOpenError:
    """A one-line message saying what is wrong with the database at `path`, and what to do."""
    name = getattr(error, "sqlite_errorname", "")
    if path.is_dir():
        return StoreOpenError(f"--db {path} is a folder; give the path of a database file inside it, e.g. {path / 'counter.sqlite3'}")
    if isinstance(error, migrations.SchemaTooNew):
        return StoreOpenError(f"database {path}: {error}")
    if isinstance(error, OSError):
        return StoreOpenError(f"cannot create the folder of database {path}: {error.strerror}; choose a writable place for --db")
    if name == "SQLITE_NOTADB":
        return StoreOpenError(f"{path} is not an SQLite database; point --db at the counter's database, or move that file away to start a new one")
    if name == "SQLITE_CORRUPT" or "malformed" in str(error):
        return StoreOpenError(f"database {path} is damaged ({error}); restore it from a backup (python -m counter backup makes them)")
    if name in CANNOT_WRITE or "readonly" in str(error):
        return StoreOpenError(f"cannot create or update database {path} ({error}); make its folder writable by the user running the counter")
    return StoreOpenError(f"cannot open database {path}: {error}")


@dataclass
class _QueuedHit:
    hit: Hit
    stats: Stats | None = None
    error: BaseException | None = None
    done: bool = False


class SQLiteStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.location = str(self.path)
        self.read_only = False
        self._next_prune_at = float("-inf")
        # One connection per process, its threads taking turns: they share one
        # warm page cache, and wait here rather than in SQLite's busy handler,
        # whose sleeps (up to 100 ms each) would add latency for nothing.
        self._lock = threading.Lock()
        self._queue: list[_QueuedHit] = []
        self._queue_lock = threading.Lock()
        self._commits_since_checkpoint = 0
        self._commits_since_restart = 0
        self._checkpoint_due_commits = CHECKPOINT_EVERY_COMMITS
        self._db = self._open()
        self._salts = SaltFile(salt_file_for(self.path))
        self._closing = threading.Event()
        self._checkpoint_wanted = threading.Event()
        self._checkpointer = threading.Thread(target=self._checkpoint_regularly, name="wal-checkpoint", daemon=True)
        self._checkpointer.start()

    def _open(self) -> sqlite3.Connection:
        try:
            if not self.path.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            db = _connect(self.path)
            try:
                return self._prepare(db)
            except sqlite3.OperationalError as error:
                db.close()
                if getattr(error, "sqlite_errorname", "") not in CANNOT_WRITE:
                    raise
                return self._open_read_only(error)
        except (sqlite3.Error, OSError, migrations.SchemaTooNew) as error:
            raise _open_error(self.path, error) from error

    def _prepare(self, db: sqlite3.Connection) -> sqlite3.Connection:
        damaged = db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if damaged != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed: {damaged}")
        # Rows are tiny and each hit touches a few pages of several tables:
        # small pages mean less to write to the WAL per commit.
        if db.execute("PRAGMA page_count").fetchone()[0] == 0:
            db.execute("PRAGMA page_size = 1024")
        _switch_to_wal(db)
        if self._migrate(db):
            # Dropped rows (an old salt) are overwritten in the file; emptying
            # the WAL removes the copies earlier commits left there.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return db

    def _open_read_only(self, cause: sqlite3.Error) -> sqlite3.Connection:
        """Serve the figures of a database this user cannot write; /healthz reports it."""
        for immutable in (False, True):
            db = _connect(self.path, read_only=True, immutable=immutable)
            try:
                applied = self._applied_versions(db)
            except sqlite3.OperationalError:
                db.close()
                continue  # WAL mode without a writable -shm: only an immutable read works
            if migrations.pending("sqlite", applied):
                db.close()
                raise cause
            log.warning("database %s is read-only (%s): figures are served, nothing is counted", self.path, cause)
            self.read_only = True
            return db
        raise cause

    @staticmethod
    def _applied_versions(db: sqlite3.Connection) -> set[int]:
        exists = db.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
        ).fetchone()
        if not exists:
            return set()
        return {version for (version,) in db.execute("SELECT version FROM schema_migrations")}

    def _migrate(self, db: sqlite3.Connection) -> bool:
        """Apply the pending migrations in one transaction; True if any was."""
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            pending = migrations.pending("sqlite", self._applied_versions(db))
            for migration in pending:
                for statement in _split_statements(migration.sql):
                    db.execute(statement)
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, datetime('now'))",
                    (migration.version, migration.name),
                )
                log.info("database %s: migration %04d_%s applied", self.path, migration.version, migration.name)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return bool(pending)

    def schema_version(self) -> int:
        with self._lock:
            return max(self._applied_versions(self._db), default=0)

    def salt_for(self, day: str) -> bytes:
        return self._salts.salt_for(day, self._newest_salt_day, self._remember_newest_salt_day)

    def _newest_salt_day(self) -> str | None:
        with self._lock, self._errors_as_unavailable():
            row = self._db.execute("SELECT day FROM newest_salt_day").fetchone()
        return row[0] if row else None

    def _remember_newest_salt_day(self, day: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO newest_salt_day (id, day) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET day = max(day, excluded.day)",
                (day,),
            )

    def record(self, hit: Hit) -> Stats:
        queued = _QueuedHit(hit)
        with self._queue_lock:
            self._queue.append(queued)
        with self._lock:
            if not queued.done:  # else a thread that held the lock before us committed it
                self._commit_queue()
        if queued.error is not None:
            raise queued.error
        return queued.stats

    def _commit_queue(self) -> None:
        """Record every queued hit in one transaction; under self._lock."""
        with self._queue_lock:
            batch, self._queue = self._queue, []
        try:
            with self._locked_transaction() as db:
                for queued in batch:
                    queued.stats = self._record_one(db, queued.hit)
        except BaseException as error:
            for queued in batch:
                queued.error = error
        finally:
            for queued in batch:
                queued.done = True

    def _record_one(self, db: sqlite3.Connection, hit: Hit) -> Stats:
        if hit.at >= self._next_prune_at:
            self._prune(db, hit)
        db.execute(RECORD_HIT, (hit.visitor, hit.path, hit.view, hit.at, hit.day,
                                hit.at - ONLINE_WINDOW_SECONDS, REVISIT_WINDOW_SECONDS))
        return self._read(db, hit.path, hit.at, hit.day)

    def stats(self, path: str, at: float, day: str) -> Stats:
        with self._lock, self._errors_as_unavailable():
            return self._read(self._db, path, at, day)

    def top(self, since_day: str, limit: int) -> list[PageViews]:
        with self._lock, self._errors_as_unavailable():
            rows = self._db.execute(READ_TOP, (since_day, limit)).fetchall()
        return [PageViews(path, views) for path, views in rows]

    def check_health(self, at: float) -> None:
        """Commit a write, and read every page of the file from disk (quick_check)."""
        if self.read_only:
            self._try_writable_again()
        with self._transaction() as db:
            db.execute(
                "INSERT INTO health (id, checked_at) VALUES (1, ?)"
                " ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                (at,),
            )
        # A fresh connection reads the file itself, not our cached pages.
        with self._errors_as_unavailable(), closing(_connect(self.path, read_only=True)) as fresh:
            verdict = fresh.execute("PRAGMA quick_check(1)").fetchone()[0]
        if verdict != "ok":
            raise StoreUnavailable(f"database is damaged: {verdict}")

    def _try_writable_again(self) -> None:
        with self._lock:
            db = None
            try:
                db = _connect(self.path)
                self._prepare(db)
                db.execute("BEGIN IMMEDIATE")
                db.execute("ROLLBACK")
            except sqlite3.Error as error:
                if db is not None:
                    db.close()
                raise StoreUnavailable(f"database is read-only: {error}") from error
            self._db.close()
            self._db, self.read_only = db, False
            log.warning("database %s is writable again: counting resumes", self.path)

    def backup(self, destination: Path | str) -> None:
        with self._lock, closing(sqlite3.connect(destination)) as target:
            self._db.backup(target)

    def close(self) -> None:
        self._closing.set()
        self._checkpoint_wanted.set()
        self._checkpointer.join()
        with self._lock:
            self._db.close()

    def _checkpoint_regularly(self) -> None:
        """The checkpointer thread: PASSIVE when commits ask for it, RESTART when the WAL must start again."""
        db = None
        try:
            while True:
                asked = self._checkpoint_wanted.wait(CHECKPOINT_INTERVAL_SECONDS)
                if self._closing.is_set():
                    return
                self._checkpoint_wanted.clear()
                with self._lock:
                    commits, self._commits_since_checkpoint = self._commits_since_checkpoint, 0
                    self._commits_since_restart += commits
                if not commits:
                    continue
                if db is None:
                    db = self._checkpoint_connection()
                finished = db is not None and self._checkpoint(db, passive_first=asked)
                with self._lock:
                    if finished:
                        self._checkpoint_due_commits = CHECKPOINT_EVERY_COMMITS
                    else:
                        self._commits_since_checkpoint += 1  # the timer retries too
                        self._checkpoint_due_commits = CHECKPOINT_RETRY_COMMITS
        finally:
            if db is not None:
                db.close()

    def _checkpoint(self, db: sqlite3.Connection, *, passive_first: bool) -> bool:
        """PASSIVE alongside the writers, then RESTART when the log must start again; True if all was copied."""
        finished = passive_first and self._run_checkpoint(db, "PASSIVE")
        restart_due = self._commits_since_restart >= RESTART_EVERY_COMMITS or self._wal_bytes() > RESTART_WAL_BYTES
        if passive_first and not restart_due:
            return finished
        # RESTART holds off writers until done: ours wait on the lock, not in SQLite's busy handler.
        with self._lock:
            finished = self._run_checkpoint(db, "RESTART")
        if finished:
            self._commits_since_restart = 0
        return finished

    def _checkpoint_connection(self) -> sqlite3.Connection | None:
        try:
            db = _connect(self.path)
            db.execute(f"PRAGMA busy_timeout = {CHECKPOINT_BUSY_TIMEOUT_MS}")
        except sqlite3.Error as error:
            log.warning("WAL checkpoint of %s cannot open the database (%s); trying again soon", self.path, error)
            return None
        return db

    def _run_checkpoint(self, db: sqlite3.Connection, mode: str) -> bool:
        """Copy the WAL into the database; True when all of it was copied, else log why not."""
        try:
            blocked, frames, copied = db.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error as error:
            failure = str(error)
        else:
            if not blocked and copied == frames:
                return True
            failure = f"{copied} of {frames} WAL frames copied, readers still in the log"
        log.warning("WAL checkpoint (%s) of %s did not finish (%s); trying again soon", mode, self.path, failure)
        return False

    def _wal_bytes(self) -> int:
        try:
            return os.stat(f"{self.path}-wal").st_size
        except FileNotFoundError:
            return 0

    def _prune(self, db: sqlite3.Connection, hit: Hit) -> None:
        """Forget visits, view ids and day tallies that no rule needs any more."""
        db.execute("DELETE FROM visits WHERE counted_at <= ?", (hit.at - REVISIT_WINDOW_SECONDS,))
        db.execute("DELETE FROM views WHERE seen_at <= ?", (hit.at - VIEW_RETENTION_SECONDS,))
        oldest_kept = (date.fromisoformat(hit.day) - timedelta(days=PAGE_DAYS_KEPT - 1)).isoformat()
        db.execute("DELETE FROM page_days WHERE day < ?", (oldest_kept,))
        self._next_prune_at = hit.at + PRUNE_INTERVAL_SECONDS

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
        except sqlite3.DatabaseError as error:
            raise StoreUnavailable(str(error)) from error

    @contextmanager
    def _transaction(self):
        with self._lock, self._locked_transaction() as db:
            yield db

    @contextmanager
    def _locked_transaction(self):
        with self._errors_as_unavailable():
            db = self._db
            if self.read_only:
                raise StoreUnavailable("database is read-only")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                # A failed COMMIT (disk full) may leave the transaction open.
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            self._commits_since_checkpoint += 1
            if self._commits_since_checkpoint >= self._checkpoint_due_commits:
                self._checkpoint_wanted.set()
