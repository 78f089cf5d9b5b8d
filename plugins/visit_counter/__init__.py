from .visit_counter import register

__all__ = ["register"]
