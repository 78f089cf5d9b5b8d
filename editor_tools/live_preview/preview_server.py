"""The preview's web server: the built site, a reload channel and the error overlay.

Why not the `livereload` package (2.7.1, what Pelican's quickstart uses): its
`LiveReloadHandler.poll_tasks` ignores every change that comes within
`DEFAULT_RELOAD_TIME` (3 s) of the last reload, so a second save is never shown;
its watcher compares file times, which misses photos copied with their old date
and same-length corrections on 2-second file systems; and it runs the rebuild on
its one event-loop thread, so the site stops answering during a full build. It
also has no way to show a build error on the page. `pelican --listen` has no
reload at all. What the preview needs is small: static files, one page-to-server
message stream (Server-Sent Events, which browsers reconnect by themselves) and
an HTML tweak, so it is the standard library's threaded HTTP server.

Every HTML page (the site's own 404 page included, for an address that does not
exist yet) gets `preview.js`, which reloads the page after each successful
rebuild, swaps stylesheets in place after a CSS change, and shows the build's
problems over the last good page until they are fixed.
"""

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit
import json
import mimetypes
import os
import posixpath
import threading
import time
import uuid

PREFIX = "/__xem-truoc/"
EVENTS_PATH = PREFIX + "su-kien"
SCRIPT_PATH = PREFIX + "preview.js"
SCRIPT = (Path(__file__).with_name("preview.js")).read_bytes()
HEARTBEAT_SECONDS = 15
# While the output folder is being replaced (two renames) or built the first time.
OUTPUT_WAIT_SECONDS = 3


class PreviewEvents:
    """What the open pages must know: a token that changes with every good build,
    the current problems, and the last message, for every page's event stream."""

    def __init__(self, labels=None):
        self.condition = threading.Condition()
        self.session = uuid.uuid4().hex[:8]
        self.generation = 0
        self.problems = []
        self.search_pending = False
        self.labels = labels or {}
        self.number = 0
        self.message = None
        self.closed = False

    @property
    def token(self):
        return f"{self.session}-{self.generation}"

    def state(self):
        return {"type": "state", "token": self.token, "problems": self.problems,
                "search_pending": self.search_pending, "labels": self.labels}

    def publish(self, message):
        with self.condition:
            self.number += 1
            self.message = message
            self.condition.notify_all()

    def built(self, search_pending=False):
        """A good build: every page reloads, problems are gone."""
        with self.condition:
            self.generation += 1
            self.problems = []
            self.search_pending = search_pending
        self.publish({"type": "reload", "token": self.token, "search_pending": search_pending})

    def failed(self, problems):
        with self.condition:
            self.problems = list(problems)
        self.publish(self.state())

    def stylesheets(self, paths):
        self.publish({"type": "css", "paths": list(paths)})

    def search_ready(self):
        with self.condition:
            self.search_pending = False
        self.publish(self.state())

    def close(self):
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def next_after(self, number, timeout):
        """(number, message) of the latest message after `number`, or None on timeout or close."""
        with self.condition:
            self.condition.wait_for(lambda: self.closed or self.number != number, timeout=timeout)
            if self.closed or self.number == number:
                return None
            return self.number, self.message


def with_preview_script(html, token):
    tag = f'<script src="{SCRIPT_PATH}?t={token}" data-preview-token="{token}" defer></script>'.encode()
    end = html.lower().rfind(b"</body>")
    return html[:end] + tag + html[end:] if end >= 0 else html + tag


NOT_FOUND_FALLBACK = ("<!doctype html><html lang=vi><meta charset=utf-8><title>Không tìm thấy trang</title>"
                      "<p>Không tìm thấy trang. Trang sẽ tự hiện khi bản dựng có nó.</p></html>").encode()


class PreviewHandler(BaseHTTPRequestHandler):
    server_version = "xem-truoc"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass  # one line per request would bury the build messages

    def do_HEAD(self):
        self.do_GET(body=False)

    def do_GET(self, body=True):
        path = unquote(urlsplit(self.path).path)
        try:
            if path == EVENTS_PATH:
                return self.stream_events()
            if path == SCRIPT_PATH:
                return self.reply(HTTPStatus.OK, "text/javascript; charset=utf-8", SCRIPT, body)
            return self.serve_file(path, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def reply(self, status, content_type, data, body=True, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def resolve(self, path):
        """The file under the output folder for a URL path, or None; never outside it."""
        output = self.server.output
        parts = [part for part in posixpath.normpath(path).split("/") if part not in ("", ".")]
        if ".." in parts or any("\0" in part or os.sep in part for part in parts):
            return None
        candidate = os.path.join(output, *parts)
        if os.path.isdir(candidate):
            candidate = os.path.join(candidate, "index.html")
        real_output = os.path.realpath(output)
        if os.path.commonpath([os.path.realpath(candidate), real_output]) != real_output:
            return None
        return candidate if os.path.isfile(candidate) else None

    def serve_file(self, path, body):
        output = self.server.output
        deadline = time.monotonic() + OUTPUT_WAIT_SECONDS
        while not os.path.isdir(output) and time.monotonic() < deadline:
            time.sleep(0.02)
        if os.path.isdir(os.path.join(output, *[p for p in path.split("/") if p not in ("", ".", "..")])) \
                and not path.endswith("/"):
            return self.reply(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8", b"", body,
                              extra=[("Location", path + "/")])
        found = self.resolve(path)
        status = HTTPStatus.OK
        if found is None:
            status, found = HTTPStatus.NOT_FOUND, self.resolve("/404.html")
        try:
            data = Path(found).read_bytes() if found else NOT_FOUND_FALLBACK
        except OSError:  # replaced between the check and the read
            status, data, found = HTTPStatus.NOT_FOUND, NOT_FOUND_FALLBACK, None
        content_type = mimetypes.guess_type(found or "x.html")[0] or "application/octet-stream"
        if content_type == "text/html":
            data = with_preview_script(data, self.server.events.token)
        if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
            content_type += "; charset=utf-8"
        self.reply(status, content_type, data, body)

    def stream_events(self):
        events = self.server.events
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        number = events.number
        self.send_event(events.state())
        while not events.closed:
            latest = events.next_after(number, HEARTBEAT_SECONDS)
            if latest is None:
                if events.closed:
                    break
                self.wfile.write(b": ping\n\n")
                self.wfile.flush()
                continue
            number, message = latest
            self.send_event(message)

    def send_event(self, message):
        self.wfile.write(b"data: " + json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n\n")
        self.wfile.flush()


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, output, events, host="localhost", port=0):
        self.output = str(output)
        self.events = events
        super().__init__((host, port), PreviewHandler)

    @property
    def port(self):
        return self.server_address[1]

    def start(self):
        thread = threading.Thread(target=self.serve_forever, name="xem-truoc", daemon=True)
        thread.start()
        return thread

    def stop(self):
        self.events.close()
        self.shutdown()
        self.server_close()
