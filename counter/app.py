"""The HTTP face of the counter: routing, CORS, validation, JSON in and out.

Every answer, errors included, is a small JSON object with Vary: Origin and
Cache-Control: no-store (the most-read list: a few minutes), and carries
Access-Control-Allow-Origin only for an allowlisted origin.
"""

import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qs, unquote

from counter.bots import is_crawler, is_prefetch
from counter.clock import Clock, local_day, system_clock
from counter.config import Config, load_config
from counter.manifest import PageManifest, one_name
from counter.ratelimit import RateLimiter
from counter.store import TOP_DAYS, Hit, PageViews, Stats, Store, StoreUnavailable, open_store
from counter.visitors import TrustedProxies, VisitorKeys, address_network, client_address

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 8 * 1024
MAX_HEADER_BYTES = 8 * 1024
"""Request line and headers together; a browser's request to the counter is well under 2 KiB."""
MAX_PAGE_PATH_BYTES = 2 * 1024
MAX_QUERY_FIELDS = 8
VIEW_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
DAY_SECONDS = 24 * 60 * 60

TOP_DEFAULT, TOP_MAX = 5, 10
TOP_CANDIDATES = 200
"""Most-visited paths read from the store before untitled and removed pages are left out."""
TOP_CACHE_SECONDS = 60
NO_STORE = "no-store"
TOP_CACHE_CONTROL = "public, max-age=300"
# Built once: json.dumps with options would build an encoder on every answer.
JSON_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class HTTPError(Exception):
    def __init__(self, status: HTTPStatus, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


@dataclass(frozen=True)
class Caller:
    """Who asks and when; the address is only ever held in memory."""

    address: str
    user_agent: str
    at: float
    day: str


@dataclass(frozen=True)
class HitRequest:
    path: str
    view: str


Handler = Callable[[dict], dict]


@dataclass(frozen=True)
class Route:
    handlers: dict[str, Handler]
    cache_control: str = NO_STORE


class CounterApp:
    def __init__(self, config: Config, store: Store, clock: Clock = system_clock):
        self.config = config
        self.store = store
        self.clock = clock
        self.manifest = PageManifest(config.manifest_path)
        self.visitor_keys = VisitorKeys(store)
        self.trusted_proxies = TrustedProxies(config.trusted_proxies)
        self.rate_limiter = RateLimiter(config.rate_per_second, config.rate_burst)
        self.routes: dict[str, Route] = {
            "/api/hit": Route({"POST": self.hit}),
            "/api/stats": Route({"GET": self.stats}),
            "/api/top": Route({"GET": self.top}, TOP_CACHE_CONTROL),
            "/healthz": Route({"GET": self.health}),
        }
        self._top_cache: tuple[float, str, list[PageViews]] = (float("-inf"), "", [])

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        route = self.routes.get(environ.get("PATH_INFO", ""))
        headers = [("Vary", "Origin")]
        origin = environ.get("HTTP_ORIGIN")
        if origin in self.config.origins:
            headers.append(("Access-Control-Allow-Origin", origin))
        cache_control = NO_STORE
        try:
            status, body = HTTPStatus.OK, self._dispatch(route, environ)
            cache_control = route.cache_control
        except HTTPError as error:
            status, body = error.status, {"error": error.message}
            headers += error.headers
        except StoreUnavailable as error:
            log.error("store unavailable: %s", error)
            status, body = HTTPStatus.SERVICE_UNAVAILABLE, {"error": "store unavailable"}
        except Exception:
            log.exception("unexpected error")
            status, body = HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"}
        payload = JSON_ENCODER.encode(body).encode()
        headers += [("Cache-Control", cache_control), ("Content-Type", "application/json"),
                    ("Content-Length", str(len(payload)))]
        start_response(f"{status.value} {status.phrase}", headers)
        return [payload]

    def _dispatch(self, route: Route | None, environ: dict) -> dict:
        if header_bytes(environ) > MAX_HEADER_BYTES:
            raise HTTPError(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request headers too large")
        if route is None:
            raise HTTPError(HTTPStatus.NOT_FOUND, "not found")
        handler = route.handlers.get(environ.get("REQUEST_METHOD", ""))
        if handler is None:
            raise HTTPError(
                HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed", [("Allow", ", ".join(route.handlers))]
            )
        return handler(environ)

    def hit(self, environ: dict) -> dict:
        caller = self._admit(environ)
        request = parse_hit(read_body(environ))
        page = one_name(unquote(request.path))
        if self._is_countable(environ, caller, request.path, page):
            visitor = self.visitor_keys.key(caller.address, caller.user_agent, caller.day)
            stats = self.store.record(Hit(visitor, page, request.view, caller.at, caller.day))
        else:
            stats = self.store.stats(page, caller.at, caller.day)
        return self._figures(stats)

    def stats(self, environ: dict) -> dict:
        caller = self._admit(environ)
        page = one_name(unquote(parse_stats_path(environ.get("QUERY_STRING", ""))))
        return self._figures(self.store.stats(page, caller.at, caller.day))

    def top(self, environ: dict) -> dict:
        """The most-read pages of the last TOP_DAYS local days that the manifest lists with a title."""
        caller = self._admit(environ)
        limit = parse_top_limit(environ.get("QUERY_STRING", ""))
        pages = []
        for candidate in self._top_candidates(caller):
            title = self.manifest.title(candidate.path)
            if title:
                pages.append({"path": candidate.path, "title": title, "views": candidate.views})
                if len(pages) == limit:
                    break
        return {"pages": pages}

    def _top_candidates(self, caller: Caller) -> list[PageViews]:
        since_day = local_day(caller.at - (TOP_DAYS - 1) * DAY_SECONDS)
        read_at, cached_since, candidates = self._top_cache
        if cached_since != since_day or not 0 <= caller.at - read_at < TOP_CACHE_SECONDS:
            candidates = self.store.top(since_day, TOP_CANDIDATES)
            self._top_cache = (caller.at, since_day, candidates)
        return candidates

    def health(self, environ: dict) -> dict:
        self.store.check_health(self.clock())
        return {"status": "ok"}

    def _admit(self, environ: dict) -> Caller:
        """Refuse foreign origins and floods from one address; otherwise say who is asking, and when."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in self.config.origins:
            raise HTTPError(HTTPStatus.FORBIDDEN, "origin not allowed")
        at = self.clock()
        address = client_address(environ, self.trusted_proxies)
        if not self.rate_limiter.allow(address_network(address), at):
            raise HTTPError(HTTPStatus.TOO_MANY_REQUESTS, "too many requests", [("Retry-After", "1")])
        return Caller(address, environ.get("HTTP_USER_AGENT", ""), at, local_day(at))

    def _is_countable(self, environ: dict, caller: Caller, raw_path: str, page: str) -> bool:
        # Browsers always send Origin with a POST fetch; its absence means a
        # script, which is answered like any client but not counted.
        return (
            "HTTP_ORIGIN" in environ
            and not is_crawler(caller.user_agent)
            and not is_prefetch(environ)
            and len(raw_path.encode()) <= MAX_PAGE_PATH_BYTES
            and page in self.manifest
        )

    def _figures(self, stats: Stats) -> dict:
        return {
            "total": stats.total + self.config.offset,
            "online": stats.online,
            "today": stats.today,
            "page": stats.page,
        }


def header_bytes(environ: dict) -> int:
    """About the size of the request line and headers as they came over the wire."""
    size = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) + 16
    size += sum(len(name) + len(value) + 4 for name, value in environ.items() if name[:5] == "HTTP_")
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if name in environ:
            size += len(name) + len(str(environ[name])) + 4
    return size


def read_body(environ: dict) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise HTTPError(HTTPStatus.BAD_REQUEST, "invalid Content-Length") from None
    if length < 0:
        raise HTTPError(HTTPStatus.BAD_REQUEST, "invalid Content-Length")
    if length > MAX_BODY_BYTES:
        raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
    return environ["wsgi.input"].read(length)


def parse_hit(body: bytes) -> HitRequest:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise HTTPError(HTTPStatus.BAD_REQUEST, "body must be JSON") from None
    if not isinstance(data, dict):
        raise HTTPError(HTTPStatus.BAD_REQUEST, "body must be a JSON object")
    path, view = data.get("path"), data.get("view")
    if not isinstance(path, str) or not path.startswith("/") or not _is_unicode_text(path):
        raise HTTPError(HTTPStatus.BAD_REQUEST, "path must be a string starting with /")
    if not isinstance(view, str) or not VIEW_ID.fullmatch(view):
        raise HTTPError(HTTPStatus.BAD_REQUEST, "view must be 8 to 64 letters, digits, - or _")
    return HitRequest(path, view)


def _is_unicode_text(text: str) -> bool:
    """False for strings with lone surrogates, which JSON allows but UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_stats_path(query_string: str) -> str:
    try:
        paths = parse_qs(query_string, max_num_fields=MAX_QUERY_FIELDS).get("path", [])
    except ValueError:
        raise HTTPError(HTTPStatus.BAD_REQUEST, "too many query parameters") from None
    if len(paths) != 1 or not paths[0].startswith("/"):
        raise HTTPError(HTTPStatus.BAD_REQUEST, "give exactly one path starting with /")
    return paths[0]


def parse_top_limit(query_string: str) -> int:
    try:
        limits = parse_qs(query_string, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS).get("limit", [])
    except ValueError:
        raise HTTPError(HTTPStatus.BAD_REQUEST, "too many query parameters") from None
    if not limits:
        return TOP_DEFAULT
    if len(limits) != 1 or not limits[0].isascii() or not limits[0].isdigit() or not 1 <= int(limits[0]) <= TOP_MAX:
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"limit must be a whole number from 1 to {TOP_MAX}")
    return int(limits[0])


def create_app(config: Config | None = None, clock: Clock = system_clock) -> CounterApp:
    """Build the application; with no config, read COUNTER_* variables (for gunicorn)."""
    config = config or load_config()
    return CounterApp(config, open_store(config.database), clock)
