"""The HTTP face of the counter: routing, CORS, validation, JSON in and out.

Every answer, errors included, is a small JSON object with Cache-Control:
no-store and Vary: Origin, and carries Access-Control-Allow-Origin only for an
allowlisted origin.
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
from counter.manifest import PageManifest
from counter.ratelimit import RateLimiter
from counter.sqlite_store import SQLiteStore
from counter.store import Hit, Stats, Store, StoreUnavailable
from counter.visitors import VisitorKeys, client_address

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 8 * 1024
MAX_PAGE_PATH_BYTES = 2 * 1024
MAX_QUERY_FIELDS = 8
VIEW_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class HTTPError(Exception):
    def __init__(self, status: HTTPStatus, message: str, headers: Iterable[tuple[str, str]] = ()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = list(headers)


@dataclass(frozen=True)
class Visitor:
    key: str
    user_agent: str
    at: float
    day: str


@dataclass(frozen=True)
class HitRequest:
    path: str
    view: str


Handler = Callable[[dict], dict]


class CounterApp:
    def __init__(self, config: Config, store: Store, clock: Clock = system_clock):
        self.config = config
        self.store = store
        self.clock = clock
        self.manifest = PageManifest(config.manifest_path)
        self.visitor_keys = VisitorKeys(store)
        self.rate_limiter = RateLimiter(config.rate_per_second, config.rate_burst)
        self.routes: dict[str, dict[str, Handler]] = {
            "/api/hit": {"POST": self.hit},
            "/api/stats": {"GET": self.stats},
            "/healthz": {"GET": self.health},
        }

    def __call__(self, environ: dict, start_response) -> list[bytes]:
        headers = [("Cache-Control", "no-store"), ("Vary", "Origin")]
        origin = environ.get("HTTP_ORIGIN")
        if origin in self.config.origins:
            headers.append(("Access-Control-Allow-Origin", origin))
        try:
            status, body = HTTPStatus.OK, self._dispatch(environ)
        except HTTPError as error:
            status, body = error.status, {"error": error.message}
            headers += error.headers
        except StoreUnavailable as error:
            log.error("store unavailable: %s", error)
            status, body = HTTPStatus.SERVICE_UNAVAILABLE, {"error": "store unavailable"}
        except Exception:
            log.exception("unexpected error")
            status, body = HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"}
        payload = json.dumps(body, separators=(",", ":")).encode()
        headers += [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        start_response(f"{status.value} {status.phrase}", headers)
        return [payload]

    def _dispatch(self, environ: dict) -> dict:
        handlers = self.routes.get(environ.get("PATH_INFO", ""))
        if handlers is None:
            raise HTTPError(HTTPStatus.NOT_FOUND, "not found")
        handler = handlers.get(environ.get("REQUEST_METHOD", ""))
        if handler is None:
            raise HTTPError(
                HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed", [("Allow", ", ".join(handlers))]
            )
        return handler(environ)

    def hit(self, environ: dict) -> dict:
        visitor = self._admit(environ)
        request = parse_hit(read_body(environ))
        page = unquote(request.path)
        if self._is_countable(environ, visitor, request.path, page):
            stats = self.store.record(Hit(visitor.key, page, request.view, visitor.at, visitor.day))
        else:
            stats = self.store.stats(page, visitor.at, visitor.day)
        return self._figures(stats)

    def stats(self, environ: dict) -> dict:
        visitor = self._admit(environ)
        page = unquote(parse_stats_path(environ.get("QUERY_STRING", "")))
        return self._figures(self.store.stats(page, visitor.at, visitor.day))

    def health(self, environ: dict) -> dict:
        self.store.ping()
        return {"status": "ok"}

    def _admit(self, environ: dict) -> Visitor:
        """Refuse foreign origins and floods; otherwise say who is asking, and when."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin not in self.config.origins:
            raise HTTPError(HTTPStatus.FORBIDDEN, "origin not allowed")
        at = self.clock()
        day = local_day(at)
        user_agent = environ.get("HTTP_USER_AGENT", "")
        address = client_address(environ, self.config.trusted_proxies)
        visitor = Visitor(self.visitor_keys.key(address, user_agent, day), user_agent, at, day)
        if not self.rate_limiter.allow(visitor.key, at):
            raise HTTPError(HTTPStatus.TOO_MANY_REQUESTS, "too many requests", [("Retry-After", "1")])
        return visitor

    def _is_countable(self, environ: dict, visitor: Visitor, raw_path: str, page: str) -> bool:
        # Browsers always send Origin with a POST fetch; its absence means a
        # script, which is answered like any client but not counted.
        return (
            "HTTP_ORIGIN" in environ
            and not is_crawler(visitor.user_agent)
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


def create_app(config: Config | None = None, clock: Clock = system_clock) -> CounterApp:
    """Build the application; with no config, read COUNTER_* variables (for gunicorn)."""
    config = config or load_config()
    return CounterApp(config, SQLiteStore(config.db_path), clock)
