"""sitemap.xml whose every date comes from the content, never from the clock.

pelican-sitemap 1.2.2 stamps listing pages (home, categories) with the time of
the build, so two builds of the same commit differ, and it offers no setting to
change that. Here a listing page's lastmod is the newest date of the articles it
lists; a page without any date gets no lastmod (the element is optional).
The SITEMAP setting keeps pelican-sitemap's keys: exclude, priorities, changefreqs.
"""

from dataclasses import dataclass
from datetime import datetime
import os
import re
from xml.sax.saxutils import escape

from pelican import signals
from pelican.contents import Article

from site_core.urls import canonical_path

DEFAULTS = {
    "exclude": [],
    "priorities": {"articles": 0.5, "indexes": 0.5, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
}


@dataclass(frozen=True, order=True)
class SitemapEntry:
    url: str
    kind: str
    lastmod: datetime | None


def newest_date(contents):
    dates = [getattr(item, "modified", None) or item.date for item in contents]
    return max(dates, default=None)


def entry_for(path, context):
    """The sitemap entry of one written file, or None when readers should not find it there."""
    relative = os.path.relpath(path, context["OUTPUT_PATH"]).replace(os.sep, "/")
    content = context.get("article") or context.get("page")
    if content is not None:
        if getattr(content, "status", "published") != "published" or content.save_as != relative:
            return None  # hidden, or a translation written elsewhere
        kind = "articles" if isinstance(content, Article) else "pages"
        lastmod = getattr(content, "modified", None) or getattr(content, "date", None)
        return SitemapEntry(canonical_path(content.url), kind, lastmod)
    if not relative.endswith(".html"):
        return None
    listed = context.get("articles") or []
    return SitemapEntry(canonical_path(relative), "indexes", newest_date(listed))


def w3c_datetime(moment):
    return moment.isoformat(timespec="seconds")


def sitemap_xml(entries, settings):
    config = {key: settings.get("SITEMAP", {}).get(key, value) for key, value in DEFAULTS.items()}
    siteurl = settings["SITEURL"] or settings.get("FEED_DOMAIN") or ""
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for entry in sorted(entries):
        if any(re.search(pattern, entry.url) for pattern in config["exclude"]):
            continue
        lines.append("<url>")
        lines.append(f"<loc>{escape(siteurl + '/' + entry.url)}</loc>")
        if entry.lastmod is not None:
            lines.append(f"<lastmod>{w3c_datetime(entry.lastmod)}</lastmod>")
        lines.append(f"<changefreq>{config['changefreqs'][entry.kind]}</changefreq>")
        lines.append(f"<priority>{config['priorities'][entry.kind]}</priority>")
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


class Sitemap:
    """Collects what Pelican writes during one build, then writes sitemap.xml."""

    def __init__(self):
        self.entries = set()

    def note_written(self, path, context):
        entry = entry_for(path, context)
        if entry is not None:
            self.entries.add(entry)

    def write(self, pelican):
        target = os.path.join(pelican.settings["OUTPUT_PATH"], "sitemap.xml")
        with open(target, "w", encoding="utf-8") as sitemap_file:
            sitemap_file.write(sitemap_xml(self.entries, pelican.settings))
        self.entries = set()


current_build = Sitemap()


def register():
    signals.content_written.connect(current_build.note_written)
    signals.finalized.connect(current_build.write)
