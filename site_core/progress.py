"""One line per build phase, with counts and elapsed time, for long builds.

Lines go through Pelican's logging at INFO level, so `--fatal warnings` never
sees them. A plain `pelican` run shows only warnings and up, so the progress
logger is raised to INFO for the run unless Pelican was asked to be quiet
(`-q` sets the root logger to CRITICAL): `-q` stays silent.

Plugins report their phase with `report_phase` (photos, search index); the
reading and writing phases come from plugins/build_progress.
"""

import logging

logger = logging.getLogger("site_core.progress")


def follow_verbosity():
    """Show progress unless the run is quieter than Pelican's default (warnings)."""
    quiet = logging.getLogger().getEffectiveLevel() > logging.WARNING
    logger.setLevel(logging.CRITICAL if quiet else logging.INFO)


def vietnamese_number(number):
    return f"{number:,}".replace(",", ".")


def counted(number, noun):
    return f"{vietnamese_number(number)} {noun}"


def report_phase(phase, counts, seconds):
    """`phase: counts, seconds`, for example "Đọc nội dung: 5.000 bài viết, 3 trang — 4,2 giây"."""
    logger.info("%s: %s — %s giây", phase, ", ".join(counts), f"{seconds:.1f}".replace(".", ","))
