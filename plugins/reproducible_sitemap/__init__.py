from .reproducible_sitemap import SitemapEntry, register

__all__ = ["SitemapEntry", "register"]
