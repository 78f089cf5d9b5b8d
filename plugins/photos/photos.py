"""Phone photos published light, upright, in a few widths, and without the place they were taken.

Editors keep writing `![mô tả]({static}/images/yyyy/mm/ten-anh.jpg)` and a
`/// caption` block. When Pelican creates an article or page
(`content_object_init`, after Markdown, typogrify and any sanitising, whether the
conversion came from the cache or not), each `<img>` of a photo in the content
folder becomes one `<img>` with `src`, `srcset` of WebP widths, `sizes`,
`width`, `height`, and `loading="lazy" decoding="async"`, except the first
photo of a page, which gets `fetchpriority="high"`. Its alt text and caption
stay as written. Once every file is read (`all_generators_finalized`), the
photos are encoded (on every core, from `cache/photos/` when unchanged), bad
photos stop the build with `file:line` errors, and the versions are written.

What is published: the WebP widths of each photo (metadata never copied,
orientation applied to the pixels, colours turned to sRGB), a 1200×630 JPEG
for link previews for each page's first photo, and a cleaned copy of images
that something links to (agency logos). The original file is never published;
an image nothing uses is not published either, with a warning. File names
carry a digest of the photo, so a photo copied over an older one gets new
addresses and no reader, browser or Facebook keeps showing the old one.

Why not pelican-image-process (3.4.0, read and tried in a build with a turned
phone photo): it only handles an `<img>` carrying an `image-process-*` class
(extra syntax for editors); it drops the EXIF orientation without applying it,
so the turned photo was published sideways; its `srcset` image has no width or
height; the original file was still published with its GPS block by Pelican's
static generator; it rewrites every
written HTML file through BeautifulSoup after writing (`content_written`); it
skips work by file times in `output/`, which every build deletes, so nothing
is cached under `cache/`; an unreadable or truncated photo is a log line
without the article's file and line, and a decompression bomb is a traceback.

iPhone HEIC photos are refused with "xuất ảnh ra JPEG" rather than decoded with
pillow-heif: its wheel brings native libheif, libde265 and the GPL x265 encoder
into every build for a case an editor settles once on the phone (Camera →
Formats → Most Compatible), and the error says how.
No AVIF: on the 12-megapixel test photo, AVIF at the same size as WebP q75 took
four times as long to encode and saved nothing. No JPEG fallback: every browser
that can run the site (Safari from 14, Chrome, Firefox, Edge) shows WebP.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote, urlparse
import os
import posixpath
import re
import time

from lxml import html as lxml_html
from markupsafe import Markup
from pelican import signals
from pelican.contents import Static
from pelican.generators import StaticGenerator
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from site_core.problems import ContentProblem, raise_if_any, relative_source
from site_core.progress import counted, report_phase

from .images import PhotoRefused, Rendition, read_header, render, widths_for
from .photo_cache import PhotoCache, photo_digest, pipeline_fingerprint

DEFAULTS = {
    "PHOTOS": True,
    # Measured on a 12-megapixel phone-like photo (bench/photos.py): 360 px phones at
    # DPR 2 take 720, 390-412 px phones at DPR 3 take 1080, desktops 720 or 1600.
    "PHOTOS_WIDTHS": (480, 720, 1080, 1600),
    "PHOTOS_WEBP_QUALITY": 75,
    "PHOTOS_WEBP_METHOD": 4,
    # The article body's width (theme/static/css/site.css): the page less its 1rem padding on
    # each side, never more than 72ch (49rem in Chromium's system font), and beside the 18rem
    # sidebar (and a 2rem gap) from 60rem on.
    "PHOTOS_SIZES": ("(min-width: 71rem) 49rem, (min-width: 60rem) calc(100vw - 22rem), "
                     "(min-width: 51rem) 49rem, calc(100vw - 2rem)"),
    "PHOTOS_SHARE_SIZE": (1200, 630),
    "PHOTOS_SHARE_MAX_BYTES": 300_000,
    # Decompression-bomb guard, checked from the header before decoding: 50 and 64 MP
    # phone modes pass, 100 and 200 MP modes are refused with what to do.
    "PHOTOS_MAX_PIXELS": 80_000_000,
    # Encoded versions kept in CACHE_PATH/photos for the next build.
    "PHOTOS_CACHE": True,
    # Threads encoding photos; 0 means one per core (Pillow releases the GIL while it works).
    "PHOTOS_THREADS": 0,
}

RASTER_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
INTERNAL_LINK = re.compile(r"^\{(?P<kind>static|attach)\}(?P<path>.+)$")
DIGEST_LENGTH = 10


@dataclass(eq=False)
class Photo:
    """One image file of the content folder and what is published of it."""
    relative: str              # path under the content folder, e.g. images/2023/04/a.jpg
    source: str
    digest: str = ""
    header: object = None
    refusal: PhotoRefused = None
    widths: list = field(default_factory=list)
    share: Rendition = None
    copy: Rendition = None

    def output_name(self, rendition):
        folder = posixpath.dirname(self.relative)
        if rendition.kind == "copy":
            return self.relative
        # ASCII like every address of the site: "Ảnh Hội nghị.JPG" gives "anh-hoi-nghi-720.<digest>.webp".
        stem = slugify(Path(self.relative).stem, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]) or "anh"
        return posixpath.join(folder, f"{stem}-{rendition.name}.{self.digest[:DIGEST_LENGTH]}.{rendition.extension}")

    def renditions(self):
        return [*self.widths, *([self.share] if self.share else []), *([self.copy] if self.copy else [])]


@dataclass
class PhotoUse:
    """One photo in one article or page: what its templates and markup need."""
    photo: Photo
    alt: str
    siteurl: str
    line_hint: str             # the target as written, to find its line in the source

    def url(self, rendition):
        return f"{self.siteurl}/{self.photo.output_name(rendition)}"

    @property
    def width(self):
        return self.photo.widths[-1].width

    @property
    def height(self):
        return self.photo.widths[-1].height

    @property
    def src(self):
        return self.url(self.photo.widths[-1])

    @property
    def srcset(self):
        return ", ".join(f"{self.url(rendition)} {rendition.width}w" for rendition in self.photo.widths)

    @property
    def share_url(self):
        """The 1200×630 JPEG for link previews (a page's first photo only)."""
        return self.url(self.photo.share) if self.photo.share else ""

    def tag(self, sizes, first=False, extra=None):
        attributes = dict(extra or {})
        attributes.update({"src": self.src, "srcset": self.srcset, "sizes": sizes,
                           "width": str(self.width), "height": str(self.height), "alt": self.alt})
        if first:
            attributes["fetchpriority"] = "high"
        else:
            attributes.update({"loading": "lazy", "decoding": "async"})
        return "<img " + " ".join(f'{name}="{escape(value, quote=True)}"' for name, value in attributes.items()) + ">"


class PhotoBook:
    """Every photo of the content folder met in this process, by file; a photo is
    read once however many pages use it, and again only when its file changes."""

    def __init__(self):
        self.photos = {}
        self.settings = None
        self.fingerprint = None

    def start(self, settings):
        self.settings = settings
        self.fingerprint = pipeline_fingerprint(settings)

    def photo(self, relative):
        source = os.path.join(self.settings["PATH"], relative)
        try:
            stat = os.stat(source)
        except OSError:
            return None  # a missing file: the content check names it
        # The change time too: a photo copied in with its old date (`cp -p`, unzip) over
        # one of the same size keeps the modification time it came with.
        stamp = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_size, self.fingerprint)
        known = self.photos.get(source)
        if known and known[0] == stamp:
            return known[1]
        photo = Photo(relative, source)
        with open(source, "rb") as image_file:
            data = image_file.read()
        photo.digest = photo_digest(data, self.fingerprint)
        try:
            photo.header = read_header(data, self.settings["PHOTOS_MAX_PIXELS"])
            photo.widths = widths_for(photo.header, self.settings["PHOTOS_WIDTHS"])
        except PhotoRefused as refused:
            photo.refusal = refused
        self.photos[source] = (stamp, photo)
        return photo


BOOK = PhotoBook()


def apply_defaults(pelican):
    settings = pelican.settings
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    BOOK.start(settings)
    filters = dict(settings.get("JINJA_FILTERS", {}))
    filters["responsive_photo"] = responsive_photo
    settings["JINJA_FILTERS"] = filters


def responsive_photo(use, sizes=None, first=False, css_class=""):
    """Jinja: `{{ article.lead_photo|responsive_photo("20rem") }}` gives the photo's `<img>`
    for another place (a list, the home page's lead story); "" when there is no photo."""
    if not use:
        return Markup("")
    extra = {"class": css_class} if css_class else None
    return Markup(use.tag(sizes or BOOK.settings["PHOTOS_SIZES"], first=first, extra=extra))


def content_path(target, content):
    """The content-folder path a {static}/{attach} image target names, resolved the
    way Pelican resolves it, or None for any other address."""
    found = INTERNAL_LINK.match(unescape(target).strip())
    if not found:
        return None
    path = unquote(urlparse(found["path"]).path)
    if path.startswith("/"):
        relative = path.lstrip("/")
    else:
        relative = posixpath.join(posixpath.dirname(content.relative_source_path or ""), path)
    relative = posixpath.normpath(relative)
    if relative.startswith("../") or Path(relative).suffix.lower() not in RASTER_SUFFIXES:
        return None
    return relative


def tag_attributes(tag):
    element = lxml_html.fragment_fromstring(tag)
    return dict(element.attrib)


def rewrite_photos(content):
    """Give each photo of an article or page its responsive `<img>`; remember its uses."""
    if isinstance(content, Static):
        return
    content.photos, content.lead_photo, content.photo_refusals = [], None, []
    if not BOOK.settings or not BOOK.settings["PHOTOS"]:
        return
    text = getattr(content, "_content", None)
    if not text or "<img" not in text.lower():
        return
    siteurl = content.settings["SITEURL"].rstrip("/")

    def replace(found):
        tag = found.group()
        attributes = tag_attributes(tag)
        target = attributes.pop("src", "")
        relative = content_path(target, content)
        photo = BOOK.photo(relative) if relative else None
        if photo is None:
            return tag
        use = PhotoUse(photo, attributes.pop("alt", ""), siteurl, target)
        if photo.refusal:
            content.photo_refusals.append(use)
            return tag
        for generated in ("srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"):
            attributes.pop(generated, None)
        content.photos.append(use)
        return use.tag(BOOK.settings["PHOTOS_SIZES"], first=len(content.photos) == 1, extra=attributes)

    content._content = IMG_TAG.sub(replace, text)
    if content.photos:
        content.lead_photo = content.photos[0]


def source_line(source_path, target, occurrence):
    """1-based line of the `occurrence`-th mention of `target` in the source, else 1."""
    seen = 0
    try:
        with open(source_path, encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                seen += line.count(target)
                if seen > occurrence:
                    return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1


def problems_of(uses_by_photo, settings):
    """One problem per refused photo, at its first use; the others are counted in the message."""
    problems = []
    for photo, uses in uses_by_photo.items():
        if photo.refusal is None:
            continue
        first_content, first_use, occurrence = uses[0]
        line = source_line(first_content.source_path, first_use.line_hint, occurrence)
        others = f" Ảnh này còn được dùng ở {len(uses) - 1} chỗ khác." if len(uses) > 1 else ""
        problems.append(ContentProblem(
            relative_source(first_content.source_path, settings), line,
            f"Ảnh {first_use.line_hint}: {photo.refusal.message}{others}", photo.refusal.fix))
    return problems


def published_contents(context):
    for content in context["generated_content"].values():
        if getattr(content, "status", "") != "draft" and hasattr(content, "photos"):
            yield content


def photo_uses(contents):
    """{photo: [(content, use, occurrence of the same target in that content)]}, in a stable order."""
    uses = {}
    for content in sorted(contents, key=lambda item: item.source_path):
        seen = {}
        for use in [*content.photo_refusals, *content.photos]:
            occurrence = seen.get(use.line_hint, 0)
            seen[use.line_hint] = occurrence + 1
            uses.setdefault(use.photo, []).append((content, use, occurrence))
    return uses


def encode_all(photos, settings):
    """{photo: {rendition name: bytes}}, made or taken from the cache; a photo that cannot
    be decoded gets its `refusal` instead."""
    cache = PhotoCache(os.path.join(settings["CACHE_PATH"], "photos") if settings["PHOTOS_CACHE"] else None)
    produced = {}

    def encode(photo):
        renditions = photo.renditions()
        with open(photo.source, "rb") as image_file:
            data = image_file.read()
        try:
            result = render(data, photo.header, renditions, settings)
        except PhotoRefused as refused:
            return photo, refused
        cache.store(photo.digest, renditions, result)
        return photo, result

    missing = []
    for photo in photos:
        cached = cache.load(photo.digest, photo.renditions())
        if cached is None:
            missing.append(photo)
        else:
            produced[photo] = cached
    threads = settings["PHOTOS_THREADS"] or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for photo, result in pool.map(encode, missing):
            if isinstance(result, PhotoRefused):
                photo.refusal = result
            else:
                produced[photo] = result
    cache.forget_all_but({photo.digest for photo in photos})
    return produced


def publish_photos(generators):
    static_generator = next((g for g in generators if isinstance(g, StaticGenerator)), None)
    if static_generator is None or not BOOK.settings or not BOOK.settings["PHOTOS"]:
        return
    started = time.perf_counter()
    settings, context = static_generator.settings, static_generator.context
    images = {static.get_relative_source_path(): static for static in static_generator.staticfiles
              if Path(static.source_path).suffix.lower() in RASTER_SUFFIXES}
    contents = list(published_contents(context))
    uses = photo_uses(contents)
    drafts_use = {use.photo.relative for content in context["generated_content"].values()
                  if getattr(content, "status", "") == "draft"
                  for use in getattr(content, "photos", []) + getattr(content, "photo_refusals", [])}
    linked = {posixpath.normpath(path.lstrip("/")) for path in context["static_links"]}

    for _, photo in BOOK.photos.values():
        photo.share = photo.copy = None
    for photo in uses:
        leads = any(content.photos and content.photos[0].photo is photo for content, _, _ in uses[photo])
        photo.share = Rendition("x".join(map(str, settings["PHOTOS_SHARE_SIZE"])), "share",
                                *settings["PHOTOS_SHARE_SIZE"], extension="jpg") if leads else None
    copies = []
    for relative in sorted(set(images) & linked):
        photo = BOOK.photo(relative)
        if photo is None:
            continue
        if photo.refusal is None:
            photo.copy = Rendition("copy", "copy", extension=copy_format(relative))
        copies.append(photo)
    to_encode = sorted({photo for photo in [*uses, *copies] if photo.refusal is None},
                       key=lambda photo: photo.relative)
    produced = encode_all(to_encode, settings)

    problems = problems_of(uses, settings)
    for photo in copies:
        if photo.refusal and photo not in uses:
            problems.append(ContentProblem(relative_source(photo.source, settings), 1,
                                           photo.refusal.message, photo.refusal.fix))
    raise_if_any(problems)

    # Pelican's static generator copies files as they are: it publishes none of these.
    static_generator.staticfiles[:] = [static for static in static_generator.staticfiles
                                       if static.get_relative_source_path() not in images]
    used = {photo.relative for photo in uses} | set(linked) | drafts_use
    for relative in sorted(set(images) - used):
        # Printed, not logged: `--fatal warnings` would stop the build for a harmless extra file.
        print(f"Cảnh báo: {relative_source(images[relative].source_path, settings)}: "
              "ảnh này không bài nào dùng nên không được đăng. Nếu cần, thêm ảnh vào bài; nếu không, xoá tệp.")
    write_outputs(produced, settings["OUTPUT_PATH"])
    if to_encode:
        report_phase("Ảnh", [counted(len(to_encode), "ảnh")], time.perf_counter() - started)


def copy_format(relative):
    suffix = Path(relative).suffix.lower().lstrip(".")
    return suffix if suffix in ("jpg", "jpeg", "png", "webp") else "png"


def write_outputs(produced, output_path):
    for photo, versions in sorted(produced.items(), key=lambda item: item[0].relative):
        for rendition in photo.renditions():
            path = os.path.join(output_path, *photo.output_name(rendition).split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as output:
                output.write(versions[rendition.name])


def register():
    signals.initialized.connect(apply_defaults)
    signals.content_object_init.connect(rewrite_photos)
    signals.all_generators_finalized.connect(publish_photos)
