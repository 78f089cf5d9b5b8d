from .build_progress import register

__all__ = ["register"]
