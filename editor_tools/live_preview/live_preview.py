"""The editor preview: a warm process that rebuilds only what one saved article changes.

A full build re-converts every article. This process keeps each article's
converted Markdown in memory (plugins/speedups, PARALLEL_READING_MEMORY)
and, when only articles changed, re-reads only those (the others keep last
build's objects, as with Pelican's generator cache), runs every plugin as usual
and writes only the changed articles' pages, the pages whose related news list
them, their categories' pages and the home page, each exactly as a full build
would write them. Other pages that mention a changed article (feeds and sitemap
are always written) catch up at the next full write. Anything else
(pages, the category registry, images, a deleted article) gets a full write, still
from memory. `invoke livereload` restarts the process when the theme, plugins or
settings change, so it never runs stale code.

    python editor_tools/live_preview/live_preview.py SETTINGS OUTPUT   then one line per command on stdin:
    "rebuild" -> replies "done <seconds> <what was written>" or "failed <seconds>"
"""

from pathlib import Path
import logging
import os
import subprocess
import sys
import time
import traceback

from pelican import Pelican
from pelican.settings import read_settings
from pelican.plugins import signals

if __name__ == "__main__":
    # Started as a script by PreviewProcess: the shared core sits at the repository root.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from site_core.problems import ContentProblems  # noqa: E402

logger = logging.getLogger(__name__)


def content_snapshot(content):
    """{path: (mtime_ns, size)} of every file under the content folder."""
    snapshot = {}
    for folder, _, names in os.walk(content):
        for name in names:
            path = os.path.join(folder, name)
            stat = os.stat(path)
            snapshot[path] = (stat.st_mtime_ns, stat.st_size)
    return snapshot


class Selection:
    """The output files that depend on the changed articles."""

    def __init__(self, changed_sources, previous_outputs):
        self.changed = set(changed_sources)
        self.previous = previous_outputs
        self.names = {"index.html"}
        self.folders = set()

    def choose(self, generators):
        for generator in generators:
            for article in getattr(generator, "articles", []) + getattr(generator, "hidden_articles", []):
                if article.source_path in self.changed:
                    self.add(article.save_as, article.category.save_as)
                elif any(related.source_path in self.changed for related in getattr(article, "related_news", ())):
                    self.names.add(article.save_as)
        for source in self.changed:
            for save_as in self.previous.get(source, ()):
                self.add(*save_as)

    def add(self, article_save_as, category_save_as):
        self.names.add(article_save_as)
        # Every page of the category: they live beside its first page.
        self.folders.add(os.path.dirname(category_save_as) + "/")

    def wants(self, name):
        return name in self.names or any(name.startswith(folder) for folder in self.folders)


class PreviewBuilder:
    def __init__(self, settings_path, output_path):
        self.settings_path = str(settings_path)
        self.output_path = str(output_path)
        self.snapshot = None
        self.outputs = {}
        self.articles = {}

    def settings(self, delete_output):
        return read_settings(self.settings_path, override={
            "OUTPUT_PATH": self.output_path,
            "PARALLEL_READING": True,
            "PARALLEL_READING_MEMORY": True,
            "DELETE_OUTPUT_DIRECTORY": delete_output,
        })

    def rebuild(self):
        """Build what changed since the last call (everything the first time);
        returns a short description of what was written."""
        settings = self.settings(delete_output=self.snapshot is None)
        snapshot = content_snapshot(settings["PATH"])
        previous, self.snapshot = self.snapshot, snapshot
        if previous is None:
            return self.run(settings, None, "full build")
        changed = [path for path, stamp in snapshot.items() if previous.get(path) != stamp]
        removed = [path for path in previous if path not in snapshot]
        if not changed and not removed:
            return "nothing changed"
        articles = self.article_sources(settings)
        if removed or any(path not in articles for path in changed):
            settings["DELETE_OUTPUT_DIRECTORY"] = True
            return self.run(settings, None, "full write")
        settings["PARALLEL_WRITING"] = False  # a handful of pages: forking helpers would cost more
        # Pagefind re-indexes the whole site (seconds): the search catches up at the next full write.
        settings["SEARCH_INDEX"] = False
        return self.run(settings, Selection(changed, self.outputs), f"{len(changed)} article(s)")

    def article_sources(self, settings):
        roots = [os.path.join(settings["PATH"], folder) for folder in settings["ARTICLE_PATHS"]]
        return {path for path in self.snapshot
                if path.endswith(".md") and any(path.startswith(root + os.sep) for root in roots)}

    def run(self, settings, selection, description):
        pelican = Pelican(settings)

        def remember_outputs(generators):
            if selection is not None:
                selection.choose(generators)
            for generator in generators:
                for article in getattr(generator, "articles", []) + getattr(generator, "hidden_articles", []):
                    self.outputs[article.source_path] = [(article.save_as, article.category.save_as)]

        def reuse_unchanged_articles(generator):
            """Unchanged articles keep last build's objects, the way Pelican's own
            generator cache reuses them; only after an articles-only change."""
            def source(relative):
                return os.path.abspath(os.path.join(generator.path, relative))

            def get_cached_data(relative, default=None):
                kept = self.articles.get(source(relative)) if selection is not None else None
                if kept is None or kept.source_path in selection.changed:
                    return default
                kept._context = generator.context
                return kept

            def cache_data(relative, article):
                self.articles[source(relative)] = article

            generator.get_cached_data, generator.cache_data = get_cached_data, cache_data

        if selection is None:
            self.articles = {}
        signals.article_generator_init.connect(reuse_unchanged_articles)
        signals.all_generators_finalized.connect(remember_outputs)
        if selection is not None:
            make_writer = pelican._get_writer

            def selective_writer():
                writer = make_writer()
                write_file = writer.write_file

                def write_selected(name, *args, **kwargs):
                    if selection.wants(name):
                        return write_file(name, *args, **kwargs)
                writer.write_file = write_selected
                return writer

            pelican._get_writer = selective_writer
        try:
            pelican.run()
        finally:
            signals.article_generator_init.disconnect(reuse_unchanged_articles)
            signals.all_generators_finalized.disconnect(remember_outputs)
        return description


class PreviewProcess:
    """The warm builder as a child process, driven by `invoke livereload`."""

    def __init__(self, settings_path, output_path, python=sys.executable):
        self.command = [python, str(Path(__file__).resolve()), str(settings_path), str(output_path)]
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, encoding="utf-8")
        return self.rebuild()

    def rebuild(self):
        started = time.perf_counter()
        self.process.stdin.write("rebuild\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline().strip() or "failed (preview process ended)"
        print(f"[xem trước] {reply} — {time.perf_counter() - started:.2f} s", flush=True)
        return reply

    def restart(self):
        """For theme, plugin or settings changes: new code, full build."""
        self.stop()
        return self.start()

    def stop(self):
        if self.process is not None:
            self.process.stdin.close()
            self.process.wait()
            self.process = None


def serve_commands(builder, commands=sys.stdin, replies=sys.stdout):
    for command in commands:
        if command.strip() != "rebuild":
            continue
        started = time.perf_counter()
        try:
            what = builder.rebuild()
            replies.write(f"done {time.perf_counter() - started:.2f} {what}\n")
        except Exception as error:
            # An editor's mistake is shown as the report they can act on; anything else in full.
            if isinstance(error, ContentProblems):
                print(error.report(), file=sys.stderr)
            else:
                traceback.print_exc()
            builder.snapshot = None  # the next rebuild starts from a full build
            replies.write(f"failed {time.perf_counter() - started:.2f}\n")
        replies.flush()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    # Replies go to the real stdout; Pelican's own messages go to stderr.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve_commands(PreviewBuilder(Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()), replies=replies)
