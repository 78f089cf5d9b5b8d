"""The editor preview behind `invoke livereload` (a library, not a Pelican plugin)."""

from .live_preview import PreviewBuilder
from .preview_server import PreviewEvents, PreviewServer
from .session import FolderTaken, PreviewProcess, PreviewSession, ServeLock

__all__ = ["FolderTaken", "PreviewBuilder", "PreviewEvents", "PreviewProcess", "PreviewServer",
           "PreviewSession", "ServeLock"]
