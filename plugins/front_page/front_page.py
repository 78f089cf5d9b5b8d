"""The home page as a news front page: a lead story with its photo, a few
secondary stories, then a block per category, no article shown twice.

The lead is the newest article an editor marked `Featured: yes`, else the
newest article that has a photo, else the newest article. Templates get
`front_page` (lead, secondary, category blocks) and only arrange it.
"""

from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from pelican import signals
from pelican.generators import ArticlesGenerator

from site_core.article_photos import first_photo

FRONT_PAGE_DEFAULTS = {"secondary": 4, "per_category": 4}


class Story:
    """An article on the front page, and its first photo: the photos plugin's
    responsive version (`lead_photo`), else the first image as written (a photo
    from another site, or a build with PHOTOS off), else None."""

    def __init__(self, article):
        self.article = article

    @cached_property
    def photo(self):
        # Read when the page is written: only then are {static} links resolved.
        return getattr(self.article, "lead_photo", None) or first_photo(self.article.content)


def has_photo(article):
    return getattr(article, "lead_photo", None) is not None or first_photo(article._content) is not None


@dataclass
class FrontPage:
    lead: Story = None
    secondary: list = field(default_factory=list)
    # (registry entry, [Story, …]) for every category with something left to show
    categories: list = field(default_factory=list)


def is_featured(article):
    return str(article.metadata.get("featured", "")).strip().lower() == "yes"


def front_page(articles, registry, secondary_count, per_category):
    """`articles` newest first; `registry` the category entries with their articles."""
    page = FrontPage()
    if not articles:
        return page
    lead = (next((a for a in articles if is_featured(a)), None)
            or next((a for a in articles if has_photo(a)), None)
            or articles[0])
    page.lead = Story(lead)
    shown = {id(lead)}
    for article in articles:
        if len(page.secondary) == secondary_count:
            break
        if id(article) not in shown:
            page.secondary.append(Story(article))
            shown.add(id(article))
    for entry in registry:
        stories = [Story(a) for a in islice((a for a in entry.articles if id(a) not in shown), per_category)]
        shown.update(id(s.article) for s in stories)
        if stories:
            page.categories.append((entry, stories))
    return page


def add_front_page(generators):
    """After every generator: the registry's category lists (plugins/category_registry)
    are complete then, whatever the order of PLUGINS."""
    generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
    settings = {**FRONT_PAGE_DEFAULTS, **generator.settings.get("FRONT_PAGE", {})}
    generator.context["front_page"] = front_page(
        generator.articles, generator.context.get("category_registry", []),
        settings["secondary"], settings["per_category"])


def register():
    signals.all_generators_finalized.connect(add_front_page)
