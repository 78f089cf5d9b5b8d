from .static_files import register

__all__ = ["register"]
