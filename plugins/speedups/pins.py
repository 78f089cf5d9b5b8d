"""Pelican code the speed-ups depend on, pinned by a hash of its source.

The parts below are not Pelican's documented extension points: the reader
re-does what `MarkdownReader._parse_metadata` and the typogrify pass of
`Readers.read_file` do, the rendering helpers wrap the loop of
`ArticlesGenerator.generate_articles` and capture what `Writer.write_file`
writes through `Writer._open_w`, linear listings rely on
`generate_categories` testing membership with `in` and wrap
`_build_period_archives` (which takes each month's articles from the list it is
given). If any of these changes, the speed-ups turn themselves
off at start-up (speedups.guard) and tests/test_speedups.py fails, so the
change is read before they are trusted again.
"""

import hashlib
import importlib
import inspect

PINNED_SOURCES = {
    "pelican.readers:MarkdownReader._parse_metadata":
        "3f01f071bbc3672d341454c22fed793740b7a1014344f6db540c2b0bb3537a21",
    "pelican.readers:Readers.read_file":
        "356c609e59c1b30a36f6ea886b0d32e21f991d577f37f7ecf0dab7a48097bbbd",
    "pelican.generators:ArticlesGenerator.generate_articles":
        "5494d418a930a36fd7a5fd52ad5588b39218f1efaba10762eafae9eac4aa94dd",
    "pelican.generators:ArticlesGenerator.generate_categories":
        "cfb524524a3caae35717d53ba9cf85dfe271a0f677a3720f46f0367cf77b9a97",
    "pelican.generators:ArticlesGenerator._build_period_archives":
        "c19e3024444c4c43b91c678d95652b51960e73fd307d749d2dc86c9f036104e9",
    "pelican.writers:Writer._open_w":
        "69700ea0b4668663b0886011eee71e8b4ea9debd376fe2a2fe322c90ec5aee6d",
    "pelican.writers:Writer.write_file":
        "6a604ad67bbeec997e58ef69a393930c22cf3178a760fdc21d2c42f1871da373",
}


def source_digest(qualified_name):
    """sha256 of the source of `module:Class.method`, or "missing" if it is gone."""
    module_name, _, attribute_path = qualified_name.partition(":")
    try:
        target = importlib.import_module(module_name)
        for attribute in attribute_path.split("."):
            target = getattr(target, attribute)
        source = inspect.getsource(target)
    except (ImportError, AttributeError, OSError, TypeError):
        return "missing"
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def changed_sources(pinned=PINNED_SOURCES):
    """The pinned names whose installed source is not the one pinned."""
    return [name for name, digest in pinned.items() if source_digest(name) != digest]
