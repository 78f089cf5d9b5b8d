"""Fail a build that silently left an article out."""

from .build_completeness import register

__all__ = ["register"]
