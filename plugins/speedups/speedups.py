"""The speed-ups, behind one switch: `SPEEDUPS = True`.

Each part changes how fast the site builds, never what it contains
(tests/test_fast_build.py compares every byte with a plain build), and each is
kept because a figure in bench/RESULTS.md shows it pays on a 2-core machine
(frozen URLs did not: every access still went through Pelican's
`get_url_setting`, 23,043 calls at 1,000 articles either way, and the build's
CPU time did not move; they were removed):

- reading: Markdown and typogrify for every file on all cores, through a reader
  class given to Pelican's `readers_init` signal, with conversions kept in
  cache/ for the next build (speedups.reading);
- writing: article pages rendered on all cores, written by the main process
  (speedups.writing);
- listings: category pages without Pelican's quadratic membership tests
  (speedups.listings);
- templates: read and compiled once, not once per generator and build
  (speedups.templates).

At start-up speedups.guard checks the Pelican version and the Pelican code the
parts lean on (speedups.pins); outside what was tested, one warning line says
so and every part stays off. Each part also has its own setting (for example
`PARALLEL_WRITING = False`), which the benchmark and the editor preview use.
"""

import logging

from pelican import signals

from . import listings, reading, templates, writing
from .guard import reason_to_stay_off

logger = logging.getLogger(__name__)

# Every part's own setting, on by default when SPEEDUPS is on.
PARTS = ("PARALLEL_READING", "PARALLEL_READING_CACHE", "PARALLEL_WRITING", "LINEAR_LISTINGS",
         "TEMPLATES_READ_ONCE")


def switch_parts(pelican):
    settings = pelican.settings
    wanted = settings.get("SPEEDUPS", False)
    if wanted:
        reason = reason_to_stay_off()
        if reason:
            logger.warning("speedups: %s; phần tăng tốc tắt, trang vẫn dựng đúng nhưng chậm hơn.", reason)
            wanted = False
    for name in PARTS:
        settings[name] = bool(wanted and settings.get(name, True))
    reading.apply_defaults(settings)
    templates.templates_read_once(pelican)


def register():
    signals.initialized.connect(switch_parts)
    reading.register()
    listings.register()
    writing.register()
