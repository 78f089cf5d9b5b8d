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
DEV_SETTINGS = SITE_ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = SITE_ROOT / "publishconf.py"
OUTPUT = SITE_ROOT / "output"
CONTENT = SITE_ROOT / "content"
PYTHON = shlex.quote(sys.executable)
DEV_PORT = int(os.environ.get("PORT", "8000"))


def pelican_command(settings, extra=""):
    return (f"{PYTHON} -m pelican {shlex.quote(str(CONTENT))} "
            f"-s {shlex.quote(str(settings))} -o {shlex.quote(str(OUTPUT))} "
            f"--fatal warnings {extra}")


@task(help={"extra": "more pelican arguments, quoted"})
def build(c, extra=""):
    """Build the site into output/ with the development settings."""
    c.run(pelican_command(DEV_SETTINGS, extra), pty=False)


@task(help={"extra": "more pelican arguments, quoted"})
def preview(c, extra=""):
    """Build the site with the production settings (publishconf.py)."""
    c.run(pelican_command(PUBLISH_SETTINGS, extra), pty=False)


@task(help={"port": "port to serve on"})
def serve(c, port=DEV_PORT):
    """Serve output/ at http://localhost:PORT (build first)."""
    c.run(f"{PYTHON} -m pelican --listen --port {int(port)} -o {shlex.quote(str(OUTPUT))} "
          f"-s {shlex.quote(str(DEV_SETTINGS))}", pty=False)


@task(help={"port": "port to serve on"})
def livereload(c, port=DEV_PORT):
    """Build, serve at http://localhost:PORT and rebuild when content, theme or settings change."""
    from livereload import Server

    build(c)
    server = Server()
    watched = [CONTENT / "**" / "*", SITE_ROOT / "theme" / "**" / "*",
               SITE_ROOT / "plugins" / "**" / "*.py", DEV_SETTINGS]
    for pattern in watched:
        server.watch(str(pattern), lambda: build(c))
    server.serve(host="localhost", port=int(port), root=str(OUTPUT))


@task(help={"args": "more pytest arguments, quoted"})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{PYTHON} -m pytest {args}", pty=False)


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
