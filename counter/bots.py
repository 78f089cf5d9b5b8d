"""Requests that are answered but never counted: crawlers and speculative loads.

Crawlers are recognised by CrawlerDetect's list (the `crawlerdetect`
package, a port of the maintained JayBizzle/Crawler-Detect patterns), which
knows far more crawlers, monitors and HTTP libraries than a list of our own.
"""

from functools import lru_cache

from crawlerdetect import CrawlerDetect

PREFETCH_HEADERS = ("HTTP_PURPOSE", "HTTP_SEC_PURPOSE")

_detector = CrawlerDetect()


@lru_cache(maxsize=1024)
def is_crawler(user_agent: str) -> bool:
    """Crawlers, monitors and scripts; a missing user agent is never a browser."""
    return not user_agent.strip() or _detector.is_crawler(user_agent)


def is_prefetch(environ: dict) -> bool:
    """A prefetch or prerender that the reader may never look at."""
    return any("prefetch" in environ.get(header, "").lower() for header in PREFETCH_HEADERS)
