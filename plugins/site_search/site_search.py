"""'Tìm kiếm': a Pagefind index of the built site, written after every build.

Only elements marked `data-pagefind-body` in the templates are indexed (article,
page and agency profile content), so menus, sidebar, related lists and footer
never match a query.

Readers often type without diacritics. Pagefind strips tone marks but keeps đ,
so "doan ket" would miss "đoàn kết". Each indexed page therefore carries, in the
copy given to Pagefind only, a folded twin of its text (tones stripped, đ→d),
and the search page folds the query the same way (theme/static/js/search.js).
Results show the page's summary rather than Pagefind's excerpt, which could come
from the folded twin.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import TemporaryDirectory
from urllib.parse import urlsplit
import unicodedata

from lxml import html as lxml_html
from pagefind.index import PagefindIndex
from pelican import signals


def fold_vietnamese(text):
    """Text without tone marks or diacritics, đ as d: what a reader types without accents."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def page_for_index(html):
    """The page as Pagefind should read it, or None when it has nothing to index."""
    document = lxml_html.document_fromstring(html)
    bodies = document.xpath("//*[@data-pagefind-body]")
    if not bodies:
        return None
    summary = document.xpath("string(//meta[@name='description']/@content)")
    for body in bodies:
        for ignored in body.xpath(".//*[@data-pagefind-ignore]"):
            ignored.drop_tree()
        folded = lxml_html.Element("div")
        folded.text = fold_vietnamese(" ".join(" ".join(body.itertext()).split()))
        body.append(folded)
    bodies[0].append(lxml_html.Element("span", {"data-pagefind-meta": "summary[data-summary]",
                                                "data-summary": summary}))
    return lxml_html.tostring(document, encoding="unicode", doctype="<!doctype html>")


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
