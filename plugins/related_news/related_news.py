"""'Các tin cùng chuyên mục': for each article, the published articles of its
category nearest to it in publication date, newest first.

Each category is sorted once; an article's neighbours are then found by walking
outwards from its position, so a build costs O(n log n) however large the site.
"""

from bisect import bisect_left
from collections import defaultdict
from operator import attrgetter

from pelican import signals

from site_core.ordering import newest_first

publication_order = attrgetter("date", "slug")


class CategoryTimeline:
    """The published articles of one category, oldest first."""

    def __init__(self, articles):
        self.articles = sorted(articles, key=publication_order)
        self.keys = [publication_order(article) for article in self.articles]

    def nearest(self, article, count):
        """The `count` articles closest in date to `article`, never the article
        itself; on equal distance the newer one wins. Newest first."""
        older = bisect_left(self.keys, publication_order(article)) - 1
        newer = older + 1
        if newer < len(self.articles) and self.articles[newer] is article:
            newer += 1
        chosen = []
        while len(chosen) < count and (older >= 0 or newer < len(self.articles)):
            newer_is_closer = older < 0 or (
                newer < len(self.articles)
                and self.articles[newer].date - article.date
                <= article.date - self.articles[older].date
            )
            if newer_is_closer:
                chosen.append(self.articles[newer])
                newer += 1
            else:
                chosen.append(self.articles[older])
                older -= 1
        return newest_first(chosen)


def attach_related_news(generator):
    count = generator.settings["RELATED_NEWS_COUNT"]
    published_by_category = defaultdict(list)
    for article in generator.articles:
        published_by_category[article.category].append(article)
    timelines = {category: CategoryTimeline(articles)
                 for category, articles in published_by_category.items()}
    empty = CategoryTimeline([])
    # Drafts too: the editor preview shows them as they will look once published.
    for article in [*generator.articles, *generator.hidden_articles, *generator.drafts]:
        article.related_news = timelines.get(article.category, empty).nearest(article, count)


def register():
    signals.article_generator_finalized.connect(attach_related_news)
