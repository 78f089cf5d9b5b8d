"""Import pages saved from the Front's old site as articles: `invoke import-legacy`."""

from .legacy_import import ImportResult, import_page, saved_photo
from .legacy_page import LegacyArticle, read_legacy_page
from .mirror import MirrorImport, import_mirror, mirror_pages

__all__ = ["ImportResult", "LegacyArticle", "MirrorImport", "import_mirror", "import_page", "mirror_pages",
           "read_legacy_page", "saved_photo"]
