from .first_page_redirects import register

__all__ = ["register"]
