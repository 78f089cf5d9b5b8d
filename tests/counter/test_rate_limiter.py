from counter import ratelimit
from counter.ratelimit import RateLimiter


def test_burst_is_allowed_then_refused_until_tokens_refill():
    limiter = RateLimiter(per_second=2, burst=3)

    assert [limiter.allow("a", 0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("a", 0.49) is False
    assert limiter.allow("a", 0.5) is True


def test_limiter_forgets_idle_visitors_once_many_are_tracked(monkeypatch):
    monkeypatch.setattr(ratelimit, "MAX_TRACKED_KEYS", 3)
    limiter = RateLimiter(per_second=1, burst=2)
    for number in range(3):
        limiter.allow(f"idle-{number}", 0.0)

    limiter.allow("recent", 1.0)
    assert len(limiter) == 4  # nobody has refilled yet (2 s)

    limiter.allow("new", 3.0)

    assert len(limiter) == 1  # the others had refilled: forgetting them changes no answer
