"""The editors' files, found with Pelican's own rules and read once per build.

`discover` lists articles, pages and agency profiles exactly as Pelican's
generators will (ARTICLE_PATHS, PAGE_PATHS, the agency folder, their EXCLUDES,
IGNORE_FILES and the reader extensions: it calls Pelican's own `get_files`).
`read_source` opens a file once and splits it into header lines, each with its
line number, and the body. The content check, Pelican's reader
(`SourceMarkdownReader`), the agencies, redirects and the build completeness
all use that one `Source`, kept in `BUILD_SOURCES` from the check to the reader.

Python-Markdown's meta extension (what Pelican would use) ends the header at the
first line it cannot read and makes that line and every later one body text.
Here every line up to the first blank line is header: a line typed with a tab,
a full-width colon, no colon or an invisible character is read as the editor
meant and carries the problem, which the check reports at that line.
"""

from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import SimpleNamespace
import hashlib
import os
import re
import unicodedata
import zlib

from pelican.generators import Generator
from pelican.readers import MarkdownReader

from . import legacy_fonts
from .problems import relative_source
from .schema import EVERY_KEY_NAME, VIETNAMESE_KEY_NAMES, known_key, slug_of

AGENCY_PATHS_DEFAULT = ["agencies"]
# Files an editor may have meant as an article, page or profile, whatever their case.
MARKDOWN_LIKE_SUFFIXES = (".md", ".markdown", ".mkd", ".mdown", ".txt")
COLONS = ":：﹕꞉∶˸׃"
SPACE_OR_TAB = " \t"
KEY_WORD = r"[^\W\d_][\w.-]*"
# "Key: value" with any colon, any gap before it, a key of up to three words.
KEY_WITH_COLON = re.compile(
    rf"^(?P<indent>[ ]{{0,3}})(?P<key>{KEY_WORD}(?:[ ]{KEY_WORD}){{0,2}})(?P<gap>[ \t]*)"
    rf"(?P<colon>[{COLONS}])[ \t]*(?P<value>.*)$")
KEY_THEN_TAB = re.compile(rf"^[ ]{{0,3}}(?P<key>{KEY_WORD})(?P<gap>[ ]*\t[ \t]*)(?P<value>.*)$")
KEY_THEN_SPACE = re.compile(rf"^[ ]{{0,3}}(?P<words>{KEY_WORD}(?:[ ]{KEY_WORD}){{0,2}}?)[ ]+(?P<value>\S.*)$")
# Python-Markdown's own rule for a header key (markdown.extensions.meta.META_RE).
MARKDOWN_KEY = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
CONTINUATION = re.compile(r"^[ ]{4,}(?P<value>.*)$")
SPECIAL_SPACE_NAMES = {"\u00a0": "dấu cách không ngắt (NBSP)", "\t": "dấu tab"}


def invisible_name(character):
    """How the check names a character an editor cannot see, or None for an ordinary one."""
    if character in SPECIAL_SPACE_NAMES:
        return SPECIAL_SPACE_NAMES[character]
    category = unicodedata.category(character)
    code = f"U+{ord(character):04X}"
    if category == "Zs" and character != " ":
        return f"dấu cách lạ {code}"
    if category in ("Cf", "Zl", "Zp"):
        return f"ký tự vô hình {code}"
    if category == "Cc":
        return f"ký tự điều khiển {code}"
    return None


def without_invisibles(text):
    """The text as an editor reads it: odd spaces as spaces, invisible characters gone."""
    if text.isprintable():
        return text  # every character `invisible_name` names is "Other" or "Separator": not printable
    kept = []
    for character in text:
        name = invisible_name(character)
        if name is None:
            kept.append(character)
        elif unicodedata.category(character) == "Zs" or character == "\t":
            kept.append(" " if character != "\t" else "\t")
    return "".join(kept)


@dataclass(slots=True)
class Flaw:
    """Something wrong with how a header line is typed; the line is still read as meant."""
    message: str
    fix: str


@dataclass(slots=True)
class HeaderLine:
    key: str                 # as the editor meant it (invisible characters taken out)
    value: str
    line: int                # 1-based
    ascii_key: bool = True   # False: letters Python-Markdown does not accept in a key
    flaws: list = field(default_factory=list)
    readable: bool = True    # False: a line in the header that is not `Key: value` at all


@dataclass(slots=True)
class Source:
    """One file as read once: where it is, its header lines and its body."""
    path: str                # absolute
    shown: str               # as editors name it: content/articles/x.md
    kind: str                # article, page or agency
    header: list = field(default_factory=list)
    body_start: int = 0      # 0-based index of the first body line
    lines: list = field(default_factory=list)
    digest: str = ""         # sha256 of the file's bytes
    needs_nfc: bool = False
    not_nfc_line: int = 0    # first line typed with combining marks, 0 when none
    not_utf8_line: int = 0   # line of the first byte that is not UTF-8, 0 when readable
    legacy_font_problems: list = field(default_factory=list)  # text typed in TCVN3 or VNI (site_core.legacy_fonts)
    packed_body: bytes = None  # the body and the check's sanitized HTML of it, compressed once checked
    packed_html: bytes = None

    @property
    def readable(self):
        return not self.not_utf8_line

    def first(self, key):
        return next((entry for entry in self.header if entry.readable and entry.key.lower() == key.lower()), None)

    def value(self, key, default=None):
        entry = self.first(key)
        return entry.value if entry else default

    def line_of(self, key):
        entry = self.first(key)
        return entry.line if entry else 1

    @property
    def body_lines(self):
        return (self.lines or [])[self.body_start:]

    @property
    def body(self):
        if self.lines is None and self.packed_body is not None:
            return zlib.decompress(self.packed_body).decode("utf-8")
        return "\n".join(self.body_lines)

    @property
    def body_html(self):
        """The body's sanitized HTML as the check made it, or None."""
        return zlib.decompress(self.packed_html).decode("utf-8") if self.packed_html is not None else None

    def pack(self, body_html):
        """Keep the body and its HTML compressed until Pelican's reader takes them: a site's
        worth of text held from the check to the reader costs a fifth of the memory."""
        self.packed_body = zlib.compress(self.body.encode("utf-8"), 1)
        self.packed_html = zlib.compress(body_html.encode("utf-8"), 1)
        self.lines = None

    @property
    def slug(self):
        return self.value("Slug") or slug_of(Path(self.path).stem)

    def metadata_lists(self):
        """The header as Python-Markdown's meta extension gives it: lower-case key → values."""
        meta = {}
        for entry in self.header:
            if entry.readable:
                meta.setdefault(entry.key.lower(), []).append(entry.value)
        return meta


def split_lines(text):
    """Lines the way Python-Markdown splits them (only line feeds end a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse(text):
    """Header lines and where the body starts, for a file's NFC text."""
    lines = split_lines(text)
    if lines and lines[-1] == "":
        lines.pop()
    header, index = [], 0
    fenced = bool(lines) and lines[0].rstrip() == "---"  # the meta extension's optional YAML-style fences
    index = 1 if fenced else 0
    while index < len(lines):
        line = lines[index]
        if not without_invisibles(line).strip() or fenced and line.rstrip() in ("---", "..."):
            index += 1
            break
        continuation = CONTINUATION.match(line)
        if continuation and header and header[-1].readable:
            header[-1].value = f"{header[-1].value} {continuation['value'].strip()}".strip()
            index += 1
            continue
        entry = read_header_line(line, index + 1)
        if entry is None:
            if not header:
                break  # the file has no header: its first line is body text
            entry = unreadable_line(line, index + 1)
        header.append(entry)
        index += 1
    if not header and not fenced:
        index = 0
    return header, index, lines


def read_header_line(raw, number):
    """A header line read as the editor meant it, with what is wrong in how it is typed."""
    text = without_invisibles(raw)
    found = KEY_WITH_COLON.match(text)
    flaws = []
    if found:
        key, value = found["key"], found["value"].strip()
        if found["colon"] != ":":
            flaws.append(Flaw(f'Dòng {key} dùng dấu hai chấm lạ "{found["colon"]}" (gõ từ bàn phím tiếng Nhật, '
                              "tiếng Trung hoặc chép từ Word): máy không đọc được khóa.",
                              f"gõ lại dấu hai chấm thường, ghi `{key}: {value}`."))
        if found["gap"]:
            gap = "dấu tab" if "\t" in found["gap"] else "dấu cách"
            flaws.append(Flaw(f"Dòng {key} có {gap} giữa tên khóa và dấu hai chấm: máy không đọc được khóa.",
                              f"xoá {gap}, ghi `{key}: {value}`."))
    else:
        found = KEY_THEN_TAB.match(text)
        if found:
            key, value = found["key"], found["value"].strip()
            flaws.append(Flaw(f"Dòng {key} dùng dấu tab thay cho dấu hai chấm: máy không đọc được khóa.",
                              f"ghi `{key}: {value}`."))
        else:
            found = key_without_colon(text)
            if found is None:
                return None
            key, value = found
            flaws.append(Flaw(f"Dòng {key} thiếu dấu hai chấm sau tên khóa.", f"ghi `{key}: {value}`."))
    flaws += invisible_flaws(raw, key, value)
    ascii_key = bool(MARKDOWN_KEY.match(f"{key}:"))
    return HeaderLine(key, value, number, ascii_key, flaws)


def key_without_colon(text):
    """(key, value) when the line starts with a known key (or its Vietnamese name) and no colon."""
    found = KEY_THEN_SPACE.match(text)
    if not found:
        return None
    words = text.strip().split(" ")
    for length in (3, 2, 1):
        candidate = " ".join(words[:length])
        meant = known_key(candidate.replace(" ", "_"), EVERY_KEY_NAME) or VIETNAMESE_KEY_NAMES.get(slug_of(candidate))
        if meant and len(words) > length:
            return candidate, " ".join(words[length:]).strip()
    return None


def invisible_flaws(raw, key, value):
    flaws, reported = [], set()
    if raw.isprintable():
        return flaws
    colon_at = next((position for position, character in enumerate(raw) if character in COLONS), len(raw))
    for position, character in enumerate(raw):
        name = invisible_name(character)
        if name is None or character == "\t" or name in reported:
            continue
        reported.add(name)
        where = "trong tên khóa" if position < colon_at else "trong giá trị"
        if position < colon_at and not raw[:position].strip(" " + "".join(
                ch for ch in raw[:position] if invisible_name(ch))):
            where = "trước tên khóa"
        flaws.append(Flaw(f"Dòng {key} có {name} {where} (thường do chép từ Word, Zalo hay trang web); "
                          "mắt không thấy nhưng máy đọc sai.",
                          f"xoá rồi gõ lại dòng này, hoặc chạy `invoke check --fix`; dòng đúng là `{key}: {value}`."))
    return flaws


def unreadable_line(raw, number):
    shown = without_invisibles(raw).strip()
    return HeaderLine(shown, "", number, False, [Flaw(
        f'Dòng "{shown[:60]}" nằm trong phần khai báo (trước dòng trống đầu tiên) nhưng không phải dạng `Khóa: giá trị`.',
        "nếu đây là thân bài, thêm một dòng trống phía trên nó; nếu là khai báo, ghi `Khóa: giá trị`, "
        "ví dụ `Author: Nguyên Lưu`.")], readable=False)


def repaired_header(text):
    """The file's text with every header line typed with a flaw rewritten as `Key: value`;
    everything else (the body, line endings) is left as it is. For `invoke check --fix`."""
    header, _, _ = parse(text)
    pieces = re.split(r"(\r\n|\r|\n)", text)  # line, ending, line, ending, ...
    for entry in header:
        if entry.readable and entry.flaws:
            pieces[2 * (entry.line - 1)] = f"{entry.key}: {without_invisibles(entry.value).replace(chr(9), ' ')}"
    return "".join(pieces)


def parsed_text(text, kind="article"):
    """A `Source` for text that is not (yet) a file, e.g. an article the importer wrote."""
    source = Source("", "", kind)
    source.header, source.body_start, source.lines = parse(unicodedata.normalize("NFC", text))
    return source


class ReadAhead:
    """Bytes of source files that this build read before the check (the output cache hashes every
    file to decide whether anything changed), handed to the one reading that parses each file,
    so that no source file is opened twice."""

    def __init__(self):
        self.by_path = {}

    def keep(self, path, data):
        if path.lower().endswith(MARKDOWN_LIKE_SUFFIXES):
            self.by_path[os.path.abspath(path)] = data

    def take(self, path):
        return self.by_path.pop(os.path.abspath(path), None)

    def clear(self):
        self.by_path.clear()


READ_AHEAD = ReadAhead()


def source_bytes(path):
    """The bytes of `path`, opened now unless this build already read them."""
    data = READ_AHEAD.take(path)
    if data is None:
        with open(path, "rb") as source_file:
            data = source_file.read()
    return data


def read_source(path, kind, settings):
    """Read `path` once and parse it."""
    return source_from_bytes(source_bytes(path), path, kind, settings)


def content_digest(raw):
    """What identifies a file's bytes, for every cache kept by content."""
    return hashlib.sha256(raw).hexdigest()


def source_from_bytes(raw, path, kind, settings):
    source = Source(os.path.abspath(path), relative_source(path, settings), kind, digest=content_digest(raw))
    source.legacy_font_problems = legacy_fonts.file_problems(source.shown, raw)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        source.not_utf8_line = raw[:error.start].count(b"\n") + 1
        return source
    normalised = unicodedata.normalize("NFC", text)
    source.needs_nfc = normalised != text
    if source.needs_nfc:
        source.not_nfc_line = next(number for number, line in enumerate(split_lines(text), start=1)
                                   if unicodedata.normalize("NFC", line) != line)
    source.header, source.body_start, source.lines = parse(normalised)
    return source


class SourceStore:
    """The sources of the running build, read by the check, taken by the reader."""

    def __init__(self):
        self.by_path = {}
        self.discovered = (None, None)   # (settings, discover(settings)) of the running build's check

    def remember_discovery(self, settings, found):
        self.discovered = (settings, found)

    def discovery(self, settings):
        """discover(settings) as the check found it at the start of this build (the same
        settings object), else discovered now: walking thousands of files once is enough."""
        remembered, found = self.discovered
        return found if remembered is settings else discover(settings)

    def put(self, source):
        self.by_path[source.path] = source

    def get(self, path):
        return self.by_path.get(os.path.abspath(path))

    def take(self, path):
        """The source of `path` for its one reading; only its header is kept
        afterwards (for line numbers in later messages), not its text."""
        source = self.by_path.get(os.path.abspath(path))
        if source is None or source.lines is None and source.packed_body is None:
            return None
        self.by_path[source.path] = replace(source, lines=None, packed_body=None, packed_html=None)
        return source

    def clear(self):
        self.by_path.clear()
        self.discovered = (None, None)


BUILD_SOURCES = SourceStore()


def header_line(path, key):
    """Line of `key` in the header of a file this build read (1 when absent)."""
    source = BUILD_SOURCES.get(path)
    return source.line_of(key) if source else 1


def reader_extensions(settings):
    """File extensions Pelican reads, as its Readers work them out (READERS overrides the defaults)."""
    extensions = {extension: MarkdownReader for extension in MarkdownReader.file_extensions} \
        if MarkdownReader.enabled else {}
    for extension, reader_class in settings.get("READERS", {}).items():
        if reader_class:
            extensions[extension] = reader_class
        else:
            extensions.pop(extension, None)
    return extensions


def pelican_files(settings, paths, exclude, extensions):
    """Pelican's own Generator.get_files, without setting up a generator."""
    finder = SimpleNamespace(path=settings["PATH"], settings=settings)
    finder._include_path = partial(Generator._include_path, finder)
    return Generator.get_files(finder, paths, exclude=exclude, extensions=extensions)


def agency_paths(settings):
    return list(settings.get("AGENCY_PATHS") or AGENCY_PATHS_DEFAULT)


def discover(settings):
    """(kind, absolute path) of every article, page and agency profile Pelican will read, sorted."""
    extensions = tuple(reader_extensions(settings))
    agencies = agency_paths(settings)
    found = []
    for kind in ("article", "page"):
        paths = [path for path in settings[f"{kind.upper()}_PATHS"] if path not in agencies]
        excludes = [*settings[f"{kind.upper()}_EXCLUDES"], *agencies]
        found += [(kind, path) for path in pelican_files(settings, paths, excludes, extensions)]
    found += [("agency", path) for path in pelican_files(settings, agencies, settings.get("AGENCY_EXCLUDES", []),
                                                          ("md",))]
    seen, ordered = set(), []
    for kind, relative in sorted(found, key=lambda item: item[1]):
        path = os.path.abspath(os.path.join(settings["PATH"], relative))
        if path not in seen:
            seen.add(path)
            ordered.append((kind, path))
    return ordered


def every_file(settings):
    """Every file under the content folder (hidden files and folders left out), sorted."""
    found = []
    for parent, folders, names in os.walk(settings["PATH"]):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found += [os.path.join(parent, name) for name in names if not name.startswith(".")]
    return sorted(found)
