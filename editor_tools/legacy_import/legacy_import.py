"""Turn saved pages of the old site into article files that pass `invoke check`.

Nothing is written for a page whose title, date, category or body cannot be
found, and an existing article is never overwritten. A photo is taken from
beside the page when the page was saved with it (the browser's "…_files"
folder, a `wget --mirror` copy of the site, any `<img src>` naming a local
file) and copied to content/images/<yyyy>/<mm>/ under an ASCII name; only when
no file exists does the figure get the "Ảnh đang cập nhật" stand-in, for an
editor to replace.
"""

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
import difflib
import os
import re
import shutil
import unicodedata

from site_core.schema import article_text, slug_of
from editor_tools.new_article import ArticleExists, ArticleRefused, article_path, person_name, registry_entry, write_article
from editor_tools.new_article.new_article import registry
from site_core import legacy_fonts

from .legacy_page import read_legacy_page

PLACEHOLDER_PHOTO = Path(__file__).with_name("anh-dang-cap-nhat.jpg")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
LEADING_MARKUP = re.compile(r"^(#|>|[-+*] |\d+[.)] )")
# What an image file starts with, for photos saved without their extension.
IMAGE_SIGNATURES = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"GIF87a", ".gif"),
                    (b"GIF89a", ".gif"), (b"RIFF", ".webp"))
IMAGE_SUFFIXES = {".jpg": ".jpg", ".jpeg": ".jpg", ".jpe": ".jpg", ".png": ".png", ".gif": ".gif", ".webp": ".webp"}
ANCESTORS_SEARCHED = 8


@dataclass
class ImportResult:
    source: str
    written: str = ""                         # path of the article, when one was written
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def report(self):
        head = f"{self.source}: " + (f"đã tạo {self.written}" if self.written else "KHÔNG tạo bài")
        return "\n".join([head, *(f"    lỗi: {p}" for p in self.problems), *(f"    cần xem: {n}" for n in self.notes)])


def inline_markdown(text):
    """Old-site words as Markdown that renders them as they are, inside a line."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")


def markdown_text(text):
    """Old-site text as a Markdown paragraph that renders the same words."""
    return LEADING_MARKUP.sub(lambda found: "\\" + found.group(), inline_markdown(text))


def category_names(settings):
    return [entry.name for entry in registry(settings)]


def registry_category(names, name, notes):
    if name in names:
        return name
    same_slug = [n for n in names if slug_of(n) == slug_of(name)]
    if same_slug:
        notes.append(f'chuyên mục "{name}" ghi thành "{same_slug[0]}" như trong danh mục.')
        return same_slug[0]
    nearest = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
    if nearest:
        notes.append(f'chuyên mục "{name}" không có trong danh mục: đã chọn "{nearest[0]}", kiểm tra lại.')
        return nearest[0]
    return None


def decode_page(raw):
    """(text to read, legacy family of the whole page or "", whether every byte was legacy)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "", False
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8")), "", False
    except UnicodeDecodeError:
        pass
    surface, family, whole = legacy_fonts.legacy_bytes(raw)
    if family:
        # Read the page as Windows shows its bytes and convert block by block: the capitals
        # font (".VnTimeH") of a heading is only known once the HTML is parsed.
        return surface, family, whole
    return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace")), "", False


# ---------------------------------------------------------------------------------------------
# Photos saved beside the page

def image_suffix(path):
    try:
        with open(path, "rb") as image:
            start = image.read(16)
    except OSError:
        return None
    for signature, suffix in IMAGE_SIGNATURES:
        if start.startswith(signature) and (suffix != ".webp" or start[8:12] == b"WEBP"):
            return suffix
    return None


def saved_photo(source, page, mirror_root=None):
    """The local file an `<img src>` of `page` points to, or None.

    Tried in order: the address relative to the page (what every browser's "Save page as"
    writes, whatever it calls its folder: "x_files", "x-Dateien", "x.files"); an absolute
    path or a full address resolved against the folders above the page (a `wget --mirror`
    copy keeps the site's paths, with or without the host's folder); a `file:` address;
    finally the same file name in a folder beside the page named after it."""
    if not source or source.startswith("data:"):
        return None
    address = urlsplit(source.strip())
    path = unquote(address.path).replace("\\", "/")
    page = Path(page)
    candidates = []
    if address.scheme in ("", "http", "https") and not path.startswith("/") and not address.netloc:
        candidates.append(page.parent / path)
        if address.query:  # wget keeps "?v=2" in the file name ("anh.jpg?v=2", on Windows "anh.jpg@v=2")
            candidates += [page.parent / f"{path}?{address.query}", page.parent / f"{path}@{address.query}"]
    elif address.scheme in ("", "http", "https"):
        folders = [page.parent, *page.parent.parents][:ANCESTORS_SEARCHED]
        if mirror_root is not None:
            folders = [f for f in folders if f == Path(mirror_root) or Path(mirror_root) in f.parents]
        relative = path.lstrip("/")
        for folder in folders:
            if address.netloc:
                candidates.append(folder / address.netloc / relative)
            candidates.append(folder / relative)
    elif address.scheme == "file":
        candidates.append(Path(re.sub(r"^/([A-Za-z]:)", r"\1", path)))
    for candidate in candidates:
        if is_photo(candidate):
            return candidate
    name = Path(path).name
    if name and page.parent.is_dir():
        beside = [f for f in sorted(page.parent.iterdir()) if f.is_dir() and f.name.startswith(page.stem)]
        for candidate in [folder / name for folder in beside] + [page.parent / name]:
            if is_photo(candidate):
                return candidate
    return None


def is_photo(path):
    try:
        return path.is_file() and image_suffix(path) is not None
    except OSError:
        return False


def photo_path(settings, date, slug, number, suffix=".jpg"):
    year, month = date[:4], date[5:7]
    name = f"{slug}{suffix}" if number == 1 else f"{slug}-{number}{suffix}"
    return Path(settings["PATH"]) / settings["STATIC_PATHS"][0] / year / month / name


def article_body(article, settings, slug, notes, page=None, mirror_root=None):
    """The Markdown body and the photos to place: [(target path, file to copy or None)]."""
    parts, photos, items = [], [], []   # items: (ordered, Markdown line) of the list being written

    def end_list():
        if items:
            parts.append("\n".join(line for _, line in items))
            items.clear()

    for block in article.body:
        if block.kind == "item":
            if items and items[-1][0] != block.ordered:
                end_list()
            marker = f"{block.number}." if block.ordered else "-"
            items.append((block.ordered, f"{marker} {inline_markdown(block.text)}"))
            continue
        end_list()
        if block.kind == "heading":
            parts.append(f"## {markdown_text(block.text)}")
        elif block.kind == "bold":
            parts.append(f"**{markdown_text(block.text)}**")
        elif block.kind == "figure":
            found = saved_photo(block.source, page, mirror_root) if page is not None else None
            photo = photo_path(settings, article.date, slug, len(photos) + 1,
                               image_suffix(found) if found else ".jpg")
            photos.append((photo, found))
            static = "/" + photo.relative_to(settings["PATH"]).as_posix()
            caption = markdown_text(block.text) if block.text else f"Ảnh: {markdown_text(article.title)}"
            parts.append(f"![{caption}]({{static}}{static})")
            if block.text:
                parts.append(f"/// caption\n{caption}\n///")
            shown = os.path.relpath(photo, Path(settings["PATH"]).parent)
            if found is None:
                origin = f" (ảnh gốc trên trang cũ: {block.source})" if block.source else ""
                notes.append(f"ảnh cần chép vào {shown}{origin}; hiện là ảnh tạm \"Ảnh đang cập nhật\".")
        else:
            parts.append(markdown_text(block.text))
    end_list()
    return "\n\n".join(parts), photos


def place_photos(photos):
    for photo, found in photos:
        if photo.exists():
            continue
        photo.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found or PLACEHOLDER_PHOTO, photo)


def read_page(source, result):
    """The page's article, or None when the file cannot be read."""
    try:
        raw = Path(source).read_bytes()
    except OSError as error:
        result.problems.append(f"không đọc được tệp ({error}). Cách sửa: kiểm tra tên và đường dẫn của tệp.")
        return None
    text, family, whole = decode_page(raw)
    article = read_legacy_page(text.lstrip("\ufeff"), family, whole)
    if article.legacy_family:
        result.notes.append(f"trang gõ bằng {legacy_fonts.FAMILY_NAMES[article.legacy_family]}: "
                            f"đã chuyển {article.converted_blocks} đoạn sang Unicode; đọc lại chữ trước khi đăng.")
    return article


def unknown_category(name, names):
    listed = "; ".join(f'"{n}"' for n in names)
    return (f'chuyên mục "{name}" không có trong danh mục. Chọn một chuyên mục bằng --category "…"; '
            f"các chuyên mục: {listed}.")


def import_page(settings, source, category_override=""):
    result = ImportResult(str(source))
    article = read_page(source, result)
    if article is None:
        return result
    result.problems += article.problems
    result.notes += article.notes
    if article.problems:
        return result

    names = category_names(settings)
    category = registry_category(names, category_override or article.category, result.notes)
    if category is None:
        result.problems.append(unknown_category(category_override or article.category, names))
        return result
    slug = slug_of(article.title)
    if not slug:
        result.problems.append(f'tiêu đề "{article.title}" không cho ra tên tệp nào. Cách sửa: sửa tiêu đề trong '
                               "tệp đã lưu cho có chữ cái hoặc chữ số.")
        return result
    try:
        path = article_path(settings, registry_entry(settings, category), slug)
    except ArticleExists as exists:
        result.problems.append(f"{exists} Cách sửa: bài này đã được nhập; muốn nhập lại thì xoá hoặc đổi tên tệp đó.")
        return result
    except ArticleRefused as refused:
        result.problems.append(str(refused))
        return result
    body, photos = article_body(article, settings, slug, result.notes, Path(source))
    write(settings, path, article, category, body, photos)
    result.written = os.path.relpath(path, Path(settings["PATH"]).parent)
    return result


def write(settings, path, article, category, body, photos):
    fields = {"Title": article.title, "Date": article.date, "Category": category,
              "Author": person_name(article.author) if article.author else ""}
    write_article(path, article_text(fields, body))
    place_photos(photos)
