"""Our full build beside stock Pelican on the same synthetic articles.

For each size N the builds run alternately in this one invocation (so both see
the same load on a shared machine), each a fresh process; the report gives
medians and the issue's targets as ratios: ours with its search index against
stock Pelican followed by Pagefind's CLI, and ours without the index, after
one changed article and unchanged, against stock Pelican. Also: related news alone over
10,000 articles, the weight of the pages a reader downloads, and, when asked,
how long the editor preview takes to show one saved article.

    python bench/run.py [--sizes 1000,5000,10000x1] [--repeat 3] [--variants same-day:1000] [--preview-size 5000]
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


def corpus_root(count, variant=""):
    return CORPUS / (f"{count}-{variant}" if variant else str(count))


def corpus_for(count, seed=DEFAULT_SEED, variant=""):
    """bench/corpus/<count>[-<variant>]/content, written once per count, seed and variant."""
    root = corpus_root(count, variant)
    stamp = root / "corpus.stamp"
    generator = (BENCH / "corpus.py").read_bytes()
    expected = f"{count} {seed} {variant} {hash_bytes(generator)}"
    if not stamp.exists() or stamp.read_text() != expected:
        write_corpus(root, count, seed, variant=variant)
        stamp.write_text(expected)
    return root / "content"


def hash_bytes(data):
    import hashlib
    return hashlib.sha256(data).hexdigest()[:16]


def settings_files(count, variant=""):
    root = corpus_root(count, variant)
    content = corpus_for(count, variant=variant)
    files = {}
    for name, template in (("ours", OURS_SETTINGS), ("ours-no-search", OURS_NO_SEARCH_SETTINGS),
                           ("stock", STOCK_SETTINGS)):
        path = root / f"{name}_settings.py"
        path.write_text(template.format(site_root=str(SITE_ROOT), content=str(content),
                                        output=str(root / f"output-{name}")), encoding="utf-8")
        files[name] = path
    return files


def process_tree(pid):
    """(pid, name) of a process and all its descendants (children of any of their threads),
    from Linux /proc; processes that end meanwhile are left out."""
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/comm") as comm:
                name = comm.read().strip()
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        yield current, name


def proc_fields(pid, name):
    """The `Key: value` lines of /proc/PID/NAME (status, smaps_rollup) as a dict; empty once it ended."""
    try:
        with open(f"/proc/{pid}/{name}") as found:
            return dict(line.split(":", 1) for line in found if ":" in line)
    except (FileNotFoundError, ProcessLookupError):
        return {}


def kibibytes(fields, key):
    return int(fields[key].split()[0]) * 1024 if key in fields else 0


def process_tree_memory(pid):
    """(our PSS, Pagefind's peak RSS) in bytes.

    Ours: the proportional set size of a process and all its descendants but
    Pagefind (pages that forked workers share with their parent are counted
    once). Pagefind's: the high-water mark (VmHWM) of any Pagefind process."""
    ours, pagefind = 0, 0
    for current, name in process_tree(pid):
        if name.startswith("pagefind"):
            pagefind = max(pagefind, kibibytes(proc_fields(current, "status"), "VmHWM"))
        else:
            ours += kibibytes(proc_fields(current, "smaps_rollup"), "Pss")
    return ours, pagefind


def measure(command, cwd):
    """Wall, CPU (process and descendants), largest process RSS, sampled tree PSS
    without Pagefind, and Pagefind's peak RSS."""
    peak, pagefind_peak, main_cpu = [0], [0], [0.0]
    ticks = os.sysconf("SC_CLK_TCK")
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    done = threading.Event()

    def sample():
        while not done.wait(0.05):
            ours, pagefind = process_tree_memory(process.pid)
            peak[0], pagefind_peak[0] = max(peak[0], ours), max(pagefind_peak[0], pagefind)
            try:  # the main process's own CPU time, without its workers: the critical path
                with open(f"/proc/{process.pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                main_cpu[0] = (int(fields[11]) + int(fields[12])) / ticks
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass

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
            "maxrss": usage.ru_maxrss * 1024, "tree_rss": peak[0], "pagefind_rss": pagefind_peak[0],
            "main_cpu": main_cpu[0]}


def build_command(settings, fatal=True):
    command = [sys.executable, "-m", "pelican", "-s", str(settings)]
    return command + ["--fatal", "warnings"] if fatal else command


def pagefind_command(site):
    """What a user of stock Pelican would run for full-text search: Pagefind's CLI with its defaults."""
    from pagefind_bin import get_executable
    return [str(get_executable()), "--site", str(site), "--silent"]


STOCK, PAGEFIND_CLI = "stock", "Pagefind CLI on stock's output"
COLD, UNCHANGED, CHANGED, NO_SEARCH = ("ours", "ours, unchanged rebuild", "ours, one article changed",
                                       "ours, no search index")
BUILDS = (STOCK, PAGEFIND_CLI, COLD, UNCHANGED, CHANGED, NO_SEARCH)
# (ours, what it is compared with, target): the targets, as ratios of wall time.
RATIOS = ((COLD, (STOCK, PAGEFIND_CLI), 1.0), (NO_SEARCH, (STOCK,), 1.0),
          (CHANGED, (STOCK,), 0.5), (UNCHANGED, (STOCK,), 0.4))


def changed_article(content):
    """The article the "one article changed" build edits: the middle one by path."""
    articles = sorted((content / "articles").rglob("*.md"))
    return articles[len(articles) // 2]


def compare_builds(count, repeat, variant=""):
    """Per round: stock Pelican then Pagefind's CLI over its output; ours from an
    empty cache/, again with the cache it left and no file changed, again after
    one article changed, and from an empty cache without the search index.
    Stock and ours swap places every round; every build starts from an empty
    output folder, as in CI, where only cache/ is kept between runs."""
    root = corpus_root(count, variant)
    settings = settings_files(count, variant)
    runs = {name: [] for name in BUILDS}

    def run(name, command):
        runs[name].append(measure(command, root))
        print(f"  N={count}{' ' + variant if variant else ''} {name}: {runs[name][-1]['wall']:.2f} s", flush=True)

    def stock():
        shutil.rmtree(root / "output-stock", ignore_errors=True)
        run(STOCK, build_command(settings["stock"], fatal=False))
        run(PAGEFIND_CLI, pagefind_command(root / "output-stock"))

    def ours():
        article = changed_article(root / "content")
        original = article.read_text(encoding="utf-8")
        shutil.rmtree(root / "cache", ignore_errors=True)
        for name in (COLD, UNCHANGED, CHANGED):
            shutil.rmtree(root / "output-ours", ignore_errors=True)
            if name == CHANGED:
                article.write_text(original + "\nĐoạn bổ sung sau khi đăng: thêm một câu về kết quả.\n",
                                   encoding="utf-8")
            try:
                run(name, build_command(settings["ours"]))
            finally:
                article.write_text(original, encoding="utf-8")
        shutil.rmtree(root / "cache", ignore_errors=True)
        shutil.rmtree(root / "output-ours-no-search", ignore_errors=True)
        run(NO_SEARCH, build_command(settings["ours-no-search"]))

    for round_number in range(repeat):
        for step in ((stock, ours) if round_number % 2 == 0 else (ours, stock)):
            step()
    return runs


def summarise(runs):
    result = {}
    for name, measured in runs.items():
        result[name] = {key: median(run[key] for run in measured) for key in measured[0]}
    for name, baselines, _ in RATIOS:
        for measure_name in ("wall", "cpu"):
            result[f"{name} {measure_name} ratio"] = median(
                ours[measure_name] / sum(run[measure_name] for run in others)
                for ours, *others in zip(runs[name], *(runs[baseline] for baseline in baselines)))
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
    generator = SimpleNamespace(settings={"RELATED_NEWS_COUNT": 8}, articles=articles, hidden_articles=[],
                                drafts=[])
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


def verdict(ratio, target, load):
    """A wall ratio under target proves nothing on a machine loaded past twice its cores."""
    if ratio > target:
        return "**no**"
    return "not judged (load)" if load > 2 * (os.cpu_count() or 1) else "yes"


def report(results, related, weights, preview, args, load_before, load_after):
    lines = ["# Build benchmark", "",
             f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- Machine: {machine()}",
             f"- Load average (1 min) before / after: {load_before:.2f} / {load_after:.2f}. The machine is shared: "
             "the builds run under `nice`, alternate with stock Pelican in the same invocation, and only the "
             "ratios (median of the per-round ratios) are meant to be compared.",
             f"- Corpus: `bench/corpus.py`, seed {DEFAULT_SEED}, ~700-word Vietnamese articles in the registry's "
             "categories; \"same-day\" has about 100 articles on each day, dated without a time.",
             f"- {args.repeat} round(s) per size unless the size says otherwise (`10000x1`: one); stock and ours swap places every round; every build starts "
             "from an empty output folder (as in CI, where only `cache/` is kept between runs).",
             "- Ours: `pelicanconf.py`, every plugin on, `--fatal warnings`. \"ours\" starts from an empty "
             "`cache/`; \"unchanged rebuild\" keeps the cache it left; \"one article changed\" keeps it too, "
             "with one article given one more paragraph; \"no search index\" is \"ours\" with "
             "`SEARCH_INDEX = False`. Stock: Pelican's default theme, no plugins, typogrify off, default settings "
             "except PATH and OUTPUT_PATH; then Pagefind's CLI with its defaults over stock's output, the fair "
             "anchor for a build with full-text search.",
             "- CPU = user + system time of the process and its children. Memory: the largest single process "
             "(ru_maxrss), the peak of our process tree without Pagefind, sampled every 50 ms as the sum of "
             "proportional set sizes (pages forked workers share counted once), and Pagefind's own peak (VmHWM).",
             "",
             "| articles | build | wall s | CPU s | main process CPU s | largest process MiB | our tree PSS MiB | "
             "Pagefind peak MiB |",
             "|---:|---|---:|---:|---:|---:|---:|---:|"]
    for (count, variant), result in results.items():
        label = f"{count:,}" + (f" {variant}" if variant else "")
        for name in BUILDS:
            r = result[name]
            lines.append(f"| {label} | {name} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['main_cpu']:.2f} | "
                         f"{r['maxrss'] / MIB:.0f} | "
                         f"{'' if name == PAGEFIND_CLI else format(r['tree_rss'] / MIB, '.0f')} | "
                         f"{format(r['pagefind_rss'] / MIB, '.0f') if r['pagefind_rss'] else ''} |")
    lines += ["", "Targets, as wall-time ratios in the same run (median of the per-round ratios; the CPU-time "
              "ratio beside it is steadier on a loaded machine but ignores what the second core buys):", "",
              "| articles | build | compared with | wall ratio | target | met | CPU ratio |",
              "|---:|---|---|---:|---:|---|---:|"]
    for (count, variant), result in results.items():
        label = f"{count:,}" + (f" {variant}" if variant else "")
        for name, baselines, target in RATIOS:
            ratio = result[f"{name} wall ratio"]
            lines.append(f"| {label} | {name} | {' + '.join(baselines)} | {ratio:.2f}× | ≤ {target:.1f}× | "
                         f"{verdict(ratio, target, load_before)} | {result[f'{name} cpu ratio']:.2f}× |")
    lines += ["", f"Related news alone (`attach_related_news`, `CategoryTimeline` over 10,000 articles, "
              f"8 per article, median of 5): **{related * 1000:.0f} ms**."]
    if preview is not None:
        lines += ["", f"Editor preview at {args.preview_size:,} articles (warm `invoke livereload` process; "
                  f"save one article until its page and its category page are rewritten; median of {args.repeat}): "
                  f"**{preview:.2f} s**."]
    if weights:
        lines += ["", f"Page weight, ours at {max(count for count, _ in results):,} articles "
                  "(bytes, raw / gzip -9):", "", "| page | raw | gzip |", "|---|---:|---:|"]
        lines += [f"| {name} | {raw:,} | {packed:,} |" for name, (raw, packed) in weights.items()]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--variants", default="same-day:1000",
                        help="corpus variants, each with its size (name:size,...); empty for none")
    parser.add_argument("--preview-size", type=int, default=5000, help="0 skips the preview timing")
    parser.add_argument("--out", type=Path, default=BENCH / "RESULTS.md")
    args = parser.parse_args(argv)
    def size_and_repeat(text):  # "10000x1": this size only once, to bound the run
        size, _, repeat = text.partition("x")
        return int(size), int(repeat or args.repeat)

    runs = [(*size_and_repeat(size), "") for size in args.sizes.split(",") if size]
    runs += [(*size_and_repeat(size), name)
             for name, size in (item.split(":") for item in args.variants.split(",") if item)]
    load_before = os.getloadavg()[0]
    results = {}
    for count, repeat, variant in runs:
        results[(count, variant)] = summarise(compare_builds(count, repeat, variant))
    largest = max(count for count, _, variant in runs if not variant)
    weights = page_weights(corpus_root(largest) / "output-ours")
    related = related_news_alone()
    preview = preview_latency(args.preview_size, args.repeat) if args.preview_size else None
    text = report(results, related, weights, preview, args, load_before, os.getloadavg()[0])
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
