"""'Tìm kiếm': a Pagefind index of the built site, written after every build.

Only elements marked `data-pagefind-body` in the templates are indexed (article,
page and agency profile content), so menus, sidebar, related lists and footer
never match a query.

Readers often type without diacritics. Pagefind strips tone marks but keeps đ,
so "doan ket" would miss "đoàn kết". Pagefind is therefore given a folded copy
of each indexed page (tones stripped, đ→d, syllable pairs for Vietnamese words:
search_document.py), with its real title, text, date and category as metadata,
and the search page folds the query the same way
(theme/static/js/search-engine.js). Indexing only the folded copy, not the page
beside it, halves Pagefind's work.

The copies are made on every core, then Pagefind's own binary indexes their
folder in one run: its Python service took 1.3 s longer for the same folder at
5,000 pages and far longer when given pages one by one.

Pagefind is the largest part of a cold build and cannot index part of a site,
so the last index is kept in CACHE_PATH with a digest of everything it was
made from (every built page's path and bytes, this plugin's code, the library
versions and Pagefind's options). A build whose digest is the same takes that
index instead of making the copies and running Pagefind again. When the digest
differs (an article changed), the folded copies of the pages whose bytes did
not change are taken from CACHE_PATH too, so only the changed pages are parsed
and folded; Pagefind then indexes the whole folder again, as it must.
"""

from contextlib import contextmanager
from functools import partial
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit
import hashlib
import logging
import os
import shutil
import subprocess
import time
import unicodedata

from pagefind_bin import get_executable
from pelican import signals

from site_core.progress import counted, report_phase

from .search_document import page_for_index

logger = logging.getLogger(__name__)

# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_MIN_PAGES = 200


def write_index_copy(task):
    """Worker's part: one page's folded copy, written where `copies` serves it,
    and kept at `kept` (when given) for the next build. True when the page had
    something to index."""
    path, copy, kept = (*task, None)[:3]
    html = page_for_index(Path(path).read_text(encoding="utf-8"))
    if html is None:
        if kept:
            Path(kept + NOTHING_TO_INDEX).touch()
        return False
    os.makedirs(os.path.dirname(copy), exist_ok=True)
    Path(copy).write_text(html, encoding="utf-8")
    if kept:
        link_or_copy(copy, kept + FOLDED_COPY)
    return True


FOLDED_COPY, NOTHING_TO_INDEX = ".html", ".none"


def link_or_copy(source, target):
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:  # another file system
        shutil.copyfile(source, target)


def built_pages(output, editor_only=()):
    """Every HTML page of the build but the index's own and the editors' (EDITOR_ONLY_PATHS), in a stable order."""
    left_out = {"pagefind", *editor_only}
    return [path for path in sorted(output.rglob("*.html")) if path.relative_to(output).parts[0] not in left_out]


@contextmanager
def page_mapper(processes, count):
    """`map` over pages: on every core for a large site, here for a small one."""
    if processes < 2 or count < PARALLEL_MIN_PAGES:
        yield map
        return
    with get_context("fork").Pool(processes) as pool:
        yield partial(pool.map, chunksize=64)


def write_index_copies(output, copies, url_prefix, processes=1, editor_only=(), kept_copies=None, digests=None):
    """Copies of the indexable pages under `copies`, at the paths they are served
    from; returns how many were written. With `kept_copies` (a KeptCopies) and
    each page's digest, a page whose copy was kept by an earlier build is linked
    from there instead of being parsed and folded again."""
    pages = built_pages(output, editor_only) if digests is None else [page for page, _ in digests]
    served = [str(copies / url_prefix / path.relative_to(output)) for path in pages]
    if kept_copies is None:
        tasks, written = list(zip(map(str, pages), served)), 0
    else:
        tasks, written = [], 0
        for path, copy, (_, digest) in zip(pages, served, digests):
            kept = kept_copies.take(digest)
            if kept is None:
                tasks.append((str(path), copy, str(kept_copies.path(digest))))
            elif kept.suffix == FOLDED_COPY:
                os.makedirs(os.path.dirname(copy), exist_ok=True)
                link_or_copy(kept, copy)
                written += 1
    with page_mapper(processes, len(tasks)) as map_pages:
        return written + sum(map_pages(write_index_copy, tasks))


class KeptCopies:
    """Folded copies from earlier builds, one file per page digest, in a folder
    named after what folding depends on (this plugin's code, lxml, Unicode)."""

    def __init__(self, folder):
        fingerprint = hashlib.sha256(plugin_code())
        for part in (version("lxml"), unicodedata.unidata_version):
            fingerprint.update(part.encode("utf-8") + b"\0")
        self.root = Path(folder)
        self.folder = self.root / fingerprint.hexdigest()[:16]
        self.folder.mkdir(parents=True, exist_ok=True)
        self.used = set()

    def path(self, digest):
        self.used.add(digest.hex())
        return self.folder / digest.hex()

    def take(self, digest):
        """The kept copy (.html), the mark of a page with nothing to index (.none), or None."""
        base = self.path(digest)
        for suffix in (FOLDED_COPY, NOTHING_TO_INDEX):
            if base.with_suffix(suffix).exists():
                return base.with_suffix(suffix)
        return None

    def forget_unused(self):
        """Keep only this build's copies: the cache never grows past one site."""
        for other in self.root.iterdir():
            if other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        for kept in self.folder.iterdir():
            if kept.name.split(".")[0] not in self.used:
                kept.unlink()


def plugin_code():
    """The plugin's sources: folding and the search document (search_document.py) included."""
    return b"".join(source.read_bytes() for source in sorted(Path(__file__).parent.glob("*.py")))


def file_digest(path):
    with open(path, "rb") as page:
        return hashlib.sha256(page.read()).digest()


def page_digests(output, processes=1, editor_only=()):
    """[(page, sha256 of its bytes)] for every page the index is made from."""
    pages = built_pages(output, editor_only)
    with page_mapper(processes, len(pages)) as map_pages:
        return list(zip(pages, map_pages(file_digest, pages)))


def index_key(output, url_prefix, language, processes=1, editor_only=(), digests=None):
    """A digest of everything the index is made from: this plugin's code, the
    libraries that fold, parse and index, Pagefind's options and every page."""
    digest = hashlib.sha256(plugin_code())
    for part in (version("lxml"), unicodedata.unidata_version, version("pagefind_bin"),
                 url_prefix, *pagefind_options(language)):
        digest.update(part.encode("utf-8") + b"\0")
    for page, page_digest in digests if digests is not None else page_digests(output, processes, editor_only):
        digest.update(page.relative_to(output).as_posix().encode("utf-8") + b"\0" + page_digest)
    return digest.hexdigest()


def pagefind_options(language):
    return ["--force-language", language, "--silent"]


def run_pagefind(copies, bundle, language):
    command = [str(get_executable()), "--site", str(copies), "--output-path", str(bundle), *pagefind_options(language)]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode:
        raise RuntimeError(f"Pagefind could not build the search index:\n{finished.stderr or finished.stdout}")


class IndexCache:
    """The last search index built, in CACHE_PATH/search-index/, and what it was built from."""

    def __init__(self, settings):
        self.folder = Path(settings["CACHE_PATH"]) / "search-index"
        self.enabled = settings.get("SEARCH_INDEX_CACHE", False)

    def fetch(self, key, bundle):
        """Put the cached index at `bundle` if it was built from `key`; True if it was."""
        if not (self.folder / "bundle").is_dir():
            return False
        try:
            if (self.folder / "key").read_text(encoding="utf-8") != key:
                return False
        except OSError:
            return False
        shutil.rmtree(bundle, ignore_errors=True)
        copy_tree(self.folder / "bundle", bundle)
        return True

    def store(self, key, bundle):
        (self.folder / "key").unlink(missing_ok=True)
        shutil.rmtree(self.folder / "bundle", ignore_errors=True)
        copy_tree(bundle, self.folder / "bundle")
        # Written last: an interrupted store leaves no key, so nothing is reused.
        (self.folder / "key").write_text(key, encoding="utf-8")


def copy_tree(source, target):
    # Hard links: no byte is copied. Nothing rewrites an index file in place:
    # the bundle is removed before Pagefind writes a new one.
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:  # another file system
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


def build_search_index(pelican):
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    url_prefix = urlsplit(pelican.settings["SITEURL"]).path.strip("/")
    language, bundle, cache = pelican.settings["DEFAULT_LANG"], output / "pagefind", IndexCache(pelican.settings)
    processes = os.cpu_count() or 1
    started = time.perf_counter()
    editor_only = pelican.settings.get("EDITOR_ONLY_PATHS", ())
    digests = page_digests(output, processes, editor_only) if cache.enabled else None
    key = index_key(output, url_prefix, language, digests=digests) if cache.enabled else None
    if key and cache.fetch(key, bundle):
        logger.info("site_search: the pages are unchanged; the last index is reused")
        report_phase("Chỉ mục tìm kiếm", ["dùng lại chỉ mục trước (các trang không đổi)"],
                     time.perf_counter() - started)
        return
    shutil.rmtree(bundle, ignore_errors=True)  # Pagefind writes new files, never through a cached link
    kept_copies = KeptCopies(cache.folder / "copies") if cache.enabled else None
    # On the kept copies' file system when there are any, so that linking them copies no byte.
    with TemporaryDirectory(dir=cache.folder if kept_copies else None) as copies:
        indexed = write_index_copies(output, Path(copies), url_prefix, processes, editor_only, kept_copies, digests)
        if kept_copies:
            kept_copies.forget_unused()
        if not indexed:
            # Pagefind refuses an empty folder; a site with nothing to find needs no index.
            logger.info("site_search: no page has content to index")
            return
        run_pagefind(copies, bundle, language)
    if key:
        cache.store(key, bundle)
    report_phase("Chỉ mục tìm kiếm", [counted(indexed, "trang")], time.perf_counter() - started)


def register():
    signals.finalized.connect(build_search_index)
