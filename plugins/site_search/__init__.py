from .site_search import fold_vietnamese, register

__all__ = ["fold_vietnamese", "register"]
