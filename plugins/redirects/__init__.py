from .redirects import old_paths, register

__all__ = ["old_paths", "register"]
