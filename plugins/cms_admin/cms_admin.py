"""/admin/: Decap CMS, an editor in the browser that commits the same Markdown files.

At the end of every build this plugin copies Decap's bundle (installed from npm,
pinned in package-lock.json) into OUTPUT_PATH/admin/, with our own scripts (the
Pelican header format, the preview, the captioned photo) and two generated
files: index.html (noindex, a Content-Security-Policy that lets the page talk to
no host but its own and the backend's) and config.yml, made from what exists:
one collection per category of content/categories.toml, one for agency profiles
and one for pages, their fields from the project's schema of keys. Adding a
category or an agency therefore needs no change here.

The admin is for editors, not readers: its folder is listed in EDITOR_ONLY_PATHS,
which the sitemap, the search index and the counter manifest leave out; it is
written straight to disk, not through Pelican's writer, so no feed sees it.
"""

from dataclasses import dataclass
import hashlib
import json
import os
from pathlib import Path
import shutil
from urllib.parse import urlsplit

from pelican import signals
import yaml

from .schema_keys import keys_by_kind

SITE_ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).resolve().parent / "static"
OUR_SCRIPTS = ("cms-admin.js", "pelican-format.js")

CMS_DEFAULTS = {
    "CMS_ADMIN": True,
    "CMS_ADMIN_PATH": "admin",
    # npm's copy of the bundle: `npm ci --ignore-scripts` puts it there.
    "CMS_BUNDLE_PATH": str(SITE_ROOT / "node_modules" / "decap-cms" / "dist"),
    # The folder the backend's paths start from (the repository's root): content/ is inside it.
    "CMS_REPOSITORY_ROOT": None,
    "CMS_BACKEND": {"name": "proxy", "proxy_url": "http://127.0.0.1:8081/api/v1", "branch": "main"},
    "CMS_PUBLISH_MODE": "simple",
    # Hosts the admin page may call besides its own (the backend's API); derived from CMS_BACKEND when empty.
    "CMS_CONNECT_ORIGINS": [],
}

# Where each backend's API lives when CMS_BACKEND does not say (Decap's own defaults).
DEFAULT_API_ORIGINS = {"github": ["https://api.github.com"], "gitlab": ["https://gitlab.com"]}


class ConfigDumper(yaml.SafeDumper):
    """YAML an editor can read: the same option list twice is written twice, not as an alias."""

    def ignore_aliases(self, data):
        return True


class CmsAdminUnavailable(Exception):
    exitcode = 1


# What each production backend cannot work without, and the variable that sets it (publishconf.py).
BACKEND_NEEDS = {"github": ("repo", "base_url"), "gitlab": ("repo", "app_id")}
BACKEND_ENVIRONMENT = {"repo": "CMS_REPO", "base_url": "CMS_AUTH_URL", "app_id": "CMS_APP_ID"}


# The editors' words for each key of the schema, and the widget that edits it.
# A key of the schema missing here still gets a field: a plain line of text.
FIELD_LABELS = {
    "Title": "Tiêu đề", "Date": "Ngày đăng", "Category": "Chuyên mục", "Author": "Tác giả",
    "Summary": "Tóm tắt", "Status": "Trạng thái", "Slug": "Đường dẫn (slug)", "Modified": "Ngày sửa",
    "Agencies": "Cơ quan, đơn vị trong bài", "Redirect_from": "Đường dẫn cũ",
    "Template": "Mẫu trang", "Save_as": "Lưu thành tệp",
    "Short_name": "Tên viết tắt", "Kind": "Loại cơ quan", "Valid_from": "Hoạt động từ ngày",
    "Valid_until": "Hợp nhất hoặc giải thể từ ngày", "Successor": "Cơ quan kế thừa",
    "Former_names": "Các tên gọi trước đây", "Website": "Website", "Logo": "Logo (đường dẫn ảnh)",
    "Address": "Địa chỉ", "Phone": "Điện thoại", "Email": "Thư điện tử",
}
FIELD_HINTS = {
    "Author": "Viết thường có dấu (Nguyên Lưu); trang web tự in hoa ở cuối bài.",
    "Summary": "Bỏ trống thì lấy khoảng 45 chữ đầu của bài.",
    "Slug": "Chỉ khi muốn đường dẫn khác tên tệp: chữ thường không dấu, nối bằng gạch ngang.",
    "Agencies": "Chọn các cơ quan được nêu trong bài.",
    "Redirect_from": "Khi bài đổi đường dẫn: các đường dẫn cũ, ví dụ /tin-tuc/ten-cu.html.",
    "Former_names": "Cách nhau bằng dấu chấm phẩy: Tên cũ (đến 2012-01-01); Tên cũ hơn",
    "Logo": "Tính từ thư mục content, ví dụ images/co-quan/bao-phu-yen.png.",
}
ARTICLE_STATUSES = [
    {"label": "Đăng (published)", "value": "published"},
    {"label": "Bản nháp, không đăng (draft)", "value": "draft"},
    {"label": "Có trang nhưng không hiện trong danh sách (hidden)", "value": "hidden"},
]
AGENCY_STATUSES = [
    {"label": "Đang hoạt động (active)", "value": "active"},
    {"label": "Đã hợp nhất (merged)", "value": "merged"},
    {"label": "Đã giải thể (dissolved)", "value": "dissolved"},
]
MULTI_VALUED = ("Agencies", "Redirect_from")
SLUG_PATTERN = ["^[a-z0-9]+(-[a-z0-9]+)*$", "Chữ thường không dấu, số, nối bằng dấu gạch ngang."]
DATE_TIME = {"widget": "datetime", "format": "YYYY-MM-DD HH:mm", "date_format": "DD/MM/YYYY",
             "time_format": "HH:mm", "picker_utc": False}
DAY = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD/MM/YYYY", "time_format": False,
       "picker_utc": False}
AGENCY_COLLECTION = "co-quan"


@dataclass
class Collections:
    """What the configuration is made from: the registry's categories, the content folder."""
    categories: list  # (name, slug) in menu order
    content_folder: str  # relative to the repository root, e.g. "content"
    agency_folder: str
    agency_kinds: list
    labels: dict
    url_patterns: dict  # kind: Pelican's *_URL setting, e.g. "tin-tuc/{slug}.html"


def widget_for(kind, key, collections, category=None):
    """The Decap field of one schema key."""
    name = key.name
    # Named as Pelican names metadata (lower case): Decap then finds the title and
    # the date ({{year}}/{{month}} of the photo folder) by itself.
    field = {"name": name.lower(), "label": FIELD_LABELS.get(name, name), "widget": "string",
             "required": key.required}
    if FIELD_HINTS.get(name):
        field["hint"] = FIELD_HINTS[name]
    if name == "Category" and category:
        field.update(widget="hidden", default=category)
    elif name in ("Date", "Modified") and kind != "agency":
        field.update(DATE_TIME)
    elif name in ("Valid_from", "Valid_until"):
        field.update(DAY)
    elif name == "Summary":
        field["widget"] = "text"
    elif name == "Status" and kind == "agency":
        field.update(widget="select", options=AGENCY_STATUSES, default="active")
    elif name == "Status":
        field.update(widget="select", options=ARTICLE_STATUSES, default="published")
    elif name == "Kind":
        kind_labels = collections.labels
        field.update(widget="select", options=[
            {"label": kind_labels.get(f"agency_kind_{value.replace('-', '_')}", value), "value": value}
            for value in collections.agency_kinds])
    elif name == "Agencies":
        field.update(agency_relation(multiple=True))
    elif name == "Successor":
        field.update(agency_relation(multiple=False))
    elif name == "Redirect_from":
        field.update(widget="list", allow_add=True)
    elif name == "Slug":
        field["pattern"] = SLUG_PATTERN
    return field


def agency_relation(multiple):
    return {"widget": "relation", "collection": AGENCY_COLLECTION, "value_field": "{{slug}}",
            "search_fields": ["title", "short_name"], "display_fields": ["title"], "multiple": multiple}


def body_field():
    return {"name": "body", "label": "Nội dung", "widget": "markdown", "sanitize_preview": True}


def collection(name, label, folder, kind, collections, category=None, label_singular="bài viết"):
    media_folder = f"{collections.content_folder}/images/{{{{year}}}}/{{{{month}}}}"
    fields = [widget_for(kind, key, collections, category) for key in keys_by_kind()[kind]]
    dated = any(field["name"] == "date" and field.get("required") for field in fields)
    return {
        "name": name, "label": label, "label_singular": label_singular,
        "folder": folder, "extension": "md", "format": f"pelican-{kind}",
        "create": True, "slug": "{{slug}}", "identifier_field": "title",
        # The list shows dates as the site does: 06/04/2023.
        "summary": "{{title}} — {{date | date('DD/MM/YYYY')}}" if dated else "{{title}}",
        # "Xem bản hoàn chỉnh" opens the built page: the URL pattern of Pelican's settings.
        "preview_path": collections.url_patterns[kind].replace("{slug}", "{{slug}}"),
        "sortable_fields": ["title", "date"] if kind != "agency" else ["title"],
        # Photos by the article's month, named in ASCII ("Đại hội.jpg" becomes dai-hoi.jpg):
        # "/" starts from the repository's root.
        "media_folder": f"/{media_folder}",
        "public_folder": "{static}/images/{{year}}/{{month}}",
        "fields": fields + [body_field()],
    }


def admin_config(settings, collections):
    backend = dict(settings["CMS_BACKEND"])
    articles = f"{collections.content_folder}/articles"
    config = {
        "backend": backend,
        "publish_mode": settings["CMS_PUBLISH_MODE"],
        "locale": "vi",
        "site_url": settings["SITEURL"] or "/",
        # Where the media library looks outside an entry; each collection has its own by month.
        "media_folder": f"{collections.content_folder}/images",
        "public_folder": "{static}/images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            *(collection(slug, name, f"{articles}/{slug}", "article", collections, category=name)
              for name, slug in collections.categories),
            collection("trang", "Trang", f"{collections.content_folder}/pages", "page", collections,
                       label_singular="trang"),
            collection(AGENCY_COLLECTION, "Hồ sơ cơ quan", collections.agency_folder, "agency",
                       collections, label_singular="hồ sơ cơ quan"),
        ],
    }
    return config


def connect_origins(settings):
    """Origins besides the page's own that the admin may call: the backend's API."""
    if settings["CMS_CONNECT_ORIGINS"]:
        return list(settings["CMS_CONNECT_ORIGINS"])
    backend = settings["CMS_BACKEND"]
    origins = list(DEFAULT_API_ORIGINS.get(backend.get("name"), []))
    for key in ("proxy_url", "api_root", "base_url"):
        if backend.get(key):
            parts = urlsplit(backend[key])
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


def content_security_policy(settings):
    # blob: and data: are the photos being uploaded, read back by Decap before it sends them.
    connect = " ".join(["'self'", "blob:", "data:", *connect_origins(settings)])
    # 'unsafe-eval': Decap validates its configuration with Ajv, which compiles
    # schemas to functions; 'unsafe-inline' styles: its components style
    # themselves with <style> elements (emotion).
    return ("default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            f"img-src 'self' data: blob:; font-src 'self'; connect-src {connect}; "
            "frame-src 'self'; worker-src 'self' blob:; base-uri 'self'; form-action 'none'")


def page_settings(settings, collections):
    """What our scripts need that Decap's config has no place for."""
    keys = keys_by_kind()
    return {
        "formats": {kind: {"keys": [key.name for key in kind_keys],
                           "multiValued": [name for name in MULTI_VALUED if name in {k.name for k in kind_keys}]}
                    for kind, kind_keys in keys.items()},
        "articleCollections": [slug for _, slug in collections.categories],
        "pageCollections": ["trang"],
        "stylesheet": f"{settings['SITEURL']}/{settings['THEME_STATIC_DIR']}/css/site.css",
        "labels": {"postedOn": collections.labels.get("posted_on", "")},
        "siteRoot": settings["SITEURL"],
    }


def index_html(settings, collections):
    data = json.dumps(page_settings(settings, collections), ensure_ascii=False, sort_keys=True)
    # No "</" can reach the inline JSON from the settings, but keep it so.
    data = data.replace("</", "<\\/")
    title = f"Quản trị nội dung — {settings['SITENAME']}"
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{content_security_policy(settings)}">
<title>{title}</title>
<link href="config.yml" type="text/yaml" rel="cms-config-url">
<script type="application/json" id="pelican-cms-settings">{data}</script>
</head>
<body>
<script src="cms-admin.js"></script>
<script src="pelican-format.js"></script>
<script src="decap-cms.js"></script>
</body>
</html>
"""


def bundle_files(bundle):
    """Decap's bundle as the page loads it: the main script, its chunks, the WebAssembly, the licence."""
    names = sorted(path.name for path in bundle.iterdir()
                   if path.name == "decap-cms.js" or path.name.endswith((".decap-cms.js", ".wasm"))
                   or path.name == "decap-cms.js.LICENSE.txt")
    return [bundle / name for name in names]


def copy_if_changed(source, target):
    """Copy unless the target already is this file (same size and time): the warm preview rebuilds often."""
    if target.exists():
        here, there = source.stat(), target.stat()
        if here.st_size == there.st_size and int(here.st_mtime) == int(there.st_mtime):
            return
    shutil.copy2(source, target)


def lay_precompressed_copies(settings, files):
    """Put the bundle's .gz and .br beside it, made once per bundle version and kept in CACHE_PATH.

    In production pelican-precompress compresses every script it finds, and brotli's slowest level
    on Decap's 5 MB bundle took most of a production build (48 s against 6 s without /admin/). It
    leaves a compressed file that already exists alone, so the copies from the cache are used as they
    are; they are made with its own functions, so they are what it would have made.
    """
    if "pelican.plugins.precompress" not in settings["PLUGINS"]:
        return
    from pelican.plugins import precompress

    formats = [(".br", precompress.compress_with_brotli, settings.get("PRECOMPRESS_BROTLI", True)),
               (".gz", precompress.compress_with_gzip, settings.get("PRECOMPRESS_GZIP", True))]
    extensions = settings.get("PRECOMPRESS_TEXT_EXTENSIONS", {".js"})
    cache = Path(settings["CACHE_PATH"]) / "cms-admin"
    for path in files:
        if path.suffix not in extensions:
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        for extension, compress, wanted in formats:
            if not wanted:
                continue
            kept = cache / f"{digest}{extension}"
            if not kept.exists():
                cache.mkdir(parents=True, exist_ok=True)
                partial = kept.with_name(kept.name + ".partial")
                partial.write_bytes(compress(data))
                partial.replace(kept)
            copy_if_changed(kept, path.with_name(path.name + extension))


def write_if_changed(target, data):
    """Leave an identical file alone: the warm preview rebuilds at every save, and an
    untouched file tells it (and the browser's live reload) that nothing changed."""
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)


def check_bundle(pelican):
    settings = pelican.settings
    for name, value in CMS_DEFAULTS.items():
        settings.setdefault(name, value)
    if not settings["CMS_ADMIN"]:
        return
    backend = settings["CMS_BACKEND"]
    missing = [name for name in BACKEND_NEEDS.get(backend.get("name"), ()) if not backend.get(name)]
    if missing:
        raise CmsAdminUnavailable(
            f"Trình soạn bài /admin/ dùng {backend.get('name')} nhưng thiếu "
            f"{', '.join(BACKEND_ENVIRONMENT[name] for name in missing)}. "
            "Cách sửa: đặt các biến môi trường đó (README, phần Soạn bài trên trình duyệt), "
            "hoặc bỏ CMS_BACKEND để trang không có /admin/.")
    bundle = Path(settings["CMS_BUNDLE_PATH"])
    if not (bundle / "decap-cms.js").is_file():
        raise CmsAdminUnavailable(
            f"Không có Decap CMS (trình soạn bài /admin/) trong {os.path.relpath(bundle, SITE_ROOT)}. "
            "Cách sửa: chạy `npm ci --ignore-scripts` trong thư mục của trang (cần Node.js 20 trở lên), "
            "rồi dựng lại; `make serve` tự làm việc này.")


class AdminWriter:
    def __init__(self):
        self.categories = []
        self.last_config = None   # (configuration, its YAML) of the last build

    def config_yaml(self, config):
        """The configuration as YAML bytes; PyYAML's dumper is pure Python (a tenth of a
        second), so the text of the last build is kept while the configuration is equal
        (the editor preview builds again at every save)."""
        if self.last_config is None or self.last_config[0] != config:
            text = yaml.dump(config, Dumper=ConfigDumper, allow_unicode=True, sort_keys=False, width=1000)
            self.last_config = (config, text.encode("utf-8"))
        return self.last_config[1]

    def remember_registry(self, generators):
        for generator in generators:
            registry = generator.context.get("category_registry")
            if registry is not None:
                self.categories = [(entry.name, entry.slug) for entry in registry]
                return

    def write(self, pelican):
        settings = pelican.settings
        if not settings["CMS_ADMIN"]:
            return
        content = Path(settings["PATH"])
        root = Path(settings["CMS_REPOSITORY_ROOT"] or content.parent)
        content_folder = content.relative_to(root).as_posix() if content != root else "."
        labels = settings.get("JINJA_GLOBALS", {}).get("LABELS", {})
        collections = Collections(
            categories=self.categories, content_folder=content_folder,
            agency_folder="/".join([content_folder, *settings.get("AGENCY_PATHS", ["agencies"])[:1]]),
            agency_kinds=list(settings.get("AGENCY_KINDS", [])), labels=labels,
            url_patterns={"article": settings["ARTICLE_URL"], "page": settings["PAGE_URL"],
                          "agency": settings.get("AGENCY_URL", "co-quan/{slug}.html")})
        target = Path(pelican.output_path) / settings["CMS_ADMIN_PATH"]
        target.mkdir(parents=True, exist_ok=True)
        copies = []
        for source in bundle_files(Path(settings["CMS_BUNDLE_PATH"])):
            copy_if_changed(source, target / source.name)
            copies.append(target / source.name)
        lay_precompressed_copies(settings, copies)
        for name in OUR_SCRIPTS:
            write_if_changed(target / name, (STATIC / name).read_bytes())
        write_if_changed(target / "config.yml", self.config_yaml(admin_config(settings, collections)))
        write_if_changed(target / "index.html", index_html(settings, collections).encode("utf-8"))
        self.categories = []


admin_writer = AdminWriter()


def register():
    signals.initialized.connect(check_bundle)
    signals.all_generators_finalized.connect(admin_writer.remember_registry)
    signals.finalized.connect(admin_writer.write)
