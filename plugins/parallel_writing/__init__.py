from .parallel_writing import register

__all__ = ["register"]
