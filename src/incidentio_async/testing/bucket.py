"""The API's rate limit: one token bucket per API key, read through an injected clock.

As documented: a bucket holds ``capacity`` requests and refills continuously at
``refill_rate`` per second (1200 and 20 by default: 1200 requests a minute). Every admitted
request takes a token; a request that finds less than one token gets a 429.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Literal

from incidentio_async.clock import Clock
from incidentio_async.testing.errors import ApiError, ErrorDetail

RetryAfterFormat = Literal["rfc3339", "http-date"]
"""How the 429 body writes ``rate_limit.retry_after``; the real API has used both."""

TOO_MANY_REQUESTS_MESSAGE = (
    "Too many requests hit the API too quickly. We recommend an exponential backoff of your "
    "requests."
)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_retry_after(timestamp: int, style: RetryAfterFormat) -> str:
    """``2025-04-17T11:17:18Z`` (rfc3339) or ``Thu, 17 Apr 2025 11:17:18 UTC`` (http-date)."""
    t = time.gmtime(timestamp)
    if style == "rfc3339":
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", t)
    # Names spelled out here rather than with %a/%b, which follow the process locale.
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} UTC"
    )


@dataclass
class KeyStats:
    """Requests seen for one API key (benchmarks and tests assert on these)."""

    admitted: int = 0
    """Requests that got a token (whatever their answer was)."""
    rejected: int = 0
    """Requests answered 429."""


class TokenBucket:
    """A continuously refilling bucket of request tokens."""

    def __init__(self, capacity: int, refill_rate: float, now: float) -> None:
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.tokens = float(capacity)
        self._updated = now

    def refill(self, now: float) -> None:
        """Add the tokens earned since the last look (never above capacity)."""
        if now > self._updated:
            self.tokens = min(self.capacity, self.tokens + (now - self._updated) * self.refill_rate)
        self._updated = max(self._updated, now)

    def try_take(self, now: float) -> bool:
        """Take one token if there is one."""
        self.refill(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def seconds_until(self, tokens: float) -> float:
        """How long until the bucket holds ``tokens`` (0 if it already does)."""
        return max(0.0, (tokens - self.tokens) / self.refill_rate)


class RateLimits:
    """Per-key buckets, the ``X-RateLimit-*`` headers and the 429 answer.

    Change ``capacity``/``refill_rate`` with :meth:`configure`, which also empties the history;
    ``enabled = False`` lets everything through (and sends no rate-limit headers).
    """

    def __init__(
        self,
        clock: Clock,
        *,
        enabled: bool = True,
        capacity: int = 1200,
        refill_rate: float = 20.0,
        retry_after_format: RetryAfterFormat = "rfc3339",
    ) -> None:
        self.clock = clock
        self.enabled = enabled
        self.retry_after_format: RetryAfterFormat = retry_after_format
        self.stats: dict[str, KeyStats] = {}
        """Counters per API key (the key itself, not its name)."""
        self._buckets: dict[str, TokenBucket] = {}
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.configure(capacity=capacity, refill_rate=refill_rate)

    def configure(self, *, capacity: int | None = None, refill_rate: float | None = None) -> None:
        """Set the bucket size and refill rate; every bucket starts full again."""
        capacity = self.capacity if capacity is None else capacity
        refill_rate = self.refill_rate if refill_rate is None else refill_rate
        if capacity < 1 or refill_rate <= 0:
            raise ValueError("capacity must be at least 1 and refill_rate positive")
        self.capacity = capacity
        self.refill_rate = refill_rate
        self._buckets.clear()

    def reset(self) -> None:
        """Full buckets and zero counters."""
        self._buckets.clear()
        self.stats.clear()

    @property
    def window(self) -> float:
        """Seconds to refill an empty bucket: the ``window`` of ``X-RateLimit-Limit``."""
        return self.capacity / self.refill_rate

    def bucket(self, key: str) -> TokenBucket:
        """The bucket of ``key``, up to date (a new key starts with a full bucket)."""
        now = self.clock.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.capacity, self.refill_rate, now)
        bucket.refill(now)
        return bucket

    def key_stats(self, key: str) -> KeyStats:
        """The counters of ``key`` (zeros for a key not seen yet)."""
        return self.stats.setdefault(key, KeyStats())

    def admit(self, key: str, key_name: str) -> dict[str, str]:
        """Take a token for a request made with ``key``; return the headers to send.

        Raises:
            ApiError: 429 ``too_many_requests`` with ``Retry-After``, when the bucket is empty.
        """
        stats = self.key_stats(key)
        if not self.enabled:
            stats.admitted += 1
            return {}
        bucket = self.bucket(key)
        admitted = bucket.try_take(self.clock.monotonic())
        headers = self._headers(bucket)
        if admitted:
            stats.admitted += 1
            return headers
        stats.rejected += 1
        wait = bucket.seconds_until(1.0)
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
        retry_at = math.ceil(self.clock.time() + wait)
        raise ApiError(
            429,
            "too_many_requests",
            [ErrorDetail("too_many_requests", TOO_MANY_REQUESTS_MESSAGE)],
            headers=headers,
            extra={
                "rate_limit": {
                    "name": key_name,
                    "limit": self.capacity,
                    "remaining": 0,
                    "retry_after": format_retry_after(retry_at, self.retry_after_format),
                }
            },
        )

    def _headers(self, bucket: TokenBucket) -> dict[str, str]:
        remaining = math.floor(bucket.tokens)
        reset = math.ceil(self.clock.time() + bucket.seconds_until(self.capacity))
        return {
            "X-RateLimit-Limit": f"{self.capacity}, {self.capacity};window={self.window:g}",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Used": str(self.capacity - remaining),
            "X-RateLimit-Reset": str(reset),
        }
