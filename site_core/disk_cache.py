"""Work on one file kept on disk between builds, keyed on everything it depends on.

A key is the hash of the file's bytes plus a fingerprint of the work: the
settings it reads (functions by name), the versions of the libraries that do
it, and the source of every local plugin and of site_core (a plugin may change
the Markdown settings or the work itself). The theme is not in it: templates
never see Markdown before it is converted. Pelican's own content cache ignores
settings changes, which is why it stays off. Used for the reader's conversions
(speedups.reading) and the content check's readings (content_check).
"""

from importlib import metadata
from pathlib import Path
import hashlib
import os
import pickle
import sqlite3

import site_core

LIBRARIES = ("markdown", "pymdown-extensions", "typogrify", "smartypants", "pelican", "nh3")
CHUNK = 500


def stable_repr(value):
    """repr() without memory addresses, so the same settings give the same text in every process."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{stable_repr(k)}: {stable_repr(v)}"
                               for k, v in sorted(value.items(), key=lambda item: repr(item[0]))) + "}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return type(value).__name__ + "[" + ", ".join(stable_repr(item) for item in items) + "]"
    if callable(value):
        return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return repr(value)


def fingerprint(settings, setting_names):
    digest = hashlib.sha256()
    digest.update(stable_repr([settings.get(name) for name in setting_names]).encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    # The reader, the sanitizer and the parsing of sources live in site_core, beside the plugins.
    for folder in [*settings.get("PLUGIN_PATHS", []), str(Path(site_core.__file__).parent)]:
        for source in sorted(Path(folder).rglob("*.py")):
            digest.update(str(source.relative_to(folder)).encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


class DiskCache:
    """{key: picklable value} in one SQLite file."""

    def __init__(self, path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.database = sqlite3.connect(path, timeout=30)
        # A lost cache only costs one slower build: no waiting for the disk.
        self.database.execute("PRAGMA synchronous = OFF")
        self.database.execute("PRAGMA journal_mode = MEMORY")
        self.database.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")

    def load(self, keys):
        """{key: value} for the keys stored."""
        keys, found = list(keys), {}
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start:start + CHUNK]
            rows = self.database.execute(
                f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(chunk))})", chunk)
            found.update((key, pickle.loads(value)) for key, value in rows)
        return found

    def store(self, values, keep):
        """Add new values and forget those whose key is not in `keep` (no file of this build has it)."""
        with self.database:
            # A generator, not a list: all pickles at once would double a large site's memory.
            self.database.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)",
                                      ((key, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
                                       for key, value in values.items()))
            self.database.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
            self.database.execute("DELETE FROM kept")
            self.database.executemany("INSERT OR IGNORE INTO kept VALUES (?)", [(key,) for key in keep])
            self.database.execute("DELETE FROM entries WHERE key NOT IN (SELECT key FROM kept)")

    def close(self):
        self.database.close()
