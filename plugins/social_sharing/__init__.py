from .social_sharing import absolute_url, canonical_path, first_image_src, register, share_link

__all__ = ["absolute_url", "canonical_path", "first_image_src", "register", "share_link"]
