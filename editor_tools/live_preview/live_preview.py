"""The editor preview's builder: a warm process that rebuilds only what a save changed.

A full build re-converts every article. This process keeps each article's
converted Markdown in memory (plugins/speedups, PARALLEL_READING_MEMORY)
and the article objects of the last build (as Pelican's generator cache does),
and knows, for every page written through Pelican's writer, the articles it was
made from. After a save it compares content by bytes, not by time (photos copied
with their old date and same-length corrections on 2-second file systems are
changed files too): the files the watcher reported and the files with a name the
last build did not have are read again; the others keep the digest of their last
reading (the content check takes the same digests and does not open them), then:

- articles only (changed, new, renamed or deleted): runs Pelican once more,
  writes each page made from a changed article before or after the change (the
  article itself, listings, agency pages, related lists) plus the pages made
  from no article in particular (home, search, site map, pages), deletes the
  pages no build would write any more (an old address after a `Slug:` change or
  a rename, an article set back to draft, a shorter listing's last page), and
  refreshes feeds, sitemap and manifest as every build does. A page of a
  paginated listing that shows the same unchanged articles at the same place is
  taken from the output instead of rendered again; a page left as it was keeps
  its sitemap entry (site_core.quick_builds). The search index
  is made again later, in a process of its own, when saves pause;
- photos (changed, new or deleted): the same quick run, with the articles that
  show them (as the last build recorded) counted as changed, since plugins/photos
  writes a photo's `<img>` into an article when it reads it and names the
  published versions by digest; the versions of the old bytes are deleted;
- anything else (pages, the registry, agency profiles, attachments, a photo also
  linked as a file, templates): a full build into a staging folder that replaces
  the output only when it succeeded.

A failed build leaves the output as it was and the last good state in memory,
so the fix is again a quick rebuild. Drafts and scheduled articles are written
at PREVIEW_DRAFT_URL (production settings never write them).

    python editor_tools/live_preview/live_preview.py SETTINGS OUTPUT [JSON overrides]
then one JSON command per line on stdin ({"command": "rebuild", "full": false,
"paths": [what the watcher reported]}, {"command": "theme_static", "paths": [...]});
one JSON reply per line on stdout (see `Reply`). With a last argument `search`, it
only makes the search index.
"""

from dataclasses import asdict, dataclass, field
from pathlib import Path
import json
import logging
import os
import posixpath
import shutil
import sys
import time
import traceback

from markupsafe import Markup
from pelican import Pelican
from pelican.contents import Content
from pelican.plugins import signals
from pelican.settings import read_settings

if __name__ == "__main__":
    # Started as a script by PreviewProcess: the shared core sits at the repository root.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from site_core.problems import ContentProblem, ContentProblems  # noqa: E402
from site_core.quick_builds import content_kept  # noqa: E402
from site_core.sources import content_digest  # noqa: E402

logger = logging.getLogger(__name__)

DEFAULT_DRAFT_URL = "ban-nhap/{slug}.html"
STAGING_SUFFIX = ".dang-dung"
REPLACED_SUFFIX = ".cu"
# Pelican's header key for old addresses (plugins/redirects): their pages are written
# outside the writer, so an article that has one gets a full build.
REDIRECT_KEY = b"redirect_from:"


def is_editor_file(name):
    """False for the temporary files editors' programs leave beside the real ones."""
    return not (name.startswith((".", "~")) or name.endswith(("~", ".tmp", ".swp", ".part", ".crdownload")))


def content_names(content):
    """Every editor file under the content folder, by name: nothing is opened."""
    names = []
    for folder, folders, files in os.walk(content):
        folders[:] = sorted(name for name in folders if is_editor_file(name))
        names += [os.path.join(folder, name) for name in files if is_editor_file(name)]
    return names


def file_digest(path):
    try:
        with open(path, "rb") as source:
            return content_digest(source.read())
    except OSError:  # removed while we looked: the next save will say
        return None


def content_fingerprints(content, previous=None, reported=None):
    """{path: digest of the bytes} of every file under the content folder. Given the
    last build's fingerprints and the paths the watcher `reported`, only those and the
    files with a new name are read again; a reported path that is none of the files
    there are or were (a link to the folder under another name) reads everything."""
    names = content_names(content)
    if previous is not None and reported is not None:
        known = previous.keys() | names
        unknown = [path for path in reported
                   if path not in known and not os.path.isdir(path) and os.path.exists(path)]
        if not unknown:
            fresh = set(reported)
            fingerprints = {}
            for path in names:
                digest = previous.get(path) if path not in fresh else None
                fingerprints[path] = digest or file_digest(path)
            return {path: digest for path, digest in fingerprints.items() if digest is not None}
    return {path: digest for path in names if (digest := file_digest(path)) is not None}


def replace_folder(staging, output):
    """Put the finished `staging` folder where `output` is, in two renames."""
    replaced = output + REPLACED_SUFFIX
    shutil.rmtree(replaced, ignore_errors=True)
    if os.path.isdir(output):
        os.rename(output, replaced)
    os.rename(staging, output)
    shutil.rmtree(replaced, ignore_errors=True)


@dataclass
class Written:
    """One call of Pelican's writer: the articles it was made from (None: not
    from particular articles) and the files it wrote, relative to the output;
    for a paginated listing, what each of its pages showed (`listing_page`)."""
    sources: frozenset
    files: tuple
    pages: dict = field(default_factory=dict)


def listing_page(localcontext):
    """What one page of a paginated listing shows, by the templates' use of it: the
    articles of the page (`articles_page`, `dates_page`), its number and the pager's
    (how many pages, how many articles). None for a page that is not paginated."""
    shown = []
    for key in ("articles", "dates"):
        page = localcontext.get(f"{key}_page")
        if page is not None:
            shown.append((tuple(item.source_path for item in page.object_list), page.number,
                          page.paginator.num_pages, page.paginator.count))
    return tuple(shown) or None


class ListingPages:
    """Stands in for a listing's template in a quick run: a page that shows the same
    articles as last time, none of them changed, at the same place in a pager of the
    same length, is taken from the output as it is instead of rendered again (a change
    in a category of thousands of articles then renders one or two of its pages)."""

    def __init__(self, template, output, before, pages, changed):
        self.template, self.output, self.before = template, output, before
        self.pages, self.changed = pages, changed

    def render(self, localcontext):
        name = localcontext["output_file"]
        shown = self.pages[name] = listing_page(localcontext)
        if (shown is not None and self.before.get(name) == shown
                and not any(source in self.changed for part in shown for source in part[0])):
            try:
                with open(os.path.join(self.output, name), encoding="utf-8") as page:
                    return page.read()
            except OSError:
                pass
        return self.template.render(localcontext)


def page_sources(kwargs):
    """The articles a page is made from, from the writer's arguments."""
    sources, about_articles = set(), False
    article = kwargs.get("article")
    if article is not None:
        about_articles = True
        sources.add(article.source_path)
        sources.update(related.source_path for related in getattr(article, "related_news", ()) or ())
    for key in ("articles", "dates"):
        listed = kwargs.get(key)
        if listed is not None:
            about_articles = True
            sources.update(item.source_path for item in listed)
    return frozenset(sources) if about_articles else None


@dataclass
class Reply:
    ok: bool
    kind: str = ""             # full, articles, static, css, search, none
    what: str = ""
    seconds: float = 0.0
    problems: list = field(default_factory=list)
    report: str = ""
    drafts: list = field(default_factory=list)   # [title, url, "draft" | "scheduled"]
    search_pending: bool = False


class PreviewBuilder:
    def __init__(self, settings_path, output_path, overrides=None):
        self.settings_path = str(settings_path)
        self.output_path = str(output_path)
        self.overrides = dict(overrides or {})
        self.fingerprints = None          # of the last good build
        self.seen = None                  # of the content as the last rebuild found it
        self.written = {}                 # writer call name -> Written
        self.articles = {}                # source path -> article object of the last good build
        self.needs_full = True
        self.unsettled = set()            # sources of a quick run that failed: it may have written their pages
        self.search_pending = False
        self.drafts = []
        self.photo_users = {}             # photo path under the content folder -> sources showing it
        self.photo_outputs = {}           # photo path under the content folder -> its published files
        self.static_links = set()         # content files linked as files (published as they are)
        self.photo_names = {}             # id(photo) -> (photo, renditions, their file names), for the next build

    def settings(self, **override):
        settings = read_settings(self.settings_path, override={
            "PARALLEL_READING": True,
            "PARALLEL_READING_MEMORY": True,
            "CONTENT_CHECK_REUSE": True,   # plugins/content_check reads again only the files that changed
            **self.overrides,
            **override,
        })
        draft_url = settings.get("PREVIEW_DRAFT_URL", DEFAULT_DRAFT_URL)
        settings["DRAFT_URL"] = settings["DRAFT_SAVE_AS"] = draft_url
        return settings

    def rebuild(self, full=False, paths=None):
        """Build what changed since the last good build; returns the Reply. `paths`: what
        the watcher reported since the last rebuild (None: unknown, every file is read)."""
        started = time.perf_counter()
        settings = self.settings(OUTPUT_PATH=self.output_path)
        current = content_fingerprints(settings["PATH"], self.seen, paths)
        self.seen = current
        from content_check import content_check  # after the settings, which put plugins/ on the path

        content_check.KNOWN_DIGESTS = current
        if full or self.needs_full or self.fingerprints is None:
            reply = self.full_build(current)
        else:
            reply = self.build_changes(settings, current)
        reply.seconds = round(time.perf_counter() - started, 2)
        reply.search_pending = self.search_pending
        return reply

    def build_changes(self, settings, current):
        previous = self.fingerprints
        changed = {path for path, digest in current.items() if previous.get(path) != digest}
        removed = {path for path in previous if path not in current}
        if not changed and not removed and not self.unsettled:
            return Reply(True, "none", "không có gì thay đổi")
        article_roots = [os.path.join(settings["PATH"], folder) + os.sep for folder in settings["ARTICLE_PATHS"]]

        def under(path, roots):
            return any(path.startswith(root) for root in roots)

        articles = {path for path in changed | removed if under(path, article_roots) and path.endswith(".md")}
        photos = {path for path in (changed | removed) - articles if self.is_photo(path, settings)}
        # Pages, the registry, agency profiles, attachments and photos something links to
        # as a file (published as a copy under their own name): a full build.
        others = (changed | removed) - articles - photos
        if others or any(self.relative(path, settings) in self.static_links for path in photos):
            return self.full_build(current)
        # plugins/photos publishes a photo as versions named by its digest, and writes its
        # `<img>` into the articles that show it when it reads them: those are read again.
        users = {source for path in photos for source in self.photo_users.get(self.relative(path, settings), ())}
        # A run that fails may have written some pages of its articles before it stopped:
        # those count as changed until a run succeeds, even if they are changed back.
        rebuilt = articles | users | self.unsettled
        if self.has_redirects(rebuilt):
            return self.full_build(current)
        search_index = settings.get("SEARCH_INDEX", True)
        # After a failed run the output may hold listing pages it wrote: none is taken as it is.
        output_as_written = not self.unsettled
        self.unsettled = rebuilt
        if self.run(settings, rebuilt, current, output_as_written):
            # A page went away (an old address, a shorter listing): plugins may have written
            # files beside it outside Pelican's writer (redirects of /trang-1/), so a full build.
            return self.full_build(current)
        self.unsettled = set()
        self.search_pending = search_index
        what = [f"{len(articles)} bài"] if articles or not photos else []
        if photos:
            what.append(f"{len(photos)} ảnh ({len(users)} bài dùng ảnh)")
        return Reply(True, "articles", ", ".join(what), drafts=self.drafts)

    @staticmethod
    def relative(path, settings):
        return os.path.relpath(path, settings["PATH"]).replace(os.sep, "/")

    @staticmethod
    def is_photo(path, settings):
        """A file plugins/photos encodes (by its suffix) in one of the static folders."""
        from photos.photos import RASTER_SUFFIXES  # after the settings, which put plugins/ on the path

        static_roots = [os.path.join(settings["PATH"], folder) + os.sep for folder in settings["STATIC_PATHS"]]
        return (os.path.splitext(path)[1].lower() in RASTER_SUFFIXES
                and any(path.startswith(root) for root in static_roots))

    def has_redirects(self, sources):
        for source in sources:
            kept = self.articles.get(source)
            if kept is not None and kept.metadata.get("redirect_from"):
                return True
            try:
                with open(source, "rb") as text:
                    if REDIRECT_KEY in text.read().lower():
                        return True
            except OSError:
                pass
        return False

    def copy_theme_static(self, paths):
        """CSS, scripts and theme images: copied into the output as Pelican would."""
        settings = self.settings()
        theme_static = Path(settings["THEME"]) / "static"
        copied = []
        for path in map(Path, paths):
            if theme_static not in path.parents:
                continue
            relative = path.relative_to(theme_static)
            target = Path(self.output_path) / settings["THEME_STATIC_DIR"] / relative
            if path.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, f"{target}{STAGING_SUFFIX}")
                os.replace(f"{target}{STAGING_SUFFIX}", target)
            else:
                target.unlink(missing_ok=True)
            copied.append("/" + Path(settings["THEME_STATIC_DIR"], relative).as_posix())
        only_css = bool(copied) and all(name.endswith(".css") for name in copied)
        return Reply(True, "css" if only_css else "static", " ".join(copied))

    def full_build(self, current):
        staging = self.output_path + STAGING_SUFFIX
        shutil.rmtree(staging, ignore_errors=True)
        settings = self.settings(OUTPUT_PATH=staging, DELETE_OUTPUT_DIRECTORY=True)
        try:
            self.run(settings, None, current)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            self.needs_full = True
            raise
        replace_folder(staging, self.output_path)
        self.needs_full = False
        self.unsettled = set()
        self.search_pending = False
        return Reply(True, "full", "dựng lại toàn bộ", drafts=self.drafts)

    def build_search(self):
        if not self.search_pending:
            return Reply(True, "none", "tìm kiếm đã mới")
        settings = self.settings(OUTPUT_PATH=self.output_path)
        # After the settings: they put plugins/ on the path.
        from site_search.site_search import build_search_index

        build_search_index(type("Build", (), {"settings": settings}))
        self.search_pending = False
        return Reply(True, "search", "đã cập nhật tìm kiếm")

    def run(self, settings, changed, current, output_as_written=True):
        """One Pelican run. `changed`: the article sources changed since the last good
        build, or showing a changed photo (quick run); None for a full build.
        `output_as_written`: the output is what the last good build wrote, so a listing
        page may be taken from it (ListingPages). State is kept only if it succeeds."""
        quick = changed is not None
        if quick:
            settings["PARALLEL_WRITING"] = False   # a handful of pages: forking helpers would cost more
            if len(changed) < settings.get("PARALLEL_READING_MIN_FILES", 64):
                # A few articles are converted here: no pool, and no listing of every file to feed it.
                settings["PARALLEL_READING"] = False
            settings["SEARCH_INDEX"] = False       # Pagefind re-indexes the whole site: later
            settings["CONTENT_CHECK_CACHE"] = False  # the readings are kept in memory; the disk is for cold builds
            settings["DELETE_OUTPUT_DIRECTORY"] = False
        pelican = Pelican(settings)
        output = settings["OUTPUT_PATH"]
        previous_photo_outputs, previous_photo_names, photo_names = self.photo_outputs, self.photo_names, {}
        previous_written, written, kept_articles, drafts = self.written, {}, {}, []
        writing, vanished, photo_state = [], [], []

        def reuse_unchanged_articles(generator):
            """Unchanged articles keep the last build's objects, the way Pelican's own
            generator cache reuses them."""
            def get_cached_data(relative, default=None):
                source = os.path.abspath(os.path.join(generator.path, relative))
                kept = self.articles.get(source) if quick and source not in changed else None
                if kept is None:
                    return default
                kept._context = generator.context
                kept_articles[source] = kept
                return kept

            def cache_data(relative, article):
                kept_articles[os.path.abspath(os.path.join(generator.path, relative))] = article

            generator.get_cached_data, generator.cache_data = get_cached_data, cache_data

        def remember_drafts(generators):
            for generator in generators:
                for draft in getattr(generator, "drafts", []):
                    scheduled = str(draft.metadata.get("status", "published")).lower() != "draft"
                    drafts.append([Markup(draft.title).striptags(), "/" + draft.url, "scheduled" if scheduled else "draft"])

        def record_file(path, context=None):
            if writing:
                writing[-1].append(os.path.relpath(path, output).replace(os.sep, "/"))

        make_writer = pelican._get_writer

        def recording_writer():
            writer = make_writer()
            write_file = writer.write_file

            def write_recorded(name, *args, **kwargs):
                if not name:
                    return write_file(name, *args, **kwargs)
                sources = page_sources(kwargs)
                before = previous_written.get(name)
                if quick and before is not None and sources is not None and not (
                        (sources | before.sources) & changed):
                    written[name] = Written(sources, before.files, before.pages)
                    for kept_name in before.files:
                        content_kept.send(kept_name)
                    return None
                pages = {}
                if args and ("articles" in kwargs or "dates" in kwargs):
                    listed_before = before.pages if quick and output_as_written and before is not None else {}
                    args = (ListingPages(args[0], output, listed_before, pages, changed or frozenset()), *args[1:])
                writing.append([])
                try:
                    result = write_file(name, *args, **kwargs)
                finally:
                    written[name] = Written(sources, tuple(writing.pop()), {
                        page: shown for page, shown in pages.items() if shown is not None})
                return result

            writer.write_file = write_recorded
            return writer

        class StalePages:
            """Runs after every generator that writes pages (Pelican runs the static
            files' generator last) and before `finalized`, whose listeners (the
            counter's manifest) read the output: removes what no build writes any more."""

            def __init__(self, *args, context=None, **kwargs):
                self.context = context

            def generate_output(self, writer):
                # After `all_generators_finalized`, where plugins/photos wrote this build's photos.
                users, outputs = photos_shown(self.context["generated_content"].values(),
                                              previous_photo_names, photo_names)
                linked = {posixpath.normpath(link.lstrip("/")) for link in self.context["static_links"]}
                photo_state.append((users, outputs, linked))
                if not quick:
                    return
                still_written = {name for call in written.values() for name in call.files}
                for call in previous_written.values():
                    for name in call.files:
                        if name not in still_written:
                            vanished.append(name)
                            remove_output(output, name)
                # The versions of a photo's old bytes, and of a photo no article shows any more
                # (plugins/photos writes them outside Pelican's writer). A photo also linked as a
                # file is published whoever shows it.
                still_published = set().union(*outputs.values())
                for photo, names in previous_photo_outputs.items():
                    if photo not in linked:
                        for name in names - still_published:
                            remove_output(output, name)

        def add_stale_pages(pelican):
            return StalePages

        pelican._get_writer = recording_writer
        signals.article_generator_init.connect(reuse_unchanged_articles)
        signals.all_generators_finalized.connect(remember_drafts)
        signals.content_written.connect(record_file)
        signals.get_generators.connect(add_stale_pages)
        try:
            pelican.run()
        finally:
            signals.article_generator_init.disconnect(reuse_unchanged_articles)
            signals.all_generators_finalized.disconnect(remember_drafts)
            signals.content_written.disconnect(record_file)
            signals.get_generators.disconnect(add_stale_pages)
        self.written, self.articles, self.fingerprints, self.drafts = written, kept_articles, current, drafts
        self.photo_users, self.photo_outputs, self.static_links = photo_state[0]
        self.photo_names = photo_names
        forget_memoized_content(kept_articles.values())
        freeze_addresses(kept_articles.values())
        return bool(vanished)


def remove_output(output, name):
    try:
        os.remove(os.path.join(output, name))
    except FileNotFoundError:
        pass


def photos_shown(contents, previous_names, names):
    """({photo: sources of the articles and pages showing it}, {photo: its published
    files}), photos named by their path under the content folder. A photo's file names
    are made once (`previous_names`, from the last build; `names`, for the next one)."""
    users, outputs = {}, {}
    for content in contents:
        for use in [*getattr(content, "photos", ()), *getattr(content, "photo_refusals", ())]:
            photo = use.photo
            users.setdefault(photo.relative, set()).add(content.source_path)
            outputs.setdefault(photo.relative, set()).update(photo_files(photo, previous_names, names))
    return users, outputs


def photo_files(photo, previous_names, names):
    renditions = tuple(photo.renditions())
    known = names.get(id(photo)) or previous_names.get(id(photo))
    if known is None or known[0] is not photo or known[1] != renditions:
        known = (photo, renditions, frozenset(photo.output_name(rendition) for rendition in renditions))
    names[id(photo)] = known
    return known[2]


def freeze_addresses(articles):
    """Each article's `save_as` and `url`, worked out once while it is kept. Pelican
    formats them from the settings at every use (about 25,000 uses per run at 5,000
    articles: the generator's loop, listings, the counter's manifest) unless the object
    has an `override_save_as` / `override_url`; a kept article's metadata and the
    settings stay as they were (a change of either makes a new object or a new builder).
    Pelican also reads `override_save_as` as "may replace a page written before" in its
    writer; two articles with one address are stopped before by plugins/content_check,
    and every full build reads fresh objects."""
    for article in articles:
        for name in ("save_as", "url"):
            if not hasattr(article, f"override_{name}"):
                try:
                    setattr(article, f"override_{name}", getattr(article, name))
                except (KeyError, AttributeError, ValueError):
                    continue  # Pelican reports it where the address is used


def forget_memoized_content(kept):
    """Pelican memoizes `get_content` and `get_summary` in one dictionary per method
    for the life of the process, keyed by the content object: every article read
    since the process started stayed alive with the whole context of its build
    (the worker grew without end). Entries for objects this build did not keep
    are dropped; the kept ones stay, so unchanged articles are not converted again."""
    alive = {id(content) for content in kept}
    for method in (Content.get_content, Content.get_summary):
        cache = getattr(method, "cache", None)
        if not isinstance(cache, dict):  # another Pelican: nothing of ours to clear
            continue
        for key in [key for key in cache if not key or id(key[0]) not in alive]:
            del cache[key]


def problems_of(error, settings_path):
    """An error as the list of problems the overlay and the terminal show."""
    if isinstance(error, ContentProblems):
        return error.problems
    site_root = Path(settings_path).resolve().parent
    where = None
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        where = (error.filename, error.lineno or 1)
    else:
        for frame, line in traceback.walk_tb(error.__traceback__):
            filename = frame.f_code.co_filename
            if filename.endswith(".html"):
                where = (filename, line)
    message = f"{type(error).__name__}: {error}"
    if where is not None:
        path = Path(where[0])
        shown = os.path.relpath(path, site_root).replace(os.sep, "/") if path.is_absolute() else path.as_posix()
        return [ContentProblem(shown, where[1], f"Mẫu trang (template) bị lỗi: {message}",
                               "sửa dòng này của mẫu trang rồi lưu lại; trang đang xem vẫn là bản dựng tốt gần nhất.")]
    return [ContentProblem("(bản dựng)", 1, f"Lỗi khi dựng trang: {message}",
                           "xem thông báo đầy đủ trong cửa sổ dòng lệnh; trang đang xem vẫn là bản dựng tốt gần nhất.")]


def failure_reply(error, settings_path):
    problems = problems_of(error, settings_path)
    report = ContentProblems(problems).report()
    return Reply(False, "failed", "", problems=[asdict(problem) for problem in problems], report=report)


def serve_commands(builder, commands=sys.stdin, replies=sys.stdout):
    for line in commands:
        try:
            command = json.loads(line) if line.strip().startswith("{") else {"command": line.strip()}
        except ValueError:
            continue
        started = time.perf_counter()
        try:
            name = command.get("command")
            if name == "rebuild":
                reply = builder.rebuild(full=bool(command.get("full")), paths=command.get("paths"))
            elif name == "theme_static":
                reply = builder.copy_theme_static(command.get("paths", []))
            else:
                continue
        except Exception as error:
            reply = failure_reply(error, builder.settings_path)
            # The editor reads the same report in the terminal as on the page;
            # an error that is not a content or template mistake also gets its traceback.
            if not isinstance(error, ContentProblems):
                traceback.print_exc()
            print(reply.report, file=sys.stderr, flush=True)
            reply.seconds = round(time.perf_counter() - started, 2)
        replies.write(json.dumps(asdict(reply), ensure_ascii=False) + "\n")
        replies.flush()


def main(arguments):
    import signal

    # Ctrl-C belongs to `invoke livereload`, which ends this process by closing stdin
    # once the current build is over: a build is never cut half-written.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    # Replies go to the real stdout; Pelican's own messages go to stderr.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    overrides = json.loads(arguments[2]) if len(arguments) > 2 else {}
    builder = PreviewBuilder(Path(arguments[0]).resolve(), Path(arguments[1]).resolve(), overrides)
    if arguments[3:] == ["search"]:  # the search index alone, in a process of its own (session.SearchRefresh)
        builder.search_pending = True
        builder.build_search()
        return
    serve_commands(builder, replies=replies)


if __name__ == "__main__":
    main(sys.argv[1:])
