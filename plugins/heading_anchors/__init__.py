from .heading_anchors import heading_slug, register

__all__ = ["heading_slug", "register"]
