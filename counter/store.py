"""What a counter store must do, independent of the database behind it.

The counting rules live here as constants so that every store (SQLite today,
PostgreSQL perhaps later) applies the same ones.
"""

from dataclasses import dataclass
from typing import Protocol

ONLINE_WINDOW_SECONDS = 5 * 60
"""A visitor is online while their last eligible request is less than this old."""

REVISIT_WINDOW_SECONDS = 30 * 60
"""The same visitor on the same path counts again only this long after the last counted visit."""

VIEW_RETENTION_SECONDS = 2 * 24 * 60 * 60
"""How long view ids are remembered to refuse replays; longer than any salt lives."""


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


class StoreUnavailable(Exception):
    """The store did not answer in time (locked, disk error, gone)."""


class Store(Protocol):
    def salt_for(self, day: str) -> bytes:
        """Return the salt of `day`, creating it and destroying older ones."""

    def record(self, hit: Hit) -> Stats:
        """Count `hit` if the rules allow it, refresh presence, return the figures after it."""

    def stats(self, path: str, at: float, day: str) -> Stats:
        """Return the figures without changing anything."""

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""

    def close(self) -> None: ...
