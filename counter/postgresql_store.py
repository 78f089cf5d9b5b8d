"""PostgreSQL store: one database shared by counter processes on any number of hosts.

Built on psycopg 3 with a psycopg_pool connection pool (one connection per
worker thread at most). A hit is one call of the counter_record() function
(migrations/postgresql), so one round trip and one short transaction; the
tally rows it increments are locked only until that commit.

Commits use synchronous_commit = off: PostgreSQL acknowledges once the
commit is in its own memory and writes it to disk within a fraction of a
second. A counter process killed at any moment loses nothing it has
acknowledged; a crash of the PostgreSQL server itself may lose the last
fraction of a second of hits, the same bargain as the SQLite store's
synchronous = NORMAL.
"""

import logging
import secrets
import threading
from contextlib import contextmanager
from datetime import date, timedelta

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from counter import migrations
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

CONNECT_TIMEOUT_SECONDS = 5
POOL_TIMEOUT_SECONDS = 5.0
STATEMENT_TIMEOUT_MS = 5000
PRUNE_INTERVAL_SECONDS = 60
SALT_VACUUM_RETRY_SECONDS = 60
MIGRATION_LOCK = 0x636F756E746572  # "counter": one migrating process at a time

SESSION_SETTINGS = f"""
SET synchronous_commit = off;
SET statement_timeout = {STATEMENT_TIMEOUT_MS};
SET lock_timeout = {STATEMENT_TIMEOUT_MS};
SET TIME ZONE 'UTC'
"""

READ_TOP = """
SELECT path, sum(visits)::bigint AS views FROM page_days WHERE day >= %s
GROUP BY path ORDER BY views DESC, path LIMIT %s
"""


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the given postgresql:// URL"
    host, port, name = parts.get("host", "localhost"), parts.get("port", "5432"), parts.get("dbname", "")
    user = f"{parts['user']}@" if "user" in parts else ""
    return f"postgresql://{user}{host}:{port}/{name}"


def _configure(connection: psycopg.Connection) -> None:
    connection.execute(SESSION_SETTINGS)


class PostgreSQLStore:
    def __init__(self, url: str, pool_size: int = 8):
        self.url = url
        self.location = describe(url)
        self._next_prune_at = float("-inf")
        self._prune_lock = threading.Lock()
        self._salt_vacuum_due = threading.Event()
        self._closing = threading.Event()
        try:
            conninfo_to_dict(url)
            with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
                self._migrate(connection)
        except psycopg.OperationalError as error:
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else type(error).__name__
            raise StoreOpenError(
                f"cannot connect to {self.location}: {reason}; check that the server runs, the database exists"
                " and the user may connect"
            ) from error
        except psycopg.ProgrammingError as error:
            raise StoreOpenError(f"invalid --db URL {self.location}: {error}") from error
        except psycopg.Error as error:
            raise StoreOpenError(f"cannot prepare {self.location}: {error}".replace("\n", " ")) from error
        except migrations.SchemaTooNew as error:
            raise StoreOpenError(f"database {self.location}: {error}") from error
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            timeout=POOL_TIMEOUT_SECONDS,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_SECONDS},
            configure=_configure,
            check=ConnectionPool.check_connection,
            name="counter",
            open=True,
        )
        self._salt_vacuum = threading.Thread(target=self._vacuum_salt_when_due, name="salt-vacuum", daemon=True)
        self._salt_vacuum.start()

    def _migrate(self, connection: psycopg.Connection) -> None:
        """Apply pending migrations under an advisory lock; nothing is written when none is pending.

        Writing nothing then lets the counter start on a read-only server (a
        standby) and serve its figures.
        """
        if not migrations.pending("postgresql", self._applied_versions(connection)):
            return
        with connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            connection.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations"
                " (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for migration in migrations.pending("postgresql", self._applied_versions(connection)):
                connection.execute(migration.sql)
                connection.execute(
                    "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                    (migration.version, migration.name),
                )
                log.info("database %s: migration %04d_%s applied", self.location, migration.version, migration.name)

    @staticmethod
    def _applied_versions(connection: psycopg.Connection) -> set[int]:
        if connection.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
            return set()
        return {version for (version,) in connection.execute("SELECT version FROM schema_migrations")}

    def schema_version(self) -> int:
        with self._connection() as connection:
            return connection.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    @contextmanager
    def _connection(self):
        try:
            with self._pool.connection() as connection:
                yield connection
        except (psycopg.Error, PoolTimeout) as error:
            raise StoreUnavailable(str(error).strip().replace("\n", " ")) from error

    def salt_for(self, day: str) -> bytes:
        """The salt of the newest day yet; made (and the old one destroyed) under a row lock.

        The lock on newest_salt_day serialises rotations of all hosts; nothing
        else takes it, so a backup never makes a rotation wait.
        """
        with self._connection() as connection, connection.transaction():
            connection.execute("INSERT INTO newest_salt_day (id, day) VALUES (1, %s) ON CONFLICT DO NOTHING", (day,))
            (newest,) = connection.execute("SELECT day FROM newest_salt_day WHERE id = 1 FOR UPDATE").fetchone()
            newest = max(newest, day)
            row = connection.execute("SELECT salt FROM salt WHERE id = 1 AND day = %s", (newest,)).fetchone()
            if row is not None:
                return bytes(row[0])
            salt = secrets.token_bytes(32)
            replaced = connection.execute("DELETE FROM salt").rowcount
            connection.execute("INSERT INTO salt (id, day, salt) VALUES (1, %s, %s)", (newest, salt))
            connection.execute("UPDATE newest_salt_day SET day = %s WHERE id = 1", (newest,))
        if replaced:
            self._salt_vacuum_due.set()
        return salt

    def _vacuum_salt_when_due(self) -> None:
        """Rewrite the salt table after a rotation, so the old salt's row leaves the files.

        VACUUM FULL writes the one-row table anew and deletes the old file; it
        needs a moment alone with the table, so a failure (lock timeout) is
        logged and tried again a minute later, never from a request.
        """
        while not self._closing.is_set():
            self._salt_vacuum_due.wait()
            if self._closing.is_set():
                return
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS) as connection:
                    connection.execute("SET lock_timeout = 2000")
                    connection.execute("VACUUM FULL salt")
                self._salt_vacuum_due.clear()
            except psycopg.Error as error:
                log.warning("rewriting the salt table failed (%s); trying again in %d s",
                            str(error).strip().replace("\n", " "), SALT_VACUUM_RETRY_SECONDS)
                self._closing.wait(SALT_VACUUM_RETRY_SECONDS)

    def record(self, hit: Hit) -> Stats:
        if hit.at >= self._next_prune_at and self._prune_lock.acquire(blocking=False):
            try:
                self._prune(hit)
            finally:
                self._prune_lock.release()
        with self._connection() as connection:
            row = connection.execute(
                "SELECT * FROM counter_record(%s, %s, %s, %s, %s, %s, %s)",
                (hit.visitor, hit.path, hit.view, hit.at, hit.day, REVISIT_WINDOW_SECONDS, ONLINE_WINDOW_SECONDS),
            ).fetchone()
        return Stats(*row)

    def stats(self, path: str, at: float, day: str) -> Stats:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT * FROM counter_stats(%s, %s, %s, %s)", (path, at, day, ONLINE_WINDOW_SECONDS)
            ).fetchone()
        return Stats(*row)

    def top(self, since_day: str, limit: int) -> list[PageViews]:
        with self._connection() as connection:
            rows = connection.execute(READ_TOP, (since_day, limit)).fetchall()
        return [PageViews(path, views) for path, views in rows]

    def check_health(self, at: float) -> None:
        """Commit a write, durably (synchronous_commit on): a full disk or a read-only server fails it."""
        with self._connection() as connection, connection.transaction():
            connection.execute("SET LOCAL synchronous_commit = on")
            connection.execute(
                "INSERT INTO health (id, checked_at) VALUES (1, %s)"
                " ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
                (at,),
            )

    def _prune(self, hit: Hit) -> None:
        """Forget what no rule needs any more; in its own transaction, once a minute per process."""
        self._next_prune_at = hit.at + PRUNE_INTERVAL_SECONDS
        oldest_kept = (date.fromisoformat(hit.day) - timedelta(days=PAGE_DAYS_KEPT - 1)).isoformat()
        with self._connection() as connection, connection.transaction():
            connection.execute("DELETE FROM presence WHERE seen_at <= %s", (hit.at - ONLINE_WINDOW_SECONDS,))
            connection.execute("DELETE FROM visits WHERE counted_at <= %s", (hit.at - REVISIT_WINDOW_SECONDS,))
            connection.execute("DELETE FROM views WHERE seen_at <= %s", (hit.at - VIEW_RETENTION_SECONDS,))
            connection.execute("DELETE FROM page_days WHERE day < %s", (oldest_kept,))

    def close(self) -> None:
        self._closing.set()
        self._salt_vacuum_due.set()
        self._salt_vacuum.join(timeout=5)
        self._pool.close()

