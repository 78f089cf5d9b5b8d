"""Each page's URL and output path, computed once when the content is final.

Pelican recomputes `url` and `save_as` from the settings on every access (a copy
of the metadata and two path normalisations each time), and a build asks for
them many times per article: every related-news link, listing entry, feed entry
and sitemap line. Once every generator has finished, nothing changes them any
more, so they are stored in Pelican's own `override_url` / `override_save_as`
attributes, which every later access returns as is.
"""

import logging

from pelican import signals

logger = logging.getLogger(__name__)


def freeze_urls(generators):
    if not generators or not generators[0].settings.get("FROZEN_URLS", False):
        return
    context = generators[0].context
    contents = [*context.get("generated_content", {}).values(), *context.get("static_content", {}).values()]
    for generator in generators:
        for name in ("articles", "translations", "hidden_articles", "hidden_translations",
                     "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages"):
            contents += getattr(generator, name, [])
    for content in {id(content): content for content in contents}.values():
        if not hasattr(content, "get_url_setting"):
            continue
        url, save_as = content.url, content.save_as
        content.override_url, content.override_save_as = url, save_as


def register():
    signals.all_generators_finalized.connect(freeze_urls)
