"""Content-Security-Policy: only the site's own scripts run, whatever reaches a page.

The sanitizer keeps pasted scripts out of the HTML; the policy is the second
lock, in case anything slips through: scripts only from the site's own files
(and the one inline script of <head>, allowed by its hash), no plugins, frames
only from SANITIZER_IFRAME_HOSTS, connections only to the site and the visit
counter. Templates put it in a <meta http-equiv> tag; the same policy belongs in
the web server's Content-Security-Policy header (README, "Triển khai").
"""

import base64
import hashlib
from urllib.parse import urlsplit

from pelican import signals

# Scripts the templates write inline, by name; each is allowed by its hash.
INLINE_SCRIPTS = {
    # Before the first paint, so what only works with scripts (the phone menu's button) is laid out once.
    "js_class": 'document.documentElement.classList.add("js")',
}


def script_hash(script):
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(settings):
    counter = origin(settings.get("VISIT_COUNTER_URL", ""))
    frames = " ".join(f"https://{host}" for host in settings.get("SANITIZER_IFRAME_HOSTS", []))
    directives = [
        "default-src 'self'",
        # Pagefind's search runs WebAssembly, which needs 'wasm-unsafe-eval' (no JavaScript eval).
        "script-src 'self' " + " ".join(script_hash(script) for script in INLINE_SCRIPTS.values())
        + " 'wasm-unsafe-eval'",
        "style-src 'self'",
        # Python-Markdown aligns table cells with style="text-align: …" (the only style the sanitizer keeps).
        "style-src-attr 'unsafe-inline'",
        "img-src 'self'",
        "connect-src 'self'" + (f" {counter}" if counter else ""),
        "frame-src " + (frames or "'none'"),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
    return "; ".join(directives)


def add_policy_to_templates(pelican):
    settings = pelican.settings
    jinja_globals = dict(settings.get("JINJA_GLOBALS", {}))
    jinja_globals["CONTENT_SECURITY_POLICY"] = content_security_policy(settings)
    jinja_globals["INLINE_SCRIPTS"] = dict(INLINE_SCRIPTS)
    settings["JINJA_GLOBALS"] = jinja_globals


def register():
    signals.initialized.connect(add_policy_to_templates)
