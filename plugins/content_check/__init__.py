"""Every mistake in editors' content, found before Pelican reads it: `invoke check` and the build."""

from .content_check import BODY_PLACEHOLDER, CheckResult, check_site, normalise_files, register
from .front_matter import ARTICLE_KEYS, PAGE_KEYS, article_text

__all__ = ["ARTICLE_KEYS", "BODY_PLACEHOLDER", "CheckResult", "PAGE_KEYS", "article_text",
           "check_site", "normalise_files", "register"]
