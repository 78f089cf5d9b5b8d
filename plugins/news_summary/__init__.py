from .news_summary import first_paragraph_summary, register

__all__ = ["first_paragraph_summary", "register"]
