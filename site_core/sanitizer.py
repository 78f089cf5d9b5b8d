"""Pasted HTML made safe: one allowlist, applied by nh3 and explained to editors.

Everything an editor writes (article and page bodies, summaries) becomes HTML
through Python-Markdown, which passes raw HTML through. `clean` runs it through
nh3 (the Rust ammonia sanitizer) with the allowlist below, before anything the
build itself adds (photos' <picture> markup, heading anchors). `removals` lists
what `clean` would take out of the same HTML, so the content check can report
each one at its line and the published page never silently differs from what
the editor wrote. nh3 only returns the cleaned HTML and does not say what it took
out, so `RemovalFinder` walks the same HTML with the same allowlist (and the same
`attribute_verdict` nh3 calls back) to name each removal.

The allowlist: the tags Python-Markdown and its extensions produce (paragraphs,
headings, lists, tables, code, footnotes, abbreviations, figures with captions),
links and images with the attributes of responsive photos (srcset, sizes, width,
height, loading, decoding, fetchpriority, <picture>/<source>), and <iframe> only
from SANITIZER_IFRAME_HOSTS over https. URLs: http, https, mailto, tel and relative
ones ({static}, {filename}); no data:, javascript: or vbscript:. No style (except
the text-align Python-Markdown puts on table cells), no class (except Markdown's
own footnote, toc and language-* classes), no on* attribute, no comments.
"""

from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urlsplit
import re

import nh3

TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "mark", "sub", "sup", "small", "abbr", "q", "cite",
    "blockquote", "code", "pre", "kbd", "samp", "var", "time", "wbr",
    "ul", "ol", "li", "dl", "dt", "dd", "details", "summary",
    "a", "img", "picture", "source", "figure", "figcaption", "iframe",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
})
# Removed together with what is inside them; any other unknown tag loses only the tag.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea", "title", "xml"})
EVERY_TAG = ("id", "title", "lang", "dir")
ATTRIBUTES = {
    "*": set(EVERY_TAG),
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding", "fetchpriority"},
    "source": {"srcset", "sizes", "type", "media"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy"},
    "ol": {"start", "reversed", "type"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "td": {"colspan", "rowspan", "style"},
    "col": {"span"}, "colgroup": {"span"},
    "abbr": set(), "q": {"cite"}, "blockquote": {"cite"}, "time": {"datetime"},
    # Classes Python-Markdown gives footnotes, the table of contents and code blocks.
    "code": {"class"}, "div": {"class"}, "sup": {"class"},
}
for _tag, _names in ATTRIBUTES.items():
    if _tag != "*":
        _names.update(EVERY_TAG)
ATTRIBUTES["a"].add("class")
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
MARKDOWN_CLASSES = re.compile(r"^(?:footnote|footnote-ref|footnote-backref|toc|language-[A-Za-z0-9_+#.-]+)$")
# Python-Markdown's table alignment is the only style allowed, on table cells.
CELL_ALIGNMENT = re.compile(r"^text-align:\s*(?:left|right|center);?$")
DEFAULT_IFRAME_HOSTS = ("www.youtube-nocookie.com",)


@dataclass(frozen=True)
class Removal:
    """One thing the sanitizer takes out: `needle` is what to look for in the source."""
    message: str
    fix: str
    needle: str


def attribute_verdict(tag, name, value, iframe_hosts):
    """None when the attribute is kept as it is, else why it goes (in the editors' words)."""
    if name == "class":
        classes = value.split()
        if tag in ("code", "div", "sup", "a") and all(MARKDOWN_CLASSES.match(part) for part in classes):
            return None
        return f'lớp định dạng class="{value}" (thường là định dạng của Word)'
    if name == "style":
        if tag in ("th", "td") and CELL_ALIGNMENT.match(value.strip()):
            return None
        return f'định dạng style="{value[:40]}"'
    if name in URL_ATTRIBUTES or name == "srcset":
        return url_verdict(tag, name, value, iframe_hosts)
    return None


def url_verdict(tag, name, value, iframe_hosts):
    candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value.strip()]
    for url in candidates:
        scheme = url_scheme(url)
        if scheme and scheme not in URL_SCHEMES:
            return f'địa chỉ "{url[:60]}" dùng kiểu "{scheme}:" không được phép'
        if tag == "iframe" and name == "src":
            host = urlsplit(url).hostname or ""
            if scheme != "https" or host not in iframe_hosts:
                return (f'khung nhúng từ "{host or url[:60]}" (chỉ nhúng được từ: '
                        + ", ".join(iframe_hosts) + ")")
    return None


LOCAL_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|file:|/(?:Users|home|mnt|media|Volumes)/)", re.IGNORECASE)


def is_local_path(url):
    """A path on the editor's own computer (C:\\…, file:…, \\\\server\\…): the content check
    reports it with its own fix; the sanitizer still removes it."""
    return bool(LOCAL_PATH.match(url.strip()))


def url_scheme(url):
    """The scheme as a browser reads it (it ignores tabs, newlines and case), or ""."""
    compact = re.sub(r"[\x00-\x20]", "", url)
    found = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", compact)
    return found[1].lower() if found else ""


def filter_attribute(iframe_hosts, tag, name, value):
    return None if attribute_verdict(tag, name, value, iframe_hosts) else value


class Sanitizer:
    """nh3 configured with the allowlist; `iframe_hosts` come from the settings."""

    def __init__(self, iframe_hosts=DEFAULT_IFRAME_HOSTS):
        self.iframe_hosts = tuple(iframe_hosts)
        # The filter must not hold the Sanitizer: nh3's Cleaner keeps its callable where
        # Python's garbage collector cannot see it, so a cycle through `self` (a bound
        # method) was never freed, and every build's sanitizers stayed in the preview worker.
        self.cleaner = nh3.Cleaner(
            tags=set(TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            attribute_filter=partial(filter_attribute, self.iframe_hosts), url_schemes=set(URL_SCHEMES),
            strip_comments=True, link_rel=None)

    def clean(self, html):
        if not html:
            return html
        cleaned = self.cleaner.clean(html)
        if "<iframe" in cleaned:
            cleaned = drop_iframes_without_source(cleaned)
        return cleaned

    def removals(self, html):
        """What `clean` takes out of `html`, in document order."""
        finder = RemovalFinder(self.iframe_hosts)
        finder.feed(html)
        finder.close()
        return finder.found


IFRAME_WITHOUT_SOURCE = re.compile(r"<iframe\b(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.DOTALL)


def drop_iframes_without_source(html):
    """An iframe whose address the filter removed would show an empty frame of the site itself."""
    return IFRAME_WITHOUT_SOURCE.sub("", html)


class RemovalFinder(HTMLParser):
    """Walks HTML as written and notes every tag, attribute and comment the allowlist refuses."""

    def __init__(self, iframe_hosts):
        super().__init__(convert_charrefs=True)
        self.iframe_hosts = iframe_hosts
        self.found = []

    def add(self, message, fix, needle):
        self.found.append(Removal(message, fix, needle))

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.add(f"Thẻ <{tag}> bị bỏ cùng nội dung bên trong: trang web không chạy mã hay định dạng dán vào bài.",
                     f"xoá thẻ <{tag}>…</{tag}>; bài chỉ cần chữ, ảnh và liên kết.", f"<{tag}")
            return
        if tag not in TAGS:
            word = " (phần thừa của Word)" if ":" in tag or tag in ("font", "center") else ""
            self.add(f"Thẻ <{tag}>{word} không được phép: trang web sẽ bỏ thẻ này (giữ chữ bên trong).",
                     f"xoá thẻ <{tag}> và </{tag}>; muốn chữ đậm, nghiêng thì dùng **đậm**, *nghiêng*.", f"<{tag}")
            return
        allowed = ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]
        for name, value in attrs:
            if name not in allowed:
                kind = "mã chạy khi bấm/tải trang" if name.startswith("on") else "thuộc tính"
                self.add(f'Thẻ <{tag}> có {kind} "{name}" không được phép: trang web sẽ bỏ nó.',
                         f'xoá {name}="…" khỏi thẻ <{tag}>.', f"{name}")
                continue
            reason = attribute_verdict(tag, name, value or "", self.iframe_hosts)
            if reason and not (name in URL_ATTRIBUTES and is_local_path(value or "")):
                if tag == "iframe" and name == "src":
                    fix = ("chỉ nhúng video YouTube bằng địa chỉ https://www.youtube-nocookie.com/embed/<mã video>, "
                           "hoặc thay khung nhúng bằng một liên kết thường.")
                elif name in URL_ATTRIBUTES:
                    fix = "chỉ dùng địa chỉ http://, https://, mailto: hoặc tel:, hoặc đường dẫn {static}/{filename}."
                else:
                    fix = f'xoá {name}="…" khỏi thẻ <{tag}>; định dạng của trang web tự áp dụng.'
                self.add(f"Thẻ <{tag}> có {reason}: trang web sẽ bỏ nó.", fix,
                         (value or "")[:40] if name in URL_ATTRIBUTES or name == "srcset" else name)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        word = " của Word" if "mso" in data.lower() or "[if" in data.lower() else ""
        self.add(f"Ghi chú ẩn <!-- … -->{word} bị bỏ khỏi trang.", "xoá đoạn <!-- … --> khỏi bài.", "<!--")

    def handle_decl(self, decl):
        self.add(f"Khai báo <!{decl[:20]}> bị bỏ khỏi trang.", "xoá dòng này khỏi bài.", "<!")

    def handle_pi(self, data):
        self.add(f"Khai báo <?{data[:20]}> (phần thừa của Word) bị bỏ khỏi trang.", "xoá dòng này khỏi bài.", "<?")
