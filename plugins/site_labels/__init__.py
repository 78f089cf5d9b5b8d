from .site_labels import register

__all__ = ["register"]
