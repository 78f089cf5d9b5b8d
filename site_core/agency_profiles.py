"""Agency profiles (content/agencies/<slug>.md): their fields, and every mistake in them.

Shared by the content check (before the build) and the agencies plugin (which
builds their pages); both read the profile files through site_core.sources.
"""

from dataclasses import dataclass
import difflib
import os
from pathlib import Path
import re

from .former_names import FORMAT_EXAMPLE, parse_day, parse_former_names
from .problems import ContentProblem, relative_source
from .schema import AGENCY_KEYS, names
from .sources import BUILD_SOURCES, discover, header_line, read_source

AGENCY_DEFAULTS = {
    "AGENCY_PATHS": ["agencies"],
    "AGENCY_EXCLUDES": [],
    "AGENCY_URL": "co-quan/{slug}.html",
    "AGENCY_SAVE_AS": "co-quan/{slug}.html",
    "AGENCY_INDEX_URL": "co-quan/",
    "AGENCY_INDEX_SAVE_AS": "co-quan/index.html",
    # Index order of the groups; each kind needs a label agency_kind_<kind> in labels.toml.
    "AGENCY_KINDS": ["mat-tran", "nha-nuoc", "bao-chi", "doan-the", "khac"],
}
STATUSES = ("active", "merged", "dissolved")
ENDED_STATUSES = {"merged": "hợp nhất", "dissolved": "giải thể"}
FIELDS = names(AGENCY_KEYS)
KNOWN_KEYS = {field.lower() for field in FIELDS}
ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WEB_ADDRESS = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def load_agency_slugs(content_path, agency_folders=None):
    """The slugs (file stems) of the agency profiles under `content_path`, sorted,
    found as the build finds them (for `invoke new`, the bench corpus)."""
    settings = {"PATH": str(content_path), "ARTICLE_PATHS": [], "PAGE_PATHS": [], "ARTICLE_EXCLUDES": [],
                "PAGE_EXCLUDES": [], "IGNORE_FILES": ["**/.*"], "READERS": {},
                "AGENCY_PATHS": agency_folders or AGENCY_DEFAULTS["AGENCY_PATHS"]}
    return sorted({Path(path).stem for kind, path in discover(settings) if kind == "agency"})


def profile_source(path, settings):
    return BUILD_SOURCES.get(path) or read_source(path, "agency", settings)


def written_keys(path, settings):
    """The header keys as the editor wrote them, lower-cased, with their spelling."""
    keys = {}
    for entry in profile_source(path, settings).header:
        if entry.readable:
            keys.setdefault(entry.key.lower(), entry.key)
    return keys


@dataclass
class ProfileFields:
    """A profile's fields as the check reads them, before any page is built."""
    source_path: str
    metadata: dict
    status: str
    slug: str = ""


def profile_fields(source):
    metadata = {key: " ".join(values) for key, values in source.metadata_lists().items()}
    return ProfileFields(source.path, metadata, metadata.get("status") or "active")


def profile_problems(sources, settings):
    """Every mistake in the profiles themselves (fields, successors), found without building."""
    settings = {**AGENCY_DEFAULTS, **settings}
    profiles = [profile_fields(source) for source in sources]
    problems = [problem for profile in profiles for problem in ProfileReader(profile, settings).read()]
    return problems + successor_problems(profiles, {profile.slug: profile for profile in profiles}, settings)


def metadata_text(metadata, key):
    """A one-line field's text; a key written twice, or continued on a second line, is joined."""
    value = metadata.get(key, "")
    return " ".join(value).strip() if isinstance(value, list) else str(value).strip()


def slug_list(slugs):
    return ", ".join(slugs) if slugs else "(chưa có hồ sơ cơ quan nào)"


def nearest_hint(value, slugs):
    nearest = difflib.get_close_matches(value, slugs, n=1, cutoff=0.6)
    return f'có phải là "{nearest[0]}"? ' if nearest else ""


class ProfileReader:
    """Reads one profile's metadata into typed attributes, collecting every problem."""

    def __init__(self, agency, settings):
        self.agency = agency
        self.settings = settings
        self.shown_path = relative_source(agency.source_path, settings)
        self.problems = []

    def add(self, key, message, fix):
        line = header_line(self.agency.source_path, key) if key else 1
        self.problems.append(ContentProblem(self.shown_path, line, message, fix))

    def read(self):
        agency, metadata = self.agency, self.agency.metadata
        agency.slug = Path(agency.source_path).stem
        if not ASCII_SLUG.match(agency.slug):
            self.add(None, f'Tên tệp hồ sơ "{Path(agency.source_path).name}" không dùng được làm đường dẫn.',
                     "đặt tên tệp bằng chữ thường không dấu, số và dấu gạch ngang, ví dụ so-tttt-phu-yen.md.")
        for key, spelling in written_keys(agency.source_path, self.settings).items():
            if key not in KNOWN_KEYS:
                self.add(key, f'Dòng "{spelling}:" không phải là trường của hồ sơ cơ quan.',
                         "dùng một trong: " + ", ".join(FIELDS) + ".")
        if not metadata_text(metadata, "title"):
            self.add("title", "Hồ sơ cơ quan chưa có tên đầy đủ (dòng Title).",
                     "thêm dòng Title: <tên đầy đủ của cơ quan>.")
        self.read_kind(metadata_text(metadata, "kind"))
        self.read_status_and_dates(metadata)
        agency.successor_slug = metadata_text(metadata, "successor")
        self.check_successor_fits_status()
        self.read_former_names(metadata.get("former_names", ""))
        self.read_contacts(metadata)
        return self.problems

    def read_kind(self, kind):
        kinds = self.settings["AGENCY_KINDS"]
        self.agency.kind = kind
        if not kind:
            self.add("kind", "Hồ sơ cơ quan chưa ghi loại cơ quan (dòng Kind).",
                     "thêm dòng Kind: với một trong: " + ", ".join(kinds) + ".")
        elif kind not in kinds:
            self.add("kind", f'Kind "{kind}" không phải là loại cơ quan đã định.',
                     nearest_hint(kind, kinds) + "Dùng một trong: " + ", ".join(kinds) + ".")

    def read_status_and_dates(self, metadata):
        agency = self.agency
        if agency.status not in STATUSES:
            self.add("status", f'Status "{agency.status}" không hợp lệ cho hồ sơ cơ quan.',
                     "dùng active (đang hoạt động), merged (đã hợp nhất) hoặc dissolved (đã giải thể).")
        for key in ("valid_from", "valid_until"):
            text = metadata_text(metadata, key)
            day = parse_day(text) if text else None
            if text and day is None:
                self.add(key, f'{key.capitalize()} "{text}" không đúng dạng năm-tháng-ngày.',
                         "viết ngày như 2025-03-01.")
            setattr(agency, key, day)
        if agency.valid_from and agency.valid_until and agency.valid_from >= agency.valid_until:
            self.add("valid_until", "Valid_until phải sau Valid_from.",
                     "Valid_from là ngày bắt đầu hoạt động, Valid_until là ngày hợp nhất hoặc giải thể.")
        ended = ENDED_STATUSES.get(agency.status)
        if ended and not metadata_text(metadata, "valid_until"):
            self.add("status", f"Status: {agency.status} cần ghi ngày {ended} (dòng Valid_until).",
                     f"thêm dòng Valid_until: <năm-tháng-ngày> — ngày việc {ended} có hiệu lực, ví dụ 2025-03-01.")

    def check_successor_fits_status(self):
        agency = self.agency
        if agency.status == "merged" and not agency.successor_slug:
            self.add("status", "Cơ quan đã hợp nhất (Status: merged) cần ghi cơ quan mà nó hợp nhất vào (dòng Successor).",
                     "thêm dòng Successor: <slug của hồ sơ cơ quan đó, tức tên tệp không có .md>.")
        if agency.status == "active" and agency.successor_slug:
            self.add("successor", "Cơ quan đang hoạt động (Status: active) thì chưa có cơ quan kế thừa (dòng Successor).",
                     "bỏ dòng Successor, hoặc ghi Status: merged hay dissolved kèm Valid_until.")

    def read_former_names(self, value):
        self.agency.former_names, errors = parse_former_names(value)
        for error in errors:
            self.add("former_names", error,
                     f"mỗi tên cũ cách nhau bằng dấu chấm phẩy, ngày viết năm-tháng-ngày: {FORMAT_EXAMPLE}.")

    def read_contacts(self, metadata):
        agency = self.agency
        for key in ("short_name", "website", "logo", "address", "phone", "email"):
            setattr(agency, key, metadata_text(metadata, key))
        if agency.website and not WEB_ADDRESS.match(agency.website):
            self.add("website", f'Website "{agency.website}" chưa phải là địa chỉ đầy đủ.',
                     "viết cả phần đầu, ví dụ https://baophuyen.vn.")
        if agency.email and not EMAIL.match(agency.email):
            self.add("email", f'Email "{agency.email}" không phải là địa chỉ thư điện tử.',
                     "viết dạng ten@tenmien.vn, hoặc bỏ dòng này nếu chưa biết.")
        if agency.logo and not os.path.isfile(os.path.join(self.settings["PATH"], agency.logo)):
            self.add("logo", f'Không tìm thấy tệp logo "{agency.logo}".',
                     "ghi đường dẫn tính từ thư mục content, ví dụ images/co-quan/bao-phu-yen.png.")


def successor_problems(agencies, by_slug, settings):
    problems = []
    slugs = sorted(by_slug)

    def add(agency, message, fix):
        problems.append(ContentProblem(relative_source(agency.source_path, settings),
                                       header_line(agency.source_path, "successor"), message, fix))

    for agency in agencies:
        if agency.successor_slug and agency.successor_slug not in by_slug:
            add(agency, f'Successor "{agency.successor_slug}" không phải hồ sơ cơ quan nào.',
                nearest_hint(agency.successor_slug, slugs) + "Ghi slug của một trong: " + slug_list(slugs) + ".")
    for cycle in successor_cycles(agencies, by_slug):
        first = by_slug[min(cycle)]
        add(first, "Chuỗi cơ quan kế thừa (Successor) quay vòng: " + " → ".join([*cycle, cycle[0]]) + ".",
            "Successor phải trỏ tới cơ quan thay thế về sau; sửa dòng Successor ở một trong các hồ sơ "
            + ", ".join(sorted(cycle)) + ".")
    return problems


def successor_cycles(agencies, by_slug):
    """Each loop of successor links once, as the list of slugs along it."""
    cycles, finished = [], set()
    for start in agencies:
        path, slug = [], start.slug
        while slug in by_slug and slug not in finished and slug not in path:
            path.append(slug)
            slug = by_slug[slug].successor_slug
        if slug in path:
            cycles.append(path[path.index(slug):])
        finished.update(path)
    return cycles


def unknown_agency_problem(shown_path, line, slug, known_slugs, folder):
    """An `Agencies:` entry without a profile; shared with the content check."""
    return ContentProblem(
        shown_path, line,
        f'Cơ quan "{slug}" (dòng Agencies) không có hồ sơ trong content/{folder}/.',
        nearest_hint(slug, known_slugs) + "Ghi slug (tên tệp hồ sơ, không có .md) của một trong: "
        + slug_list(known_slugs) + ".",
    )


