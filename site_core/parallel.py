"""One function over many files, on every core, with the results in the files' order.

The standard library's process pool, forked, so the work (a checker holding the
settings, the registry, loaded plugins) reaches the workers without pickling;
only the results travel back. Below `min_items` the work runs here: a pool costs
more than it saves on a small site (and tests build small sites).
"""

from multiprocessing import get_context
import os

_work = None


def _call(item):
    return _work(item)


def in_order(work, items, processes=0, min_items=64):
    """[work(item) for item in items], on `processes` processes (0: one per core)."""
    global _work
    items = list(items)
    processes = processes or os.cpu_count() or 1
    if processes < 2 or len(items) < min_items:
        return [work(item) for item in items]
    _work = work
    try:
        with get_context("fork").Pool(processes) as pool:
            return pool.map(_call, items, chunksize=max(1, len(items) // (processes * 8)))
    finally:
        _work = None
