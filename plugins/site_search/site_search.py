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
from pathlib import Path
from urllib.parse import urlsplit
import unicodedata

from bs4 import BeautifulSoup
from pagefind.index import PagefindIndex
from pelican import signals

BODY = "data-pagefind-body"


def fold_vietnamese(text):
    """Text without tone marks or diacritics, đ as d: what a reader types without accents."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def page_for_index(html):
    """The page as Pagefind should read it, or None when it has nothing to index."""
    document = BeautifulSoup(html, "lxml")
    bodies = document.find_all(attrs={BODY: True})
    if not bodies:
        return None
    description = document.find("meta", attrs={"name": "description"})
    summary = description["content"] if description else ""
    for body in bodies:
        for ignored in body.find_all(attrs={"data-pagefind-ignore": True}):
            ignored.decompose()
        folded = document.new_tag("div")
        folded.string = fold_vietnamese(" ".join(body.get_text(" ").split()))
        body.append(folded)
    marker = document.new_tag("span", attrs={"data-pagefind-meta": "summary[data-summary]",
                                             "data-summary": summary})
    bodies[0].append(marker)
    return str(document)


async def write_index(output, url_prefix, language):
    # The index is written when the context closes, to output_path.
    config = {"force_language": language, "output_path": str(output / "pagefind")}
    async with PagefindIndex(config=config) as index:
        for path in sorted(output.rglob("*.html")):
            relative = path.relative_to(output).as_posix()
            if relative.startswith("pagefind/"):
                continue
            html = page_for_index(path.read_text(encoding="utf-8"))
            if html is not None:
                await index.add_html_file(content=html, url=f"{url_prefix}/{relative}")


def build_search_index(pelican):
    output = Path(pelican.settings["OUTPUT_PATH"])
    url_prefix = urlsplit(pelican.settings["SITEURL"]).path.rstrip("/")
    asyncio.run(write_index(output, url_prefix, pelican.settings["DEFAULT_LANG"]))


def register():
    signals.finalized.connect(build_search_index)
