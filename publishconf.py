"""Production settings: pelicanconf.py plus what only the public site needs.

Every value a host may need to change comes from an environment variable (the
README's deployment table lists them); unset or empty means the default here.
"""

from pathlib import Path
from urllib.parse import urlsplit
import os
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403
from pelicanconf import PLUGINS  # noqa: E402  (named for linters: extended below)


def from_environment(name, default):
    return os.environ.get(name, "").strip() or default


# The public address is the host's to say; the example domain keeps a clean
# checkout buildable and is obviously not the real one.
SITEURL = from_environment("SITE_URL", "https://example.org").rstrip("/")
RELATIVE_URLS = False
# Feeds carry absolute links to SITEURL.
FEED_DOMAIN = SITEURL

# The visit counter service; empty hides the widget.
VISIT_COUNTER_URL = from_environment("COUNTER_URL", "")
_site = urlsplit(SITEURL)
# Origins whose pages may call the counter (the counter service's CORS list).
COUNTER_ALLOWED_ORIGINS = [
    origin.strip().rstrip("/")
    for origin in from_environment("COUNTER_ALLOWED_ORIGINS", f"{_site.scheme}://{_site.netloc}").split(",")
    if origin.strip()
]

# .gz and .br next to every text file, for hosts that serve them as they are
# (nginx gzip_static/brotli_static, Caddy precompressed). zlib's gzip header
# carries no time, so the output stays byte-identical from build to build.
PLUGINS = [*PLUGINS, "pelican.plugins.precompress"]
PRECOMPRESS_GZIP = True
PRECOMPRESS_BROTLI = True
PRECOMPRESS_ZOPFLI = False
PRECOMPRESS_ZSTANDARD = False
PRECOMPRESS_TEXT_EXTENSIONS = {".html", ".css", ".js", ".xml", ".json"}

# /admin/ (Decap CMS, plugins/cms_admin) commits through the host's Git service;
# the README's "Soạn bài trên trình duyệt" section says how to set each one up.
# Without CMS_BACKEND the public site has no /admin/.
CMS_ADMIN = bool(from_environment("CMS_BACKEND", ""))
CMS_BACKEND = {
    key: value for key, value in {
        "name": from_environment("CMS_BACKEND", ""),          # github or gitlab
        "repo": from_environment("CMS_REPO", ""),             # owner/name
        "branch": from_environment("CMS_BRANCH", "main"),
        "base_url": from_environment("CMS_AUTH_URL", ""),     # GitHub: the OAuth client's address
        "auth_endpoint": from_environment("CMS_AUTH_ENDPOINT", ""),
        "auth_type": from_environment("CMS_AUTH_TYPE", "pkce" if from_environment("CMS_BACKEND", "") == "gitlab" else ""),
        "app_id": from_environment("CMS_APP_ID", ""),         # GitLab: the OAuth application's id
        "api_root": from_environment("CMS_API_ROOT", ""),     # a self-hosted GitLab's API
    }.items() if value
}
# Bản nháp → Chờ duyệt → Sẵn sàng: a saved article is a pull (merge) request until a leader publishes it.
CMS_PUBLISH_MODE = "editorial_workflow"
