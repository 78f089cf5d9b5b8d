"""The set of page paths that the site build wrote, reloaded when the build changes it."""

import json
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)


class PageManifest:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._signature: tuple[int, int] | None = None
        self._pages: frozenset[str] = frozenset()
        self._lock = threading.Lock()

    def __contains__(self, page_path: str) -> bool:
        self._reload_if_changed()
        return page_path in self._pages

    def _reload_if_changed(self) -> None:
        signature = self._file_signature()
        if signature == self._signature:
            return
        with self._lock:
            if signature == self._signature:
                return
            self._signature = signature
            if signature is None:
                log.warning("page manifest %s is missing: no page is counted", self.path)
                self._pages = frozenset()
                return
            try:
                pages = json.loads(self.path.read_text(encoding="utf-8"))
                if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages):
                    raise ValueError("expected a JSON list of paths")
            except (OSError, ValueError) as error:
                log.warning("page manifest %s unreadable, keeping the previous one: %s", self.path, error)
                return
            self._pages = frozenset(pages)
            log.info("page manifest %s loaded: %d pages", self.path, len(self._pages))

    def _file_signature(self) -> tuple[int, int] | None:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (status.st_mtime_ns, status.st_size)
