"""Tasks for building, previewing and testing the site: `invoke --list`.

The names are the ones Pelican's quickstart uses (build, serve, livereload,
preview, publish); extra arguments pass through to pelican with --extra.
"""

from pathlib import Path
import os
import shlex
import sys

from invoke import task

SITE_ROOT = Path(__file__).resolve().parent
# The tasks' logic lives in site_core/, plugins/ (content_check) and editor_tools/.
for importable in (SITE_ROOT, SITE_ROOT / "plugins"):
    if str(importable) not in sys.path:
        sys.path.insert(0, str(importable))
DEV_SETTINGS = SITE_ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = SITE_ROOT / "publishconf.py"
OUTPUT = SITE_ROOT / "output"
CONTENT = SITE_ROOT / "content"
PYTHON = shlex.quote(sys.executable)
DEV_PORT = int(os.environ.get("PORT", "8000"))
COUNTER_PORT = int(os.environ.get("COUNTER_PORT", "8001"))
# decap-server, the local backend of /admin/ (pelicanconf.py's CMS_BACKEND points at it).
CMS_PROXY_PORT = int(os.environ.get("CMS_PROXY_PORT", "8081"))
# Debian 12's Python: the oldest the pinned requirements must install on.
LOWEST_PYTHON = "3.11.2"


def pelican_command(settings, extra=""):
    return (f"{PYTHON} -m pelican {shlex.quote(str(CONTENT))} "
            f"-s {shlex.quote(str(settings))} -o {shlex.quote(str(OUTPUT))} "
            f"--fatal warnings {extra}")


@task(help={"extra": "more pelican arguments, quoted"})
def build(c, extra=""):
    """Build the site into output/ with the development settings (the content check runs first, once)."""
    c.run(pelican_command(DEV_SETTINGS, extra), pty=False)


@task(help={"extra": "more pelican arguments, quoted"})
def preview(c, extra=""):
    """Build the site with the production settings (publishconf.py); the content check runs first, once."""
    c.run(pelican_command(PUBLISH_SETTINGS, extra), pty=False)


@task(help={"port": "port to serve on"})
def serve(c, port=DEV_PORT):
    """Serve output/ at http://localhost:PORT (build first)."""
    c.run(f"{PYTHON} -m pelican --listen --port {int(port)} -o {shlex.quote(str(OUTPUT))} "
          f"-s {shlex.quote(str(DEV_SETTINGS))}", pty=False)


def start_counter(port=COUNTER_PORT, site_port=DEV_PORT):
    """The visit counter service beside the preview (`invoke counter` runs it alone)."""
    import subprocess

    origins = [f"http://localhost:{int(site_port)}", f"http://127.0.0.1:{int(site_port)}"]
    # Its own session: Ctrl-C stops the preview, which then stops the counter without a traceback.
    return subprocess.Popen([sys.executable, "-m", "counter", "--port", str(int(port)), "--origins", *origins],
                            cwd=SITE_ROOT, start_new_session=True)


def decap_server_script():
    return SITE_ROOT / "node_modules" / "decap-server" / "dist" / "index.js"


def start_decap_server():
    """decap-server on loopback: /admin/ edits this working copy, with no login."""
    import subprocess

    from site_core.node import NODE

    environment = {**os.environ, "PORT": str(CMS_PROXY_PORT), "BIND_HOST": "127.0.0.1",
                   "GIT_REPO_DIRECTORY": str(SITE_ROOT), "LOG_LEVEL": "warn"}
    # Its own session, like the counter: the preview stops it on Ctrl-C.
    return subprocess.Popen([str(NODE), str(decap_server_script())], cwd=SITE_ROOT, env=environment,
                            start_new_session=True)


def preview_services(port, counter_port):
    """What runs beside the preview: each a function that starts one process."""
    services = [lambda: start_counter(counter_port, port)]
    if decap_server_script().exists():  # installed with the npm tools (`make test`, `npm ci`)
        services.append(start_decap_server)
    return services


@task(help={"port": "port to serve on (env PORT, default 8000)",
            "counter_port": "port of the visit counter (env COUNTER_PORT, default 8001)"})
def livereload(c, port=DEV_PORT, counter_port=COUNTER_PORT):
    """Build and serve at http://localhost:PORT with the visit counter and /admin/'s decap-server;
    every save shows by itself.

    A saved article shows in about a second (editor_tools/live_preview): errors appear
    on the page, drafts at their own address; a theme or plugin change rebuilds everything."""
    from invoke import Exit

    from editor_tools.live_preview import PreviewSession

    overrides = {"VISIT_COUNTER_URL": f"http://127.0.0.1:{int(counter_port)}",
                 "FEED_DOMAIN": f"http://localhost:{int(port)}"}
    session = PreviewSession(SITE_ROOT, DEV_SETTINGS, OUTPUT, int(port), services=preview_services(port, counter_port),
                             overrides=overrides)
    code = session.run()
    if code:
        raise Exit(code=code)


@task(help={"host": "address to listen on", "port": "port to listen on",
            "db": "SQLite file (default var/counter.sqlite3) or postgresql:// URL"})
def counter(c, host="127.0.0.1", port=COUNTER_PORT, db=""):
    """Run the visit counter service (docs/COUNTER.md lists every option)."""
    database = f" --db {shlex.quote(db)}" if db else ""
    c.run(f"{PYTHON} -m counter --host {shlex.quote(host)} --port {int(port)}{database}", pty=False)


@task(help={"args": "more pytest arguments, quoted"})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{PYTHON} -m pytest {args}", pty=False)


# Editors' tasks: the logic lives in plugins/content_check, site_core/ and editor_tools/.

def site_settings(content=""):
    """The development settings, reading another content folder when one is given."""
    from pelican.settings import read_settings

    return read_settings(str(DEV_SETTINGS), override={"PATH": str(Path(content or CONTENT).resolve())})


@task(help={"fix": "rewrite files typed with combining marks or in an old font (TCVN3, VNI) in Unicode NFC",
            "content": "content folder to check (default: content/)"})
def check(c, fix=False, content=""):
    """Check every article and page; list every mistake with file, line and fix."""
    from invoke import Exit

    settings = site_settings(content)
    from content_check import check_site, normalise_files
    from site_core.sources import BUILD_SOURCES

    if fix:
        for changed in normalise_files(settings):
            print(f"Đã chuẩn hoá NFC: {changed}")
    result = check_site(settings)
    print(result.report())
    BUILD_SOURCES.clear()
    if result.problems:
        raise Exit(code=1)


@task(positional=["title"], help={"title": "the article's title, in Vietnamese",
                                   "category": "exact name from content/categories.toml",
                                   "author": "author's name (optional)",
                                   "slug": "another file name than the title's (optional)",
                                   "content": "content folder (default: content/)"})
def new(c, title, category, author="", slug="", content=""):
    """Create a draft article file in its category's folder and print its path."""
    from invoke import Exit

    settings = site_settings(content)
    from editor_tools.new_article import ArticleExists, ArticleRefused, create_article, photo_folder, today

    try:
        path = create_article(settings, title, category, author=author, slug=slug)
    except ArticleExists as exists:
        raise Exit(f"Không tạo bài: {exists} Muốn viết bài khác cùng tiêu đề thì chọn tên tệp bằng --slug.", code=1)
    except ArticleRefused as refused:
        raise Exit(f"Không tạo bài: {refused}", code=1)
    print(os.path.relpath(path, Path(settings["PATH"]).parent))
    print("Bài mới là bản nháp (Status: draft). Viết xong, đổi thành Status: published để đăng.")
    folder = photo_folder(settings, today(settings))
    shown, static = (os.path.relpath(folder, Path(settings["PATH"]).parent).replace(os.sep, "/"),
                     folder.relative_to(settings["PATH"]).as_posix())
    print(f"Ảnh của bài: chép vào {shown}/ (tên tệp không dấu, ví dụ ten-anh.jpg) rồi ghi trong bài "
          f"![mô tả ảnh]({{static}}/{static}/ten-anh.jpg)")
    draft_url = settings["PREVIEW_DRAFT_URL"].format(slug=Path(path).stem)
    print(f"Xem trước (khi `make serve` đang chạy): http://localhost:{DEV_PORT}/{draft_url}")


@task(positional=["old", "new"], help={"old": "the category's current name", "new": "its new name",
                                       "content": "content folder (default: content/)"})
def rename_category(c, old, new, content=""):
    """Rename a category: every article's Category line and content/categories.toml, in one step."""
    from invoke import Exit

    settings = site_settings(content)
    from category_registry.renaming import RenameRefused, rename_category as rename

    try:
        renamed = rename(settings, old, new)
    except RenameRefused as refused:
        raise Exit(f"Không đổi tên: {refused}", code=1)
    for article in renamed.articles:
        print(f"Đã sửa dòng Category: {article}")
    print(f'Đã đổi tên chuyên mục thành "{new.strip()}" trong {len(renamed.articles)} bài và {renamed.registry} '
          f"Đường dẫn không đổi: /chuyen-muc/{renamed.slug}/.")


@task(positional=["source"], help={"source": "a saved page (.txt or .html), or a folder holding a copy of the old site; "
                                              "more pages after --",
                                    "category": "category for every page, when the old one has no match",
                                    "content": "content folder (default: content/)",
                                    "report": "where a folder's report goes (default: bao-cao-nhap-bai.csv in the folder)"})
def import_legacy(c, source, category="", content="", report=""):
    """Import pages saved from the old site as articles: `invoke import-legacy a.html -- b.txt`, or a whole folder."""
    from invoke import Exit

    settings = site_settings(content)
    from editor_tools.legacy_import import import_mirror, import_page

    given = [Path(source), *map(Path, shlex.split(c.remainder or ""))]
    if len(given) == 1 and given[0].is_dir():
        run = import_mirror(settings, given[0], category, report or None)
        for failure in run.failures:
            print(failure.report())
        print(run.summary())
        print("Chạy `invoke check` trước khi đăng.")
        if run.failures:
            raise Exit(code=1)
        return
    results = [import_page(settings, path, category) for path in given]
    for result in results:
        print(result.report())
    failed = [result for result in results if not result.written]
    print(f"Đã tạo {len(results) - len(failed)}/{len(results)} bài. Chạy `invoke check` trước khi đăng.")
    if failed:
        raise Exit(code=1)


def deploy_target(spec=""):
    from deploy import releases

    spec = spec or os.environ.get("DEPLOY_TARGET", "").strip()
    if not spec:
        from invoke import Exit
        raise Exit("Set DEPLOY_TARGET (user@host:/srv/www/site or a local folder) or pass --target.", 1)
    return releases.Target(spec, ssh=os.environ.get("DEPLOY_SSH", "").strip() or "ssh")


def current_commit(c):
    result = c.run("git rev-parse --short HEAD", hide=True, warn=True)
    return result.stdout.strip() if result.ok else ""


@task(help={"target": "user@host:/srv/www/site or a local folder (default: env DEPLOY_TARGET)",
            "keep": "releases to keep (default: env DEPLOY_KEEP_RELEASES or 5)",
            "build": "build with publishconf.py first (--no-build uploads output/ as it is)",
            "output": "folder to upload"})
def publish(c, target="", keep=0, build=True, output=str(OUTPUT)):
    """Build for production and publish as a new release; the live site switches in one step."""
    from invoke import Exit
    from deploy import releases

    keep = int(keep or os.environ.get("DEPLOY_KEEP_RELEASES") or releases.DEFAULT_KEEP)
    if build:
        preview(c)
    try:
        name = releases.publish(deploy_target(target), output, keep=keep, commit=current_commit(c),
                                rsync_options=shlex.split(os.environ.get("DEPLOY_RSYNC_OPTIONS", "")))
    except releases.PublishError as error:
        raise Exit(f"publish: {error}", 1)
    print(f"Live: releases/{name}")


@task(help={"target": "as for publish", "release": "release to make live (default: the one before the live one)"})
def rollback(c, target="", release=""):
    """Make the previous release live again (one atomic switch)."""
    from invoke import Exit
    from deploy import releases

    try:
        name = releases.rollback(deploy_target(target), release or None)
    except releases.PublishError as error:
        raise Exit(f"rollback: {error}", 1)
    print(f"Live: releases/{name}")


@task(help={"build": "build with publishconf.py first", "push": "push the gh-pages branch to origin",
            "output": "folder to publish"})
def gh_pages(c, build=True, push=True, output=str(OUTPUT)):
    """Commit output/ to the gh-pages branch with ghp-import (GitHub Pages served from a branch)."""
    if build:
        preview(c)
    message = shlex.quote(f"Publish {current_commit(c) or 'site'}")
    c.run(f"{PYTHON} -m ghp_import --no-jekyll --force {'--push ' if push else ''}"
          f"--message {message} {shlex.quote(output)}", pty=False)


@task(help={"settings": "settings file (default: publishconf.py)"})
def security_headers(c, settings=str(PUBLISH_SETTINGS)):
    """Print the nginx add_header lines for the site's Content-Security-Policy (README, "Security headers")."""
    from pelican.settings import read_settings

    from content_security import content_security_policy

    policy = content_security_policy(read_settings(settings)) + "; frame-ancestors 'none'"
    print(f'add_header Content-Security-Policy "{policy}" always;')
    print('add_header X-Content-Type-Options "nosniff" always;')
    print('add_header Referrer-Policy "strict-origin-when-cross-origin" always;')


@task(help={"sizes": "article counts, comma-separated", "repeat": "rounds of builds per size",
            "variants": "corpus variants with their size, name:size,... (bench/corpus.py VARIANTS)",
            "preview_size": "site size for the save-to-preview timing (0 skips it)"})
def bench(c, sizes="1000,5000,10000", repeat=3, variants="same-day:1000", preview_size=5000):
    """Our builds beside stock Pelican (and Pagefind's CLI) on synthetic articles, under nice; writes bench/RESULTS.md."""
    c.run(f"nice -n 10 {PYTHON} {shlex.quote(str(SITE_ROOT / 'bench' / 'run.py'))} --sizes {shlex.quote(sizes)} "
          f"--repeat {int(repeat)} --variants {shlex.quote(variants)} --preview-size {int(preview_size)}", pty=False)


@task(help={"upgrade": "also move every transitive dependency to its newest allowed release"})
def lock(c, upgrade=False):
    """Compile requirements/*.in into the hashed requirements/*.txt, for Python 3.11.2 to 3.13."""
    folder = SITE_ROOT / "requirements"
    # The tests' file starts from the site's, so the two never pin a package differently.
    with c.cd(str(folder)):
        for name, constraint in (("site", ""), ("tests", "--constraint site.txt ")):
            c.run(f"{PYTHON} -m uv pip compile --quiet --universal --python-version {LOWEST_PYTHON} "
                  f"--generate-hashes {'--upgrade ' if upgrade else ''}"
                  f"{constraint}{name}.in --output-file {name}.txt", pty=False)
