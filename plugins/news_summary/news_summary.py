"""Summaries for listings, taken from an article's first paragraph of text.

Pelican's truncate_html_words treats Vietnamese letters (U+1EA0–U+1EF9) as word
breaks and cuts summaries mid-word, and it re-reads the whole content for it.
An explicit "Summary:" in front matter always wins.
"""

import re

from pelican import signals
from pelican.contents import Article

PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def first_paragraph_summary(html, max_words):
    for paragraph in PARAGRAPH.finditer(html):
        words = TAG.sub("", paragraph.group(1)).split()
        if words:
            if len(words) <= max_words:
                return " ".join(words)
            return " ".join(words[:max_words]).rstrip(",;:") + "…"
    return ""


def add_summary(content):
    if isinstance(content, Article) and "summary" not in content.metadata:
        content.metadata["summary"] = first_paragraph_summary(
            content._content or "", content.settings["NEWS_SUMMARY_WORDS"]
        )


def register():
    signals.content_object_init.connect(add_summary)
