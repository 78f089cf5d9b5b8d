"""The site's categories come from one registry file that editors maintain.

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

from pelican import signals
from pelican.urlwrappers import Category

from site_core.problems import (
    ContentProblem,
    front_matter_line,
    raise_if_any,
    relative_source,
)

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
    # Names the category had before a rename (`invoke rename-category`): articles
    # still using one build, with a notice that suggests the current name.
    former_names: tuple = ()
    line: int = 1

    @property
    def url(self):
        return self.category.url


def registry_path(settings):
    return os.path.join(settings["PATH"], settings["CATEGORY_REGISTRY_FILE"])


def registry_block_lines(path):
    """Line number of each [[chuyen_muc]] block, in order."""
    with open(path, encoding="utf-8") as registry_file:
        return [number for number, line in enumerate(registry_file, start=1)
                if line.strip().startswith("[[chuyen_muc]]")]


def load_registry(path, settings):
    shown_path = relative_source(path, settings)
    try:
        with open(path, "rb") as registry_file:
            data = tomllib.load(registry_file)
    except FileNotFoundError:
        raise_if_any([ContentProblem(shown_path, 1, "Không tìm thấy danh mục chuyên mục.",
                                     "tạo tệp này với các khối [[chuyen_muc]].")])
    except tomllib.TOMLDecodeError as error:
        raise_if_any([ContentProblem(shown_path, getattr(error, "lineno", 1) or 1,
                                     f"Tệp danh mục chuyên mục viết sai cú pháp TOML ({error}).",
                                     "xem lại dấu ngoặc kép và dấu = ở dòng này.")])

    entries, problems = [], []
    block_lines = registry_block_lines(path)
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
        former = raw.get("former_names", [])
        if not isinstance(former, list) or not all(isinstance(name, str) and name.strip() for name in former):
            problems.append(ContentProblem(shown_path, line,
                                           f'former_names của chuyên mục "{raw["name"]}" phải là danh sách tên.',
                                           'ghi dạng former_names = ["Tên cũ 1", "Tên cũ 2"].'))
            continue
        entry = CategoryEntry(unicodedata.normalize("NFC", raw["name"]), raw["slug"],
                              int(raw["order"]), raw["description"],
                              former_names=tuple(unicodedata.normalize("NFC", name.strip()) for name in former),
                              line=line)
        entry.category = Category(entry.name, settings)
        entry.category.slug = entry.slug
        entries.append(entry)

    for attribute in ("name", "slug"):
        values = [getattr(entry, attribute) for entry in entries]
        for value in sorted({v for v in values if values.count(v) > 1}):
            problems.append(ContentProblem(shown_path, 1,
                                           f'Hai chuyên mục trùng {attribute} "{value}".',
                                           "mỗi chuyên mục phải có tên và slug riêng."))
    current = {entry.name for entry in entries}
    seen_former = {}
    for entry in entries:
        for name in entry.former_names:
            if name in current:
                problems.append(ContentProblem(shown_path, entry.line,
                                               f'Tên cũ "{name}" của chuyên mục "{entry.name}" đang là tên của một chuyên mục khác.',
                                               "xoá tên đó khỏi former_names."))
            elif seen_former.setdefault(name, entry.name) != entry.name:
                problems.append(ContentProblem(shown_path, entry.line,
                                               f'Tên cũ "{name}" được ghi ở hai chuyên mục: "{seen_former[name]}" và "{entry.name}".',
                                               "mỗi tên cũ chỉ thuộc một chuyên mục; xoá ở chuyên mục còn lại."))
    if not entries and not problems:
        problems.append(ContentProblem(shown_path, 1, "Danh mục chuyên mục đang trống.",
                                       "thêm ít nhất một khối [[chuyen_muc]]."))
    raise_if_any(problems)
    return sorted(entries, key=lambda entry: (entry.order, entry.name))


def unknown_category_problem(article, name, entries):
    allowed = [entry.name for entry in entries]
    nearest = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
    message = (f'Chuyên mục "{name}" không có trong danh mục chuyên mục.' if name
               else "Bài viết chưa ghi chuyên mục (dòng Category).")
    hint = f'có phải là "{nearest[0]}"? ' if nearest else ""
    fix = f"{hint}Ghi đúng một trong các tên: " + "; ".join(f'"{n}"' for n in allowed) + "."
    line = front_matter_line(article.source_path, "category")
    return ContentProblem(relative_source(article.source_path, article.settings), line, message, fix)


def entries_by_name(entries):
    """Every name an article may use, former names included, and its entry."""
    by_name = {former: entry for entry in entries for former in entry.former_names}
    by_name.update((entry.name, entry) for entry in entries)
    return by_name


def former_name_notice(name, entry):
    """The text of the notice for an article that still uses a former name."""
    return (f'chuyên mục "{name}" nay có tên "{entry.name}"; bài vẫn được đăng, nên sửa thành '
            f'`Category: {entry.name}` (hoặc chạy `invoke rename-category "{name}" "{entry.name}"`).')


def assign_registry_categories(generator):
    entries = load_registry(registry_path(generator.settings), generator.settings)
    by_name = entries_by_name(entries)
    problems = []
    for article in [*generator.articles, *generator.hidden_articles, *generator.drafts]:
        name = unicodedata.normalize("NFC", getattr(getattr(article, "category", None), "name", "") or "")
        entry = by_name.get(name)
        if entry is None:
            problems.append(unknown_category_problem(article, name, entries))
        else:
            article.category = entry.category
            article.metadata["category"] = entry.category
    raise_if_any(problems)
    generator.context["category_registry"] = entries


def list_every_registry_category(generator):
    """Give each registry entry its articles, and a page even while it has none,
    so that the menu never links to a missing page."""
    entries = generator.context["category_registry"]
    written = dict(generator.categories)
    for entry in entries:
        entry.articles = written.get(entry.category, [])
    generator.categories = [(entry.category, entry.articles) for entry in entries]
    generator.context["categories"] = generator.categories


def register():
    signals.article_generator_pretaxonomy.connect(assign_registry_categories)
    signals.article_generator_finalized.connect(list_every_registry_category)
