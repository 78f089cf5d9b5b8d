"""The front matter editors write: which keys exist, how Pelican reads them, how we write them.

This module is the one place that lists the known keys. Python-Markdown's meta
extension (what Pelican uses) accepts only ASCII keys and ends the header
silently at the first line that is not `Key: value`; here every line up to the
first blank line counts as header, so a mistyped key is reported instead of
turning into body text.
"""

from dataclasses import dataclass
import difflib
import re

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

ARTICLE_KEYS = ("Title", "Date", "Category", "Author", "Summary", "Status", "Slug",
                "Modified", "Agencies", "Redirect_from", "Featured")
PAGE_KEYS = ("Title", "Slug", "Status", "Summary", "Template", "Save_as", "Date", "Modified", "Redirect_from")
ARTICLE_REQUIRED = ("Title", "Date", "Category")
PAGE_REQUIRED = ("Title",)
STATUSES = ("published", "draft", "hidden")
FEATURED = ("yes", "no")

# What editors type in Vietnamese instead of the key (compared by slug, so any
# accents or capitals match).
VIETNAMESE_KEY_NAMES = {
    "tieu-de": "Title", "ten-bai": "Title",
    "ngay": "Date", "ngay-dang": "Date", "thoi-gian": "Date",
    "chuyen-muc": "Category", "danh-muc": "Category",
    "tac-gia": "Author", "nguoi-viet": "Author", "but-danh": "Author",
    "tom-tat": "Summary", "sapo": "Summary", "trich-dan": "Summary",
    "trang-thai": "Status", "tinh-trang": "Status",
    "duong-dan": "Slug", "ten-tep": "Slug",
    "ngay-sua": "Modified", "cap-nhat": "Modified", "ngay-cap-nhat": "Modified",
    "co-quan": "Agencies", "don-vi": "Agencies",
    "noi-bat": "Featured", "tin-noi-bat": "Featured",
}

# Python-Markdown's own rule for a header key (markdown.extensions.meta.META_RE).
MARKDOWN_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")
# What an editor meant as a key: a few words of any script before a colon.
KEY_LIKE = re.compile(r"^[ ]{0,3}(?P<key>[^\W\d][\w .-]{0,30}?)\s*:\s*(?P<value>.*)$")


def slug_of(text):
    """ASCII slug the way Pelican makes it: đ becomes d, "Hoạt động" becomes hoat-dong."""
    return slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


@dataclass
class HeaderLine:
    key: str
    value: str
    line: int
    ascii_key: bool


@dataclass
class Document:
    header: list
    body_start: int  # 0-based index of the first body line
    lines: list

    def first(self, key):
        return next((entry for entry in self.header if entry.key.lower() == key.lower()), None)

    def value(self, key, default=None):
        entry = self.first(key)
        return entry.value if entry else default

    @property
    def body_lines(self):
        return self.lines[self.body_start:]


def parse(text):
    """Split a Markdown file into header lines and body, the way an editor means it."""
    lines = text.splitlines()
    header, index = [], 0
    fenced = bool(lines) and lines[0].rstrip() == "---"  # the meta extension's optional YAML-style fences
    index = 1 if fenced else 0
    while index < len(lines):
        line = lines[index]
        if not line.strip() or fenced and line.rstrip() in ("---", "..."):
            index += 1
            break
        continuation = CONTINUATION.match(line)
        ascii_key = MARKDOWN_KEY.match(line)
        meant_key = KEY_LIKE.match(line)
        if continuation and header:
            header[-1].value = f"{header[-1].value} {continuation['value'].strip()}".strip()
        elif ascii_key:
            header.append(HeaderLine(ascii_key["key"], ascii_key["value"].strip(), index + 1, True))
        elif meant_key and len(meant_key["key"].split()) <= 3:
            header.append(HeaderLine(meant_key["key"], meant_key["value"].strip(), index + 1, False))
        else:
            break
        index += 1
    if not header and not fenced:
        index = 0
    return Document(header, index, lines)


def known_key(key, known):
    return next((name for name in known if name.lower() == key.lower()), None)


def suggested_key(key, known):
    """The known key an editor most likely meant, or None."""
    spaced = key.replace("_", " ")
    meant = VIETNAMESE_KEY_NAMES.get(slug_of(spaced))
    if meant in known:
        return meant
    folded = slug_of(spaced).replace("-", "_")
    lowered = {name.lower(): name for name in known}
    close = difflib.get_close_matches(folded, lowered, n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def article_text(fields, body):
    """An article file: `Key: value` lines in the order of ARTICLE_KEYS, a blank line, the body."""
    unknown = set(fields) - set(ARTICLE_KEYS)
    if unknown:
        raise ValueError(f"unknown front-matter keys: {sorted(unknown)}")
    header = [f"{key}: {fields[key]}" for key in ARTICLE_KEYS if fields.get(key)]
    return "\n".join(header) + "\n\n" + body.strip("\n") + "\n"
