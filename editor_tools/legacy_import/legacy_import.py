"""Turn saved pages of the old site into article files that pass `invoke check`.

Nothing is written for a page whose title, date, category or body cannot be
found, and an existing article is never overwritten. The importer cannot fetch
photos: each figure points at content/images/<yyyy>/<mm>/<slug>.jpg, filled
with the "Ảnh đang cập nhật" stand-in until an editor copies the real photo.
"""

from dataclasses import dataclass, field
from pathlib import Path
import difflib
import os
import re
import shutil
import unicodedata

from bs4 import UnicodeDammit

from site_core.schema import article_text, slug_of
from editor_tools.new_article import ArticleRefused, article_path, person_name, registry_entry, write_article
from editor_tools.new_article.new_article import registry

from .legacy_page import read_legacy_page

PLACEHOLDER_PHOTO = Path(__file__).with_name("anh-dang-cap-nhat.jpg")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
LEADING_MARKUP = re.compile(r"^(#|>|[-+*] |\d+[.)] )")


@dataclass
class ImportResult:
    source: str
    written: str = ""                         # path of the article, when one was written
    problems: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def report(self):
        head = f"{self.source}: " + (f"đã tạo {self.written}" if self.written else "KHÔNG tạo bài")
        return "\n".join([head, *(f"    lỗi: {p}" for p in self.problems), *(f"    cần xem: {n}" for n in self.notes)])


def markdown_text(text):
    """Old-site text as Markdown that renders the same words."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("<", "&lt;")
    return LEADING_MARKUP.sub(lambda found: "\\" + found.group(), text)


def registry_category(settings, name, notes):
    names = [entry.name for entry in registry(settings)]
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


def photo_path(settings, date, slug, number):
    year, month = date[:4], date[5:7]
    name = f"{slug}.jpg" if number == 1 else f"{slug}-{number}.jpg"
    return Path(settings["PATH"]) / settings["STATIC_PATHS"][0] / year / month / name


def article_body(article, settings, slug, notes):
    parts, photos = [], []
    for block in article.body:
        if block.kind != "figure":
            parts.append(markdown_text(block.text))
            continue
        photo = photo_path(settings, article.date, slug, len(photos) + 1)
        photos.append(photo)
        static = "/" + photo.relative_to(settings["PATH"]).as_posix()
        caption = markdown_text(block.text) if block.text else f"Ảnh: {markdown_text(article.title)}"
        parts.append(f"![{caption}]({{static}}{static})")
        if block.text:
            parts.append(f"/// caption\n{caption}\n///")
        shown = os.path.relpath(photo, Path(settings["PATH"]).parent)
        origin = f" (ảnh gốc trên trang cũ: {block.source})" if block.source else ""
        notes.append(f"ảnh cần chép vào {shown}{origin}; hiện là ảnh tạm \"Ảnh đang cập nhật\".")
    return "\n\n".join(parts), photos


def import_page(settings, source, category_override=""):
    result = ImportResult(str(source))
    try:
        raw = Path(source).read_bytes()
    except OSError as error:
        result.problems.append(f"không đọc được tệp ({error}).")
        return result
    # Saved pages are usually UTF-8; older ones may be Windows-1258, which types accents as combining marks.
    decoded = UnicodeDammit(raw, ["utf-8", "windows-1258"]).unicode_markup
    if decoded is None:
        result.problems.append("không đọc được tệp: không nhận ra bảng mã chữ.")
        return result
    text = unicodedata.normalize("NFC", decoded.lstrip("\ufeff"))
    article = read_legacy_page(text)
    result.problems += article.problems
    result.notes += article.notes
    if article.problems:
        return result

    category = registry_category(settings, category_override or article.category, result.notes)
    if category is None:
        result.problems.append(f'chuyên mục "{category_override or article.category}" không có trong danh mục; '
                               "chọn một chuyên mục bằng --category.")
        return result
    slug = slug_of(article.title)
    if not slug:
        result.problems.append(f'tiêu đề "{article.title}" không cho ra tên tệp nào.')
        return result
    try:
        path = article_path(settings, registry_entry(settings, category), slug)
    except ArticleRefused as refused:
        result.problems.append(str(refused))
        return result
    body, photos = article_body(article, settings, slug, result.notes)
    fields = {"Title": article.title, "Date": article.date, "Category": category,
              "Author": person_name(article.author) if article.author else ""}
    write_article(path, article_text(fields, body))
    for photo in photos:
        if not photo.exists():
            photo.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(PLACEHOLDER_PHOTO, photo)
    result.written = os.path.relpath(path, Path(settings["PATH"]).parent)
    return result
