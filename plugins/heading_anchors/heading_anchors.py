"""ASCII heading anchors that keep đ: "## Đại hội" gets id="dai-hoi".

Python-Markdown's own toc slugify drops đ ("ai-hoi"); Pelican's slugify
transliterates it. The function is module-level so the content cache can pickle it.
"""

from pelican import signals
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

TOC_EXTENSION = "markdown.extensions.toc"


def heading_slug(value, separator="-"):
    return slugify(value, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def use_heading_slug(pelican):
    extension_configs = pelican.settings["MARKDOWN"].setdefault("extension_configs", {})
    extension_configs.setdefault(TOC_EXTENSION, {})["slugify"] = heading_slug


def register():
    signals.initialized.connect(use_heading_slug)
