"""Numbered schema migrations, one folder per store: `<store>/NNNN_what_it_does.sql`.

Each store applies the files it has not applied yet, in order, each with its
row in `schema_migrations`, when it opens the database (see
counter.sqlite_store and counter.postgresql_store). A migration tool such as
Alembic or yoyo would bring an ORM or a second configuration for what is one
loop over a folder under the lock each database already offers.
"""

import re
from dataclasses import dataclass
from pathlib import Path

MIGRATIONS_ROOT = Path(__file__).parent
FILE_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


class SchemaTooNew(Exception):
    """The database was migrated by a newer counter than this one."""


def migrations(store: str) -> list[Migration]:
    """The migrations of `store` ("sqlite" or "postgresql"), numbered 1, 2, 3… without gaps."""
    found = []
    for path in sorted((MIGRATIONS_ROOT / store).glob("*.sql")):
        match = FILE_NAME.fullmatch(path.name)
        if match is None:
            raise ValueError(f"migration file name must be NNNN_name.sql: {path.name}")
        found.append(Migration(int(match[1]), match[2], path.read_text(encoding="utf-8")))
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise ValueError(f"{store} migrations must be numbered 1, 2, 3… without gaps: {versions}")
    return found


def pending(store: str, applied: set[int]) -> list[Migration]:
    known = migrations(store)
    newest_known = len(known)
    if applied and max(applied) > newest_known:
        raise SchemaTooNew(
            f"the database schema is at version {max(applied)}, newer than this counter's"
            f" {newest_known}: run the counter's newer version"
        )
    return [migration for migration in known if migration.version not in applied]
