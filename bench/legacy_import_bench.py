"""How long `invoke import-legacy` takes on a whole copy of the old site (target: 2,000 pages in under 60 s).

The mirror comes from bench/legacy_mirror.py (every page shape, both old fonts,
photos, lists, captions, menus). Each run is a fresh `invoke import-legacy`
process into an empty content folder, as an editor runs it; beside it, the
baseline reads and parses the same pages with BeautifulSoup alone, so the
ratio says what the import adds to merely reading the pages. Then a second run
over the same mirror, which finds every article already there.

    python bench/legacy_import_bench.py [--pages 2000] [--repeat 3]
"""

from datetime import datetime, timezone
from pathlib import Path
from statistics import median
import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = Path(__file__).resolve().parent
SITE_ROOT = BENCH.parent
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from bench.legacy_mirror import DEFAULT_SEED, write_mirror  # noqa: E402

RESULTS = BENCH / "LEGACY-IMPORT-RESULTS.md"
TARGET_SECONDS = 60
INVOKE = Path(sys.executable).with_name("invoke")
BASELINE = """import sys, pathlib
from bs4 import BeautifulSoup
sys.path[:0] = [{site_root!r}, {plugins!r}]
from editor_tools.legacy_import import mirror_pages
for page in mirror_pages(pathlib.Path({root!r})):
    BeautifulSoup(page.read_bytes(), "html.parser").get_text()
"""


def timed(command):
    """(wall seconds, CPU seconds of the child, completed process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=SITE_ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if completed.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{completed.stdout}\n{completed.stderr}")
    return wall, cpu, completed


def fresh_content(work):
    content = work / "content"
    if content.exists():
        shutil.rmtree(content)
    content.mkdir(parents=True)
    shutil.copy(SITE_ROOT / "content" / "categories.toml", content / "categories.toml")
    return content


def run(pages, repeat):
    work = Path(tempfile.mkdtemp(prefix="legacy-import-bench-"))
    try:
        mirror = write_mirror(work / "mirror", pages, DEFAULT_SEED)
        load = os.getloadavg()[0]
        imports, baselines, summary = [], [], ""
        for _ in range(repeat):
            content = fresh_content(work)
            wall, cpu, completed = timed([str(INVOKE), "import-legacy", str(mirror.root), "--content", str(content),
                                          "--report", str(work / "report.csv")])
            imports.append((wall, cpu))
            summary = next(line for line in completed.stdout.splitlines() if line.startswith("Xong"))
            script = BASELINE.format(site_root=str(SITE_ROOT), plugins=str(SITE_ROOT / "plugins"),
                                     root=str(mirror.root))
            wall, cpu, _ = timed([sys.executable, "-c", script])
            baselines.append((wall, cpu))
        again, again_cpu, completed = timed([str(INVOKE), "import-legacy", str(mirror.root), "--content",
                                             str(content), "--report", str(work / "report-2.csv")])
        again_summary = next(line for line in completed.stdout.splitlines() if line.startswith("Xong"))
        return {
            "pages": pages, "articles": len(mirror.articles), "others": len(mirror.not_articles),
            "import": (median(w for w, _ in imports), median(c for _, c in imports)),
            "baseline": (median(w for w, _ in baselines), median(c for _, c in baselines)),
            "again": (again, again_cpu), "summary": summary.split(". Báo cáo")[0],
            "again_summary": again_summary.split(". Báo cáo")[0],
            "load": (load, os.getloadavg()[0]), "repeat": repeat,
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def write_results(figures):
    wall, cpu = figures["import"]
    base_wall, base_cpu = figures["baseline"]
    verdict = "under" if wall < TARGET_SECONDS else "OVER"
    RESULTS.write_text(f"""# Whole-site import benchmark

- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC
- Machine: {platform.system()} {platform.release()}, {os.cpu_count()} cores, Python {platform.python_version()}
- Load average (1 min) before / after: {figures['load'][0]:.2f} / {figures['load'][1]:.2f} (a shared machine: compare the ratio)
- Mirror: `bench/legacy_mirror.py`, seed {DEFAULT_SEED}, {figures['pages']:,} pages ({figures['articles']:,} articles
  of every shape, {figures['others']:,} menus and lists); medians of {figures['repeat']} run(s), each a fresh
  `invoke import-legacy` process into an empty content folder.
- Baseline: the same pages read and parsed by BeautifulSoup alone, run alternately with the import.

| run | wall s | CPU s |
|---|---:|---:|
| `invoke import-legacy` on the mirror | **{wall:.1f}** | {cpu:.1f} |
| baseline: read and parse every page | {base_wall:.1f} | {base_cpu:.1f} |
| **import / baseline** | **{wall / base_wall:.2f}×** | {cpu / base_cpu:.2f}× |
| second run (every article already there) | {figures['again'][0]:.1f} | {figures['again'][1]:.1f} |

Target: {figures['pages']:,} pages in under {TARGET_SECONDS} s: **{verdict}** ({wall:.1f} s,
{1000 * wall / figures['pages']:.1f} ms a page).

First run: {figures['summary']}.
Second run: {figures['again_summary']}.
""", encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    figures = run(args.pages, args.repeat)
    write_results(figures)
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    sys.exit(main())
