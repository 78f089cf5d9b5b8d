"""Requests that are answered but never counted: crawlers and speculative loads."""

import re

CRAWLER_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|"
    r"headless|phantomjs|lighthouse|pingdom|uptime|monitor|"
    r"curl|wget|python|java/|okhttp|go-http-client|httpclient|scrapy|axios|node-fetch",
    re.IGNORECASE,
)

PREFETCH_HEADERS = ("HTTP_PURPOSE", "HTTP_SEC_PURPOSE")


def is_crawler(user_agent: str) -> bool:
    """Crawlers, monitors and scripts; a missing user agent is never a browser."""
    return not user_agent.strip() or CRAWLER_USER_AGENT.search(user_agent) is not None


def is_prefetch(environ: dict) -> bool:
    """A prefetch or prerender that the reader may never look at."""
    return any("prefetch" in environ.get(header, "").lower() for header in PREFETCH_HEADERS)
