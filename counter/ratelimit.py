"""Flood limit: token buckets per client network (see counter.visitors.address_network).

Keyed on the address, not on the visitor (address and user agent): a new
user agent must not buy a new bucket. In memory rather than in the database
on purpose: a flood is exactly when an extra write per request would hurt.
With several worker processes or hosts each keeps its own buckets, so one
address may get up to (processes x limit) through; the limit only has to
stop floods, not meter.
"""

import threading

MAX_TRACKED_KEYS = 10_000


class RateLimiter:
    def __init__(self, per_second: float, burst: int):
        self.per_second = per_second
        self.burst = burst
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._next_forget_at = float("-inf")

    def __len__(self) -> int:
        """How many keys are tracked."""
        return len(self._buckets)

    def allow(self, key: str, at: float) -> bool:
        with self._lock:
            tokens, updated_at = self._buckets.get(key, (self.burst, at))
            tokens = min(self.burst, tokens + max(0.0, at - updated_at) * self.per_second)
            allowed = tokens >= 1
            self._buckets[key] = (tokens - 1 if allowed else tokens, at)
            if len(self._buckets) > MAX_TRACKED_KEYS and at >= self._next_forget_at:
                self._forget_refilled(at)
            return allowed

    def _forget_refilled(self, at: float) -> None:
        refill_seconds = self.burst / self.per_second
        self._next_forget_at = at + refill_seconds
        self._buckets = {
            key: bucket
            for key, bucket in self._buckets.items()
            if at - bucket[1] < refill_seconds
        }
