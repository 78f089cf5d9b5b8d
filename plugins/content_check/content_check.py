"""Check every article and page before Pelican reads them, and report all mistakes at once.

Pelican guesses or skips silently where an editor needs to be told: a date read
month first, a header cut short by a Vietnamese key, a file skipped while the
build exits 0. `check_site` reads the content folder itself and returns every
problem (file, line, what is wrong, how to fix it) plus notices that are not
errors (scheduled articles). The same check runs as `invoke check` and, through
`register()`, when any `pelican` build starts.
"""

from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo
import difflib
import os
import re
import unicodedata

from pelican import signals

from agencies import load_agency_slugs, profile_problems, unknown_agency_problem
from category_registry import load_registry
from category_registry.category_registry import entries_by_name, former_name_notice, unknown_category_problem
from site_core import legacy_fonts
from site_core.problems import ContentProblem, ContentProblems, raise_if_any, relative_source

from . import front_matter
from .dates import read_date
from .references import internal_path, linked_article_slug, references

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown")
AGENCY_FOLDER = "agencies"
# The line `invoke new` puts in the body; it must not go live.
BODY_PLACEHOLDER = "Viết nội dung bài ở đây."
EXTERNAL = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, order=True)
class Notice:
    """Something an editor should know that is not an error."""
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ContentFile:
    path: Path
    kind: str                  # "article" or "page"
    shown: str                 # path as the editor names it
    text: str = None           # NFC text, None when unreadable
    needs_nfc: bool = False
    document: front_matter.Document = None

    @cached_property
    def slug(self):
        written = self.document.value("Slug") if self.document else None
        return written or front_matter.slug_of(self.path.stem)


@dataclass
class CheckedFile:
    """What the checks across files need of one file once its text is let go."""
    shown: str
    kind: str
    slug: str
    slug_line: int
    article_links: list        # (line, target, linked slug) of links to articles


@dataclass
class CheckResult:
    problems: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    file_count: int = 0

    def report(self):
        lines = [f"Thông tin: {notice}" for notice in sorted(self.notices)]
        if self.problems:
            lines.append(ContentProblems(self.problems).report())
        else:
            lines.append(f"Đã kiểm tra {self.file_count} tệp: không có lỗi.")
        return "\n".join(lines)


def content_files(settings):
    root = settings["PATH"]
    found = []
    # Static files and the category registry live beside the content when a path is "".
    not_content = [*settings["STATIC_PATHS"], settings["CATEGORY_REGISTRY_FILE"]]
    for kind in ("article", "page"):
        # Pelican excludes whole folders below PATH; an empty entry excludes nothing.
        excluded = [os.path.join(root, skipped) for skipped in
                    (*not_content, *settings[f"{kind.upper()}_EXCLUDES"]) if skipped]
        for folder in settings[f"{kind.upper()}_PATHS"]:
            for path in sorted(files_below(os.path.join(root, folder))):
                if not any(path == skipped or path.startswith(skipped + os.sep) for skipped in excluded):
                    found.append(ContentFile(Path(path), kind, relative_source(path, settings)))
    return found


def files_below(folder):
    """Every file under `folder`, leaving out hidden files and folders."""
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        yield from (os.path.join(parent, name) for name in names if not name.startswith("."))


def first_line_not_nfc(text):
    for number, line in enumerate(text.splitlines(), start=1):
        if unicodedata.normalize("NFC", line) != line:
            return number
    return 1


def read(content_file, problems):
    raw = content_file.path.read_bytes()
    legacy = legacy_fonts.file_problems(content_file.shown, raw)
    problems += legacy
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if legacy:
            return
        line = raw[:error.start].count(b"\n") + 1
        problems.append(ContentProblem(content_file.shown, line,
                                       "Tệp không lưu ở mã UTF-8, máy không đọc được chữ tiếng Việt.",
                                       "mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8."))
        return
    normalised = unicodedata.normalize("NFC", text)
    if normalised != text:
        content_file.needs_nfc = True
        problems.append(ContentProblem(
            content_file.shown, first_line_not_nfc(text),
            "Chữ tiếng Việt được gõ bằng dấu rời (không ở dạng chuẩn NFC): tìm kiếm và đường dẫn sẽ sai.",
            "chạy `invoke check --fix` để máy chuẩn hoá tệp (chỉ đổi cách mã hoá chữ, không đổi nội dung)."))
    content_file.text = normalised
    content_file.document = front_matter.parse(normalised)


def check_header(content_file, problems):
    known = front_matter.ARTICLE_KEYS if content_file.kind == "article" else front_matter.PAGE_KEYS
    seen = {}
    for entry in content_file.document.header:
        name = front_matter.known_key(entry.key, known)
        if name is None or not entry.ascii_key:
            meant = front_matter.suggested_key(entry.key, known)
            hint = f"có phải là {meant}? Ghi `{meant}: {entry.value}`. " if meant else ""
            allowed = ", ".join(known)
            if not entry.ascii_key:
                message = (f'Tên khóa "{entry.key}" có chữ có dấu hoặc ký tự lạ: Pelican coi đây là thân bài, '
                           "mọi dòng khai báo từ đây trở xuống bị bỏ qua.")
                fix = (f"{hint}Tên khóa viết bằng tiếng Anh không dấu, một trong: {allowed}. "
                       "Nếu dòng này là thân bài, thêm một dòng trống phía trên.")
            else:
                message = f'Khóa "{entry.key}" không có trong danh sách khóa của {"bài viết" if content_file.kind == "article" else "trang"}.'
                fix = f"{hint}Các khóa được dùng: {allowed}."
            problems.append(ContentProblem(content_file.shown, entry.line, message, fix))
            continue
        if name in seen:
            problems.append(ContentProblem(content_file.shown, entry.line,
                                           f"Khóa {name} được ghi hai lần (dòng {seen[name]} và dòng {entry.line}).",
                                           "giữ một dòng, xoá dòng còn lại."))
        seen.setdefault(name, entry.line)


def header_line(content_file, key):
    entry = content_file.document.first(key)
    return entry.line if entry else 1


def check_required(content_file, problems):
    required = front_matter.ARTICLE_REQUIRED if content_file.kind == "article" else front_matter.PAGE_REQUIRED
    examples = {"Title": "Title: Tiêu đề bài viết", "Date": "Date: 2023-04-06",
                "Category": "Category: Hoạt động của Ngành"}
    for key in required:
        if key == "Category":
            continue  # reported with the registry's names below
        entry = content_file.document.first(key)
        if entry is None:
            problems.append(ContentProblem(content_file.shown, 1, f"Thiếu dòng {key}.",
                                           f"thêm dòng `{examples[key]}` vào phần khai báo ở đầu tệp."))
        elif not entry.value:
            problems.append(ContentProblem(content_file.shown, entry.line, f"Dòng {key} để trống.",
                                           f"ghi giá trị sau dấu hai chấm, ví dụ `{examples[key]}`."))


def check_dates(content_file, settings, now, problems, notices):
    for key in ("Date", "Modified"):
        entry = content_file.document.first(key)
        if entry is None or not entry.value:
            continue
        reading = read_date(entry.value, key)
        if reading.value is None:
            problems.append(ContentProblem(content_file.shown, entry.line, reading.message, reading.fix))
        elif key == "Date" and reading.value > now and not settings.get("WITH_FUTURE_DATES", True):
            notices.append(Notice(content_file.shown, entry.line,
                                  f"bài hẹn giờ, sẽ được đăng ở lần dựng trang đầu tiên sau {entry.value}."))


def check_status(content_file, problems):
    entry = content_file.document.first("Status")
    if entry is None or entry.value in front_matter.STATUSES:
        return
    choices = {"draft": "bản nháp, không đăng", "hidden": "có trang nhưng không hiện trong danh sách",
               "published": "đăng bình thường"}
    problems.append(ContentProblem(
        content_file.shown, entry.line, f'Status "{entry.value}" không hợp lệ.',
        "ghi một trong: " + "; ".join(f"{name} ({meaning})" for name, meaning in choices.items())
        + ". Viết chữ thường, không dấu."))


def check_category(content_file, settings, registry, problems, notices):
    if registry is None:
        return
    name = content_file.document.value("Category", "")
    entry = entries_by_name(registry).get(name)
    if entry is not None and entry.name != name:
        notices.append(Notice(content_file.shown, header_line(content_file, "Category"),
                              former_name_notice(name, entry)))
    elif entry is None:
        article = SimpleNamespace(source_path=str(content_file.path), settings=settings)
        problem = unknown_category_problem(article, name, registry)
        problems.append(ContentProblem(problem.path, header_line(content_file, "Category"),
                                       problem.message, problem.fix))


def check_agencies(content_file, agencies, problems):
    entry = content_file.document.first("Agencies")
    if entry is None:
        return
    known = sorted(agencies)
    for slug in (part.strip() for part in entry.value.split(",")):
        if slug and slug not in agencies:
            problems.append(unknown_agency_problem(content_file.shown, entry.line, slug, known, AGENCY_FOLDER))


def check_slug_value(content_file, problems):
    entry = content_file.document.first("Slug")
    if entry and not ASCII_SLUG.match(entry.value):
        problems.append(ContentProblem(content_file.shown, entry.line,
                                       f'Slug "{entry.value}" có chữ hoa, chữ có dấu hoặc ký tự lạ.',
                                       f"ghi `Slug: {front_matter.slug_of(entry.value)}` "
                                       "(chữ thường không dấu, nối bằng dấu gạch ngang)."))


def check_body(content_file, problems):
    body = "\n".join(content_file.document.body_lines).strip()
    line = content_file.document.body_start + 1
    if not body:
        problems.append(ContentProblem(content_file.shown, min(line, len(content_file.document.lines) or 1),
                                       "Thân bài trống.",
                                       "viết nội dung bài sau một dòng trống ngay dưới phần khai báo."))
    elif BODY_PLACEHOLDER in body and content_file.document.value("Status", "published") != "draft":
        offset = next(i for i, text in enumerate(content_file.document.body_lines) if BODY_PLACEHOLDER in text)
        problems.append(ContentProblem(content_file.shown, line + offset,
                                       f'Bài vẫn còn dòng mẫu "{BODY_PLACEHOLDER}".',
                                       "thay dòng này bằng nội dung bài, hoặc để `Status: draft` nếu bài chưa xong."))


def nearest_files(missing, root):
    """Existing files that look like the missing one, for the fix text."""
    folder = missing.parent
    candidates = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    if not candidates:
        candidates = [p for p in Path(root).rglob(f"*{missing.suffix}") if p.is_file()]
    names = {p.name: p for p in candidates}
    close = difflib.get_close_matches(missing.name, list(names), n=2, cutoff=0.5)
    return [os.path.relpath(names[name], Path(root).parent).replace(os.sep, "/") for name in close]


def check_references(content_file, root, problems):
    """Images, files and links of one file; returns its links to articles, which
    can only be checked once every file's slug is known."""
    article_links = []
    first_line = content_file.document.body_start + 1
    for reference in references(content_file.document.body_lines, first_line):
        if reference.image and not reference.alt:
            problems.append(ContentProblem(
                content_file.shown, reference.line, f"Ảnh {reference.target} chưa có mô tả (alt).",
                "ghi mô tả ngắn của ảnh trong ngoặc vuông: `![Quang cảnh buổi họp](...)`; "
                "người khiếm thị và Google đọc dòng này."))
        internal = internal_path(reference.target, content_file.path, root)
        if internal:
            kind, path = internal
            if not path.is_file():
                shown = os.path.relpath(path, Path(root).parent).replace(os.sep, "/")
                near = nearest_files(path, root)
                hint = ("có phải là " + " hoặc ".join(near) + "? ") if near else ""
                if kind == "filename":
                    message = f"Liên kết tới bài hoặc trang không có: {reference.target} (tìm tệp {shown})."
                    fix = f"{hint}Sửa đường dẫn cho đúng tên tệp .md của bài, hoặc bỏ liên kết."
                else:
                    what = "Ảnh" if reference.image else "Tệp"
                    message = f"{what} không có: {reference.target} (tìm tệp {shown})."
                    fix = f"{hint}Chép tệp vào đúng chỗ đó, hoặc sửa tên trong bài cho khớp (kể cả chữ hoa, đuôi .jpg/.png)."
                problems.append(ContentProblem(content_file.shown, reference.line, message, fix))
            continue
        if reference.image and not EXTERNAL.match(reference.target):
            guess = f"{{static}}/{reference.target.lstrip('/')}"
            problems.append(ContentProblem(
                content_file.shown, reference.line,
                f"Ảnh {reference.target} không ghi theo dạng {{static}}: trên trang web ảnh sẽ không hiện.",
                f"ghi đường dẫn tính từ thư mục content, ví dụ `{guess}`."))
            continue
        slug = linked_article_slug(reference.target)
        if slug is not None:
            article_links.append((reference.line, reference.target, slug))
    return article_links


def check_article_links(checked, article_slugs, problems):
    for line, target, slug in checked.article_links:
        if slug not in article_slugs:
            near = difflib.get_close_matches(slug, sorted(article_slugs), n=1, cutoff=0.6)
            hint = f"có phải là /tin-tuc/{near[0]}.html? " if near else ""
            problems.append(ContentProblem(
                checked.shown, line, f"Liên kết tới bài viết không có: {target}.",
                f"{hint}Nên viết liên kết theo tệp của bài: `[tên bài]({{filename}}/articles/<chuyên-mục>/<tên-tệp>.md)`."))


def check_duplicate_slugs(checked_files, problems):
    for kind in ("article", "page"):
        by_slug = {}
        for checked in checked_files:
            if checked.kind == kind:
                by_slug.setdefault(checked.slug, []).append(checked)
        for slug, same in by_slug.items():
            if len(same) < 2:
                continue
            for checked in same:
                others = ", ".join(other.shown for other in same if other is not checked)
                problems.append(ContentProblem(
                    checked.shown, checked.slug_line,
                    f'Đường dẫn "{slug}" trùng với {others}: hai bài sẽ ghi đè lên nhau.',
                    "đổi tên một trong các tệp (hoặc dòng Slug) để mỗi bài có đường dẫn riêng."))


def load_categories(settings, problems):
    try:
        return load_registry(os.path.join(settings["PATH"], settings["CATEGORY_REGISTRY_FILE"]), settings)
    except ContentProblems as registry_problems:
        problems.extend(registry_problems.problems)
        return None


def current_time(settings):
    return datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).replace(tzinfo=None)


def check_site(settings, now=None):
    now = now or current_time(settings)
    root = Path(settings["PATH"])
    result = CheckResult()
    problems, files = result.problems, content_files(settings)
    result.file_count = len(files)
    registry = load_categories(settings, problems)
    agencies = set(load_agency_slugs(root, settings.get("AGENCY_PATHS")))
    problems += profile_problems(settings)
    # One file's text in memory at a time (10,000 at once took 160 MiB); what
    # the checks across files need is kept in a CheckedFile.
    checked_files = []
    for content_file in files:
        if content_file.path.suffix.lower() not in MARKDOWN_SUFFIXES:
            problems.append(ContentProblem(content_file.shown, 1,
                                           "Tệp không phải Markdown (.md): trang sẽ bỏ qua, không đăng.",
                                           "lưu bài thành tệp .md; ảnh và tệp đính kèm để trong content/images/."))
            continue
        read(content_file, problems)
        if content_file.document is None:
            continue
        check_header(content_file, problems)
        check_required(content_file, problems)
        check_status(content_file, problems)
        check_slug_value(content_file, problems)
        check_body(content_file, problems)
        article_links = check_references(content_file, root, problems)
        check_dates(content_file, settings, now, problems, result.notices)
        if content_file.kind == "article":
            check_category(content_file, settings, registry, problems, result.notices)
            check_agencies(content_file, agencies, problems)
        checked_files.append(CheckedFile(content_file.shown, content_file.kind, content_file.slug,
                                         header_line(content_file, "Slug"), article_links))
        content_file.text = content_file.document = None
    article_slugs = {checked.slug for checked in checked_files if checked.kind == "article"}
    for checked in checked_files:
        check_article_links(checked, article_slugs, problems)
    check_duplicate_slugs(checked_files, problems)
    result.problems = sorted(set(problems))
    return result


def normalise_files(settings):
    """Rewrite files typed with combining marks or in an old font (TCVN3, VNI) in Unicode NFC; return the files changed."""
    changed = []
    for content_file in content_files(settings):
        repaired, what = legacy_fonts.repaired_file(content_file.path.read_bytes())
        if repaired is not None:
            content_file.path.write_bytes(repaired)
            changed.append(f"{content_file.shown} ({what})")
        try:
            text = content_file.path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        normalised = unicodedata.normalize("NFC", text)
        if normalised != text:
            content_file.path.write_bytes(normalised.encode("utf-8"))
            changed.append(content_file.shown)
    return changed


def check_before_reading(pelican):
    result = check_site(pelican.settings)
    for notice in sorted(result.notices):
        print(f"Thông tin: {notice}")  # not a warning: `--fatal warnings` would stop the build
    raise_if_any(result.problems)


def register():
    signals.initialized.connect(check_before_reading)
