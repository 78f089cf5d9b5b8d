"""Where a new article goes and how its file starts, for `invoke new` and the legacy importer.

The file name is the article's URL, so it is ASCII (Pelican's slugify: đ → d),
lives in its category's folder, and an existing file is never overwritten.
"""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo
import difflib
import os
import unicodedata

from site_core.categories import load_registry
from site_core.schema import BODY_PLACEHOLDER, article_text, slug_of


class ArticleRefused(Exception):
    """Why no file was written; the text is for the editor."""


class ArticleExists(ArticleRefused):
    """The article's file name is already taken."""


def registry(settings):
    return load_registry(os.path.join(settings["PATH"], settings["CATEGORY_REGISTRY_FILE"]), settings)


def registry_entry(settings, name):
    entries = registry(settings)
    name = unicodedata.normalize("NFC", name.strip())
    for entry in entries:
        if entry.name == name:
            return entry
    allowed = [entry.name for entry in entries]
    nearest = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    hint = f' Có phải là "{nearest[0]}"?' if nearest else ""
    raise ArticleRefused(f'Chuyên mục "{name}" không có trong danh mục chuyên mục.{hint}\n'
                         "Các chuyên mục: " + "; ".join(f'"{n}"' for n in allowed))


def person_name(name):
    """ "NGUYÊN LƯU" → "Nguyên Lưu": per word, after NFC (str.title() capitalises after a combining mark)."""
    words = unicodedata.normalize("NFC", name).split()
    return " ".join(word[:1].upper() + word[1:].lower() for word in words)


def today(settings):
    return datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).date()


def article_path(settings, entry, slug):
    """content/articles/<category-slug>/<slug>.md, refused when the slug is taken anywhere."""
    articles = Path(settings["PATH"]) / settings["ARTICLE_PATHS"][0]
    path = articles / entry.slug / f"{slug}.md"
    taken = sorted(p for p in articles.rglob(f"{slug}.md"))
    if taken:
        shown = os.path.relpath(taken[0], Path(settings["PATH"]).parent)
        raise ArticleExists(f"Đã có bài {shown}: không ghi đè.")
    return path


def photo_folder(settings, date):
    """Where an article's photos go: content/images/<yyyy>/<mm>/ of its date (as the legacy importer puts them)."""
    return Path(settings["PATH"]) / settings["STATIC_PATHS"][0] / f"{date.year:04d}" / f"{date.month:02d}"


def write_article(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as article:  # "x": never overwrite
        article.write(text)


def create_article(settings, title, category, author="", slug="", date=None):
    title = " ".join(unicodedata.normalize("NFC", title).split())
    if not title:
        raise ArticleRefused("Cần tiêu đề bài viết.")
    entry = registry_entry(settings, category)
    slug = slug_of(slug or title)
    if not slug:
        raise ArticleRefused("Tiêu đề không cho ra tên tệp nào; đặt tên tệp bằng --slug.")
    path = article_path(settings, entry, slug)
    fields = {"Title": title, "Date": (date or today(settings)).isoformat(), "Category": entry.name,
              "Author": person_name(author) if author else "", "Status": "draft"}
    write_article(path, article_text(fields, BODY_PLACEHOLDER))
    return path
