from .photos import register, responsive_photo

__all__ = ["register", "responsive_photo"]
