"""Atom feeds whose <updated> always comes from the content.

feedgenerator dates a feed by its newest entry, which is right, but a feed with
no entry (a registry category nobody has written in yet) gets the time of the
build, so two builds of the same commit differ. Such a feed takes the newest
date of the whole site instead.
"""

from datetime import datetime, timezone

from pelican import signals
from pelican.writers import Writer

NO_CONTENT_DATE = datetime(1970, 1, 1, tzinfo=timezone.utc)


def newest_site_date(context):
    dates = [getattr(article, "modified", None) or article.date
             for article in context.get("articles", [])]
    return max(dates, default=NO_CONTENT_DATE)


class ContentDatedWriter(Writer):
    def _create_new_feed(self, feed_type, feed_title, context):
        feed = super()._create_new_feed(feed_type, feed_title, context)
        newest_entry_date = feed.latest_post_date
        site_date = newest_site_date(context)
        feed.latest_post_date = lambda: newest_entry_date() if feed.items else site_date
        return feed


def content_dated_writer(pelican):
    return ContentDatedWriter


def register():
    signals.get_writer.connect(content_dated_writer)
