"""What each speed part buys: our build with every part on, then with one part
off at a time, each beside stock Pelican in the same round, cold (empty cache/)
and warm (the cache the same variant left, no file changed).

The search index is off in these builds (its own cost is the same with every
variant); its cache is measured by the variants "index cache off", which
build with the index.

    python bench/ablation.py [--sizes 1000,5000] [--repeat 3] [--out FILE]
"""

from pathlib import Path
from statistics import median
import argparse
import json
import os
import shutil
import sys

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH.parent / "plugins")]

from bench.run import CORPUS, MIB, OURS_SETTINGS, STOCK_SETTINGS, corpus_for, measure  # noqa: E402

# name: the settings lines that make the variant (added to ours without the search index).
# Every variant but the first keeps the output cache off, so that its warm build is a real
# build from the conversion cache; "output cache off" is their baseline.
NO_OUTPUT_CACHE = "OUTPUT_CACHE = False\n"
VARIANTS = {
    "all parts on": "",
    "output cache off": NO_OUTPUT_CACHE,
    "content check on all cores off": NO_OUTPUT_CACHE + "PARALLEL_CHECK = False\n",
    "content check cache off": NO_OUTPUT_CACHE + "CONTENT_CHECK_CACHE = False\n",
    "reading on all cores off": NO_OUTPUT_CACHE + "PARALLEL_READING = False\n",
    "conversion cache off": NO_OUTPUT_CACHE + "PARALLEL_READING_CACHE = False\n",
    "rendering on all cores off": NO_OUTPUT_CACHE + "PARALLEL_WRITING = False\n",
    "linear listings off": NO_OUTPUT_CACHE + "LINEAR_LISTINGS = False\n",
    "templates read once off": NO_OUTPUT_CACHE + "TEMPLATES_READ_ONCE = False\n",
    "every part off": "SPEEDUPS = False\nPARALLEL_CHECK = False\n",
}
INDEX_VARIANTS = {
    "with index, all parts on": "SEARCH_INDEX = True\n",
    "with index, index cache off": "SEARCH_INDEX = True\nSEARCH_INDEX_CACHE = False\n",
}


def settings_for(root, name, extra):
    slug = "".join(ch if ch.isalnum() else "-" for ch in name)
    path = root / f"ablation-{slug}_settings.py"
    path.write_text(OURS_SETTINGS.format(site_root=str(BENCH.parent), content=str(root / "content"),
                                         output=str(root / f"output-ablation-{slug}"))
                    + f"CACHE_PATH = {str(root / f'cache-ablation-{slug}')!r}\n"
                    + "SEARCH_INDEX = False\n" + extra, encoding="utf-8")
    return path, root / f"output-ablation-{slug}", root / f"cache-ablation-{slug}"


def describe(measured):
    return (f"{measured['wall']:.2f} s wall, {measured['cpu']:.2f} s CPU, {measured['main_cpu']:.2f} s main CPU, "
            f"{measured['tree_rss'] / MIB:.0f} MiB")


def run(count, repeat, variants):
    corpus_for(count)
    root = CORPUS / str(count)
    stock_settings = root / "stock_settings.py"
    stock_settings.write_text(STOCK_SETTINGS.format(content=str(root / "content"),
                                                    output=str(root / "output-stock")), encoding="utf-8")
    builds = {name: settings_for(root, name, extra) for name, extra in variants.items()}
    runs = {(name, kind): [] for name in builds for kind in ("cold", "warm")}
    runs[("stock", "cold")] = []
    names = list(builds)
    for round_number in range(repeat):
        order = ["stock"] + names if round_number % 2 == 0 else names[::-1] + ["stock"]
        for name in order:
            if name == "stock":
                shutil.rmtree(root / "output-stock", ignore_errors=True)
                runs[("stock", "cold")].append(measure(
                    [sys.executable, "-m", "pelican", "-s", str(stock_settings)], root))
                print(f"  N={count} stock: {describe(runs[('stock', 'cold')][-1])}", flush=True)
                continue
            settings, output, cache = builds[name]
            shutil.rmtree(cache, ignore_errors=True)
            for kind in ("cold", "warm"):
                shutil.rmtree(output, ignore_errors=True)
                runs[(name, kind)].append(measure(
                    [sys.executable, "-m", "pelican", "-s", str(settings), "--fatal", "warnings"], root))
                print(f"  N={count} {name} {kind}: {describe(runs[(name, kind)][-1])}", flush=True)
    return runs


def table(results):
    lines = ["| articles | build | cold s | cold / stock | warm s | warm / stock | CPU cold s | "
             "main process CPU cold s | CPU warm s | main process CPU warm s | tree PSS MiB |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for count, runs in results.items():
        stock = runs[("stock", "cold")]
        stock_wall = median(run["wall"] for run in stock)
        lines.append(f"| {count:,} | stock | {stock_wall:.2f} | 1.00× | | | "
                     f"{median(r['cpu'] for r in stock):.2f} | {median(r.get('main_cpu', 0) for r in stock):.2f} | | | "
                     f"{median(r['tree_rss'] for r in stock) / MIB:.0f} |")
        for name in dict.fromkeys(name for name, _ in runs if name != "stock"):
            cold, warm = runs[(name, "cold")], runs[(name, "warm")]

            def ratio(measured):
                return median(ours["wall"] / base["wall"] for ours, base in zip(measured, stock))
            lines.append(f"| {count:,} | {name} | {median(r['wall'] for r in cold):.2f} | {ratio(cold):.2f}× | "
                         f"{median(r['wall'] for r in warm):.2f} | {ratio(warm):.2f}× | "
                         f"{median(r['cpu'] for r in cold):.2f} | {median(r.get('main_cpu', 0) for r in cold):.2f} | "
                         f"{median(r['cpu'] for r in warm):.2f} | {median(r.get('main_cpu', 0) for r in warm):.2f} | "
                         f"{median(r['tree_rss'] for r in cold) / MIB:.0f} |")
    return "\n".join(lines) + "\n"


def listing_membership_alone(sizes=(1_000, 5_000, 10_000), categories=6, repeat=3):
    """CPU seconds of Pelican's category-page loop (`[a for a in dates if a in articles]`
    per category) with plain lists and with speedups.listings' ArticleSet, in this process."""
    import random
    import time

    from speedups.listings import ArticleSet

    rows = []
    for count in sizes:
        articles = [object() for _ in range(count)]
        rng = random.Random(count)
        members = {}
        for article in articles:
            members.setdefault(rng.randrange(categories), []).append(article)
        timings = {}
        for kind, wrap in (("list", list), ("ArticleSet", ArticleSet)):
            listings = [wrap(group) for group in members.values()]
            runs = []
            for _ in range(repeat):
                started = time.process_time()
                for listing in listings:
                    [article for article in articles if article in listing]
                runs.append(time.process_time() - started)
            timings[kind] = median(runs)
        rows.append(f"| {count:,} | {timings['list'] * 1000:.0f} ms | {timings['ArticleSet'] * 1000:.0f} ms |")
    return ("Category pages' membership tests alone (CPU, median of 3, 6 categories):\n\n"
            "| articles | Pelican's lists | linear listings |\n|---:|---:|---:|\n" + "\n".join(rows) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--index", action="store_true", help="the search index cache variants instead")
    parser.add_argument("--only", help="comma-separated variant names")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--listings-only", action="store_true", help="only the in-process listing figure")
    args = parser.parse_args(argv)
    if args.listings_only:
        print(listing_membership_alone())
        return
    variants = INDEX_VARIANTS if args.index else VARIANTS
    if args.only:
        variants = {name: variants[name] for name in args.only.split(",")}
    load_before = os.getloadavg()[0]
    results = {int(size): run(int(size), args.repeat, variants) for size in args.sizes.split(",")}
    text = (f"Load average (1 min) before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f}; "
            f"{args.repeat} alternating round(s), medians, ratios paired per round.\n\n" + table(results))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(
            {str(count): {f"{name}|{kind}": measured for (name, kind), measured in runs.items()}
             for count, runs in results.items()}), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
