from .parallel_reading import ParallelMarkdownReader, register

__all__ = ["ParallelMarkdownReader", "register"]
