"""The benchmark's ceiling: the same server stack answering a constant counter reply."""

BODY = b'{"total":1,"online":1,"today":1,"page":1}'
HEADERS = [
    ("Content-Type", "application/json"),
    ("Content-Length", str(len(BODY))),
    ("Cache-Control", "no-store"),
    ("Vary", "Origin"),
]


def app(environ, start_response):
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", HEADERS)
    return [BODY]
