"""The set of page paths that the site build wrote, reloaded when the build changes it."""

import json
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)

Signature = tuple[int, int] | None
NEVER_LOADED: Signature = (-1, -1)


class PageManifest:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        # Replaced as one tuple so that no thread sees a new signature with old pages.
        self._loaded: tuple[Signature, frozenset[str]] = (NEVER_LOADED, frozenset())
        self._lock = threading.Lock()

    def __contains__(self, page_path: str) -> bool:
        return page_path in self._current_pages()

    def _current_pages(self) -> frozenset[str]:
        signature = self._file_signature()
        loaded_signature, pages = self._loaded
        if signature == loaded_signature:
            return pages
        with self._lock:
            if signature != self._loaded[0]:
                self._loaded = (signature, self._read(signature))
            return self._loaded[1]

    def _read(self, signature: Signature) -> frozenset[str]:
        if signature is None:
            log.warning("page manifest %s is missing: no page is counted", self.path)
            return frozenset()
        try:
            pages = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(pages, list) or not all(isinstance(page, str) for page in pages):
                raise ValueError("expected a JSON list of paths")
        except (OSError, ValueError) as error:
            log.warning("page manifest %s unreadable, keeping the previous one: %s", self.path, error)
            return self._loaded[1]
        log.info("page manifest %s loaded: %d pages", self.path, len(pages))
        return frozenset(pages)

    def _file_signature(self) -> Signature:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (status.st_mtime_ns, status.st_size)
