"""Shared way for every plugin to report mistakes in content to editors."""

from .content_problems import (
    ContentProblem,
    ContentProblems,
    front_matter_line,
    raise_if_any,
    relative_source,
)

__all__ = [
    "ContentProblem",
    "ContentProblems",
    "front_matter_line",
    "raise_if_any",
    "relative_source",
]
