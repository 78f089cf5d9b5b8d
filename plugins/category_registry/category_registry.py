"""The site's categories come from one registry file that editors maintain.

Pelican compares categories by slug, so "Hoạt động của ngành" and "Hoạt động
của Ngành" would silently merge. Here an article must name a registry category
exactly; anything else fails the build with the allowed names listed. The
registry's slug is authoritative, so a category can be renamed without moving
its pages. The registry itself is read by site_core.categories.
"""

import unicodedata

from pelican import signals

from site_core.categories import category_key, load_registry, registry_path, unknown_category_problem
from site_core.problems import raise_if_any, relative_source
from site_core.sources import header_line


def assign_registry_categories(generator):
    entries = load_registry(registry_path(generator.settings), generator.settings)
    by_name = {category_key(entry.name): entry for entry in entries}
    problems = []
    for article in [*generator.articles, *generator.hidden_articles, *generator.drafts]:
        name = unicodedata.normalize("NFC", getattr(getattr(article, "category", None), "name", "") or "")
        entry = by_name.get(category_key(name))
        if entry is None:
            problems.append(unknown_category_problem(relative_source(article.source_path, article.settings),
                                                     header_line(article.source_path, "Category"), name, entries))
        else:
            article.category = entry.category
            article.metadata["category"] = entry.category
    raise_if_any(problems)
    generator.context["category_registry"] = entries


def list_every_registry_category(generator):
    """Give each registry entry its articles, and a page even while it has none,
    so that the menu never links to a missing page."""
    entries = generator.context["category_registry"]
    written = dict(generator.categories)
    for entry in entries:
        entry.articles = written.get(entry.category, [])
    generator.categories = [(entry.category, entry.articles) for entry in entries]
    generator.context["categories"] = generator.categories


def register():
    signals.article_generator_pretaxonomy.connect(assign_registry_categories)
    signals.article_generator_finalized.connect(list_every_registry_category)
