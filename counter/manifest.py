"""The pages that the site build wrote, reloaded when the build changes the manifest.

The manifest (written by plugins/visit_counter) is
`{"pages": [{"path": "/tin-tuc/x.html", "title": "Plain title"}, ...]}`,
where a title may be null (listings such as the home page); the earlier
format, a plain list of paths, is still read (no titles). Every path is
taken under its one name (see one_name).
"""

import json
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)

Signature = tuple[int, int] | None
NEVER_LOADED: Signature = (-1, -1)
FOLDER_INDEX = "index.html"


def one_name(path: str) -> str:
    """A page's one name: a folder's index.html is the folder itself (/x/index.html is /x/)."""
    if path.endswith("/" + FOLDER_INDEX):
        return path[: -len(FOLDER_INDEX)]
    return path


def _titles_by_path(data) -> dict[str, str | None]:
    if isinstance(data, list) and all(isinstance(path, str) for path in data):
        return {one_name(path): None for path in data}
    if not isinstance(data, dict) or not isinstance(data.get("pages"), list):
        raise ValueError('expected {"pages": [{"path": ..., "title": ...}, ...]} or a list of paths')
    titles = {}
    for page in data["pages"]:
        if not (isinstance(page, dict) and isinstance(page.get("path"), str)
                and isinstance(page.get("title"), (str, type(None)))):
            raise ValueError(f"each page needs a string path and a string or null title: {page!r:.80}")
        titles[one_name(page["path"])] = page["title"] or titles.get(one_name(page["path"]))
    return titles


class PageManifest:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        # Replaced as one tuple so that no thread sees a new signature with old pages.
        self._loaded: tuple[Signature, dict[str, str | None]] = (NEVER_LOADED, {})
        self._lock = threading.Lock()

    def __contains__(self, page_path: str) -> bool:
        return page_path in self._current_pages()

    def title(self, page_path: str) -> str | None:
        """The page's plain-text title; None for an unknown or untitled page."""
        return self._current_pages().get(page_path)

    def _current_pages(self) -> dict[str, str | None]:
        signature = self._file_signature()
        loaded_signature, pages = self._loaded
        if signature == loaded_signature:
            return pages
        with self._lock:
            if signature != self._loaded[0]:
                self._loaded = (signature, self._read(signature))
            return self._loaded[1]

    def _read(self, signature: Signature) -> dict[str, str | None]:
        if signature is None:
            log.warning("page manifest %s is missing: no page is counted", self.path)
            return {}
        try:
            pages = _titles_by_path(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as error:
            log.warning("page manifest %s unreadable, keeping the previous one: %s", self.path, error)
            return self._loaded[1]
        log.info("page manifest %s loaded: %d pages", self.path, len(pages))
        return pages

    def _file_signature(self) -> Signature:
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (status.st_mtime_ns, status.st_size)
