"""Agency profiles: a content type of its own, read from content/agencies/<slug>.md.

Each profile gets a page (AGENCY_URL) listing the articles that name it in
their `Agencies:` line, and the index page (AGENCY_INDEX_URL) groups them by
kind. Agencies merge and get renamed; an article keeps the name the agency had
on the article's date, and a merged agency's page says into what and since when.

The generator runs after Pelican's article generator, so it checks every
profile and every article's `Agencies:` line together and reports all mistakes
in one build.
"""

from collections import defaultdict
from dataclasses import dataclass
import copy
import difflib
import os
from pathlib import Path
import re

from markupsafe import Markup
from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator
from pelican.readers import MarkdownReader
from pelican.utils import slugify

from site_core.problems import ContentProblem, front_matter_line, raise_if_any, relative_source

from .former_names import FORMAT_EXAMPLE, name_on, parse_day, parse_former_names, split_entries

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
PROFILE_EXTENSIONS = ("md",)
STATUSES = ("active", "merged", "dissolved")
ENDED_STATUSES = {"merged": "hợp nhất", "dissolved": "giải thể"}
FIELDS = ("Title", "Short_name", "Kind", "Status", "Valid_from", "Valid_until", "Successor",
          "Former_names", "Website", "Logo", "Address", "Phone", "Email")
KNOWN_KEYS = {field.lower() for field in FIELDS}
ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADER_KEY = re.compile(r"^\s{0,3}([A-Za-z0-9_-]+)\s*:")
WEB_ADDRESS = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Agency(Page):
    """One agency profile. `status` is active, merged or dissolved."""

    default_template = "agency"
    allowed_statuses = STATUSES
    default_status = "active"
    short_name = website = logo = address = phone = email = kind = successor_slug = ""
    valid_from = valid_until = successor = None
    former_names = predecessors = articles = ()

    @property
    def is_active(self):
        return self.status == "active"

    @property
    def kind_label_key(self):
        return kind_label_key(self.kind)

    def name_on(self, day):
        return name_on(day, self.title, self.former_names)


@dataclass(frozen=True)
class AgencyMention:
    """An agency as an article names it: `name` is the agency's name (HTML) on the article's date."""

    agency: Agency
    name: str


@dataclass
class AgencyGroup:
    kind: str
    agencies: list

    @property
    def label_key(self):
        return kind_label_key(self.kind)


def kind_label_key(kind):
    return "agency_kind_" + kind.replace("-", "_")


def profile_paths(content_path, agency_paths=None):
    folders = agency_paths or AGENCY_DEFAULTS["AGENCY_PATHS"]
    return sorted(path for folder in folders for extension in PROFILE_EXTENSIONS
                  for path in Path(content_path, folder).rglob(f"*.{extension}"))


def load_agency_slugs(content_path, agency_paths=None):
    """The slugs (file stems) of the agency profiles under `content_path`, sorted.

    For tools that check content without building, e.g. an `invoke check` task.
    """
    return sorted({path.stem for path in profile_paths(content_path, agency_paths)})


def profile_problems(settings):
    """Every mistake in the profiles themselves (fields, successors), found without
    building, so the content check reports them with the articles' mistakes."""
    settings = {**AGENCY_DEFAULTS, **settings}
    # The plain Markdown reader: only the fields matter here, and Pelican's reader
    # machinery (its signals, other plugins' readers) is not set up this early.
    reader = MarkdownReader(settings)
    agencies = []
    for path in profile_paths(settings["PATH"], settings["AGENCY_PATHS"]):
        content, metadata = reader.read(str(path))
        agencies.append(Agency(content, metadata, settings=settings, source_path=str(path), context={}))
    problems = [problem for agency in agencies for problem in ProfileReader(agency, settings).read()]
    return problems + successor_problems(agencies, {agency.slug: agency for agency in agencies}, settings)


def apply_agency_defaults(pelican):
    settings = pelican.settings
    for key, value in AGENCY_DEFAULTS.items():
        settings.setdefault(key, copy.deepcopy(value))
    # Profiles are never articles or pages, whatever ARTICLE_PATHS and PAGE_PATHS say.
    agency_paths = settings["AGENCY_PATHS"]
    for content_type in ("ARTICLE", "PAGE"):
        settings[f"{content_type}_PATHS"] = [path for path in settings[f"{content_type}_PATHS"] if path not in agency_paths]
        excludes = settings[f"{content_type}_EXCLUDES"]
        settings[f"{content_type}_EXCLUDES"] = [*excludes, *(path for path in agency_paths if path not in excludes)]
    settings["PAGINATED_TEMPLATES"] = {"agency": None, **settings["PAGINATED_TEMPLATES"]}


def written_keys(source_path):
    """The front-matter keys as the editor wrote them, lower-cased, with their spelling."""
    keys = {}
    with open(source_path, encoding="utf-8") as source:
        for line in source:
            if not line.strip():
                break
            match = HEADER_KEY.match(line)
            if match:
                keys.setdefault(match.group(1).lower(), match.group(1))
    return keys


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
        line = front_matter_line(self.agency.source_path, key) if key else 1
        self.problems.append(ContentProblem(self.shown_path, line, message, fix))

    def read(self):
        agency, metadata = self.agency, self.agency.metadata
        agency.slug = Path(agency.source_path).stem
        if not ASCII_SLUG.match(agency.slug):
            self.add(None, f'Tên tệp hồ sơ "{Path(agency.source_path).name}" không dùng được làm đường dẫn.',
                     "đặt tên tệp bằng chữ thường không dấu, số và dấu gạch ngang, ví dụ so-tttt-phu-yen.md.")
        for key, spelling in written_keys(agency.source_path).items():
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
                                       front_matter_line(agency.source_path, "successor"), message, fix))

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


def article_mentions(articles, by_slug, settings):
    """Give each article its `agency_mentions`; return the problems with their `Agencies:` lines."""
    problems, slugs = [], sorted(by_slug)
    folder = settings["AGENCY_PATHS"][0]
    for article in articles:
        mentions = []
        for slug in dict.fromkeys(split_entries(article.metadata.get("agencies", ""), ",")):
            agency = by_slug.get(slug)
            if agency is None:
                problems.append(unknown_agency_problem(
                    relative_source(article.source_path, settings),
                    front_matter_line(article.source_path, "agencies"), slug, slugs, folder))
            else:
                mentions.append(AgencyMention(agency, agency.name_on(article.date.date())))
        article.agency_mentions = mentions
    return problems


def sort_name(agency, settings):
    return slugify(Markup(agency.title).striptags(), regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])


def index_order(agencies, settings):
    """By kind in AGENCY_KINDS order, active agencies first within a kind, then by name."""
    rank = {kind: position for position, kind in enumerate(settings["AGENCY_KINDS"])}
    return sorted(agencies, key=lambda agency: (rank.get(agency.kind, len(rank)), not agency.is_active,
                                                 sort_name(agency, settings)))


def newest_first(articles):
    return sorted(articles, key=lambda article: (article.date, article.slug), reverse=True)


class AgencyGenerator(Generator):
    """Reads the profiles, links them with each other and with the articles, writes their pages."""

    def __init__(self, *args, **kwargs):
        self.agencies = []
        self.agency_groups = []
        super().__init__(*args, **kwargs)

    def read_profiles(self):
        paths = self.get_files(self.settings["AGENCY_PATHS"], exclude=self.settings["AGENCY_EXCLUDES"],
                               extensions=PROFILE_EXTENSIONS)
        return [self.readers.read_file(base_path=self.path, path=path, content_class=Agency, context=self.context)
                for path in sorted(paths)]

    def generate_context(self):
        agencies = self.read_profiles()
        problems = [problem for agency in agencies for problem in ProfileReader(agency, self.settings).read()]
        by_slug = {agency.slug: agency for agency in agencies}
        problems += successor_problems(agencies, by_slug, self.settings)
        articles = self.context.get("articles", []) + self.context.get("hidden_articles", []) \
            + self.context.get("drafts", [])
        problems += article_mentions(articles, by_slug, self.settings)
        raise_if_any(problems)

        self.agencies = index_order(agencies, self.settings)
        tagged, predecessors = defaultdict(list), defaultdict(list)
        for article in self.context.get("articles", []):
            for mention in article.agency_mentions:
                tagged[mention.agency.slug].append(article)
        for agency in self.agencies:
            predecessors[agency.successor_slug].append(agency)
        for agency in self.agencies:
            agency.successor = by_slug.get(agency.successor_slug)
            agency.predecessors = predecessors[agency.slug]
            agency.articles = newest_first(tagged[agency.slug])
            self.add_source_path(agency)
            self.add_static_links(agency)
            if agency.logo:
                self.context["static_links"].add(agency.logo)

        groups = defaultdict(list)
        for agency in self.agencies:
            groups[agency.kind].append(agency)
        self.agency_groups = [AgencyGroup(kind, groups[kind]) for kind in self.settings["AGENCY_KINDS"]
                              if groups[kind]]
        self._update_context(("agencies", "agency_groups"))

    def generate_output(self, writer):
        for agency in self.agencies:
            writer.write_file(
                agency.save_as, self.get_template(agency.template), self.context,
                relative_urls=self.settings["RELATIVE_URLS"], paginated={"articles": agency.articles},
                template_name="agency", url=agency.url, agency=agency, articles=agency.articles,
            )
        writer.write_file(
            self.settings["AGENCY_INDEX_SAVE_AS"], self.get_template("agencies"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], template_name="agencies",
            url=self.settings["AGENCY_INDEX_URL"],
        )


def agency_generator(pelican):
    return AgencyGenerator


def register():
    signals.initialized.connect(apply_agency_defaults)
    signals.get_generators.connect(agency_generator)
