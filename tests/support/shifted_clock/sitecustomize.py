"""Loaded at start-up by any Python process that has this folder on PYTHONPATH:
moves the process's clock CLOCK_SHIFT_DAYS days ahead, so a test can build the
site "days later" without faketime. datetime.now/utcnow/today and time.time are
shifted (date.today reads time.time); classes created later (Pelican's SafeDatetime) inherit the shift.
"""

import datetime
import os
import time

SHIFT = datetime.timedelta(days=float(os.environ.get("CLOCK_SHIFT_DAYS", "0")))
_real_time = time.time
_real_time_ns = time.time_ns


class ShiftedDatetime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return super().now(tz) + SHIFT

    @classmethod
    def utcnow(cls):
        return super().utcnow() + SHIFT

    @classmethod
    def today(cls):
        return cls.now()


datetime.datetime = ShiftedDatetime
time.time = lambda: _real_time() + SHIFT.total_seconds()
time.time_ns = lambda: _real_time_ns() + int(SHIFT.total_seconds() * 1e9)
