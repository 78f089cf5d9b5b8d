from .cms_admin import register

__all__ = ["register"]
