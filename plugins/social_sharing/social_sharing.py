"""Sharing: canonical URLs, Open Graph and Twitter tags, and plain share links.

Share links are ordinary links to each service's share address: no third-party
script is loaded, so pages stay light and private. Facebook documents its
sharer URL. Zalo's share button needs its SDK script and an Official Account
id, and no script-free share address of Zalo's was found documented: the link
uses sp.zalo.me/share_to_zalo?url=…, the address sites commonly use without
the script. SOCIAL_SHARING = {"services": {...}} replaces the addresses.

Open Graph wants absolute URLs; in development SITEURL is empty, so the feed
domain (the local server's address) stands in for it.
"""

from functools import partial
from urllib.parse import quote, urljoin
import re

from lxml import html as lxml_html
from pelican import signals

from site_core.urls import canonical_path

SOCIAL_SHARING_DEFAULTS = {
    "services": {
        "facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
        "zalo": "https://sp.zalo.me/share_to_zalo?url={url}",
    },
    "default_image": "theme/img/logo.png",
}


IMAGE_TAG = re.compile(r"<img\b", re.IGNORECASE)


def first_image_src(html):
    """The src of the first image in an article's HTML, or "" when it has none."""
    if not html or not IMAGE_TAG.search(html):  # most articles: no parse at all
        return ""
    return lxml_html.fragment_fromstring(html, create_parent="div").xpath("string((.//img[@src])[1]/@src)")


def absolute_url(base, path):
    """`path` (absolute, root-relative or relative to the site root) as an absolute URL."""
    return urljoin(base.rstrip("/") + "/", path.lstrip("/")) if "://" not in path else path


def share_link(url, service, services):
    return services[service].format(url=quote(url, safe=""))


def add_sharing_to_templates(pelican):
    settings = pelican.settings
    sharing = {**SOCIAL_SHARING_DEFAULTS, **settings.get("SOCIAL_SHARING", {})}
    siteurl = settings["SITEURL"]
    base = siteurl if "://" in siteurl else settings.get("FEED_DOMAIN") or siteurl
    jinja_globals = dict(settings.get("JINJA_GLOBALS", {}))
    jinja_globals["ABSOLUTE_SITEURL"] = base.rstrip("/")
    jinja_globals["SHARE_SERVICES"] = list(sharing["services"])
    jinja_globals["SHARE_DEFAULT_IMAGE"] = sharing["default_image"]
    settings["JINJA_GLOBALS"] = jinja_globals
    jinja_filters = dict(settings.get("JINJA_FILTERS", {}))
    jinja_filters["first_image_src"] = first_image_src
    jinja_filters["absolute_url"] = partial(absolute_url, base)
    jinja_filters["canonical_path"] = canonical_path
    jinja_filters["share_link"] = partial(share_link, services=sharing["services"])
    settings["JINJA_FILTERS"] = jinja_filters


def register():
    signals.initialized.connect(add_sharing_to_templates)
