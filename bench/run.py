"""Our full build beside stock Pelican on the same synthetic articles.

For each size N the two builds run alternately in this one invocation (so both
see the same load on a shared machine), each a fresh process building from
clean; the report gives medians and their ratio. Also: related news alone over
10,000 articles, the weight of the pages a reader downloads, and, when asked,
how long the editor preview takes to show one saved article.

    python bench/run.py [--sizes 1000,5000,10000] [--repeat 3] [--preview-size 5000]
"""

from datetime import datetime, timezone
from pathlib import Path
from statistics import median
from types import SimpleNamespace
import argparse
import gzip
import os
import platform
import random
import shutil
import subprocess
import sys
import threading
import time

BENCH = Path(__file__).resolve().parent
SITE_ROOT = BENCH.parent
sys.path[:0] = [str(SITE_ROOT), str(SITE_ROOT / "plugins")]

from bench.corpus import DEFAULT_SEED, write_corpus  # noqa: E402

CORPUS = BENCH / "corpus"
MIB = 1024 * 1024

OURS_SETTINGS = """import sys
sys.path.insert(0, {site_root!r})
from pelicanconf import *
PATH = {content!r}
OUTPUT_PATH = {output!r}
"""
# Ours without the Pagefind index, to show what the search index alone costs.
OURS_NO_SEARCH_SETTINGS = OURS_SETTINGS + "SEARCH_INDEX = False\n"
# Stock Pelican: default theme, no plugins (an unset PLUGINS would load every
# installed namespace plugin), typogrify off, default settings otherwise.
STOCK_SETTINGS = """PATH = {content!r}
OUTPUT_PATH = {output!r}
PLUGINS = []
"""


def corpus_for(count, seed=DEFAULT_SEED):
    """bench/corpus/<count>/content, written once per count and seed."""
    root = CORPUS / str(count)
    stamp = root / "corpus.stamp"
    generator = (BENCH / "corpus.py").read_bytes()
    expected = f"{count} {seed} {hash_bytes(generator)}"
    if not stamp.exists() or stamp.read_text() != expected:
        write_corpus(root, count, seed)
        stamp.write_text(expected)
    return root / "content"


def hash_bytes(data):
    import hashlib
    return hashlib.sha256(data).hexdigest()[:16]


def settings_files(count):
    root = CORPUS / str(count)
    content = corpus_for(count)
    files = {}
    for name, template in (("ours", OURS_SETTINGS), ("ours-no-search", OURS_NO_SEARCH_SETTINGS),
                           ("stock", STOCK_SETTINGS)):
        path = root / f"{name}_settings.py"
        path.write_text(template.format(site_root=str(SITE_ROOT), content=str(content),
                                        output=str(root / f"output-{name}")), encoding="utf-8")
        files[name] = path
    return files


def process_tree_memory(pid):
    """Proportional set size of a process and all its descendants, in bytes (Linux
    /proc): pages that forked workers share with their parent are counted once."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def measure(command, cwd):
    """Wall, CPU (process and descendants), largest process RSS, sampled tree RSS."""
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            peak[0] = max(peak[0], process_tree_memory(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{output.decode()[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss": usage.ru_maxrss * 1024, "tree_rss": peak[0]}


def build_command(name, settings):
    command = [sys.executable, "-m", "pelican", "-s", str(settings)]
    return command + ["--fatal", "warnings"] if name.startswith("ours") else command


BUILDS = ("ours", "ours, warm cache", "ours, no search index", "stock")
SETTINGS_OF_BUILD = {"ours": "ours", "ours, warm cache": "ours", "ours, no search index": "ours-no-search",
                     "stock": "stock"}
COLD_BUILDS = ("ours", "ours, no search index")


def compare_builds(count, repeat):
    """Per round: ours from an empty conversion cache, ours again with the cache
    it left (no file changed), ours from an empty cache without the search
    index, and stock; the order flips every round."""
    root = CORPUS / str(count)
    settings = settings_files(count)
    runs = {name: [] for name in BUILDS}
    for round_number in range(repeat):
        order = BUILDS if round_number % 2 == 0 else ("stock", "ours, no search index", "ours", "ours, warm cache")
        for name in order:
            kind = SETTINGS_OF_BUILD[name]
            shutil.rmtree(root / f"output-{kind}", ignore_errors=True)
            if name in COLD_BUILDS:
                shutil.rmtree(root / "cache", ignore_errors=True)
            runs[name].append(measure(build_command(name, settings[kind]), root))
            print(f"  N={count} {name}: {runs[name][-1]['wall']:.2f} s", flush=True)
    return runs


def summarise(runs):
    result = {}
    for name, measured in runs.items():
        result[name] = {key: median(run[key] for run in measured) for key in measured[0]}
    for name in BUILDS[:-1]:
        result[f"{name} pair_ratio"] = median(ours["wall"] / stock["wall"]
                                              for ours, stock in zip(runs[name], runs["stock"]))
    return result


def related_news_alone(count=10_000, repeat=5):
    """attach_related_news over `count` articles in 6 categories, in this process."""
    from related_news.related_news import attach_related_news

    rng = random.Random(DEFAULT_SEED)
    start = datetime(2015, 1, 1, tzinfo=timezone.utc).timestamp()
    categories = [f"chuyen-muc-{n}" for n in range(6)]
    articles = [SimpleNamespace(slug=f"bai-{n}", category=rng.choice(categories),
                                date=datetime.fromtimestamp(start + rng.randrange(11 * 365 * 86400), timezone.utc))
                for n in range(count)]
    generator = SimpleNamespace(settings={"RELATED_NEWS_COUNT": 8}, articles=articles, hidden_articles=[])
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        attach_related_news(generator)
        times.append(time.perf_counter() - started)
    assert all(len(article.related_news) == 8 for article in articles)
    return median(times)


def page_weights(output):
    """HTML bytes (raw and gzip) of the pages a reader opens, plus the theme's CSS and JS."""
    def weigh(path):
        data = path.read_bytes()
        return len(data), len(gzip.compress(data, 9, mtime=0))

    articles = sorted((output / "tin-tuc").glob("*.html")) or sorted(output.glob("*.html"))
    sizes = sorted(weigh(path) for path in articles)
    categories = sorted(p for p in (output / "chuyen-muc").glob("*/index.html")) if (output / "chuyen-muc").is_dir() \
        else sorted((output / "category").glob("*.html"))
    assets = [p for p in (output / "theme").rglob("*") if p.suffix in {".css", ".js"}]
    return {
        "home page": weigh(output / "index.html"),
        "category page (first)": weigh(categories[0]),
        "article page (median)": sizes[len(sizes) // 2],
        "article page (largest)": sizes[-1],
        "theme CSS + JS": tuple(map(sum, zip(*(weigh(p) for p in assets)))) if assets else (0, 0),
    }


def preview_latency(count, repeat):
    from bench.preview_timing import save_to_preview_seconds
    return save_to_preview_seconds(corpus_for(count), repeat)


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    import pelican
    return (f"{platform.system()} {platform.release()}, {model}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, Pelican {pelican.__version__}")


def report(results, related, weights, preview, args, load_before, load_after):
    lines = ["# Build benchmark", "",
             f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- Machine: {machine()}",
             f"- Load average (1 min) before / after: {load_before:.2f} / {load_after:.2f} "
             "(the machine may be shared: compare the ratios, not the absolute times)",
             f"- Corpus: `bench/corpus.py`, seed {DEFAULT_SEED}, ~700-word Vietnamese articles in the registry's categories",
             f"- Each build a fresh process from a clean output folder, ours and stock alternating, "
             f"{args.repeat} pair(s) per size; medians.",
             "- Ours: `pelicanconf.py`, every plugin on, `--fatal warnings`; \"ours\" starts from an empty "
             "conversion cache (as CI on a fresh machine), \"ours, warm cache\" is the next build with the cache "
             "it left and no file changed; \"ours, no search index\" is \"ours\" with `SEARCH_INDEX = False`. Stock: Pelican's default theme, no plugins, typogrify off, "
             "default settings except PATH and OUTPUT_PATH.",
             "- CPU = user + system time of the build and its worker processes. Memory: the largest single process "
             "(ru_maxrss, from the kernel) and the peak of the whole process tree, sampled every 50 ms as the sum of "
             "proportional set sizes (pages forked workers share with the main process counted once).",
             "",
             "| articles | build | wall s | CPU s | largest process MiB | process tree PSS MiB |",
             "|---:|---|---:|---:|---:|---:|"]
    for count, result in results.items():
        for name in BUILDS:
            r = result[name]
            lines.append(f"| {count:,} | {name} | {r['wall']:.2f} | {r['cpu']:.2f} | "
                         f"{r['maxrss'] / MIB:.0f} | {r['tree_rss'] / MIB:.0f} |")
        stock = result["stock"]
        for name in BUILDS[:-1]:
            ours = result[name]
            lines.append(f"| {count:,} | **{name} / stock** | **{ours['wall'] / stock['wall']:.2f}×** "
                         f"(paired median {result[name + ' pair_ratio']:.2f}×) | {ours['cpu'] / stock['cpu']:.2f}× | "
                         f"{ours['maxrss'] / stock['maxrss']:.2f}× | {ours['tree_rss'] / stock['tree_rss']:.2f}× |")
    lines += ["", f"Related news alone (`attach_related_news`, `CategoryTimeline` over 10,000 articles, "
              f"8 per article, median of 5): **{related * 1000:.0f} ms**."]
    if preview is not None:
        lines += ["", f"Editor preview at {args.preview_size:,} articles (warm `invoke livereload` process; "
                  f"save one article until its page and its category page are rewritten; median of {args.repeat}): "
                  f"**{preview:.2f} s**."]
    if weights:
        lines += ["", f"Page weight, ours at {max(results):,} articles (bytes, raw / gzip -9):", "",
                  "| page | raw | gzip |", "|---|---:|---:|"]
        lines += [f"| {name} | {raw:,} | {packed:,} |" for name, (raw, packed) in weights.items()]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--preview-size", type=int, default=5000, help="0 skips the preview timing")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    load_before = os.getloadavg()[0]
    results = {}
    for count in sizes:
        results[count] = summarise(compare_builds(count, args.repeat))
    weights = page_weights(CORPUS / str(max(sizes)) / "output-ours")
    related = related_news_alone()
    preview = preview_latency(args.preview_size, args.repeat) if args.preview_size else None
    text = report(results, related, weights, preview, args, load_before, os.getloadavg()[0])
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
