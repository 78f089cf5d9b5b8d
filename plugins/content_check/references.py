"""Images, files and links an article points to, read from its Markdown body.

Pelican only warns about a missing `{static}` file and writes its URL anyway;
here each reference is resolved the way Pelican resolves it (a leading slash
means the content folder, otherwise the article's own folder).
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
import re

MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
MARKDOWN_LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ALT = re.compile(r"\balt\s*=\s*(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)')", re.IGNORECASE)
HTML_TARGET = re.compile(r"\b(?:src|href)\s*=\s*[\"'](?P<target>[^\"']+)[\"']", re.IGNORECASE)
INTERNAL = re.compile(r"^(?:\{(?P<kind>static|filename|attach)\}|\|(?P<old>static|filename|attach)\|)(?P<path>.*)$")
ARTICLE_URL = re.compile(r"^/tin-tuc/(?P<slug>[^/?#]+)\.html(?:[?#].*)?$")


@dataclass
class Reference:
    line: int          # 1-based line in the file
    target: str
    image: bool
    alt: str = None    # images only; "" when missing


def references(body_lines, first_line):
    for offset, text in enumerate(body_lines):
        if "](" not in text and "<" not in text:
            continue  # no Markdown link or image, no HTML tag: most lines of prose
        line = first_line + offset
        for found in MARKDOWN_IMAGE.finditer(text):
            yield Reference(line, found["target"], True, found["alt"].strip())
        for found in MARKDOWN_LINK.finditer(text):
            yield Reference(line, found["target"], False)
        for tag in HTML_IMAGE.finditer(text):
            alt = HTML_ALT.search(tag.group())
            target = HTML_TARGET.search(tag.group())
            yield Reference(line, target["target"] if target else "", True,
                            ((alt["double"] if alt["double"] is not None else alt["single"]) if alt else "").strip())
        for found in HTML_TARGET.finditer(HTML_IMAGE.sub("", text)):
            yield Reference(line, found["target"], False)


def internal_path(target, source_path, content_root):
    """(kind, resolved path) of a {static}/{filename}/{attach} target, or None for other links."""
    found = INTERNAL.match(target)
    if not found:
        return None
    kind = found["kind"] or found["old"]
    relative = unquote(re.split(r"[?#]", found["path"], maxsplit=1)[0])
    base = Path(content_root) if relative.startswith("/") else Path(source_path).parent
    return kind, base / relative.lstrip("/")


def linked_article_slug(target):
    found = ARTICLE_URL.match(target)
    return found["slug"] if found else None
