from .reproducible_feeds import ContentDatedWriter, register

__all__ = ["ContentDatedWriter", "register"]
