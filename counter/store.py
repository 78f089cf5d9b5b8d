"""What a counter store must do, independent of the database behind it.

The counting rules live here as constants so that every store (SQLite and
PostgreSQL) applies the same ones.
"""

from dataclasses import dataclass
from typing import Protocol

ONLINE_WINDOW_SECONDS = 5 * 60
"""A visitor is online while their last eligible request is less than this old."""

REVISIT_WINDOW_SECONDS = 30 * 60
"""The same visitor on the same path counts again only this long after the last counted visit."""

VIEW_RETENTION_SECONDS = 2 * 24 * 60 * 60
"""How long view ids are remembered to refuse replays; longer than any salt lives."""

TOP_DAYS = 7
"""The most-read list sums the visits of this many local days, today included."""

PAGE_DAYS_KEPT = TOP_DAYS + 1
"""Per-day page tallies older than this many days are deleted."""


@dataclass(frozen=True)
class Stats:
    total: int
    online: int
    today: int
    page: int


@dataclass(frozen=True)
class Hit:
    """One eligible page view, already stripped of anything identifying."""

    visitor: str
    path: str
    view: str
    at: float
    day: str


@dataclass(frozen=True)
class PageViews:
    path: str
    views: int


class StoreUnavailable(Exception):
    """The store did not answer in time (locked, disk error, gone), or cannot write."""


class StoreOpenError(Exception):
    """The store cannot be opened; the message says what is wrong and what to do, on one line."""


class Store(Protocol):
    location: str
    """Where the data is, for messages (a PostgreSQL URL without its password)."""

    def salt_for(self, day: str) -> bytes:
        """Return the salt of `day`, creating it and destroying older ones.

        A `day` older than the newest one a salt was made for (the clock
        stepped back) gets the newest day's salt: a past day's salt is never
        made again.
        """

    def record(self, hit: Hit) -> Stats:
        """Count `hit` if the rules allow it, refresh presence, return the figures after it."""

    def stats(self, path: str, at: float, day: str) -> Stats:
        """Return the figures without changing anything."""

    def top(self, since_day: str, limit: int) -> list[PageViews]:
        """Paths with the most visits on days >= `since_day`, most first, then by path; at most `limit`."""

    def check_health(self, at: float) -> None:
        """Raise StoreUnavailable unless the store can write (and read an intact database)."""

    def close(self) -> None: ...


POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


def is_postgresql(database: str) -> bool:
    return database.startswith(POSTGRESQL_SCHEMES)


def open_store(database: str, pool_size: int = 8) -> Store:
    """The store `database` names: a postgresql:// URL, or else an SQLite file path.

    `pool_size` (the server's threads) bounds PostgreSQL connections. Raises
    StoreOpenError with a one-line message when the store cannot be opened.
    """
    if is_postgresql(database):
        from counter.postgresql_store import PostgreSQLStore

        return PostgreSQLStore(database, pool_size)
    from counter.sqlite_store import SQLiteStore

    return SQLiteStore(database)
