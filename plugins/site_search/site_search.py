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

The index is made in shards: the articles of SEARCH_SHARD_YEARS consecutive
years each (by the year of the date the template marks for sorting), and one
for the pages without a date (static pages, agency profiles); 0 makes one
shard of everything. Each shard is a Pagefind bundle of its own in
output/pagefind/<shard>/, listed with its page count in
output/pagefind/shards.json; the search page loads the first and merges the
others into it (Pagefind's mergeIndex) and ranks the pages as one index of the
whole site would (search-engine.js: a term's weight in a shard is scaled to its
weight in the site). Shards are indexed in parallel, one Pagefind process per
core (one Pagefind keeps 1.4 of them busy), and each process holds only its
shard. Pagefind cannot index part of a site, but each shard is kept in
CACHE_PATH under a digest of everything it was made from (its pages' paths and
bytes, this plugin's code, the library versions, Pagefind's options), so after
one article changed only that article's shard is indexed again
(SEARCH_INDEX_CACHE). Within that shard, the folded copies of unchanged pages
are kept by page digest, so only the changed pages are parsed and folded.

The copies are made on every core; Pagefind's own binary indexes their folders:
its Python service took 1.3 s longer for the same folder at 5,000 pages and far
longer when given pages one by one.
"""

from contextlib import contextmanager
from functools import partial
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit
import hashlib
import json
import logging
import os
import re
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
# The shard of the indexed pages without a sort date (static pages, agency profiles).
UNDATED_SHARD = "trang"
# SEARCH_SHARD_YEARS = 0: one shard of every page, one index as Pagefind alone would make.
WHOLE_SITE_SHARD = "tat-ca"
SHARD_LIST = "shards.json"
# The tag the template marks with the page's sort date; the shard is its year's.
SORT_DATE_TAG = re.compile(rb'<[^<>]*\bdata-pagefind-sort="date\[datetime\]"[^<>]*>')
SORT_DATE_YEAR = re.compile(rb'\bdatetime="(\d{4})-')
INDEX_BODY = b"data-pagefind-body"
# What a merged shard needs: Pagefind's script, worker and WebAssembly come from the first.
MERGED_SHARD_FILES = ("pagefind-entry.json", "*.pf_meta", "index", "fragment", "filter")


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
    from there instead of being parsed and folded again. `copies` is one folder,
    or a function giving each page's folder (its shard's)."""
    pages = built_pages(output, editor_only) if digests is None else [page for page, _ in digests]
    folder_of = copies if callable(copies) else (lambda page: copies)
    served = [str(folder_of(path) / url_prefix / path.relative_to(output)) for path in pages]
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


def page_facts(path, years_per_shard=1):
    """(sha256 of the page's bytes, its shard), the shard None for a page with nothing marked to index."""
    with open(path, "rb") as page:
        data = page.read()
    digest = hashlib.sha256(data).digest()
    if INDEX_BODY not in data:
        return digest, None
    if not years_per_shard:
        return digest, WHOLE_SITE_SHARD
    tag = SORT_DATE_TAG.search(data)
    year = tag and SORT_DATE_YEAR.search(tag.group())
    if not year:
        return digest, UNDATED_SHARD
    first = int(year.group(1)) - int(year.group(1)) % years_per_shard
    return digest, str(first) if years_per_shard == 1 else f"{first}-{first + years_per_shard - 1}"


def page_digests(output, processes=1, editor_only=()):
    """[(page, sha256 of its bytes)] for every page the index is made from."""
    pages = built_pages(output, editor_only)
    with page_mapper(processes, len(pages)) as map_pages:
        return list(zip(pages, map_pages(file_digest, pages)))


def shard_pages(output, processes=1, editor_only=(), years_per_shard=1):
    """{shard: [(page, sha256 of its bytes)]} for the pages marked to index, shards and pages in a stable order."""
    pages = built_pages(output, editor_only)
    with page_mapper(processes, len(pages)) as map_pages:
        facts = map_pages(partial(page_facts, years_per_shard=years_per_shard), pages)
    shards = {}
    for page, (digest, shard) in zip(pages, facts):
        if shard is not None:
            shards.setdefault(shard, []).append((page, digest))
    return dict(sorted(shards.items()))


def index_key(output, url_prefix, language, processes=1, editor_only=(), digests=None):
    """A digest of everything an index is made from: this plugin's code, the
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


def start_pagefind(copies, bundle, language, errors):
    command = [str(get_executable()), "--site", str(copies), "--output-path", str(bundle), *pagefind_options(language)]
    return subprocess.Popen(command, stdout=errors, stderr=errors)


def run_pagefinds(jobs, language, processes):
    """Pagefind over each (copies, bundle) of `jobs`, `processes` runs at a time,
    in this order; yields each job as its run ends. Started from this thread, so
    that they are its children (bench/run.py finds Pagefind among them)."""
    waiting, running = list(jobs), []
    with TemporaryDirectory() as logs:
        try:
            while waiting or running:
                while waiting and len(running) < processes:
                    job = waiting.pop(0)
                    errors = open(Path(logs) / str(len(waiting)), "w+b")
                    running.append((start_pagefind(*job, language, errors), errors, job))
                ended = [entry for entry in running if entry[0].poll() is not None]
                if not ended:
                    time.sleep(0.01)
                for run, errors, job in ended:
                    running.remove((run, errors, job))
                    errors.seek(0)
                    message = errors.read().decode("utf-8", "replace")
                    errors.close()
                    if run.returncode:
                        raise RuntimeError(f"Pagefind could not build the search index:\n{message}")
                    yield job
        finally:
            for run, errors, _ in running:
                run.kill()
                run.wait()
                errors.close()


class ShardCache:
    """Shard bundles of earlier builds in CACHE_PATH/search-index/shards/<key>/,
    each with how many pages it indexed; only this build's shards are kept."""

    def __init__(self, settings):
        self.root = Path(settings["CACHE_PATH"]) / "search-index"
        self.folder = self.root / "shards"
        self.enabled = settings.get("SEARCH_INDEX_CACHE", False)
        self.used = set()

    def fetch(self, key, bundle):
        """Put the shard built from `key` at `bundle`; its page count, or None if there is none."""
        self.used.add(key)
        try:
            indexed = int((self.folder / key / "pages").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if indexed:
            copy_tree(self.folder / key / "bundle", bundle)
        return indexed

    def store(self, key, bundle, indexed):
        target = self.folder / key
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        if indexed:
            copy_tree(bundle, target / "bundle")
        # Written last: an interrupted store leaves no count, so nothing is reused.
        (target / "pages").write_text(str(indexed), encoding="utf-8")

    def forget_unused(self):
        """Keep only this build's shards: the cache never grows past one site."""
        shutil.rmtree(self.root / "bundle", ignore_errors=True)  # the single index kept before shards
        (self.root / "key").unlink(missing_ok=True)
        for other in sorted(self.folder.iterdir()) if self.folder.is_dir() else ():
            if other.name not in self.used:
                shutil.rmtree(other, ignore_errors=True)


def copy_tree(source, target, ignore=None):
    # Hard links: no byte is copied. Nothing rewrites an index file in place:
    # Pagefind writes every bundle into an empty folder.
    try:
        shutil.copytree(source, target, copy_function=os.link, ignore=ignore)
    except OSError:  # another file system
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, ignore=ignore)


def keep_only_merged_files(bundle):
    """A merged shard needs only what mergeIndex reads: Pagefind's script, worker and WebAssembly come from the first."""
    for path in sorted(bundle.iterdir()):
        if not any(path.match(pattern) for pattern in MERGED_SHARD_FILES):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def indexed_pages(bundle, language):
    """How many pages Pagefind indexed in `bundle`: the search page weighs terms by it."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry["languages"][language]["page_count"]


def shard_key(shard, pages, output, url_prefix, language):
    return hashlib.sha256(f"{shard}\0".encode("utf-8") + index_key(
        output, url_prefix, language, digests=pages).encode("ascii")).hexdigest()[:32]


def build_search_index(pelican):
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    started = time.perf_counter()
    output = Path(pelican.settings["OUTPUT_PATH"])
    url_prefix = urlsplit(pelican.settings["SITEURL"]).path.strip("/")
    language, bundles, cache = pelican.settings["DEFAULT_LANG"], output / "pagefind", ShardCache(pelican.settings)
    processes = os.cpu_count() or 1
    shards = shard_pages(output, processes, pelican.settings.get("EDITOR_ONLY_PATHS", ()),
                         pelican.settings.get("SEARCH_SHARD_YEARS", 1))
    shutil.rmtree(bundles, ignore_errors=True)  # Pagefind writes new files, never through a cached link
    keys = {shard: shard_key(shard, pages, output, url_prefix, language) for shard, pages in shards.items()}
    indexed = {}
    for shard in shards:
        count = cache.fetch(keys[shard], bundles / shard) if cache.enabled else None
        if count is not None:
            indexed[shard] = count
    stale = {shard: pages for shard, pages in shards.items() if shard not in indexed}
    if stale:
        indexed.update(index_shards(output, shards, stale, keys, bundles, url_prefix, language, processes, cache))
    if cache.enabled:
        cache.forget_unused()
    present = [shard for shard in shards if indexed[shard]]
    if not present:
        # Pagefind refuses an empty folder; a site with nothing to find needs no index.
        logger.info("site_search: no page has content to index")
        return
    # "dated": the shard can answer a search sorted by date (Pagefind leaves the undated pages out of one).
    listed = [{"name": shard, "pages": indexed_pages(bundles / shard, language), "dated": shard != UNDATED_SHARD}
              for shard in present]
    for shard in present[1:]:
        keep_only_merged_files(bundles / shard)
    (bundles / SHARD_LIST).write_text(json.dumps(listed) + "\n", encoding="utf-8")
    seconds = time.perf_counter() - started
    pages = counted(sum(indexed.values()), "trang")
    if not stale:
        logger.info("site_search: the pages are unchanged; the last index is reused")
        report_phase("Chỉ mục tìm kiếm", ["dùng lại chỉ mục trước (các trang không đổi)"], seconds)
    elif len(stale) < len(shards):
        report_phase("Chỉ mục tìm kiếm", [pages, f"làm lại {len(stale)}/{len(shards)} phần"], seconds)
    else:
        report_phase("Chỉ mục tìm kiếm", [pages], seconds)


def index_shards(output, shards, stale, keys, bundles, url_prefix, language, processes, cache):
    """Folds the pages of the `stale` shards and runs Pagefind over each one's
    copies, one run per core at a time, the largest first; each bundle goes to
    bundles/<shard>/ (and to the cache). Returns {shard: pages indexed}."""
    kept_copies = KeptCopies(cache.root / "copies") if cache.enabled else None
    if kept_copies:
        # The copies of the other shards' pages stay for when their shard changes.
        for pages in shards.values():
            for _, digest in pages:
                kept_copies.path(digest)
    # On the kept copies' file system when there are any, so that linking them copies no byte.
    with TemporaryDirectory(dir=cache.root if kept_copies else None) as copies:
        copies = Path(copies)
        shard_of = {page: shard for shard, pages in stale.items() for page, _ in pages}
        write_index_copies(output, lambda page: copies / shard_of[page], url_prefix, processes,
                           kept_copies=kept_copies, digests=[entry for pages in stale.values() for entry in pages])
        if kept_copies:
            kept_copies.forget_unused()
        counts = {shard: sum(1 for _ in (copies / shard).rglob("*.html")) for shard in stale}

        indexed = sorted((shard for shard in stale if counts[shard]), key=lambda shard: (-counts[shard], shard))
        jobs = [(copies / shard, bundles / shard) for shard in indexed]
        for _, bundle in run_pagefinds(jobs, language, processes):
            if cache.enabled:
                cache.store(keys[bundle.name], bundle, counts[bundle.name])
        if cache.enabled:
            for shard in stale:
                if not counts[shard]:
                    cache.store(keys[shard], bundles / shard, 0)
    return counts


def register():
    signals.finalized.connect(build_search_index)
