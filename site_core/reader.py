"""Pelican's Markdown reader, fed the header the content check already read.

Pelican's MarkdownReader would open each file again and read its header with
Python-Markdown's meta extension, which disagrees with the check (it ends the
header at the first odd line). `SourceMarkdownReader` takes the file's `Source`
from `BUILD_SOURCES` (read once, by the check), converts only the body, and
builds the metadata from the header lines the check validated. Body and
summary HTML pass the sanitizer here, before any plugin adds markup of its own;
titles and authors are text, escaped once here for every place they appear.

It stays a plain subclass of MarkdownReader so a faster reader (the parallel
conversion) can subclass it and use the same `SourceConversion`.
"""

import html
import logging

from markdown import Markdown
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader

from .sanitizer import DEFAULT_IFRAME_HOSTS, Sanitizer
from .sources import BUILD_SOURCES, read_source

logger = logging.getLogger(__name__)
# Metadata shown as text: any <, > or & an editor typed is shown, never parsed as HTML.
TEXT_FIELDS = ("title", "author")


def markdown_options(settings):
    """MARKDOWN as Pelican's MarkdownReader completes it: every configured extension, and meta."""
    options = dict(settings["MARKDOWN"])
    extensions = list(options.get("extensions", []))
    for extension in [*options.get("extension_configs", {}), "markdown.extensions.meta"]:
        if extension not in extensions:
            extensions.append(extension)
    options["extensions"] = extensions
    return options


def body_markdown(settings):
    """Python-Markdown as Pelican configures it, without the meta preprocessor: the
    header is already read, and a body line such as `Note: …` must stay text."""
    markdown = Markdown(**markdown_options(settings))
    markdown.preprocessors.deregister("meta")
    return markdown


def sanitizer_for(settings):
    return Sanitizer(settings.get("SANITIZER_IFRAME_HOSTS", DEFAULT_IFRAME_HOSTS))


def source_for(path, settings):
    """The build's parsed file, or (when no check ran before, e.g. a bare reader) a fresh read."""
    return BUILD_SOURCES.take(path) or read_source(path, "article", settings)


class SourceConversion:
    """Markdown for the body and the formatted fields, sanitized; text fields escaped.

    Returns (body HTML, metadata values as Python-Markdown's meta would give them,
    formatted fields' HTML by name). One Markdown instance per kind is reset and
    reused (Python-Markdown's documented way)."""

    def __init__(self, settings):
        self.settings = settings
        self.formatted_fields = settings["FORMATTED_FIELDS"]
        self.sanitizer = sanitizer_for(settings)
        self.markdown = None

    def __call__(self, source):
        if self.markdown is None:
            self.markdown = body_markdown(self.settings)
        body = source.body_html
        if body is None:
            self.markdown.reset()
            body = self.sanitizer.clean(self.markdown.convert(source.body))
        meta = source.metadata_lists()
        for name in TEXT_FIELDS:
            if name in meta:
                meta[name] = [html.escape(value, quote=False) for value in meta[name]]
        formatted = {}
        for name, values in meta.items():
            if name in self.formatted_fields:
                self.markdown.reset()
                formatted[name] = self.sanitizer.clean(self.markdown.convert("\n".join(values)))
        return body, meta, formatted


class SourceMarkdownReader(MarkdownReader):
    """MarkdownReader reading the build's `Source` instead of the file."""

    def __init__(self, settings):
        super().__init__(settings)
        self.conversion = SourceConversion(settings)

    def read(self, source_path):
        self._source_path = source_path
        body, meta, formatted = self.conversion(source_for(source_path, self.settings))
        return body, self.metadata_from(meta, formatted)

    def metadata_from(self, meta, formatted):
        output = {}
        for name, values in meta.items():
            if name in formatted:
                output[name] = self.process_metadata(name, formatted[name])
            elif len(values) > 1 and DUPLICATES_DEFINITIONS_ALLOWED.get(name, True):
                output[name] = self.process_metadata(name, values)
            else:
                output[name] = self.process_metadata(name, values[0])
        return output


def use_source_reader(readers):
    """readers_init: every Markdown extension read by SourceMarkdownReader, unless a
    subclass of it (a faster reader) is already in place."""
    for extension, reader_class in list(readers.reader_classes.items()):
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = SourceMarkdownReader
