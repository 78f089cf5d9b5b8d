from .search_document import fold_vietnamese
from .site_search import register

__all__ = ["fold_vietnamese", "register"]
