"""Check every article, page and agency profile before Pelican reads them, and report all mistakes at once.

Pelican guesses or skips silently where an editor needs to be told: a date read
month first, a header cut short by a Vietnamese key, a file skipped while the
build exits 0, pasted HTML published as it is. `check_site` reads every file
once (site_core.sources), keeps what it read for Pelican's reader, and returns
every problem (file, line, what is wrong, how to fix it), the warnings (same
titles, heavy photos) and the notices that are not errors (scheduled articles).
The same check runs as `invoke check` and, through `register()`, once when any
`pelican` build starts.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
import difflib
import hashlib
import os
import re
import unicodedata
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from pelican import signals

from site_core import legacy_fonts
from site_core.agency_profiles import profile_problems, unknown_agency_problem
from site_core.categories import category_key, load_registry, unknown_category_problem
from site_core.dates import read_date
from site_core.disk_cache import DiskCache, fingerprint
from site_core.parallel import in_order
from site_core.problems import ContentProblem, ContentProblems, raise_if_any, report_without_traceback
from site_core.reader import body_markdown, markdown_options, sanitizer_for
from site_core.sanitizer import is_local_path, url_scheme
from site_core.schema import (
    BODY_PLACEHOLDER, FEATURED, KEYS_BY_KIND, KIND_NAMES, STATUSES, known_key, names, required_names, slug_of,
    suggested_key,
)
from site_core.static_files import static_file_extensions
from site_core.sources import (
    BUILD_SOURCES, MARKDOWN_LIKE_SUFFIXES, READ_AHEAD, agency_paths, content_digest, discover, every_file,
    repaired_header, source_bytes, source_from_bytes,
)

AGENCY_FOLDER = "agencies"
ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INTERNAL = re.compile(r"^(?:\{(?P<kind>static|filename|attach)\}|\|(?P<old>static|filename|attach)\|)(?P<path>.*)$")
ARTICLE_URL = re.compile(r"^/tin-tuc/(?P<slug>[^/?#]+)\.html(?:[?#].*)?$")
# `![alt][id]`, `[text][id]` or `[id]: address` still in the text: Markdown could not read the definition.
UNREAD_REFERENCE = re.compile(r"!?\[[^\]\n]+\]\[[^\]\n]*\]|(?m:^\[(?!\^)[^\]\n]+\]:[ \t]*\S.*$)")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "::1", "[::1]")
BIG_PHOTO_BYTES = 5 * 1024 * 1024
# A Date further ahead than this is a typing mistake more likely than a schedule.
FURTHEST_SCHEDULE = timedelta(days=366)


@dataclass(frozen=True, order=True)
class Notice:
    """Something an editor should know that is not an error."""
    path: str
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Link:
    line: int
    target: str
    image: bool


@dataclass
class CheckedFile:
    """What the checks across files need of one file."""
    shown: str
    kind: str
    slug: str
    slug_line: int
    title: str
    title_line: int
    published: bool
    content_path: str         # from the content folder: articles/x/y.md
    links: list = field(default_factory=list)


@dataclass
class CheckResult:
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    file_count: int = 0

    def report(self):
        lines = [f"Thông tin: {notice}" for notice in sorted(self.notices)]
        lines += [f"Cảnh báo: {warning}" for warning in sorted(set(self.warnings))]
        if self.problems:
            lines.append(ContentProblems(self.problems).report())
        else:
            lines.append(f"Đã kiểm tra {self.file_count} tệp: không có lỗi.")
        return "\n".join(lines)


def check_reading(source, problems):
    problems += source.legacy_font_problems
    if not source.readable and source.legacy_font_problems:
        return False  # a file of old-font bytes: the problem above says how to convert it
    if not source.readable:
        problems.append(ContentProblem(source.shown, source.not_utf8_line,
                                       "Tệp không lưu ở mã UTF-8, máy không đọc được chữ tiếng Việt.",
                                       "mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8."))
        return False
    if source.needs_nfc:
        problems.append(ContentProblem(
            source.shown, source.not_nfc_line,
            "Chữ tiếng Việt được gõ bằng dấu rời (không ở dạng chuẩn NFC): tìm kiếm và đường dẫn sẽ sai.",
            "chạy `invoke check --fix` để máy chuẩn hoá tệp (chỉ đổi cách mã hoá chữ, không đổi nội dung)."))
    return True


def check_header_lines(source, problems):
    for entry in source.header:
        for flaw in entry.flaws:
            problems.append(ContentProblem(source.shown, entry.line, flaw.message, flaw.fix))


def check_header(content_file, problems):
    known = names(KEYS_BY_KIND[content_file.kind])
    seen = {}
    for entry in content_file.header:
        if not entry.readable or entry.flaws and known_key(entry.key, known):
            continue  # reported as typed wrongly, at its own line
        name = known_key(entry.key, known)
        if name is None or not entry.ascii_key:
            meant = suggested_key(entry.key, known)
            hint = f"có phải là {meant}? Ghi `{meant}: {entry.value}`. " if meant else ""
            allowed = ", ".join(known)
            if not entry.ascii_key:
                message = (f'Tên khóa "{entry.key}" có chữ có dấu hoặc ký tự lạ: Pelican coi đây là thân bài, '
                           "mọi dòng khai báo từ đây trở xuống bị bỏ qua.")
                fix = (f"{hint}Tên khóa viết bằng tiếng Anh không dấu, một trong: {allowed}. "
                       "Nếu dòng này là thân bài, thêm một dòng trống phía trên.")
            else:
                message = f'Khóa "{entry.key}" không có trong danh sách khóa của {KIND_NAMES[content_file.kind]}.'
                fix = f"{hint}Các khóa được dùng: {allowed}."
            problems.append(ContentProblem(content_file.shown, entry.line, message, fix))
            continue
        if name in seen:
            problems.append(ContentProblem(content_file.shown, entry.line,
                                           f"Khóa {name} được ghi hai lần (dòng {seen[name]} và dòng {entry.line}).",
                                           "giữ một dòng, xoá dòng còn lại."))
        seen.setdefault(name, entry.line)


def header_line(content_file, key):
    return content_file.line_of(key)


def check_required(content_file, problems):
    required = required_names(KEYS_BY_KIND[content_file.kind])
    examples = {"Title": "Title: Tiêu đề bài viết", "Date": "Date: 2023-04-06",
                "Category": "Category: Hoạt động của Ngành"}
    for key in required:
        if key == "Category":
            continue  # reported with the registry's names below
        entry = content_file.first(key)
        if entry is None:
            problems.append(ContentProblem(content_file.shown, 1, f"Thiếu dòng {key}.",
                                           f"thêm dòng `{examples[key]}` vào phần khai báo ở đầu tệp."))
        elif not entry.value:
            problems.append(ContentProblem(content_file.shown, entry.line, f"Dòng {key} để trống.",
                                           f"ghi giá trị sau dấu hai chấm, ví dụ `{examples[key]}`."))


def date_readings(content_file):
    """[(key, entry, reading)] of the Date and Modified lines: read once per version of the file."""
    readings = []
    for key in ("Date", "Modified"):
        entry = content_file.first(key)
        if entry is not None and entry.value:
            readings.append((key, entry, read_date(entry.value, key)))
    return readings


def check_dates(content_file, dates, settings, now, problems, notices):
    for key, entry, reading in dates:
        if reading.value is None:
            problems.append(ContentProblem(content_file.shown, entry.line, reading.message, reading.fix))
        elif key == "Date" and reading.value > now + FURTHEST_SCHEDULE:
            problems.append(ContentProblem(
                content_file.shown, entry.line,
                f"Date {entry.value} là hơn một năm sau hôm nay ({now:%Y-%m-%d}): có phải gõ nhầm năm? "
                "Bài sẽ không hiện trên trang cho tới ngày đó.",
                f"kiểm tra lại năm, ví dụ Date: {reading.value.replace(year=now.year):%Y-%m-%d}; "
                "bài hẹn giờ chỉ hẹn trong vòng một năm."))
        elif key == "Date" and reading.value > now and not settings.get("WITH_FUTURE_DATES", True):
            notices.append(Notice(content_file.shown, entry.line,
                                  f"bài hẹn giờ, sẽ được đăng ở lần dựng trang đầu tiên sau {entry.value}."))


def check_status(content_file, problems):
    entry = content_file.first("Status")
    if entry is None or entry.value in STATUSES:
        return
    choices = {"draft": "bản nháp, không đăng", "hidden": "có trang nhưng không hiện trong danh sách",
               "published": "đăng bình thường"}
    problems.append(ContentProblem(
        content_file.shown, entry.line, f'Status "{entry.value}" không hợp lệ.',
        "ghi một trong: " + "; ".join(f"{name} ({meaning})" for name, meaning in choices.items())
        + ". Viết chữ thường, không dấu."))


def check_featured(content_file, problems):
    entry = content_file.first("Featured")
    if entry is None or entry.value in FEATURED:
        return
    problems.append(ContentProblem(
        content_file.shown, entry.line, f'Featured "{entry.value}" không hợp lệ.',
        "ghi `Featured: yes` để đưa bài lên đầu trang chủ, hoặc xóa dòng này. Viết chữ thường, không dấu."))


def check_category(content_file, registry, registry_keys, problems):
    if registry is None:
        return
    name = content_file.value("Category", "")
    if category_key(name) not in registry_keys:
        problems.append(unknown_category_problem(content_file.shown, header_line(content_file, "Category"),
                                                 name, registry))


def check_agencies(content_file, agencies, problems):
    entry = content_file.first("Agencies")
    if entry is None:
        return
    known = sorted(agencies)
    for slug in (part.strip() for part in entry.value.split(",")):
        if slug and slug not in agencies:
            problems.append(unknown_agency_problem(content_file.shown, entry.line, slug, known, AGENCY_FOLDER))


def check_slug_value(content_file, problems):
    entry = content_file.first("Slug")
    if entry and not ASCII_SLUG.match(entry.value):
        problems.append(ContentProblem(content_file.shown, entry.line,
                                       f'Slug "{entry.value}" có chữ hoa, chữ có dấu hoặc ký tự lạ.',
                                       f"ghi `Slug: {slug_of(entry.value)}` "
                                       "(chữ thường không dấu, nối bằng dấu gạch ngang)."))


def check_body(content_file, problems):
    body = "\n".join(content_file.body_lines).strip()
    line = content_file.body_start + 1
    if not body:
        problems.append(ContentProblem(content_file.shown, min(line, len(content_file.lines) or 1),
                                       "Thân bài trống.",
                                       "viết nội dung bài sau một dòng trống ngay dưới phần khai báo."))
    elif BODY_PLACEHOLDER in body and content_file.value("Status", "published") != "draft":
        offset = next(i for i, text in enumerate(content_file.body_lines) if BODY_PLACEHOLDER in text)
        problems.append(ContentProblem(content_file.shown, line + offset,
                                       f'Bài vẫn còn dòng mẫu "{BODY_PLACEHOLDER}".',
                                       "thay dòng này bằng nội dung bài, hoặc để `Status: draft` nếu bài chưa xong."))


HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def check_header_html(source, markdown, sanitizer, settings, problems):
    """Titles and authors are shown as text; formatted fields (Summary) pass the sanitizer."""
    for key in ("Title", "Author"):
        entry = source.first(key)
        tag = HTML_TAG.search(entry.value) if entry else None
        if tag:
            problems.append(ContentProblem(
                source.shown, entry.line,
                f"Dòng {key} có thẻ HTML {tag.group()}: trang sẽ hiện nguyên văn các ký tự này.",
                f"bỏ thẻ, chỉ ghi chữ: `{key}: {HTML_TAG.sub('', entry.value).strip()}`."))
    for entry in source.header:
        if entry.readable and entry.key.lower() in settings["FORMATTED_FIELDS"]:
            markdown.reset()
            for removal in sanitizer.removals(markdown.convert(entry.value)):
                problems.append(ContentProblem(source.shown, entry.line, f"Dòng {entry.key}: {removal.message}",
                                               removal.fix))


def nearest_files(missing, root):
    """Existing files that look like the missing one, for the fix text."""
    folder = missing.parent
    candidates = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    if not candidates:
        candidates = [p for p in Path(root).rglob(f"*{missing.suffix}") if p.is_file()]
    names_found = {p.name: p for p in candidates}
    close = difflib.get_close_matches(missing.name, list(names_found), n=2, cutoff=0.5)
    return [os.path.relpath(names_found[name], Path(root).parent).replace(os.sep, "/") for name in close]


class ReferenceFinder(HTMLParser):
    """Links and images in the HTML Python-Markdown made of a body: code blocks are
    text there, and reference-style links and images are resolved."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []   # (tag, target, alt)
        self.unread_references = []   # reference-style links Markdown left as text
        self.code_depth = 0

    def handle_endtag(self, tag):
        if tag in ("code", "pre") and self.code_depth:
            self.code_depth -= 1

    def handle_data(self, data):
        if not self.code_depth:
            self.unread_references += [found.group() for found in UNREAD_REFERENCE.finditer(data)]

    def handle_starttag(self, tag, attrs):
        if tag in ("code", "pre"):
            self.code_depth += 1
        values = dict(attrs)
        if tag == "img":
            self.found.append(("img", values.get("src") or "", (values.get("alt") or "").strip()))
        elif tag == "a" and "href" in values:
            self.found.append(("a", values["href"] or "", None))
        elif tag in ("iframe", "source") and values.get("src"):
            self.found.append((tag, values["src"], None))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)


class LineFinder:
    """The source line where a piece of the body's HTML was written, found by its text."""

    def __init__(self, source):
        self.lines = source.body_lines
        self.first = source.body_start + 1
        self.seen = {}

    def line_of(self, needle):
        occurrence = self.seen.get(needle, 0)
        self.seen[needle] = occurrence + 1
        matches = [offset for offset, text in enumerate(self.lines) if needle and needle.lower() in text.lower()]
        if not matches:
            return self.first
        return self.first + matches[min(occurrence, len(matches) - 1)]


def internal_path(target, source_path, content_root):
    """(kind, resolved path) of a {static}/{filename}/{attach} target, or None for other links."""
    found = INTERNAL.match(target)
    if not found:
        return None
    kind = found["kind"] or found["old"]
    relative = unquote(re.split(r"[?#]", found["path"], maxsplit=1)[0])
    base = Path(content_root) if relative.startswith("/") else Path(source_path).parent
    return kind, base / relative.lstrip("/")


def check_body_html(source, markdown, sanitizer, problems):
    """Convert the body once, as the build will; report what the sanitizer would remove.
    Returns the images and links whose targets are checked against the site (`check_target`)."""
    markdown.reset()
    html = markdown.convert(source.body)
    lines = LineFinder(source)
    for removal in sanitizer.removals(html):
        problems.append(ContentProblem(source.shown, lines.line_of(removal.needle), removal.message, removal.fix))
    finder = ReferenceFinder()
    finder.feed(html)
    finder.close()
    targets = []
    lines = LineFinder(source)
    for written in finder.unread_references:
        problems.append(ContentProblem(
            source.shown, lines.line_of(written),
            f"Liên kết hoặc ảnh kiểu tham chiếu {written} không đọc được: trang sẽ hiện nguyên dòng chữ này.",
            "dòng định nghĩa `[tên]: địa chỉ` phải có địa chỉ không chứa dấu cách; nếu tên tệp có dấu cách, "
            "đổi tên tệp (nối bằng dấu gạch ngang) hoặc đặt địa chỉ trong ngoặc nhọn: `[tên]: <địa chỉ>`."))
    for tag, target, alt in finder.found:
        line = lines.line_of(target.strip()) if target.strip() else lines.first
        image = tag in ("img", "source")
        if tag == "img" and not alt:
            problems.append(ContentProblem(
                source.shown, line, f"Ảnh {target} chưa có mô tả (alt).",
                "ghi mô tả ngắn của ảnh trong ngoặc vuông: `![Quang cảnh buổi họp](...)`; "
                "người khiếm thị và Google đọc dòng này."))
        if tag == "iframe" or url_scheme(target) not in ("", "http", "https", "mailto", "tel") \
                and not is_local_path(target):
            continue  # the sanitizer's rules, reported above
        targets.append(Link(line, target.strip(), image))
    source.pack(sanitizer.clean(html))
    return targets


def check_target(source, root, link, problems, warnings, links):
    target = link.target
    what = "Ảnh" if link.image else "Liên kết"
    internal = internal_path(target, source.path, root)
    if internal:
        kind, path = internal
        if not path.is_file():
            shown = os.path.relpath(path, Path(root).parent).replace(os.sep, "/")
            near = nearest_files(path, root)
            hint = ("có phải là " + " hoặc ".join(near) + "? ") if near else ""
            if kind == "filename":
                message = f"Liên kết tới bài hoặc trang không có: {target} (tìm tệp {shown})."
                fix = f"{hint}Sửa đường dẫn cho đúng tên tệp .md của bài, hoặc bỏ liên kết."
            else:
                message = f"{'Ảnh' if link.image else 'Tệp'} không có: {target} (tìm tệp {shown})."
                fix = f"{hint}Chép tệp vào đúng chỗ đó, hoặc sửa tên trong bài cho khớp (kể cả chữ hoa, đuôi .jpg/.png)."
            problems.append(ContentProblem(source.shown, link.line, message, fix))
        elif link.image and path.stat().st_size > BIG_PHOTO_BYTES:
            size = f"{path.stat().st_size / 1024 / 1024:.1f}".replace(".", ",")
            warnings.append(ContentProblem(
                source.shown, link.line, f"Ảnh {target} nặng {size} MB (quá 5 MB): người đọc trên điện thoại phải chờ lâu.",
                "thu nhỏ ảnh trước khi chép vào (chiều rộng 1600 điểm ảnh là đủ)."))
        return
    if is_local_path(target):
        where = "ảnh vào content/images/<năm>/<tháng>/ rồi ghi `{static}/images/<năm>/<tháng>/<tên-ảnh>`" if link.image \
            else "bài vào content/ rồi liên kết `[tên bài]({filename}/articles/<chuyên-mục>/<tên-tệp>.md)`"
        problems.append(ContentProblem(
            source.shown, link.line,
            f"{what} trỏ tới một tệp trên máy của người viết ({target}): người đọc không mở được.",
            f"chép {where}."))
        return
    parts = urlsplit(target) if "://" in target or target.startswith("//") else None
    if parts is not None and (parts.hostname or "") in LOOPBACK_HOSTS:
        links.append(Link(link.line, target, link.image))  # the fix names the article when it exists
        return
    if link.image:
        if not parts:
            guess = f"{{static}}/{target.lstrip('/')}"
            problems.append(ContentProblem(
                source.shown, link.line,
                f"Ảnh {target} không ghi theo dạng {{static}}: trên trang web ảnh sẽ không hiện.",
                f"ghi đường dẫn tính từ thư mục content, ví dụ `{guess}`."))
        return
    if parts is None and not target.startswith(("#", "mailto:", "tel:")) and ":" not in target.split("/")[0]:
        links.append(Link(link.line, target, False))


def article_link_fix(article):
    return f"`[tên bài]({{filename}}/{article.content_path})`"


def check_links_across_files(checked_files, problems):
    """Links to the site's own articles: by address, relative, by title or to the local preview."""
    articles = [checked for checked in checked_files if checked.kind == "article"]
    by_slug = {checked.slug: checked for checked in articles}
    by_title = {checked.title.casefold(): checked for checked in articles if checked.title}
    by_path = {checked.content_path: checked for checked in checked_files}
    general_fix = "viết liên kết theo tệp của bài: `[tên bài]({filename}/articles/<chuyên-mục>/<tên-tệp>.md)`."
    for checked in checked_files:
        for link in checked.links:
            target = link.target
            parts = urlsplit(target)
            loopback = (parts.hostname or "") in LOOPBACK_HOSTS
            address = ARTICLE_URL.match(parts.path if loopback else target)
            meant = None
            if address:
                meant = by_slug.get(address["slug"])
            elif not loopback and not target.startswith("/"):
                relative = os.path.normpath(os.path.join(os.path.dirname(checked.content_path), unquote(target)))
                meant = by_path.get(relative.replace(os.sep, "/")) or by_title.get(unquote(target).strip().casefold()) \
                    or by_slug.get(slug_of(Path(unquote(target)).stem))
            elif not loopback:
                continue  # another of the site's own addresses (a category, an agency page)
            fix = ("ghi " + article_link_fix(meant) + ".") if meant else general_fix
            if loopback:
                message = f"Liên kết {target} trỏ tới máy đang xem thử (localhost): người đọc không mở được."
            elif address and meant:
                continue
            elif address:
                near = difflib.get_close_matches(address["slug"], sorted(by_slug), n=1, cutoff=0.6)
                fix = (f"có phải là /tin-tuc/{near[0]}.html? Nên " if near else "") + general_fix
                message = f"Liên kết tới bài viết không có: {target}."
            elif meant:
                message = f'Liên kết "{target}" không phải địa chỉ trang web: trang đăng lên sẽ hỏng liên kết này.'
            else:
                message = f'Liên kết "{target}" không trỏ tới bài nào (không có bài với địa chỉ hay tiêu đề này).'
            problems.append(ContentProblem(checked.shown, link.line, message, fix))


def sharing_one_key(checked_files, key):
    """Each checked file whose key another file shares, with the other files' names."""
    groups = {}
    for checked in checked_files:
        groups.setdefault(key(checked), []).append(checked)
    for same in groups.values():
        for checked in same if len(same) > 1 else ():
            yield checked, ", ".join(other.shown for other in same if other is not checked)


def check_duplicates(checked_files, problems, warnings):
    for kind in ("article", "page"):
        of_kind = [checked for checked in checked_files if checked.kind == kind]
        for checked, others in sharing_one_key(of_kind, lambda checked: checked.slug):
            problems.append(ContentProblem(
                checked.shown, checked.slug_line,
                f'Đường dẫn "{checked.slug}" trùng với {others}: hai bài sẽ ghi đè lên nhau.',
                "đổi tên một trong các tệp (hoặc dòng Slug) để mỗi bài có đường dẫn riêng."))
    published = [checked for checked in checked_files
                 if checked.kind == "article" and checked.published and checked.title]
    for checked, others in sharing_one_key(published, lambda checked: " ".join(checked.title.split()).casefold()):
        warnings.append(ContentProblem(
            checked.shown, checked.title_line,
            f'Hai bài đã đăng cùng tiêu đề "{checked.title}": {checked.shown} và {others}.',
                "nếu là một bài đăng hai lần, xoá một tệp; nếu là hai bài khác nhau, sửa tiêu đề cho dễ phân biệt."))


def check_stray_files(settings, sources, problems):
    """Files under content/ that no generator reads or copies as they are."""
    read = {source.path for source in sources}
    root = settings["PATH"]
    content_paths = [os.path.join(root, folder) for folder in
                     (*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"], *agency_paths(settings))]
    static_paths = [os.path.join(root, folder) for folder in settings["STATIC_PATHS"] if folder]
    allowed_static = {extension.lower() for extension in
                      static_file_extensions(settings)}
    registry = os.path.join(root, settings["CATEGORY_REGISTRY_FILE"])
    where = ("bài viết đặt trong content/articles/<chuyên-mục>/, trang trong content/pages/, "
             "hồ sơ cơ quan trong content/agencies/; tên tệp viết thường, đuôi .md.")
    for path in every_file(settings):
        if path in read or path == registry:
            continue
        shown = os.path.relpath(path, os.path.dirname(root)).replace(os.sep, "/")
        suffix = os.path.splitext(path)[1]
        in_static = any(path.startswith(folder + os.sep) for folder in static_paths)
        in_content = any(path.startswith(folder + os.sep) for folder in content_paths)
        if suffix.lower() in MARKDOWN_LIKE_SUFFIXES:
            if in_content and suffix != ".md":
                message = f"Tệp có đuôi {suffix}, không phải .md: trang sẽ bỏ qua, không đăng."
                fix = f"đổi tên tệp thành {Path(path).stem}.md (đuôi .md viết thường)."
            else:
                message = "Tệp bài viết nằm sai chỗ: trang sẽ bỏ qua, không đăng."
                fix = "chuyển tệp về đúng chỗ: " + where
            problems.append(ContentProblem(shown, 1, message, fix))
        elif in_static:
            if suffix.lower().lstrip(".") not in allowed_static:
                problems.append(ContentProblem(
                    shown, 1, f"Tệp {suffix or '(không đuôi)'} trong thư mục ảnh không phải ảnh hay tệp đính kèm "
                              "được phép: trang sẽ không chép nó lên.",
                    "trong content/images/ chỉ để ảnh (.jpg, .png, .webp…) và tệp đính kèm ("
                    + ", ".join(sorted(allowed_static)) + ")."))
        elif in_content:
            problems.append(ContentProblem(shown, 1, "Tệp không phải Markdown (.md): trang sẽ bỏ qua, không đăng.",
                                           "lưu bài thành tệp .md; ảnh và tệp đính kèm để trong content/images/."))


def load_categories(settings, problems):
    try:
        return load_registry(os.path.join(settings["PATH"], settings["CATEGORY_REGISTRY_FILE"]), settings)
    except ContentProblems as registry_problems:
        problems.extend(registry_problems.problems)
        return None


def current_time(settings):
    return datetime.now(ZoneInfo(settings.get("TIMEZONE") or "UTC")).replace(tzinfo=None)


def is_published(source, dates, now, settings):
    if (source.value("Status") or "published") != "published":
        return False
    date = next((reading.value for key, _, reading in dates if key == "Date"), None)
    return not (date and date > now and not settings.get("WITH_FUTURE_DATES", True))


@dataclass
class FileReading:
    """What a file's own bytes say, whatever the rest of the site: its source (the body's
    HTML packed for Pelican's reader), its problems, and its images and links, whose
    targets are checked against the files there are at each check."""
    key: tuple
    source: object
    problems: list
    targets: list
    checked: bool      # readable, and not an agency profile (checked with the other profiles)
    slug: str = ""
    dates: list = field(default_factory=list)   # date_readings


# CONTENT_CHECK_REUSE (the editor preview's warm builder): the last check's readings, by path.
KEPT_READINGS = {}
# The digest (site_core.sources.content_digest) of each file's bytes as the preview's builder
# last read them, by path; it reads a file again when the watcher reports it or its name is new.
# With CONTENT_CHECK_REUSE a kept reading whose digest matches is taken without opening the file.
KNOWN_DIGESTS = {}
# A build's readings kept in CACHE_PATH for the next build (CONTENT_CHECK_CACHE, on with SPEEDUPS).
CACHE_FILE = "content-check.sqlite"


def reading_settings(settings):
    """What a file's reading depends on besides its bytes. MARKDOWN as Pelican completes it,
    since its MarkdownReader adds the extensions to that dictionary in place."""
    return repr((settings["PATH"], markdown_options(settings), settings["FORMATTED_FIELDS"],
                 settings.get("SANITIZER_IFRAME_HOSTS")))


def read_file(kind, path, raw, key, settings, markdown, sanitizer):
    source = source_from_bytes(raw, path, kind, settings)
    problems, targets = [], []
    checked = check_reading(source, problems)
    if checked:
        check_header_lines(source, problems)
        checked = source.kind != "agency"
    if checked:
        check_header(source, problems)
        check_header_html(source, markdown, sanitizer, settings, problems)
        check_required(source, problems)
        check_status(source, problems)
        check_slug_value(source, problems)
        check_body(source, problems)
        targets = check_body_html(source, markdown, sanitizer, problems)
        return FileReading(key, source, problems, targets, checked, source.slug, date_readings(source))
    return FileReading(key, source, problems, targets, checked)


class FileReader:
    """`read_file` for one (kind, path, bytes, key) at a time, so a process pool can share
    the files out; its Markdown and sanitizer are made in the process that uses them."""

    def __init__(self, settings):
        self.settings = settings
        self.markdown = self.sanitizer = None

    def __call__(self, item):
        if self.markdown is None:
            self.markdown, self.sanitizer = body_markdown(self.settings), sanitizer_for(self.settings)
        return read_file(*item, self.settings, self.markdown, self.sanitizer)


class CachedReadings:
    """Readings kept in CACHE_PATH between builds (site_core.disk_cache), each under a key
    made of the file's path, kind and bytes and of everything else a reading depends on:
    the reading settings, the libraries' versions and the code of the plugins and site_core."""

    SETTINGS = ("PATH", "CHECK_MARKDOWN", "FORMATTED_FIELDS", "SANITIZER_IFRAME_HOSTS")

    def __init__(self, settings):
        self.cache = DiskCache(os.path.join(settings["CACHE_PATH"], CACHE_FILE))
        self.fingerprint = fingerprint({**settings, "CHECK_MARKDOWN": markdown_options(settings)}, self.SETTINGS)

    def disk_key(self, path, key):
        kind, digest, _ = key
        return hashlib.sha256(f"{self.fingerprint}\0{kind}\0{path}\0{digest}".encode()).hexdigest()

    def load(self, keys):
        """{path: reading} of the (path, key) pairs stored."""
        by_disk_key = {self.disk_key(path, key): path for path, key in keys}
        return {by_disk_key[disk_key]: reading for disk_key, reading in self.cache.load(by_disk_key).items()}

    def store(self, fresh, keys):
        """Add the fresh readings; forget those of files or versions this build no longer has."""
        self.cache.store({self.disk_key(path, reading.key): reading for path, reading in fresh.items()},
                         {self.disk_key(path, key) for path, key in keys})
        self.cache.close()


def file_readings(settings, files, cache):
    """The reading of each (kind, path) of `files`, in their order. Each file is opened once;
    its reading comes from the last check in this process (CONTENT_CHECK_REUSE; not even
    opened when KNOWN_DIGESTS vouches for its bytes), from CACHE_PATH (`cache`), or is made
    now, on all cores when many files need it (PARALLEL_CHECK)."""
    settings_text = reading_settings(settings)
    reuse = settings.get("CONTENT_CHECK_REUSE", False)
    keys, readings, to_read = [], {}, {}
    for kind, path in files:
        kept = KEPT_READINGS.get(path) if reuse else None
        known = KNOWN_DIGESTS.get(path) if kept is not None else None
        if known is not None and kept.key == (kind, known, settings_text):
            keys.append((path, kept.key))
            readings[path] = kept
            continue
        raw = source_bytes(path)
        key = (kind, content_digest(raw), settings_text)
        keys.append((path, key))
        if kept is not None and kept.key == key:
            readings[path] = kept
        else:
            to_read[path] = (kind, path, raw, key)
    stored = CachedReadings(settings) if cache else None
    if stored is not None and to_read:
        for path, reading in stored.load([(path, item[3]) for path, item in to_read.items()]).items():
            reading.key = to_read.pop(path)[3]  # the disk key matched: the same reading, in this process's terms
            readings[path] = reading
    parallel = settings.get("PARALLEL_CHECK", settings.get("SPEEDUPS", False))
    fresh = dict(zip(to_read, in_order(FileReader(settings), to_read.values(), processes=0 if parallel else 1,
                                       min_items=settings.get("PARALLEL_CHECK_MIN_FILES", 64))))
    readings.update(fresh)
    if stored is not None:
        stored.store(fresh, keys)
    return [readings[path] for path, _ in keys]


def under_root(path, root_prefix):
    """`path` relative to the content folder, with "/" (the sources' paths are absolute
    and under it: a slice, not os.path.relpath, which is slow over thousands of files)."""
    if path.startswith(root_prefix):
        return path[len(root_prefix):].replace(os.sep, "/")
    return os.path.relpath(path, root_prefix).replace(os.sep, "/")


def check_site(settings, now=None, cache=False):
    """Read and check every file; the sources stay in BUILD_SOURCES for Pelican's reader.
    A file whose bytes did not change since the last check in this process
    (CONTENT_CHECK_REUSE) or, with `cache`, since the last build that kept its readings in
    CACHE_PATH, is not read again (`file_readings`); the checks that look beyond the file
    always run. They follow here and the problems are sorted, so the report is the same
    however the files were shared out."""
    now = now or current_time(settings)
    root = Path(settings["PATH"])
    root_prefix = os.path.join(settings["PATH"], "")
    result = CheckResult()
    problems = result.problems
    BUILD_SOURCES.clear()
    found = discover(settings)
    BUILD_SOURCES.remember_discovery(settings, found)
    readings = file_readings(settings, found, cache)
    READ_AHEAD.clear()
    if settings.get("CONTENT_CHECK_REUSE", False):
        KEPT_READINGS.clear()
        KEPT_READINGS.update((reading.source.path, reading) for reading in readings)
    sources = [reading.source for reading in readings]
    for source in sources:
        BUILD_SOURCES.put(source)
    result.file_count = len(sources)
    registry = load_categories(settings, problems)
    registry_keys = {category_key(entry.name) for entry in registry or ()}
    agency_sources = [source for source in sources if source.kind == "agency" and source.readable]
    agencies = {Path(source.path).stem for source in sources if source.kind == "agency"}
    check_stray_files(settings, sources, problems)
    checked_files = []
    for reading in readings:
        source = reading.source
        problems += reading.problems
        if not reading.checked:
            continue
        links = []
        for link in reading.targets:
            check_target(source, root, link, problems, result.warnings, links)
        check_dates(source, reading.dates, settings, now, problems, result.notices)
        if source.kind == "article":
            check_category(source, registry, registry_keys, problems)
            check_featured(source, problems)
            check_agencies(source, agencies, problems)
        checked_files.append(CheckedFile(
            source.shown, source.kind, reading.slug, header_line(source, "Slug"), source.value("Title") or "",
            header_line(source, "Title"), is_published(source, reading.dates, now, settings),
            under_root(source.path, root_prefix), links))
    problems += profile_problems(agency_sources, settings)
    check_links_across_files(checked_files, problems)
    check_duplicates(checked_files, problems, result.warnings)
    result.problems = sorted(set(problems))
    return result


def normalise_files(settings):
    """Rewrite files typed with combining marks or in an old font (TCVN3, VNI) in Unicode NFC, and
    header lines typed with a tab, an odd colon or invisible characters as `Key: value`; return the
    files changed."""
    changed = []
    for _, path in discover(settings):
        repaired, what = legacy_fonts.repaired_file(Path(path).read_bytes())
        if repaired is not None:
            Path(path).write_bytes(repaired)
            changed.append(f"{os.path.relpath(path, os.path.dirname(settings['PATH'])).replace(os.sep, '/')} ({what})")
        try:
            text = Path(path).read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        repaired = repaired_header(unicodedata.normalize("NFC", text))
        if repaired != text:
            Path(path).write_bytes(repaired.encode("utf-8"))
            changed.append(os.path.relpath(path, os.path.dirname(settings["PATH"])).replace(os.sep, "/"))
    return changed


def check_before_reading(pelican):
    settings = pelican.settings
    result = check_site(settings, cache=settings.get("CONTENT_CHECK_CACHE", settings.get("SPEEDUPS", False)))
    # Printed, not logged: `--fatal warnings` would stop the build on a notice.
    for notice in sorted(result.notices):
        print(f"Thông tin: {notice}")
    for warning in sorted(set(result.warnings)):
        print(f"Cảnh báo: {warning}")
    raise_if_any(result.problems)


def register():
    report_without_traceback()
    signals.initialized.connect(check_before_reading)
