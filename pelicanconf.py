"""Development settings: safe defaults for building and previewing on one machine.

publishconf.py starts from these and overrides only what production needs.
Paths are made absolute from this file's folder, so the settings work from any
working directory and from test settings files that import them.
"""

from pathlib import Path
import os
import sys

SITE_ROOT = Path(__file__).resolve().parent
# Plugins import the shared core (site_core/) and editor_tools/ from the repository root.
for importable in (SITE_ROOT, SITE_ROOT / "plugins"):
    if str(importable) not in sys.path:
        sys.path.insert(0, str(importable))

SITENAME = "Ủy ban MTTQ Việt Nam tỉnh Phú Yên"
SITESUBTITLE = "Trang thông tin điện tử"
SITEURL = ""
# Root-relative links ("/tin-tuc/…"): they work on every page, the 404 page included.
RELATIVE_URLS = False

PATH = str(SITE_ROOT / "content")
OUTPUT_PATH = str(SITE_ROOT / "output")
THEME = str(SITE_ROOT / "theme")
PLUGIN_PATHS = [str(SITE_ROOT / "plugins")]
# Listed explicitly: Pelican would otherwise load every namespace plugin installed.
PLUGINS = [
    # First: its clock starts before the content check reads the files.
    "build_progress",
    "reproducible_sitemap",
    "site_labels",
    "category_registry",
    "news_summary",
    "related_news",
    "front_page",
    "heading_anchors",
    "agencies",
    "content_check",
    "static_files",
    "build_completeness",
    "reproducible_feeds",
    "redirects",
    "first_page_redirects",
    "visit_counter",
    "social_sharing",
    "content_security",
    # /admin/: Decap CMS with its configuration made from the registry and the schema.
    "cms_admin",
    # After every plugin that changes an article's HTML: photos get their final markup last.
    "photos",
    # Speed: the same output in less time (docs/ARCHITECTURE.md, "Speed").
    "speedups",
    # Last: the Pagefind index of "Tìm kiếm" covers what every other plugin wrote.
    "site_search",
]

DEFAULT_LANG = "vi"
TIMEZONE = "Asia/Ho_Chi_Minh"
# Numeric format: needs no vi_VN locale, which CI machines do not have.
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
DEFAULT_DATE = None

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
from site_core.reader import SourceMarkdownReader  # noqa: E402  (on sys.path from here on)

# Only Markdown: the RST reader warns on every build that Docutils lacks Vietnamese.
# Markdown files are read from the header and body the content check already
# parsed (site_core/reader.py), their HTML sanitized (site_core/sanitizer.py).
READERS = {"rst": None, "html": None,
           **{extension: SourceMarkdownReader for extension in SourceMarkdownReader.file_extensions}}
# Embedded frames (<iframe>) are allowed from these hosts only: YouTube's privacy-enhanced host.
SANITIZER_IFRAME_HOSTS = ["www.youtube-nocookie.com"]
# What is copied from STATIC_PATHS: photos and the attachments editors link to (never .md, .svg or .html).
# (HEIC and TIFF photos pass here; plugins/photos converts or refuses them with its own fix.)
STATIC_FILE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp", "avif", "heic", "heif", "tif", "tiff", "bmp",
                          "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods"]

from site_core.ordering import newest_first_key  # noqa: E402

# Every listing newest first; articles of the same moment by slug, a to z (site_core/ordering.py).
ARTICLE_ORDER_BY = newest_first_key

# Stable, ASCII URLs. The slug comes from the file name, so correcting a title
# never moves an article.
SLUGIFY_SOURCE = "basename"
ARTICLE_URL = "tin-tuc/{slug}.html"
ARTICLE_SAVE_AS = "tin-tuc/{slug}.html"
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = "chuyen-muc/{slug}/index.html"
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang-{number}/", "{base_name}/trang-{number}/index.html"),
)
DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"category": None, "period_archives": None}
# Page numbers shown either side of the current one in a pager.
PAGER_WINDOW = 2

# Categories come from the registry, never from folder names or a silent default.
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = ""
CATEGORY_REGISTRY_FILE = "categories.toml"

# Pages nobody links are not written (the theme has no tag, author or archive pages).
DIRECT_TEMPLATES = ["index", "404", "search", "site_map", "robots", "archives"]
SEARCH_URL = "tim-kiem.html"
SEARCH_SAVE_AS = "tim-kiem.html"
SITE_MAP_URL = "so-do-trang.html"
SITE_MAP_SAVE_AS = "so-do-trang.html"
# Plain text from templates/robots.html: crawlers are pointed at sitemap.xml.
ROBOTS_SAVE_AS = "robots.txt"
# The Pagefind index behind "Tìm kiếm"; the editor preview skips it between full writes.
SEARCH_INDEX = True
# The last index kept in cache/ and reused while the indexed pages are unchanged.
SEARCH_INDEX_CACHE = True
# The index in shards of this many years of articles (0: one index), each reused while its pages are unchanged.
SEARCH_SHARD_YEARS = 1
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
# The archive by year and month: one index of every year's months, then Pelican's own
# month pages, paginated. No year pages: they would list every article a second time.
ARCHIVES_URL = "luu-tru/"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = ""

# Drafts and future-dated articles are never written.
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
# ... except by the editor preview (`invoke livereload`), which writes drafts and
# scheduled articles here, with a banner; `invoke new` prints the address.
PREVIEW_DRAFT_URL = "ban-nhap/{slug}.html"

FEED_DOMAIN = "http://localhost:8000"
FEED_ALL_ATOM = "feeds/tat-ca.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
FEED_ALL_RSS = None
CATEGORY_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
FEED_MAX_ITEMS = 20

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.3},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
    "exclude": [r"^404\.html$"],
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
        # A numbered list keeps its first number ("3.") and is not merged into a bulleted list after it.
        "markdown.extensions.sane_lists": {},
        "pymdownx.blocks.caption": {"auto": False},
    },
    "output_format": "html5",
}

# Typogrify helps Vietnamese only with these filters off: "caps" knows A–Z only
# and half-wraps "VIỆT NAM"; "widont" glues &nbsp; into every title.
TYPOGRIFY = True
TYPOGRIFY_OMIT_FILTERS = ["caps", "widont", "initial_quotes"]
TYPOGRIFY_DASHES = "oldschool"

# The visit counter that `make serve` starts beside the site (`invoke counter`);
# an empty URL hides the widget. publishconf.py takes it from COUNTER_URL.
VISIT_COUNTER_URL = "http://127.0.0.1:8001"
# "Tin đọc nhiều": how many of the counter's most read pages (last 7 days) the sidebar lists.
MOST_READ_COUNT = 5

# Output folders for editors, not readers: the counter manifest and the search
# index leave them out (the sitemap and feeds list only what Pelican writes).
EDITOR_ONLY_PATHS = ["admin"]

# /admin/ (plugins/cms_admin): Decap CMS. Here it edits this working copy through
# decap-server, which `make serve` starts beside the site (no login);
# publishconf.py takes the production backend from the environment.
CMS_ADMIN = True
CMS_ADMIN_PATH = "admin"
CMS_PROXY_PORT = int(os.environ.get("CMS_PROXY_PORT", "8081"))
CMS_BACKEND = {"name": "proxy", "proxy_url": f"http://127.0.0.1:{CMS_PROXY_PORT}/api/v1", "branch": "main"}
CMS_PUBLISH_MODE = "simple"

RELATED_NEWS_COUNT = 8
NEWS_SUMMARY_WORDS = 45
# The home page: a lead story, `secondary` stories with photos, then `per_category` more per category.
FRONT_PAGE = {"secondary": 4, "per_category": 4}
# The `sizes` of the home page's photos: the lead fills the main column, thumbnails a quarter of it.
PHOTO_SIZES = {"lead": "(min-width: 60rem) 52rem, 100vw", "thumb": "(min-width: 60rem) 13rem, (min-width: 40rem) 45vw, 100vw"}
LABELS_FILE = str(SITE_ROOT / "theme" / "labels.toml")

import jinja2  # noqa: E402  (settings files are plain modules; this one needs the class)

JINJA_ENVIRONMENT = {
    "undefined": jinja2.StrictUndefined,
    "trim_blocks": True,
    "lstrip_blocks": True,
}

CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
DELETE_OUTPUT_DIRECTORY = True

# The speed-ups (plugins/speedups): reading and rendering on all cores, converted
# Markdown kept in cache/, linear category listings. Same
# output, less time; each part's figure is in bench/RESULTS.md. They switch
# themselves off, with one warning, on a Pelican they were not tested with.
SPEEDUPS = True
# With them, a build whose inputs are all unchanged restores the last output from cache/
# (speedups/output_cache.py); Pelican's PELICAN_CLASS is how it runs before the plugins.
PELICAN_CLASS = "speedups.CachedPelican"
OUTPUT_CACHE = True
# Rendering helpers start only while the build stays under this much memory.
# The search index alone needs more wherever the helpers come near it (Pagefind:
# 1.2 GB at 5,000 articles), so they never raise a full build's peak; the budget
# matters for builds without the index. At 300 MiB it stopped the helpers from
# 10,000 articles on, and writing took 10.9 s instead of 7.5 s.
PARALLEL_WRITING_MEMORY_MIB = 1024
# One language, no translations: Pelican's translation matching (quadratic in the
# number of articles) has nothing to find.
ARTICLE_TRANSLATION_ID = None
PAGE_TRANSLATION_ID = None
