from .site_labels import load_labels, register

__all__ = ["load_labels", "register"]
