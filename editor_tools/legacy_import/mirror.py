"""Import a whole copy of the old site (`wget --mirror`, or pages a browser saved) in one run.

Every page under the folder is read once: article pages become articles, menus
and lists are counted and left out, an article that already exists (same title
and date) is never written again, so a second run imports only what is new. A
report gives, for each page, the article written or why there is none.
"""

from dataclasses import dataclass, field
from pathlib import Path
import csv
import os
import re
import sys

from site_core.schema import slug_of
from site_core.sources import parsed_text
from editor_tools.new_article.new_article import registry

from .legacy_import import ImportResult, article_body, read_page, registry_category, unknown_category, write

PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".asp", ".aspx", ".php", ".jsp", ".cfm", ".txt"}
# Folders a browser's "Save page as" fills with a page's photos, styles and frames, in any language.
SAVED_RESOURCES = re.compile(r"[_.\-](files|dateien|fichiers|archivos|arquivos|bestanden|filer|tiedostot)$",
                             re.IGNORECASE)
# wget keeps a page's query in its file name: "chi-tiet.aspx?id=12", on Windows "chi-tiet.aspx@id=12".
PAGE_WITH_QUERY = re.compile(r"\.(aspx?|php|jsp|cfm)[?@]", re.IGNORECASE)
REPORT_NAME = "bao-cao-nhap-bai.csv"
REPORT_COLUMNS = ("trang_cu", "ket_qua", "bai_viet", "ly_do", "can_xem")
PROGRESS_EVERY = 100
WRITTEN, EXISTING, NOT_ARTICLE, FAILED = "đã tạo", "đã có", "bỏ qua", "lỗi"


@dataclass
class MirrorImport:
    root: Path
    report: Path
    rows: list = field(default_factory=list)
    failures: list = field(default_factory=list)    # ImportResult of pages that look like articles but failed

    def count(self, outcome):
        return sum(1 for row in self.rows if row[1] == outcome)

    def summary(self):
        return (f"Xong {len(self.rows)} trang: đã tạo {self.count(WRITTEN)} bài, "
                f"{self.count(EXISTING)} bài đã có từ trước (không ghi đè), "
                f"bỏ qua {self.count(NOT_ARTICLE)} trang không phải bài viết, {self.count(FAILED)} trang lỗi. "
                f"Báo cáo từng trang: {self.report}")


def mirror_pages(root):
    """Every page file under root, in a fixed order, leaving out saved resources and hidden files."""
    pages = []
    for parent, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and not SAVED_RESOURCES.search(f))
        for name in sorted(names):
            path = Path(parent) / name
            if name.startswith(".") or name == REPORT_NAME:
                continue
            if path.suffix.lower() in PAGE_SUFFIXES or PAGE_WITH_QUERY.search(name):
                pages.append(path)
    return pages


def existing_articles(settings):
    """(title, date) → article file, and every slug taken, of the articles already in content/."""
    articles = Path(settings["PATH"]) / settings["ARTICLE_PATHS"][0]
    by_title_and_date, slugs = {}, set()
    for path in sorted(articles.rglob("*.md")) if articles.is_dir() else []:
        slugs.add(path.stem)
        try:
            document = parsed_text(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        title, date = document.value("Title", ""), document.value("Date", "")[:10]
        if title and date:
            by_title_and_date.setdefault((title, date), path)
    return by_title_and_date, slugs


def free_slug(slug, date, taken):
    """The title's slug, or with the date (then a number) when another article has it."""
    if slug not in taken:
        return slug
    candidate, number = f"{slug}-{date}", 2
    while candidate in taken:
        candidate, number = f"{slug}-{date}-{number}", number + 1
    return candidate


def import_mirror(settings, root, category_override="", report=None, progress=sys.stderr):
    root = Path(root).resolve()
    run = MirrorImport(root, Path(report) if report else root / REPORT_NAME)
    site = Path(settings["PATH"]).parent
    entries = {entry.name: entry for entry in registry(settings)}
    names = list(entries)
    by_title_and_date, taken = existing_articles(settings)
    pages = mirror_pages(root)
    for number, page in enumerate(pages, start=1):
        shown = page.relative_to(root).as_posix()
        result = ImportResult(shown)
        outcome, article_file, reason = import_one(settings, page, root, result, category_override, entries, names,
                                                   by_title_and_date, taken)
        if outcome == FAILED:
            run.failures.append(result)
        shown_file = os.path.relpath(article_file, site) if article_file else ""
        run.rows.append((shown, outcome, shown_file, reason, " | ".join(result.notes)))
        if progress and len(pages) > PROGRESS_EVERY and number % PROGRESS_EVERY == 0:
            print(f"Đã đọc {number}/{len(pages)} trang…", file=progress, flush=True)
    write_report(run)
    return run


def import_one(settings, page, root, result, category_override, entries, names, by_title_and_date, taken):
    """(outcome, article file or None, reason) for one page of the mirror."""
    article = read_page(page, result)
    if article is None:
        return FAILED, None, "; ".join(result.problems)
    if article.not_an_article:
        return NOT_ARTICLE, None, article.not_an_article
    if article.problems:
        result.problems += article.problems
        return FAILED, None, "; ".join(article.problems)
    result.notes += article.notes
    already = by_title_and_date.get((article.title, article.date))
    if already:
        return EXISTING, already, "bài cùng tiêu đề và ngày đăng đã có; không ghi đè"
    category = registry_category(names, category_override or article.category, result.notes)
    if category is None:
        result.problems.append(unknown_category(category_override or article.category, names))
        return FAILED, None, result.problems[-1]
    slug = slug_of(article.title)
    if not slug:
        result.problems.append(f'tiêu đề "{article.title}" không cho ra tên tệp nào. Cách sửa: sửa tiêu đề trong '
                               "tệp đã lưu cho có chữ cái hoặc chữ số.")
        return FAILED, None, result.problems[-1]
    slug = free_slug(slug, article.date, taken)
    path = Path(settings["PATH"]) / settings["ARTICLE_PATHS"][0] / entries[category].slug / f"{slug}.md"
    body, photos = article_body(article, settings, slug, result.notes, page, root)
    try:
        write(settings, path, article, category, body, photos)
    except FileExistsError:
        result.problems.append(f"đã có tệp {path.name}: không ghi đè. Cách sửa: chạy lại; máy chọn tên tệp khác.")
        return FAILED, None, result.problems[-1]
    taken.add(slug)
    by_title_and_date[(article.title, article.date)] = path
    return WRITTEN, path, ""


def write_report(run):
    run.report.parent.mkdir(parents=True, exist_ok=True)
    # utf-8-sig: Excel on Windows opens the report with its Vietnamese letters intact.
    with open(run.report, "w", encoding="utf-8-sig", newline="") as report:
        writer = csv.writer(report)
        writer.writerow(REPORT_COLUMNS)
        writer.writerows(run.rows)

