"""Time as the counter sees it: epoch seconds, and days in Vietnam's time zone."""

import time
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], float]
"""Returns the current time in epoch seconds; tests inject a fake one."""

SITE_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

system_clock: Clock = time.time


def local_day(at: float) -> str:
    """The calendar day (YYYY-MM-DD) in the site's time zone at epoch second `at`."""
    return datetime.fromtimestamp(at, SITE_TIME_ZONE).date().isoformat()
