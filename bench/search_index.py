"""What the search index phase costs, beside Pagefind's CLI over stock Pelican's output.

For each size N: our site is built once without its index and stock Pelican
once (bench/run.py's settings and corpus), then, alternating, in each round:
Pagefind's CLI over stock's output; our index phase (plugins/site_search) from
an empty cache, in shards (SEARCH_SHARD_YEARS = 1) and as one index
(SEARCH_SHARD_YEARS = 0); and, with the shards' cache kept, after one article's
page changed and with nothing changed. Each is a fresh process; for each: wall
time, the index phase's own time (measured inside), Pagefind's peak (the
largest VmHWM of one Pagefind process) and the peak of all Pagefind processes
running at once (their VmRSS summed, sampled every 20 ms).

    python bench/search_index.py [--sizes 1000,5000] [--repeat 3]
"""

from pathlib import Path
from statistics import median
import argparse
import os
import shutil
import subprocess
import sys
import threading
import time

BENCH = Path(__file__).resolve().parent
SITE_ROOT = BENCH.parent
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from bench.run import (  # noqa: E402
    build_command, corpus_root, kibibytes, pagefind_command, proc_fields, process_tree, settings_files,
)

MIB = 1024 * 1024
INDEX_PHASE = """import sys, time
from types import SimpleNamespace
from pelican.settings import read_settings
sys.path[:0] = [{root!r}, {plugins!r}]
from site_search.site_search import build_search_index
settings = read_settings({settings!r}, override={{"SEARCH_INDEX": True, "SEARCH_SHARD_YEARS": {years},
    "CACHE_PATH": {cache!r}, "SEARCH_INDEX_CACHE": True}})
started = time.perf_counter()
build_search_index(SimpleNamespace(settings=settings))
print(time.perf_counter() - started)
"""


def pagefind_memory(pid):
    """(largest VmHWM of a Pagefind process, VmRSS of all Pagefind processes) in bytes,
    now, among `pid` and its descendants."""
    largest, together = 0, 0
    for current, name in process_tree(pid):
        if name.startswith("pagefind"):
            fields = proc_fields(current, "status")
            largest = max(largest, kibibytes(fields, "VmHWM"))
            together += kibibytes(fields, "VmRSS")
    return largest, together


def measure(command, cwd):
    peaks = [0, 0]
    done = threading.Event()

    def sample():
        while not done.wait(0.02):
            largest, together = pagefind_memory(process.pid)
            peaks[0], peaks[1] = max(peaks[0], largest), max(peaks[1], together)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode:
        raise RuntimeError(f"{command} failed:\n{stderr[-3000:]}")
    inside = stdout.strip().splitlines()
    return {"wall": wall, "phase": float(inside[-1]) if inside else wall,
            "largest": peaks[0], "together": peaks[1]}


def changed_page(output):
    """The middle article's page, its text changed as an editor's correction would."""
    pages = sorted((output / "tin-tuc").glob("*.html"))
    page = pages[len(pages) // 2]
    html = page.read_text(encoding="utf-8")
    return page, html, html.replace("</p>", " Đoạn bổ sung sau khi đăng: thêm một câu về kết quả.</p>", 1)


def index_command(root, years, cache):
    code = INDEX_PHASE.format(root=str(SITE_ROOT), plugins=str(SITE_ROOT / "plugins"),
                              settings=str(root / "settings-ours-no-search.py"), years=years, cache=str(cache))
    return [sys.executable, "-c", code]


def compare(count, repeat):
    root = corpus_root(count)
    settings = settings_files(count)
    for name in ("ours-no-search", "stock"):
        shutil.rmtree(root / f"output-{name}", ignore_errors=True)
        subprocess.run(build_command(settings[name], fatal=False), cwd=root, check=True, capture_output=True)
    output = root / "output-ours-no-search"
    (root / "settings-ours-no-search.py").write_text(Path(settings["ours-no-search"]).read_text(encoding="utf-8"))
    cache = root / "cache-search-bench"
    runs = {}

    def run(name, command):
        runs.setdefault(name, []).append(measure(command, root))
        last = runs[name][-1]
        print(f"  N={count} {name}: {last['wall']:.2f} s (phase {last['phase']:.2f} s), Pagefind "
              f"{last['largest'] / MIB:.0f} MiB largest, {last['together'] / MIB:.0f} MiB together", flush=True)

    def cli():
        shutil.rmtree(root / "output-stock" / "pagefind", ignore_errors=True)
        run("Pagefind CLI on stock's output", pagefind_command(root / "output-stock"))

    def ours():
        for years, name in ((0, "ours, one index"), (1, "ours, shards by year")):
            shutil.rmtree(cache, ignore_errors=True)
            run(f"{name}, cold", index_command(root, years, cache))
        page, original, edited = changed_page(output)
        page.write_text(edited, encoding="utf-8")
        try:
            run("ours, shards by year, one article changed", index_command(root, 1, cache))
        finally:
            page.write_text(original, encoding="utf-8")
        subprocess.run(index_command(root, 1, cache), cwd=root, check=True, capture_output=True)
        run("ours, shards by year, unchanged", index_command(root, 1, cache))

    for number in range(repeat):
        for step in ((cli, ours) if number % 2 == 0 else (ours, cli)):
            step()
    shutil.rmtree(cache, ignore_errors=True)
    return {name: {key: median(run[key] for run in measured) for key in measured[0]} for name, measured in runs.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    results = {int(size): compare(int(size), args.repeat) for size in args.sizes.split(",")}
    load_after = os.getloadavg()[0]
    print(f"\nLoad average (1 min) before / after: {load_before:.2f} / {load_after:.2f}; "
          f"{args.repeat} round(s), medians\n")
    print("| N | what | wall s | index phase s | Pagefind peak, one process MiB | Pagefind, all at once MiB |")
    print("|---:|---|---:|---:|---:|---:|")
    for count, measured in results.items():
        for name, values in measured.items():
            print(f"| {count:,} | {name} | {values['wall']:.2f} | {values['phase']:.2f} | "
                  f"{values['largest'] / MIB:.0f} | {values['together'] / MIB:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
