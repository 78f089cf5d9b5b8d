"""Every mistake in editors' content, found before Pelican reads it: `invoke check` and the build."""

from .content_check import BODY_PLACEHOLDER, CheckResult, check_site, normalise_files, register

__all__ = ["BODY_PLACEHOLDER", "CheckResult", "check_site", "normalise_files", "register"]
