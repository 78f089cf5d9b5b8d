"""The SQLite store's salt of the day, kept in memory and never on disk.

A salt written to the database would be copied by every backup, and its old
pages would linger in the write-ahead log after it is replaced. So the salt
lives in a 42-byte file in a RAM file system (/dev/shm), shared by the
counter processes of one host: its day, then 32 random bytes, overwritten in
place under an exclusive lock when the day changes. Taking that lock waits
only for another process doing the same few-microsecond update, never for a
backup or a reader. After a reboot the file is gone and a new salt is made
for the day (readers of that day may be counted once more).
"""

import fcntl
import hashlib
import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path

SALT_BYTES = 32
DAY_BYTES = len("2026-01-01")
RAM_FOLDER = Path("/dev/shm")


def salt_file_for(database: Path) -> Path:
    """The salt file of `database`: one per database file, named by a digest of its absolute path."""
    folder = RAM_FOLDER if RAM_FOLDER.is_dir() else Path(tempfile.gettempdir())
    digest = hashlib.sha256(str(database.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return folder / f"visit-counter-salt-{digest[:24]}"


class SaltFile:
    def __init__(self, path: Path):
        self.path = path

    def salt_for(self, day: str, newest_known_day: Callable[[], str | None],
                 remember_newest_day: Callable[[str], None]) -> bytes:
        """The salt of max(day, newest day yet); a newer day replaces the stored salt in place.

        `newest_known_day` and `remember_newest_day` read and keep the newest
        day in the database, which outlives this file across reboots.
        """
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            stored = os.pread(descriptor, DAY_BYTES + SALT_BYTES, 0)
            stored_day = stored[:DAY_BYTES].decode("ascii", "replace") if len(stored) == DAY_BYTES + SALT_BYTES else None
            newest = max(day for day in (day, stored_day, newest_known_day()) if day)
            if stored_day == newest:
                return stored[DAY_BYTES:]
            salt = secrets.token_bytes(SALT_BYTES)
            remember_newest_day(newest)
            # Same offset, same length: the old salt's bytes are overwritten.
            os.pwrite(descriptor, newest.encode("ascii") + salt, 0)
            return salt
        finally:
            os.close(descriptor)  # also releases the lock

    def destroy(self) -> None:
        """Overwrite and remove the salt (tests, and a database that is deleted)."""
        try:
            with open(self.path, "r+b") as file:
                file.write(bytes(DAY_BYTES + SALT_BYTES))
            self.path.unlink()
        except FileNotFoundError:
            pass
