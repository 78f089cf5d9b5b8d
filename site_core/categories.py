"""The category registry (content/categories.toml): read and checked in one place.

Pelican compares categories by slug, so "Hoạt động của ngành" and "Hoạt động
của Ngành" would silently merge. Here an article must name a registry category
exactly; anything else fails the build with the allowed names listed. The
registry's slug is authoritative, so a category can be renamed without moving
its pages.
"""

from dataclasses import dataclass, field
import difflib
import os
import re
import tomllib
import unicodedata

from pelican.urlwrappers import Category

from .problems import ContentProblem, raise_if_any, relative_source

ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_FIELDS = ("name", "slug", "order", "description")


@dataclass
class CategoryEntry:
    name: str
    slug: str
    order: int
    description: str
    category: Category = None
    articles: list = field(default_factory=list)

    @property
    def url(self):
        return self.category.url


def registry_path(settings):
    return os.path.join(settings["PATH"], settings["CATEGORY_REGISTRY_FILE"])


def registry_block_lines(path):
    """Line number of each [[chuyen_muc]] block, in order."""
    with open(path, encoding="utf-8") as registry_file:
        return block_lines_of(registry_file.read())


def block_lines_of(text):
    return [number for number, line in enumerate(text.splitlines(), start=1)
            if line.strip().startswith("[[chuyen_muc]]")]


def load_registry(path, settings):
    shown_path = relative_source(path, settings)
    try:
        with open(path, encoding="utf-8") as registry_file:
            text = registry_file.read()
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise_if_any([ContentProblem(shown_path, 1, "Không tìm thấy danh mục chuyên mục.",
                                     "tạo tệp này với các khối [[chuyen_muc]].")])
    except tomllib.TOMLDecodeError as error:
        raise_if_any([ContentProblem(shown_path, getattr(error, "lineno", 1) or 1,
                                     f"Tệp danh mục chuyên mục viết sai cú pháp TOML ({error}).",
                                     "xem lại dấu ngoặc kép và dấu = ở dòng này.")])

    entries, problems = [], []
    block_lines = block_lines_of(text)
    for index, raw in enumerate(data.get("chuyen_muc", [])):
        line = block_lines[index] if index < len(block_lines) else 1
        missing = [name for name in REQUIRED_FIELDS if name not in raw]
        if missing:
            problems.append(ContentProblem(shown_path, line,
                                           f"Chuyên mục thứ {index + 1} thiếu: {', '.join(missing)}.",
                                           "mỗi chuyên mục cần đủ name, slug, order, description."))
            continue
        if not ASCII_SLUG.match(raw["slug"]):
            problems.append(ContentProblem(shown_path, line,
                                           f'Slug "{raw["slug"]}" của chuyên mục "{raw["name"]}" không hợp lệ.',
                                           "chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ hoat-dong-cua-nganh."))
            continue
        entry = CategoryEntry(unicodedata.normalize("NFC", raw["name"]), raw["slug"],
                              int(raw["order"]), raw["description"])
        entry.category = Category(entry.name, settings)
        entry.category.slug = entry.slug
        entries.append(entry)

    for attribute in ("name", "slug"):
        values = [getattr(entry, attribute) for entry in entries]
        for value in sorted({v for v in values if values.count(v) > 1}):
            problems.append(ContentProblem(shown_path, 1,
                                           f'Hai chuyên mục trùng {attribute} "{value}".',
                                           "mỗi chuyên mục phải có tên và slug riêng."))
    if not entries and not problems:
        problems.append(ContentProblem(shown_path, 1, "Danh mục chuyên mục đang trống.",
                                       "thêm ít nhất một khối [[chuyen_muc]]."))
    raise_if_any(problems)
    return sorted(entries, key=lambda entry: (entry.order, entry.name))


SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]\s+")


def category_key(name):
    """What an article's Category is matched on: the registry writes "Tin tức – Sự
    kiện" with the en dash Vietnamese typesetting wants, and editors type a
    hyphen ("Tin tức - Sự kiện") on their keyboards; both name one category."""
    return SPACED_DASH.sub(" \u2013 ", unicodedata.normalize("NFC", name or "").strip())


def unknown_category_problem(shown_path, line, name, entries):
    allowed = [entry.name for entry in entries]
    nearest = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    message = (f'Chuyên mục "{name}" không có trong danh mục chuyên mục.' if name
               else "Bài viết chưa ghi chuyên mục (dòng Category).")
    hint = f'có phải là "{nearest[0]}"? ' if nearest else ""
    fix = f"{hint}Ghi đúng một trong các tên: " + "; ".join(f'"{n}"' for n in allowed) + "."
    return ContentProblem(shown_path, line, message, fix)


