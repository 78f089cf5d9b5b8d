from .category_registry import CategoryEntry, load_registry, register

__all__ = ["CategoryEntry", "load_registry", "register"]
