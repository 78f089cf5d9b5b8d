"""The editor preview behind `invoke livereload` (a library, not a Pelican plugin)."""

from .live_preview import PreviewBuilder, PreviewProcess

__all__ = ["PreviewBuilder", "PreviewProcess"]
