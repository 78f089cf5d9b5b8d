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
    """Build, serve at http://localhost:PORT; a saved article shows in seconds (live_preview.py),
    a theme, plugin or settings change rebuilds everything."""
    from livereload import Server

    from live_preview import PreviewProcess

    preview = PreviewProcess(DEV_SETTINGS, OUTPUT)
    preview.start()
    server = Server()
    server.watch(str(CONTENT / "**" / "*"), preview.rebuild)
    for pattern in [SITE_ROOT / "theme" / "**" / "*", SITE_ROOT / "plugins" / "**" / "*.py", DEV_SETTINGS]:
        server.watch(str(pattern), preview.restart)
    server.serve(host="localhost", port=int(port), root=str(OUTPUT))


@task(help={"args": "more pytest arguments, quoted"})
def test(c, args=""):
    """Run the whole test suite."""
    c.run(f"{PYTHON} -m pytest {args}", pty=False)


@task(help={"sizes": "article counts, comma-separated", "repeat": "pairs of builds per size",
            "preview_size": "site size for the save-to-preview timing (0 skips it)"})
def bench(c, sizes="1000,5000,10000", repeat=3, preview_size=5000):
    """Our full build beside stock Pelican on synthetic articles; writes bench/RESULTS.md."""
    c.run(f"{PYTHON} {shlex.quote(str(SITE_ROOT / 'bench' / 'run.py'))} --sizes {shlex.quote(sizes)} "
          f"--repeat {int(repeat)} --preview-size {int(preview_size)}", pty=False)
