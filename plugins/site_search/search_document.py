"""What Pagefind is given for one built page: its folded search document.

Vietnamese words are several syllables ("đại hội", "bảo hiểm y tế"), and each
syllable alone is everywhere ("đại đoàn kết", "xã hội"). Pagefind indexes words
separated by spaces, so it would rank syllables, not words. The document gives
it, beside the folded syllables (no tone marks, đ as d, what readers type),
every pair of neighbouring syllables as one token (`daijhoi`, joined by
PAIR_JOIN, a letter no Vietnamese syllable has: Pagefind splits a word at `_`
or `-` and indexes its parts as well, three tokens for every pair, which made
it 1.6 times slower). The search page turns a query into the same pairs
(theme/static/js/search-engine.js), so an article containing the word ranks
above articles that only contain its syllables apart, and a quoted phrase
is required pair by pair. A Vietnamese word segmenter would need a dictionary
model in the build and would still have to agree with the query side in the
browser; pairs need neither and cover names and phrases no dictionary has.

Pagefind also matches every query word as a prefix ("doan" finds "doanh", "lu"
finds "luc" and "luong"), which for short Vietnamese syllables outweighs
everything else, the title's weight included. So every token the index holds
ends with WORD_END ("doanz", "daijhoiz"), and so does every query term: a whole
syllable is then a prefix of itself only.

The title goes in a heading weighted above the body. What the results show
comes from the real page, with its diacritics: the title, the text (the search
page cuts the excerpt and marks the match there, since Pagefind's own excerpt
would be folded), and whatever the template marks with Pagefind's attributes
(`data-pagefind-meta`, `data-pagefind-sort`, as `name` for the element's text
or `name[attribute]`), and the category to narrow a search to
(`data-search-category`).
"""

from functools import lru_cache
from html import escape
import re
import unicodedata

from lxml import html as lxml_html

COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
# Pairs do not reach across punctuation: "… đại hội. Nghị quyết …" forms no "hoi_nghi".
PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’'…–—/\\|·•]+")
SYLLABLE = re.compile(r"[^\W_]+")
TITLE_WEIGHT = 5
# Never inside a folded Vietnamese syllable's end; the same in search-engine.js.
WORD_END = "z"
PAIR_JOIN = "j"
ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Not "filter": Pagefind 1.5 writes its filter index in a different order on every
# run (same input, different bytes), which would break reproducible builds. The
# category is a token instead (CATEGORY_TOKEN), which the query adds when a
# reader narrows the search.
PAGEFIND_ATTRIBUTES = ("meta", "sort")
# Letters only (Pagefind would split it at punctuation); a pair has one PAIR_JOIN,
# so no Vietnamese text forms this token.
CATEGORY_TOKEN = "chuyenmuc" + PAIR_JOIN * 2 + "{slug}" + WORD_END
DECLARATION = re.compile(r"^\s*([\w-]+)\s*(?:\[([\w-]+)\])?\s*$")

DOCUMENT = (
    '<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"></head><body><main data-pagefind-body>'
    '<h1 data-pagefind-weight="{title_weight}">{title}</h1>'
    '<p>{text}</p><p>{pairs}</p><p>{categories}</p>'
    "{fields}"
    "</main></body></html>")


def fold_vietnamese(text):
    """Text without tone marks or diacritics, đ as d: what a reader types without accents."""
    return COMBINING_MARKS.sub("", unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D")))


@lru_cache(maxsize=100_000)
def fold_word(word):
    # Vietnamese text is a few thousand syllables repeated: fold each one once.
    return fold_vietnamese(word)


def syllables(text):
    """The folded, lower-case syllables of `text`, in stretches between punctuation."""
    return [SYLLABLE.findall(phrase) for phrase in PHRASE_BREAK.split(" ".join(map(fold_word, text.split())).lower())]


def index_tokens(text):
    """What Pagefind indexes for `text`: every syllable, then every two neighbouring
    syllables within a stretch (`ajb`), never across punctuation; each ends with WORD_END."""
    stretches = syllables(text)
    words = [f"{syllable}{WORD_END}" for stretch in stretches for syllable in stretch]
    pairs = [f"{first}{PAIR_JOIN}{second}{WORD_END}"
             for stretch in stretches for first, second in zip(stretch, stretch[1:])]
    return words, pairs


def declared_fields(bodies):
    """(kind, name, value) for every element the template marked with Pagefind's
    meta, filter or sort attributes, in document order."""
    fields = []
    for body in bodies:
        for element in body.iter():
            for kind in PAGEFIND_ATTRIBUTES:
                declaration = element.get(f"data-pagefind-{kind}")
                if declaration is None:
                    continue
                for part in declaration.split(","):
                    match = DECLARATION.match(part)
                    if not match:
                        raise ValueError(f"data-pagefind-{kind}={declaration!r} is not name or name[attribute]")
                    name, attribute = match.groups()
                    value = element.get(attribute, "") if attribute else element.text_content()
                    fields.append((kind, name, " ".join(value.split())))
    return fields


def category_tokens(bodies):
    """The token of each category the template marks with `data-search-category="<slug>"`."""
    tokens = []
    for body in bodies:
        for element in body.xpath(".//*[@data-search-category]"):
            slug = element.get("data-search-category")
            if not ASCII_SLUG.match(slug):
                raise ValueError(f"data-search-category={slug!r} is not a category slug")
            tokens.append(CATEGORY_TOKEN.format(slug=slug.replace("-", PAIR_JOIN)))
    return tokens


def field_markup(fields):
    """One empty element per field, its value in an attribute: nothing of it is indexed as text."""
    return "".join(
        f'<span data-pagefind-{kind}="{escape(name)}[data-value]" data-value="{escape(value)}"></span>'
        for kind, name, value in fields)


def page_for_index(html):
    """The folded page Pagefind should index, or None when the page has nothing to index."""
    if "data-pagefind-body" not in html:
        return None
    document = lxml_html.document_fromstring(html)
    bodies = document.xpath("//*[@data-pagefind-body]")
    if not bodies:
        return None
    # Fields first: the article's date and category are fields, not text to search.
    fields, categories = declared_fields(bodies), category_tokens(bodies)
    for body in bodies:
        for ignored in body.xpath(".//*[@data-pagefind-ignore]"):
            ignored.drop_tree()
    headings = bodies[0].xpath("(.//h1)[1]")
    title = " ".join(headings[0].text_content().split()) if headings else ""
    if headings:
        headings[0].drop_tree()
    text = " ".join(" ".join(" ".join(body.itertext()) for body in bodies).split())
    fields = [("meta", "title", title), ("meta", "text", text), *fields]
    title_words, title_pairs = index_tokens(title)
    words, pairs = index_tokens(text)
    return DOCUMENT.format(
        lang=escape(document.get("lang", "")),
        title_weight=TITLE_WEIGHT,
        title=" ".join([*title_words, *title_pairs]),
        text=" ".join(words),
        pairs=" ".join(pairs),
        categories=" ".join(categories),
        fields=field_markup(fields))
