"""Serve a built site (or a small WSGI stand-in) over HTTP on loopback, as any static host would."""

from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class QuietWSGIHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def running(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve_folder(folder, port=0):
    return running(ThreadingHTTPServer(("127.0.0.1", port), partial(QuietHandler, directory=str(folder))))


def serve_wsgi(app):
    return running(make_server("127.0.0.1", 0, app, handler_class=QuietWSGIHandler))
