"""Convert every Markdown file on all cores before Pelican asks for it.

Python-Markdown and typogrify are most of a build's time and each file is
independent. When the generators are set up, a process pool starts converting
all article and page files; Pelican's readers then take the finished HTML from
this plugin's Markdown reader instead of converting inline. Everything else
(metadata, content objects, signals, other plugins) runs unchanged in the main
process, so the output is byte for byte that of a sequential build.

Typogrify moves into the pool too (body, title and summary), so Pelican's own
pass is switched off to avoid doing it twice.
"""

from multiprocessing import TimeoutError, get_context
import hashlib
import logging
import os

from pelican import signals
from pelican.readers import MarkdownReader

from site_core.disk_cache import DiskCache, fingerprint
from site_core.reader import SourceConversion, SourceMarkdownReader, source_for
from site_core.sources import BUILD_SOURCES

logger = logging.getLogger(__name__)

# Seconds to wait for one file's conversion before converting it in the main process.
WORKER_TIMEOUT = 120

DEFAULTS = {
    # Worker processes; 0 means one per core.
    "PARALLEL_READING_PROCESSES": 0,
    # Below this many files a pool costs more than it saves; the reader converts inline.
    "PARALLEL_READING_MIN_FILES": 64,
    # Keep every conversion in memory, keyed on the file's bytes and the conversion
    # settings, for the next build in the same process (the editor preview).
    "PARALLEL_READING_MEMORY": False,
}


class Typography:
    """Pelican's typogrify call, with the same settings it would use."""

    def __init__(self, settings):
        self.enabled = settings["PARALLEL_READING_TYPOGRIFY"]
        if not self.enabled:
            return
        import smartypants
        from typogrify.filters import typogrify

        dashes = {"oldschool": smartypants.Attr.set2, "oldschool_inverted": smartypants.Attr.set3}
        smartypants.Attr.default = dashes.get(settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
        smartypants.Attr.default |= smartypants.Attr.w
        self.typogrify = typogrify
        self.ignore_tags = settings["TYPOGRIFY_IGNORE_TAGS"]
        self.omitted = dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False)

    def __call__(self, text):
        return self.typogrify(text, self.ignore_tags, **self.omitted) if self.enabled else text


class Conversion:
    """What the pool does for one file: the reader's own conversion (Markdown for
    the body and the formatted fields, sanitized), then typogrify on the body,
    the title and the summary, as Pelican would after reading."""

    def __init__(self, settings):
        self.source_conversion = SourceConversion(settings)
        self.typography = Typography(settings)

    def __call__(self, path):
        source = source_for(path, self.source_conversion.settings)
        html, meta, formatted = self.source_conversion(source)
        # Pelican typogrifies the body, the title and the summary after reading;
        # a title is never processed and only its first definition counts.
        typeset = {name: self.typography(value) for name, value in formatted.items() if name == "summary"}
        if meta.get("title"):
            typeset["title"] = self.typography(meta["title"][0])
        return self.typography(html) if html else html, meta, formatted, typeset


_worker_conversion = None


def _start_worker(settings):
    global _worker_conversion
    _worker_conversion = Conversion(settings)


def _convert_in_worker(path):
    return _worker_conversion(path)


class Batch:
    """Conversions running in the pool, collected by path as the readers ask,
    and (in a long-lived process) remembered for the next build."""

    def __init__(self):
        self.pool = None
        self.pending = {}
        self.keys = {}
        self.remembered = {}
        self.conversion_fingerprint = None
        self.cache = None
        self.loaded = {}
        self.fresh = {}

    def start(self, settings, paths):
        processes = settings["PARALLEL_READING_PROCESSES"] or os.cpu_count() or 1
        # fork: workers inherit the loaded plugins and settings without pickling them.
        self.pool = get_context("fork").Pool(processes, _start_worker, (settings,))
        self.pending = {path: self.pool.apply_async(_convert_in_worker, (path,)) for path in paths}
        logger.debug("speedups.reading: %d files on %d processes", len(paths), processes)

    def load_cached(self, settings, paths):
        """Take what the disk cache has for `paths`; return the paths still to convert."""
        self.cache = DiskCache(os.path.join(settings["CACHE_PATH"], "conversions.sqlite"))
        stored = self.cache.load({self.key(path, settings) for path in paths})
        self.loaded = {path: stored[self.key(path, settings)] for path in paths if self.key(path, settings) in stored}
        return [path for path in paths if path not in self.loaded]

    def take(self, path, settings):
        """The finished conversion of `path`, or None if nobody started it."""
        if path in self.loaded:
            return self.loaded.pop(path)
        result = self.pending.pop(path, None)
        if result is None:
            return None
        try:
            converted = result.get(timeout=WORKER_TIMEOUT)
        except TimeoutError:  # a worker died (a pool never reports that): convert here
            logger.debug("speedups.reading: no result for %s, converting it here", path)
            return None
        self.converted_here(path, settings, converted)
        return converted

    def converted_here(self, path, settings, converted):
        if self.cache is not None:
            self.fresh[self.key(path, settings)] = converted

    def stop(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
        if self.cache is not None:
            self.cache.store(self.fresh, set(self.keys.values()))
            self.cache.close()
        self.pool, self.pending, self.keys, self.cache, self.loaded, self.fresh = None, {}, {}, None, {}, {}
        self.conversion_fingerprint = None

    def recall(self, path, settings):
        remembered = self.remembered.get(path)
        return remembered[1] if remembered and remembered[0] == self.key(path, settings) else None

    def remember(self, path, settings, converted):
        self.remembered[path] = (self.key(path, settings), converted)

    def key(self, path, settings):
        """What a conversion depends on: the file's bytes and the conversion's fingerprint."""
        if path not in self.keys:
            if self.conversion_fingerprint is None:
                self.conversion_fingerprint = fingerprint(settings, CONVERSION_SETTINGS)
            digest = hashlib.sha256(self.conversion_fingerprint.encode())
            source = BUILD_SOURCES.get(path)
            if source is not None:
                digest.update(source.digest.encode())
            else:
                with open(path, "rb") as source_file:
                    digest.update(hashlib.sha256(source_file.read()).hexdigest().encode())
            self.keys[path] = digest.hexdigest()
        return self.keys[path]


CONVERSION_SETTINGS = ("MARKDOWN", "FORMATTED_FIELDS", "PARALLEL_READING_TYPOGRIFY", "SANITIZER_IFRAME_HOSTS",
                       "TYPOGRIFY_DASHES", "TYPOGRIFY_IGNORE_TAGS", "TYPOGRIFY_OMIT_FILTERS")


BATCH = Batch()


class ParallelMarkdownReader(SourceMarkdownReader):
    """The source reader, fed from the pool; converts inline for files the pool
    was not given (another generator's folder, a small site)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.conversion = Conversion(settings)

    def read(self, source_path):
        self._source_path = source_path
        path = os.path.abspath(source_path)
        remembering = self.settings["PARALLEL_READING_MEMORY"]
        converted = remembering and BATCH.recall(path, self.settings)
        if not converted:
            converted = BATCH.take(path, self.settings)
            if converted is None:
                converted = self.conversion(path)
                BATCH.converted_here(path, self.settings, converted)
            if remembering:
                BATCH.remember(path, self.settings, converted)
        BUILD_SOURCES.take(path)  # read: the parsed file is no longer needed
        content, meta, formatted, typeset = converted
        metadata = self.metadata_from(meta, formatted)
        for name, value in typeset.items():
            metadata[name.lower()] = value
        return content, metadata


def apply_defaults(settings):
    """After speedups.switch_parts; PARALLEL_READING_CACHE keeps conversions on disk
    (CACHE_PATH/conversions.sqlite), keyed on file, settings, library versions and
    plugin sources (site_core/disk_cache.py)."""
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
    if settings["PARALLEL_READING"]:
        # The reader typogrifies; Pelican's own pass would do it a second time.
        settings["PARALLEL_READING_TYPOGRIFY"] = (
            settings.get("PARALLEL_READING_TYPOGRIFY", False) or settings["TYPOGRIFY"])
        settings["TYPOGRIFY"] = False


def use_parallel_reader(readers):
    if not readers.settings.get("PARALLEL_READING"):
        return
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class in (MarkdownReader, SourceMarkdownReader):
            readers.reader_classes[extension] = ParallelMarkdownReader


def markdown_files(generator):
    settings = generator.settings
    extensions = MarkdownReader.file_extensions
    files = []
    for paths, excludes in ((settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]),
                            (settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"])):
        files += [os.path.abspath(os.path.join(generator.path, name))
                  for name in generator.get_files(paths, exclude=excludes, extensions=extensions)]
    return files


def start_converting(generator):
    settings = generator.settings
    if not settings.get("PARALLEL_READING"):
        return
    BATCH.stop()
    files = markdown_files(generator)
    if settings["PARALLEL_READING_MEMORY"]:
        files = [path for path in files if not BATCH.recall(path, settings)]
    if settings["PARALLEL_READING_CACHE"]:
        files = BATCH.load_cached(settings, files)
    if len(files) >= settings["PARALLEL_READING_MIN_FILES"]:
        BATCH.start(settings, files)


def stop_converting(*_):
    BATCH.stop()


def register():
    signals.readers_init.connect(use_parallel_reader)
    signals.article_generator_init.connect(start_converting)
    signals.all_generators_finalized.connect(stop_converting)
    signals.finalized.connect(stop_converting)
