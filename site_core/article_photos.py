"""An article's photos as its HTML shows them: what link previews and the home page lead with."""

from dataclasses import dataclass
import re

from lxml import html as lxml_html

IMAGE_TAG = re.compile(r"<img\b", re.IGNORECASE)


@dataclass(frozen=True)
class Photo:
    src: str
    alt: str


def first_photo(html):
    """The first image of an article's HTML as a Photo, or None when it has none."""
    if not html or not IMAGE_TAG.search(html):  # most articles: no parse at all
        return None
    images = lxml_html.fragment_fromstring(html, create_parent="div").xpath("(.//img[@src])[1]")
    if not images:
        return None
    return Photo(images[0].get("src"), " ".join((images[0].get("alt") or "").split()))
