"""waitress's own error answers (malformed request, headers or body over its limits) in JSON.

waitress answers those itself, before any application runs, in text/plain.
Its channel takes the class that writes them from `error_task_class`; a
subclass of its ErrorTask writes the same status as {"error": "..."}. This
leans on waitress internals (HTTPChannel.error_task_class, ErrorTask,
Error.code/reason), so it is used only on the waitress versions it was
tested with; tests/counter/test_counter_server.py pins the result.
"""

import json
import logging
from importlib.metadata import version

from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

log = logging.getLogger(__name__)

TESTED_WAITRESS = ("3.0.",)


class JsonErrorTask(ErrorTask):
    def execute(self):
        error = self.request.error
        body = json.dumps({"error": error.reason.lower()}).encode()
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([
            ("Content-Type", "application/json"),
            ("Cache-Control", "no-store"),
            ("Vary", "Origin"),
        ])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    error_task_class = JsonErrorTask


def use_json_errors(server) -> bool:
    """Make every listening socket of a waitress `server` answer its errors in JSON; False if not possible."""
    installed = version("waitress")
    if not installed.startswith(TESTED_WAITRESS):
        log.warning("waitress %s is untested: its own error answers stay text/plain", installed)
        return False
    # One listener (BaseWSGIServer), or a MultiSocketServer holding several in its map.
    sockets = getattr(server, "map", None) or {None: server}
    listeners = [dispatcher for dispatcher in sockets.values() if isinstance(dispatcher, BaseWSGIServer)]
    for listener in listeners:
        listener.channel_class = JsonErrorChannel
    return bool(listeners)
