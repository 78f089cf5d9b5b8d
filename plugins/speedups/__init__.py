from .output_cache import CachedPelican
from .speedups import register

__all__ = ["CachedPelican", "register"]
