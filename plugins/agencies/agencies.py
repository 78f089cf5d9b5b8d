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
import os

from markupsafe import Markup
from pelican import signals
from pelican.contents import Page
from pelican.generators import Generator
from pelican.utils import slugify

from site_core.agency_profiles import (
    AGENCY_DEFAULTS,
    load_agency_slugs,
    STATUSES,
    ProfileReader,
    successor_problems,
    unknown_agency_problem,
)
from site_core.former_names import name_on, split_entries
from site_core.ordering import newest_first
from site_core.problems import raise_if_any, relative_source
from site_core.sources import agency_paths, header_line

PROFILE_EXTENSIONS = ("md",)


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


def apply_agency_defaults(pelican):
    settings = pelican.settings
    for key, value in AGENCY_DEFAULTS.items():
        settings.setdefault(key, copy.deepcopy(value))
    # Profiles are never articles or pages, whatever ARTICLE_PATHS and PAGE_PATHS say.
    folders = agency_paths(settings)
    for content_type in ("ARTICLE", "PAGE"):
        settings[f"{content_type}_PATHS"] = [path for path in settings[f"{content_type}_PATHS"] if path not in folders]
        excludes = settings[f"{content_type}_EXCLUDES"]
        settings[f"{content_type}_EXCLUDES"] = [*excludes, *(path for path in folders if path not in excludes)]
    settings["PAGINATED_TEMPLATES"] = {"agency": None, **settings["PAGINATED_TEMPLATES"]}


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
                    header_line(article.source_path, "agencies"), slug, slugs, folder))
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
                                                 sort_name(agency, settings), agency.slug))


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
