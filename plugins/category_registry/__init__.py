from .category_registry import register

__all__ = ["register"]
