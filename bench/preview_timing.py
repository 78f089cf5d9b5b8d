"""Save-to-preview time and the preview worker's memory, as an editor meets them.

A real preview session (`invoke livereload`'s PreviewSession: watcher, warm
builder, server) runs on a copy of the synthetic corpus and of the theme. For an
article, the stylesheet and a photo, the clock runs from the file's save until
the page's event stream has announced the change and the server returns the new
bytes. Then many saves of one article in a row, with the builder's resident
memory after each: it must stay flat. The first (full) build of the same site is
the baseline each save is set against. Writes bench/PREVIEW-RESULTS.md.

    python -m bench.preview_timing [--counts 300 5000] [--repeat 5] [--memory-saves 120]
"""

from pathlib import Path
from datetime import datetime, timezone
from statistics import median
import argparse
import json
import os
import platform
import queue
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.request

SITE_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from editor_tools.live_preview import PreviewSession  # noqa: E402

SETTINGS = """import sys
sys.path.insert(0, {site_root!r})
from pelicanconf import *
PATH = {content!r}
THEME = {theme!r}
"""
WAIT_SECONDS = 600


class PreviewUnderTest:
    def __init__(self, content):
        self.folder = Path(tempfile.mkdtemp(prefix="preview-bench-"))
        shutil.copytree(content, self.folder / "content")
        shutil.copytree(SITE_ROOT / "theme", self.folder / "theme")
        settings = self.folder / "settings.py"
        settings.write_text(SETTINGS.format(site_root=str(SITE_ROOT), content=str(self.folder / "content"),
                                            theme=str(self.folder / "theme")), encoding="utf-8")
        self.session = PreviewSession(self.folder, settings, self.folder / "output", 0)
        self.events = queue.Queue()

    def __enter__(self):
        started = time.perf_counter()
        self.thread = threading.Thread(target=self.session.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 600
        while self.session.events.generation == 0:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the preview's first build did not finish")
            time.sleep(0.2)
        self.first_build_seconds = time.perf_counter() - started
        threading.Thread(target=self.listen, daemon=True).start()
        time.sleep(1)
        return self

    def __exit__(self, *exc):
        self.session.stop()
        self.thread.join(timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, path):
        return f"http://localhost:{self.session.port}{path}"

    def listen(self):
        with urllib.request.urlopen(self.url("/__xem-truoc/su-kien")) as stream:
            for line in stream:
                if line.startswith(b"data: "):
                    self.events.put(json.loads(line[6:]))

    def wait_for(self, kind):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            event = self.events.get(timeout=WAIT_SECONDS)
            if event["type"] == kind:
                return event
            if event.get("problems"):
                raise RuntimeError(f"the preview failed: {event['problems']}")
        raise RuntimeError(f"no {kind} event")

    def fetch(self, path):
        with urllib.request.urlopen(self.url(path)) as response:
            return response.read()

    def drain(self):
        while not self.events.empty():
            self.events.get_nowait()

    def resident_mib(self):
        pid = self.session.builder.process.pid
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def timed(preview, save, kind, check):
    preview.drain()
    started = time.perf_counter()
    save()
    preview.wait_for(kind)
    check()
    return time.perf_counter() - started


def save_to_preview_seconds(content, repeat=3):
    """Median time from an article's save to its new page being served (bench/run.py)."""
    return median(run(content, repeat, 0)[0]["article"])


def run(content, repeat, memory_saves, first_build=None):
    with PreviewUnderTest(content) as preview:
        if first_build is not None:
            first_build.append(preview.first_build_seconds)
        content, theme = preview.folder / "content", preview.folder / "theme"
        articles = sorted((content / "articles").rglob("*.md"))
        article = articles[len(articles) // 2]
        original = article.read_text(encoding="utf-8")
        page = f"/tin-tuc/{article.stem}.html"
        css = theme / "static" / "css" / "site.css"
        photo = next((content / "images").rglob("*.jpg"))
        photo_bytes = photo.read_bytes()
        # plugins/photos publishes versions named by the photo's digest: a new photo, a new address.
        photo_page = next(f"/tin-tuc/{path.stem}.html" for path in articles
                          if photo.name in path.read_text(encoding="utf-8"))
        results = {"article": [], "css": [], "photo": []}
        for attempt in range(repeat):
            title = f"Bản sửa {attempt}"
            results["article"].append(timed(
                preview, lambda: article.write_text(original.replace("Title: ", f"Title: {title} ", 1), encoding="utf-8"),
                "reload", lambda: check(title.encode() in preview.fetch(page), "article")))
            rule = f"/* lần {attempt} */\n"
            results["css"].append(timed(
                preview, lambda: css.write_text(css.read_text(encoding="utf-8") + rule, encoding="utf-8"),
                "css", lambda: check(rule.encode() in preview.fetch("/theme/css/site.css"), "css")))
            shown_before = photo_address(preview.fetch(photo_page), photo)
            results["photo"].append(timed(
                preview, lambda: photo.write_bytes(photo_bytes + bytes([attempt])),
                "reload", lambda: check(photo_address(preview.fetch(photo_page), photo) != shown_before, "photo")))
        curve = []
        for save in range(memory_saves):
            preview.drain()
            article.write_text(original.replace("Title: ", f"Title: Lưu lần {save} ", 1), encoding="utf-8")
            preview.wait_for("reload")
            curve.append(preview.resident_mib())
        return results, curve


def photo_address(html, photo):
    found = re.search(rb'src="([^"]*' + re.escape(photo.stem.encode()) + rb'[^"]*)"', html)
    return found and found.group(1)


def check(condition, what):
    if not condition:
        raise RuntimeError(f"the preview did not show the new {what}")


def memory_points(curve):
    step = max(1, len(curve) // 12)
    return [(number + 1, mib) for number, mib in enumerate(curve) if number % step == 0 or number == len(curve) - 1]


def report(rows, curve, memory_count, args, load_before, load_after):
    lines = [
        "# Editor preview: save to preview, and the builder's memory",
        "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} cores; {platform.platform()}; Python {platform.python_version()}",
        f"- Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)}",
        f"- Command: `python -m bench.preview_timing --counts {' '.join(map(str, args.counts))} "
        f"--repeat {args.repeat} --memory-saves {args.memory_saves}`",
        "- A real preview session (watcher, warm builder, server) on a copy of the synthetic corpus "
        "(bench/corpus.py) and of the theme. The clock runs from the save until the page's event stream "
        "has announced the change and the server returns the new bytes. Article: its title edited; "
        "CSS: a rule added to site.css (swapped in place, no reload); photo: one more byte at the end of "
        "the corpus's photo, which about 3 articles in 10 show (a quick rebuild of those articles).",
        "- Baseline: the session's first build, a full build of the same site in the same process kind.",
        "",
        "| articles | change | saves | median s | max s | median / first full build |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for count, first_build, results in rows:
        for kind, times in results.items():
            lines.append(f"| {count} | {kind} | {len(times)} | {median(times):.2f} | {max(times):.2f} | "
                         f"{median(times) / first_build:.1%} |")
        lines.append(f"| {count} | first full build | 1 | {first_build:.2f} | {first_build:.2f} | 100% |")
    if curve:
        lines += ["", f"Builder resident memory (VmRSS) over {len(curve)} article saves at {memory_count} articles "
                  f"(MiB after save n): " + ", ".join(f"{n}: {mib:.0f}" for n, mib in memory_points(curve)) + ".",
                  f"Growth from save {min(10, len(curve))} to save {len(curve)}: {curve[-1] - curve[min(9, len(curve) - 1)]:+.1f} MiB."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[300, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--memory-saves", type=int, default=120,
                        help="article saves in a row, with the builder's memory after each, at the first count")
    parser.add_argument("--out", type=Path, default=SITE_ROOT / "bench" / "PREVIEW-RESULTS.md")
    args = parser.parse_args(argv)
    from bench.run import corpus_for

    load_before = os.getloadavg()
    rows, curve = [], []
    for number, count in enumerate(args.counts):
        first_build = []
        results, saves = run(corpus_for(count), args.repeat, args.memory_saves if number == 0 else 0, first_build)
        rows.append((count, first_build[0], results))
        curve = curve or saves
        for kind, times in results.items():
            print(f"{count} articles, {kind}: median {median(times):.2f} s, max {max(times):.2f} s", flush=True)
    text = report(rows, curve, args.counts[0], args, load_before, os.getloadavg())
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
