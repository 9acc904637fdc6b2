"""The API's rate limits: a token bucket per API key, and one per API key and operation for
the operations given a limit of their own; read through an injected clock.

As documented: a bucket holds ``capacity`` requests and refills continuously at
``refill_rate`` per second (1200 and 20 by default: 1200 requests a minute). Every admitted
request takes a token from every bucket it falls under; a request that finds less than one
token in any of them gets a 429 and takes none. The headers follow the documented format:
``X-RateLimit-Limit`` names the binding quota (the limit with least allowance left), then
every limit that applied with its window; ``Remaining``, ``Used`` and ``Reset`` describe the
binding limit; a 429's body names the limit that refused it (the key's name, or the
operation's id for an operation's own limit).
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from incidentio_async.clock import Clock
from incidentio_async.testing.errors import ApiError, ErrorDetail

EndpointLimits = Mapping[str, tuple[int, float]]
"""Limits of their own, by operation id: ``{"Follow-ups V3#ConnectExternalIssue": (2, 0.2)}``
is a bucket of 2 requests refilled at 0.2 per second, per API key."""

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
    admitted_by_operation: dict[str, int] = field(default_factory=dict)
    """``admitted``, by operation id."""
    rejected_by_operation: dict[str, int] = field(default_factory=dict)
    """``rejected``, by operation id."""

    def count(self, operation: str | None, admitted: bool) -> None:
        """Count one request of ``operation``."""
        if admitted:
            self.admitted += 1
        else:
            self.rejected += 1
        if operation is not None:
            tally = self.admitted_by_operation if admitted else self.rejected_by_operation
            tally[operation] = tally.get(operation, 0) + 1


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


@dataclass
class _Limit:
    """One bucket a request falls under, as the headers and the 429 describe it."""

    bucket: TokenBucket
    name: str

    @property
    def window(self) -> float:
        return self.bucket.capacity / self.bucket.refill_rate

    def describe(self) -> str:
        return f"{self.bucket.capacity};window={self.window:g}"


class RateLimits:
    """Per-key buckets (and per key and operation, for ``endpoint_limits``), the
    ``X-RateLimit-*`` headers and the 429 answer.

    Change ``capacity``/``refill_rate``/``endpoint_limits`` with :meth:`configure`, which also
    empties the history; ``enabled = False`` lets everything through (and sends no rate-limit
    headers).
    """

    def __init__(
        self,
        clock: Clock,
        *,
        enabled: bool = True,
        capacity: int = 1200,
        refill_rate: float = 20.0,
        retry_after_format: RetryAfterFormat = "rfc3339",
        endpoint_limits: EndpointLimits | None = None,
    ) -> None:
        self.clock = clock
        self.enabled = enabled
        self.retry_after_format: RetryAfterFormat = retry_after_format
        self.stats: dict[str, KeyStats] = {}
        """Counters per API key (the key itself, not its name)."""
        self._buckets: dict[str, TokenBucket] = {}
        self._endpoint_buckets: dict[tuple[str, str], TokenBucket] = {}
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.endpoint_limits: dict[str, tuple[int, float]] = {}
        """The operations with a limit of their own: operation id → (capacity, refill rate)."""
        self.configure(
            capacity=capacity, refill_rate=refill_rate, endpoint_limits=endpoint_limits or {}
        )

    def configure(
        self,
        *,
        capacity: int | None = None,
        refill_rate: float | None = None,
        endpoint_limits: EndpointLimits | None = None,
    ) -> None:
        """Set the key's bucket size and refill rate, and the operations' own limits (None:
        unchanged); every bucket starts full again."""
        capacity = self.capacity if capacity is None else capacity
        refill_rate = self.refill_rate if refill_rate is None else refill_rate
        _check_limit("the key", capacity, refill_rate)
        limits = dict(self.endpoint_limits if endpoint_limits is None else endpoint_limits)
        for operation, limit in limits.items():
            if not isinstance(limit, tuple | list) or len(limit) != 2:
                raise ValueError(
                    f"endpoint_limits[{operation!r}] must be (capacity, refill_rate), not {limit!r}"
                )
            _check_limit(operation, *limit)
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.endpoint_limits = {op: (c, float(r)) for op, (c, r) in limits.items()}
        self._buckets.clear()
        self._endpoint_buckets.clear()

    def reset(self) -> None:
        """Full buckets and zero counters."""
        self._buckets.clear()
        self._endpoint_buckets.clear()
        self.stats.clear()

    @property
    def window(self) -> float:
        """Seconds to refill an empty key bucket: its ``window`` in ``X-RateLimit-Limit``."""
        return self.capacity / self.refill_rate

    def bucket(self, key: str) -> TokenBucket:
        """The bucket of ``key``, up to date (a new key starts with a full bucket)."""
        now = self.clock.monotonic()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.capacity, self.refill_rate, now)
        bucket.refill(now)
        return bucket

    def endpoint_bucket(self, key: str, operation: str) -> TokenBucket | None:
        """The bucket of ``operation`` for ``key``, up to date, if the operation has a limit
        of its own (a new one starts full)."""
        limit = self.endpoint_limits.get(operation)
        if limit is None:
            return None
        now = self.clock.monotonic()
        bucket = self._endpoint_buckets.get((key, operation))
        if bucket is None:
            bucket = self._endpoint_buckets[key, operation] = TokenBucket(*limit, now)
        bucket.refill(now)
        return bucket

    def key_stats(self, key: str) -> KeyStats:
        """The counters of ``key`` (zeros for a key not seen yet)."""
        return self.stats.setdefault(key, KeyStats())

    def admit(self, key: str, key_name: str, operation: str | None = None) -> dict[str, str]:
        """Take a token from every bucket a request of ``operation`` made with ``key`` falls
        under; return the headers to send.

        Raises:
            ApiError: 429 ``too_many_requests`` with ``Retry-After``, when any of them is
                empty (then no token is taken).
        """
        stats = self.key_stats(key)
        if not self.enabled:
            stats.count(operation, admitted=True)
            return {}
        limits = [_Limit(self.bucket(key), key_name)]
        own = None if operation is None else self.endpoint_bucket(key, operation)
        if own is not None and operation is not None:
            limits.append(_Limit(own, operation))
        empty = [limit for limit in limits if limit.bucket.tokens < 1.0]
        if not empty:
            for limit in limits:
                limit.bucket.tokens -= 1.0
            stats.count(operation, admitted=True)
            return self._headers(limits, self._binding(limits))
        stats.count(operation, admitted=False)
        # The limit that refuses longest is the one to wait for.
        refusing = max(empty, key=lambda limit: limit.bucket.seconds_until(1.0))
        wait = refusing.bucket.seconds_until(1.0)
        headers = self._headers(limits, refusing)
        headers["Retry-After"] = str(max(1, math.ceil(wait)))
        retry_at = math.ceil(self.clock.time() + wait)
        raise ApiError(
            429,
            "too_many_requests",
            [ErrorDetail("too_many_requests", TOO_MANY_REQUESTS_MESSAGE)],
            headers=headers,
            extra={
                "rate_limit": {
                    "name": refusing.name,
                    "limit": refusing.bucket.capacity,
                    "remaining": 0,
                    "retry_after": format_retry_after(retry_at, self.retry_after_format),
                }
            },
        )

    @staticmethod
    def _binding(limits: list[_Limit]) -> _Limit:
        """The limit with least allowance left (the stricter one on a tie)."""
        return min(
            limits, key=lambda limit: (math.floor(limit.bucket.tokens), limit.bucket.capacity)
        )

    def _headers(self, limits: list[_Limit], binding: _Limit) -> dict[str, str]:
        remaining = math.floor(binding.bucket.tokens)
        full_in = binding.bucket.seconds_until(binding.bucket.capacity)
        listed = ", ".join(limit.describe() for limit in limits)
        return {
            "X-RateLimit-Limit": f"{binding.bucket.capacity}, {listed}",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Used": str(binding.bucket.capacity - remaining),
            "X-RateLimit-Reset": str(math.ceil(self.clock.time() + full_in)),
        }


def _check_limit(what: str, capacity: object, refill_rate: object) -> None:
    ok = (
        isinstance(capacity, int | float)
        and not isinstance(capacity, bool)
        and math.isfinite(capacity)
        and capacity >= 1
        and isinstance(refill_rate, int | float)
        and math.isfinite(refill_rate)
        and refill_rate > 0
    )
    if not ok:
        raise ValueError(
            f"the rate limit of {what}: capacity must be a number >= 1 and refill_rate a "
            f"positive number, not ({capacity!r}, {refill_rate!r})"
        )
