"""Production settings: pelicanconf.py plus what only the public site needs."""

from pathlib import Path
import os
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403

# The public address is the host's to say; the example domain keeps a clean
# checkout buildable and is obviously not the real one.
SITEURL = os.environ.get("SITE_URL", "https://example.org").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL
