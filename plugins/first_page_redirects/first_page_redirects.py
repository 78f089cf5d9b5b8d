"""`…/trang-1/` sends the reader to the listing's first page.

Readers and links edit the page number in an address ("trang-2" → "trang-1"),
but Pelican writes the first page of a category or an archive period at the
listing's own address, so `trang-1/` would be a 404. Each listing gets a small
redirect page there (the theme's redirect.html, like moved articles), written
straight to the output so that the sitemap does not list it.
"""

from dataclasses import dataclass
from pathlib import Path

from pelican import signals
from pelican.paginator import Paginator


@dataclass
class Listing:
    url: str
    title: str
    is_listing: bool = True


def page_one_path(save_as, url, settings):
    """Where the page-numbered pattern would put page 1 of the listing at `save_as`."""
    first = Paginator(save_as, url, [], settings).page(1)
    numbered = [rule for rule in settings["PAGINATION_PATTERNS"] if rule.min_page > 1]
    if not numbered:
        return None
    path = numbered[0].SAVE_AS.format(save_as=first.full_name, url=first.base_url, name=first.name,
                                      base_name=first.base_name, extension=first.extension, number=1)
    return path[1:] if path.startswith("/") else path


def listings(generator):
    """(save_as, Listing) for every paginated listing the article generator writes."""
    labels = generator.settings["JINJA_GLOBALS"]["LABELS"]
    for category, _ in generator.categories:
        yield category.save_as, Listing(category.url, category.name)
    for granularity in ("year", "month"):
        for period in getattr(generator, "period_archives", {}).get(granularity, []):
            if not period["save_as"]:
                continue
            year, *month = period["period_num"]
            title = (labels["archive_month"].format(month=month[0], year=year) if month
                     else labels["archive_year"].format(year=year))
            yield period["save_as"], Listing(period["url"], title)


def write_first_page_redirects(generator, writer):
    template = generator.get_template("redirect")
    output = generator.output_path
    for save_as, listing in listings(generator):
        path = page_one_path(save_as, listing.url, generator.settings)
        if not path or path == save_as:
            continue
        target = Path(output, path)
        html = template.render({**generator.context, "target": listing})
        # The editor preview writes after every save: an unchanged redirect keeps its file.
        if target.is_file() and target.read_text(encoding="utf-8") == html:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")


def register():
    signals.article_writer_finalized.connect(write_first_page_redirects)
