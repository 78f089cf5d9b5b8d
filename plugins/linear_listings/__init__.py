from .linear_listings import ArticleSet, register

__all__ = ["ArticleSet", "register"]
