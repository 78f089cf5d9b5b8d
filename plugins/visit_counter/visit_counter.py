"""Write <OUTPUT_PATH>/counter-manifest.json: the pages the visit counter may count, with their titles.

The counter answers every path but counts only those listed, so requests
for invented paths cannot fill its database; the titles name the pages of
its most-read list (/api/top). Each page is listed under its one name (a
folder's index.html as the folder), the name the counter counts it under:

    {"pages": [{"path": "/tin-tuc/x.html", "title": "Plain-text title"}, {"path": "/", "title": null}]}

Titles come from the articles and pages Pelican read, as plain text;
listings (home, categories, archives) have none.
"""

import json
import os
from pathlib import Path

from markupsafe import Markup
from pelican import signals

from site_core.urls import canonical_path

MANIFEST_NAME = "counter-manifest.json"
TITLED_CONTENT = ("articles", "translations", "pages", "hidden_pages", "hidden_translations")

_titles: dict[str, str] = {}
_last_manifest: list = []   # [pages, their JSON] of the last build


def plain_text(title: str) -> str:
    """Tags dropped, entities decoded, every run of spaces (typogrify's no-break ones too) one space."""
    return " ".join(Markup(title).striptags().split())


def page_titles(generators) -> dict[str, str]:
    """URL path → plain-text title of every article and page the generators hold."""
    titles = {}
    for generator in generators:
        for attribute in TITLED_CONTENT:
            for content in getattr(generator, attribute, ()):
                save_as = getattr(content, "save_as", "")
                if save_as:
                    titles["/" + canonical_path(save_as)] = plain_text(content.title)
    return titles


def remember_titles(generators) -> None:
    _titles.clear()
    _titles.update(page_titles(generators))


def manifest_pages(output_path: Path, titles: dict[str, str], editor_only=()) -> list[dict]:
    """One entry per HTML file but the editors' (EDITOR_ONLY_PATHS), under its one name, sorted by path."""
    paths = set()
    root = str(output_path)
    for folder, _, names in os.walk(root):
        parent = os.path.relpath(folder, root).replace(os.sep, "/")
        if parent.split("/")[0] in editor_only:
            continue
        prefix = "" if parent == "." else parent + "/"
        paths.update("/" + canonical_path(prefix + name) for name in names if name.endswith(".html"))
    return [{"path": path, "title": titles.get(path)} for path in sorted(paths)]


def write_manifest(pelican, titles: dict[str, str] | None = None) -> None:
    if not pelican.settings.get("VISIT_COUNTER_MANIFEST", True):
        return
    output_path = Path(pelican.output_path)
    pages = manifest_pages(output_path, _titles if titles is None else titles,
                           pelican.settings.get("EDITOR_ONLY_PATHS", ()))
    # json's indenting encoder is pure Python: the last text is kept while the pages are the
    # same (the editor preview builds again at every save).
    if not _last_manifest or _last_manifest[0] != pages:
        _last_manifest[:] = [pages, json.dumps({"pages": pages}, ensure_ascii=False, indent=1) + "\n"]
    (output_path / MANIFEST_NAME).write_text(_last_manifest[1], encoding="utf-8")


def register():
    signals.all_generators_finalized.connect(remember_titles)
    signals.finalized.connect(write_manifest)
