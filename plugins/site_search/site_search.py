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
"""

import asyncio
import copy
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit
import unicodedata

from lxml import html as lxml_html
from pagefind.index import PagefindIndex
from pelican import signals


COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
FOLDED_PAGE = lxml_html.fromstring(
    '<html><head><meta charset="utf-8"></head><body><main data-pagefind-body>'
    '<p class="folded"></p>'
    '<span data-pagefind-meta="title[data-title], summary[data-summary]"></span>'
    "</main></body></html>")


def fold_vietnamese(text):
    """Text without tone marks or diacritics, đ as d: what a reader types without accents."""
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")))


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
    text = " ".join(" ".join(" ".join(body.itertext()) for body in bodies).split())
    folded = copy.deepcopy(FOLDED_PAGE)
    folded.set("lang", document.get("lang", ""))
    folded.find(".//p").text = fold_vietnamese(text)
    meta = folded.find(".//span")
    meta.set("data-title", title)
    meta.set("data-summary", document.xpath("string(//meta[@name='description']/@content)"))
    return lxml_html.tostring(folded, encoding="unicode", doctype="<!doctype html>")


def write_index_copies(output, copies, url_prefix):
    """Copies of the indexable pages under `copies`, at the paths they are served from."""
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output)
        if relative.parts[0] == "pagefind":
            continue
        html = page_for_index(path.read_text(encoding="utf-8"))
        if html is not None:
            copy = copies / url_prefix / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(html, encoding="utf-8")


async def write_index(copies, bundle, language):
    # Indexing a folder is one request to the Pagefind service; one request per
    # page took ten times longer. The index is written when the context closes.
    config = {"force_language": language, "output_path": str(bundle)}
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(copies))


def build_search_index(pelican):
    if not pelican.settings.get("SEARCH_INDEX", True):
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    url_prefix = urlsplit(pelican.settings["SITEURL"]).path.strip("/")
    with TemporaryDirectory() as copies:
        write_index_copies(output, Path(copies), url_prefix)
        # A thread of its own: a process that builds in-process may already run an
        # event loop in this thread (the live preview under Playwright's tests does).
        with ThreadPoolExecutor(max_workers=1) as indexer:
            indexer.submit(asyncio.run, write_index(copies, output / "pagefind", pelican.settings["DEFAULT_LANG"])).result()


def register():
    signals.finalized.connect(build_search_index)
