from .front_page import register

__all__ = ["register"]
