"""Each article's and page's URL, computed once when the content is final.

Pelican recomputes `url` from the settings on every access (a copy of the
metadata and two path normalisations each time), and a build asks for it many
times per article: every related-news link, listing entry, feed entry and
sitemap line. Once every generator has finished, nothing changes it any more,
so it is stored in Pelican's own `override_url` attribute, which every later
access returns as is.

Only `url`: an `override_save_as` would also let a later file silently overwrite
an earlier one with the same path (Pelican then skips its duplicate-slug check),
and static files keep theirs unset because `{attach}` may still move them.
"""

from pelican import signals
from pelican.contents import Static


def freeze_urls(generators):
    if not generators or not generators[0].settings.get("FROZEN_URLS", False):
        return
    contents = list(generators[0].context.get("generated_content", {}).values())
    for generator in generators:
        for name in ("articles", "translations", "hidden_articles", "hidden_translations",
                     "drafts", "drafts_translations", "pages", "hidden_pages", "draft_pages"):
            contents += getattr(generator, name, [])
    for content in {id(content): content for content in contents}.values():
        if hasattr(content, "get_url_setting") and not isinstance(content, Static):
            content.override_url = content.url


def register():
    signals.all_generators_finalized.connect(freeze_urls)
