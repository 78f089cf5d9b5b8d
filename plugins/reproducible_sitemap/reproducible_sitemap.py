"""sitemap.xml whose every date comes from the content, never from the clock.

pelican-sitemap 1.2.2 stamps listing pages (home, categories) with the time of
the build, so two builds of the same commit differ, and it offers no setting to
change that. Here a listing page's lastmod is the newest date of the articles it
lists; a page without any date gets no lastmod (the element is optional).
The SITEMAP setting keeps pelican-sitemap's keys: exclude, priorities, changefreqs.

A page a quick rebuild kept as it was (site_core.quick_builds.content_kept) keeps
the entry the last build made for it: it was made from the same articles; and the
same entries give the last text again (the editor preview builds at every save).
"""

from dataclasses import dataclass
from datetime import datetime
import os
import re
from xml.sax.saxutils import escape

from pelican import signals
from pelican.contents import Article

from site_core.quick_builds import content_kept
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


def entry_for(relative, context):
    """The sitemap entry of one written file, or None when readers should not find it there."""
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
        self.entries = {}        # name under the output folder -> entry (None: not listed)
        self.last_entries = {}   # of the last build that wrote its sitemap
        self.last_xml = None     # (what the last sitemap was made from, its text)

    def start(self, pelican):
        self.entries = {}

    def note_written(self, path, context):
        relative = os.path.relpath(path, context["OUTPUT_PATH"]).replace(os.sep, "/")
        self.entries[relative] = entry_for(relative, context)

    def note_kept(self, name, **_):
        self.entries[name] = self.last_entries.get(name)

    def write(self, pelican):
        target = os.path.join(pelican.settings["OUTPUT_PATH"], "sitemap.xml")
        listed = {entry for entry in self.entries.values() if entry is not None}
        settings = pelican.settings
        made_from = (listed, settings.get("SITEMAP"), settings["SITEURL"], settings.get("FEED_DOMAIN"))
        if self.last_xml is None or self.last_xml[0] != made_from:
            self.last_xml = (made_from, sitemap_xml(listed, settings))
        with open(target, "w", encoding="utf-8") as sitemap_file:
            sitemap_file.write(self.last_xml[1])
        self.last_entries, self.entries = self.entries, {}


current_build = Sitemap()


def register():
    signals.initialized.connect(current_build.start)
    signals.content_written.connect(current_build.note_written)
    content_kept.connect(current_build.note_kept)
    signals.finalized.connect(current_build.write)
