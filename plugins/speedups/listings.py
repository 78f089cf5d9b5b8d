"""Listing pages in linear time.

For each category (and tag and author) page Pelican builds `dates` by asking, for
every article of the site, whether it is in that category's list: a scan of the
list each time, so the work grows with the square of the site (10,000 articles in
6 categories: 100 million comparisons). The lists are replaced by lists that
answer membership from a set, with the same items in the same order.

Month archives have the same shape: `_build_period_archives` keeps, for each
month, the site's articles that are in that month's list. It is wrapped: Pelican
builds every archive with an empty article list, then one pass over the site's
articles, in their order, gives each month its articles, as Pelican would.
"""

from pelican import signals


class ArticleSet(list):
    """A list whose `in` is a set lookup (by identity, as list membership of
    content objects is), rebuilt if the list's length changes."""

    def __contains__(self, item):
        members = getattr(self, "_members", None)
        if members is None or self._members_length != len(self):
            self._members = members = {id(article) for article in self}
            self._members_length = len(self)
        return id(item) in members


def use_article_sets(generator):
    if not generator.settings.get("LINEAR_LISTINGS", False):
        return
    for name in ("categories", "tags", "authors"):
        listing = getattr(generator, name, None)
        if isinstance(listing, list):
            listing[:] = [(key, ArticleSet(articles)) for key, articles in listing]
        elif isinstance(listing, dict):
            for key, articles in listing.items():
                listing[key] = ArticleSet(articles)


def linear_period_archives(generator):
    if not generator.settings.get("LINEAR_LISTINGS", False):
        return
    build_period_archives = generator._build_period_archives

    def build_in_linear_time(sorted_articles, articles, settings):
        period_archives = build_period_archives(sorted_articles, [], settings)
        for archives in period_archives.values():
            archive_of = {id(article): archive for archive in archives for article in archive["dates"]}
            for archive in archives:
                archive["articles"] = []
            for article in articles:
                archive = archive_of.get(id(article))
                if archive is not None:
                    archive["articles"].append(article)
        return period_archives

    generator._build_period_archives = build_in_linear_time


def register():
    signals.article_generator_init.connect(linear_period_archives)
    signals.article_generator_finalized.connect(use_article_sets)
