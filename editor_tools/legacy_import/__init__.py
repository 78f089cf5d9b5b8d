"""Import pages saved from the Front's old site as articles: `invoke import-legacy`."""

from .legacy_import import ImportResult, import_page
from .legacy_page import LegacyArticle, read_legacy_page

__all__ = ["ImportResult", "LegacyArticle", "import_page", "read_legacy_page"]
