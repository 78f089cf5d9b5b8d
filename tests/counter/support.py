"""Helpers for the counter tests: a fake clock and an in-process WSGI client."""

import io
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from counter.app import CounterApp

SITE_ORIGIN = "https://mttq.example"
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
PAGE = "/tin-tuc/abc.html"
OTHER_PAGE = "/tin-tuc/xyz.html"
PROXY = "10.0.0.1"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class FakeClock:
    def __init__(self, start: datetime):
        self.now = start.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def set(self, moment: datetime) -> None:
        self.now = moment.timestamp()


def local_time(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: dict = field(default_factory=dict)


class WsgiClient:
    """Calls the WSGI application in-process, as a browser at `address` would."""

    def __init__(self, app: CounterApp):
        self.app = app

    def request(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        body: bytes = b"",
        address: str = "203.0.113.7",
        user_agent: str | None = BROWSER_UA,
        origin: str | None = SITE_ORIGIN,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_ADDR": address,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "text/plain;charset=UTF-8",
            "wsgi.input": io.BytesIO(body),
        }
        if user_agent is not None:
            environ["HTTP_USER_AGENT"] = user_agent
        if origin is not None:
            environ["HTTP_ORIGIN"] = origin
        environ.update(headers or {})
        captured = {}

        def start_response(status, response_headers):
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(response_headers)

        payload = b"".join(self.app(environ, start_response))
        return Answer(captured["status"], captured["headers"], json.loads(payload))

    def hit(self, path: str = PAGE, view: str | None = None, **options) -> Answer:
        body = json.dumps({"path": path, "view": view or secrets.token_hex(16)}).encode()
        return self.request("POST", "/api/hit", body=body, **options)

    def stats(self, path: str = PAGE, **options) -> Answer:
        return self.request("GET", "/api/stats", query=f"path={path}", **options)
