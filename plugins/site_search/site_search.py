"""'Tìm kiếm': a Pagefind index of the built site, written after every build.

Only elements marked `data-pagefind-body` in the templates are indexed (article,
page and agency profile content), so menus, sidebar, related lists and footer
never match a query.

Readers often type without diacritics. Pagefind strips tone marks but keeps đ,
so "doan ket" would miss "đoàn kết". Pagefind is therefore given a folded copy
of each indexed page (tones stripped, đ→d), with its real title and summary as
metadata, and the search page folds the query the same way
(theme/static/js/search.js). Indexing only the folded text, not the page beside
it, halves Pagefind's work; results show the title and summary, never an excerpt.

The copies are made on every core, then Pagefind's own binary indexes their
folder in one run: its Python service took 1.3 s longer for the same folder at
5,000 pages and far longer when given pages one by one (bench/RESULTS.md).
"""

from functools import lru_cache
from html import escape
from multiprocessing import get_context
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit
import logging
import os
import re
import shutil
import subprocess
import unicodedata

from lxml import html as lxml_html
from pagefind_bin import get_executable
from pelican import signals

logger = logging.getLogger(__name__)

COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
FOLDED_PAGE = (
    '<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"></head><body><main data-pagefind-body>'
    '<p class="folded">{text}</p>'
    '<span data-pagefind-meta="title[data-title], summary[data-summary]" data-title="{title}" data-summary="{summary}">'
    "</span></main></body></html>")
# Below this many pages, starting worker processes costs more than it saves.
PARALLEL_COPIES_MIN_PAGES = 200


def fold_vietnamese(text):
    """Text without tone marks or diacritics, đ as d: what a reader types without accents."""
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")))


@lru_cache(maxsize=100_000)
def fold_word(word):
    # Vietnamese text is a few thousand syllables repeated: fold each one once.
    return fold_vietnamese(word)


def page_for_index(html):
    """The folded page Pagefind should index, or None when the page has nothing to index."""
    if "data-pagefind-body" not in html:
        return None
    document = lxml_html.document_fromstring(html)
    bodies = document.xpath("//*[@data-pagefind-body]")
    if not bodies:
        return None
    for body in bodies:
        for ignored in body.xpath(".//*[@data-pagefind-ignore]"):
            ignored.drop_tree()
    title = " ".join(bodies[0].xpath("string((.//h1)[1])").split())
    words = " ".join(" ".join(body.itertext()) for body in bodies).split()
    return FOLDED_PAGE.format(
        lang=escape(document.get("lang", "")),
        text=escape(" ".join(map(fold_word, words)), quote=False),
        title=escape(title),
        summary=escape(document.xpath("string(//meta[@name='description']/@content)")))


def write_index_copy(task):
    """Worker's part: one page's folded copy, written where `copies` serves it.
    True when the page had something to index."""
    path, copy = task
    html = page_for_index(Path(path).read_text(encoding="utf-8"))
    if html is None:
        return False
    os.makedirs(os.path.dirname(copy), exist_ok=True)
    Path(copy).write_text(html, encoding="utf-8")
    return True


def write_index_copies(output, copies, url_prefix, processes=1):
    """Copies of the indexable pages under `copies`, at the paths they are served
    from; returns how many were written."""
    tasks = [(str(path), str(copies / url_prefix / path.relative_to(output)))
             for path in sorted(output.rglob("*.html"))
             if path.relative_to(output).parts[0] != "pagefind"]
    if processes < 2 or len(tasks) < PARALLEL_COPIES_MIN_PAGES:
        return sum(map(write_index_copy, tasks))
    with get_context("fork").Pool(processes) as pool:
        return sum(pool.imap_unordered(write_index_copy, tasks, chunksize=64))


def run_pagefind(copies, bundle, language):
    command = [str(get_executable()), "--site", str(copies), "--output-path", str(bundle),
               "--force-language", language, "--silent"]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode:
        raise RuntimeError(f"Pagefind could not build the search index:\n{finished.stderr or finished.stdout}")


def build_search_index(pelican):
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    url_prefix = urlsplit(pelican.settings["SITEURL"]).path.strip("/")
    with TemporaryDirectory() as copies:
        if write_index_copies(output, Path(copies), url_prefix, processes=os.cpu_count() or 1):
            run_pagefind(copies, output / "pagefind", pelican.settings["DEFAULT_LANG"])
        else:  # Pagefind refuses an empty folder; a site with nothing to find needs no index
            logger.info("site_search: no page has content to index")
            shutil.rmtree(output / "pagefind", ignore_errors=True)


def register():
    signals.finalized.connect(build_search_index)
