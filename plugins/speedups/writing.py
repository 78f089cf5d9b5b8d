"""Article pages rendered on all cores.

Rendering the article pages is most of the writing phase, and each page depends
only on the finished context. When Pelican starts writing articles, helper
processes are forked with that context; each renders its share of the pages
and sends back the HTML. The main process still writes every file itself, in
the usual order, through Pelican's writer, so overwrite checks and the
`content_written` signal behave as in a sequential build; for a helper's page
it only skips the template rendering. A page a helper could not render is
rendered here, with Pelican's usual errors.
"""

from itertools import chain
import gc
from multiprocessing import get_context
import logging
import os

from pelican import signals
from pelican.writers import Writer

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PARALLEL_WRITING": False,
    # Helper processes besides the main one; 0 means one per extra core.
    "PARALLEL_WRITING_HELPERS": 0,
    # Below this many articles forking costs more than it saves.
    "PARALLEL_WRITING_MIN_ARTICLES": 200,
    # Memory budget of the build in MiB (0: none). A helper touches, and so copies,
    # about half of what this process holds; past the budget, render here alone.
    "PARALLEL_WRITING_MEMORY_MIB": 0,
}
HELPER_SHARE_OF_MEMORY = 0.5
# The main process also writes every page, so each helper renders this many
# pages for every one the main process renders. Writing 5,000 article pages on
# 2 cores took 5.3 s at 1, 4.6 s at 2, 4.2 s at 3 and 4.4 s at 4.
HELPER_PAGES_PER_MAIN_PAGE = 3


def renderers(helpers):
    """Who renders page i: renderers(helpers)[i % len(...)], 0 being the main process."""
    return (0,) + tuple(number for number in range(1, helpers + 1) for _ in range(HELPER_PAGES_PER_MAIN_PAGE))


def resident_mib():
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def helpers_fit(settings, helpers):
    budget = setting(settings, "PARALLEL_WRITING_MEMORY_MIB")
    if not budget:
        return True
    resident = resident_mib()
    fits = resident * (1 + HELPER_SHARE_OF_MEMORY * helpers) <= budget
    if not fits:
        logger.debug("speedups.writing: %.0f MiB resident, helpers would pass %d MiB", resident, budget)
    return fits


def setting(settings, name):
    return settings.get(name, DEFAULTS[name])


class Rendered:
    """Stands in for the template: the page was already rendered by a helper."""

    def __init__(self, html):
        self.html = html

    def render(self, *args, **kwargs):
        return self.html


class CapturedFile:
    def __init__(self, sink):
        self.sink = sink

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, text):
        self.sink.append(text)


def render_share(generate_articles, write_file, number, owners, count, connection):
    """In a helper: run Pelican's article loop, rendering only our share of the
    pages and sending each one's HTML instead of writing it."""
    captured = []
    # Nothing is written here, so nothing must react to a write.
    Writer._open_w = lambda self, path, encoding, override=False: CapturedFile(captured)
    signals.content_written.send = lambda *args, **kwargs: []
    position = iter(range(count))

    def render_if_ours(name, *args, **kwargs):
        index = next(position)
        if owners[index % len(owners)] != number or not name:
            return
        captured.clear()
        try:
            write_file(name, *args, **kwargs)
            connection.send((index, captured[0] if captured else None))
        except Exception:  # the main process renders it again and reports the error
            connection.send((index, None))

    try:
        generate_articles(render_if_ours)
    finally:
        connection.send(None)
        connection.close()


class Helpers:
    def __init__(self, generate_articles, write_file, count, helpers):
        self.owners = renderers(helpers)
        self.connections, self.processes, self.results = [], [], {}
        context = get_context("fork")
        # Frozen objects are never visited by a helper's garbage collector, so the
        # pages it shares with this process stay shared instead of being copied.
        gc.freeze()
        for number in range(1, helpers + 1):
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=render_share, daemon=True,
                                      args=(generate_articles, write_file, number, self.owners, count, sending))
            process.start()
            sending.close()
            self.connections.append(receiving)
            self.processes.append(process)
        gc.unfreeze()

    def rendered(self, index):
        """The HTML a helper rendered for page `index`, or None: render it here."""
        owner = self.owners[index % len(self.owners)]
        if owner == 0:
            return None
        connection = self.connections[owner - 1]
        while index not in self.results:
            try:
                message = connection.recv()
            except EOFError:
                return None
            if message is None:
                return None
            self.results[message[0]] = message[1]
        return self.results.pop(index)

    def report(self):
        logger.debug("speedups.writing: %d helper(s)", len(self.processes))

    def stop(self):
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
        for connection in self.connections:
            connection.close()


def render_articles_in_parallel(generator):
    settings = generator.settings
    if not setting(settings, "PARALLEL_WRITING"):
        return
    original = generator.generate_articles
    helpers = setting(settings, "PARALLEL_WRITING_HELPERS") or (os.cpu_count() or 1) - 1

    def generate_articles(write):
        count = len(list(chain(generator.translations, generator.articles,
                               generator.hidden_translations, generator.hidden_articles)))
        if (helpers < 1 or count < setting(settings, "PARALLEL_WRITING_MIN_ARTICLES")
                or not helpers_fit(settings, helpers)):
            return original(write)
        team = Helpers(original, write, count, helpers)
        position = iter(range(count))

        def write_rendered(name, template, *args, **kwargs):
            html = team.rendered(next(position))
            return write(name, template if html is None else Rendered(html), *args, **kwargs)

        try:
            return original(write_rendered)
        finally:
            team.stop()

    generator.generate_articles = generate_articles


def register():
    signals.article_generator_finalized.connect(render_articles_in_parallel)
