"""The in-process rate limiter: a concurrency cap plus a token bucket mirroring the server's."""

from __future__ import annotations

import threading
from collections.abc import Mapping

import anyio

from incidentio_async.clock import SYSTEM_CLOCK, Clock
from incidentio_async.ratelimit.admission import Admission
from incidentio_async.ratelimit.bucket import (
    TokenBucket,
    reserve_tokens,
    validate_concurrency,
    validate_limits,
)
from incidentio_async.ratelimit.headers import pause_seconds, remaining_from_headers
from incidentio_async.ratelimit.observe import Recorder
from incidentio_async.ratelimit.protocol import EventCallback, LimiterStats

DEFAULT_CAPACITY = 1200
"""incident.io's bucket size per API key."""

DEFAULT_REFILL_RATE = 20.0
"""incident.io's refill rate per API key, in requests per second."""

DEFAULT_MAX_CONCURRENCY = 32
"""Requests in flight at once. At 0.1-1 s per request this sustains 30-300 requests/s, well
above the 20/s refill, so the first 1200 go out quickly; beyond that more connections only
queue on the server."""

DEFAULT_SAFETY_MARGIN = 0.005
"""Share of the capacity held back (6 tokens of 1200; at least 1). Requests reach the server
with uneven delays; the reserve absorbs up to reserve/refill_rate = 0.3 s of that jitter
bunching them up, and costs a job that outlasts the burst those same 0.3 s, once."""


class RateLimiter:
    """Keeps one process within incident.io's rate limit for one API key.

    At most ``max_concurrency`` requests are in flight, and requests leave at the pace of a
    token bucket holding ``capacity`` tokens and refilled at ``refill_rate`` per second, as the
    server's is: a fresh limiter lets a burst through at once, a long job runs at the refill
    rate. A 429 pauses every request sharing the limiter for ``Retry-After``; afterwards they
    resume one by one at the refill rate, in arrival order. ``X-RateLimit-Remaining`` lowers
    the estimate when other clients spend the same tokens.

    Works under asyncio and trio, from any number of event loops one after another (the
    concurrency cap applies per event loop; the bucket is shared). All timing goes through
    ``clock``. ``initial_tokens`` starts the bucket below full, for a key that was just busy
    elsewhere. Raises :class:`ValueError` for impossible parameters.
    """

    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        refill_rate: float = DEFAULT_REFILL_RATE,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        *,
        safety_margin: float = DEFAULT_SAFETY_MARGIN,
        clock: Clock | None = None,
        on_event: EventCallback | None = None,
        initial_tokens: float | None = None,
    ) -> None:
        validate_limits(capacity, refill_rate, safety_margin)
        validate_concurrency(max_concurrency)
        self._clock: Clock = clock if clock is not None else SYSTEM_CLOCK
        self._recorder = Recorder(on_event)
        self.stats: LimiterStats = self._recorder.stats
        """Counters of what this limiter did."""
        # The bucket may be reached from several threads' event loops; every read-modify-write
        # of it is short and never awaits, so a plain thread lock is enough.
        self._mutex = threading.Lock()
        self._bucket = TokenBucket(
            capacity,
            refill_rate,
            reserve_tokens(capacity, safety_margin),
            self._clock.monotonic(),
            initial_tokens,
        )
        self._admission = Admission(
            f"incidentio_async.RateLimiter:{id(self)}", max_concurrency, self._clock, self._recorder
        )

    def __repr__(self) -> str:
        return (
            f"RateLimiter(capacity={self.capacity:g}, refill_rate={self.refill_rate:g}, "
            f"max_concurrency={self.max_concurrency}, reserve={self.reserve:g})"
        )

    @property
    def capacity(self) -> float:
        """Size of the server's bucket."""
        return self._bucket.capacity

    @property
    def refill_rate(self) -> float:
        """Tokens added per second."""
        return self._bucket.rate

    @property
    def max_concurrency(self) -> int:
        """Most requests in flight at once (per event loop)."""
        return self._admission.max_concurrency

    @property
    def reserve(self) -> float:
        """Tokens never handed out, to absorb jitter."""
        return self._bucket.reserve

    @property
    def tokens(self) -> float:
        """Estimated tokens in the server's bucket now (at the end of a pause while paused)."""
        with self._mutex:
            return self._bucket.level(self._clock.monotonic())

    @property
    def available_tokens(self) -> float:
        """Tokens this limiter could hand out now without waiting."""
        with self._mutex:
            return self._bucket.available(self._clock.monotonic())

    @property
    def paused_until(self) -> float | None:
        """``clock.monotonic()`` time at which the current 429 pause ends, or ``None``."""
        with self._mutex:
            return self._bucket.paused_until(self._clock.monotonic())

    @property
    def free_slots(self) -> int:
        """Concurrency slots free in the running event loop (all of them outside a loop)."""
        return self._admission.free_slots

    @property
    def waiting(self) -> int:
        """Requests currently inside :meth:`acquire`."""
        return self._admission.waiting

    async def acquire(self) -> None:
        """Wait for a concurrency slot, then for a token and the end of any pause; take both.

        Waiters are served in arrival order. Cancellation while waiting takes nothing.
        """
        await self._admission.acquire(self._take_token)

    async def _take_token(self, queue: anyio.Lock) -> bool:
        # Only the head of the queue sleeps, and it takes its token after waking, so a cancelled
        # waiter has taken nothing; the fair lock hands over in arrival order (no herd).
        waited = False
        async with queue:
            while True:
                with self._mutex:
                    wait = self._bucket.try_take(self._clock.monotonic())
                if wait <= 0:
                    return waited
                waited = True
                # Re-check after waking: a 429 or a header may have moved the goalposts.
                await self._clock.sleep(wait)

    def release(self) -> None:
        """Give back the concurrency slot taken by :meth:`acquire` (in the same event loop)."""
        self._admission.release()

    async def record_response(
        self, status_code: int, headers: Mapping[str, str], retry_after: float | None
    ) -> None:
        """Learn from a response: on a 429, pause everyone for ``retry_after`` seconds (or a
        default) and empty the bucket; otherwise lower the estimate to
        ``X-RateLimit-Remaining`` if that is lower."""
        if status_code == 429:
            pause = pause_seconds(retry_after, self._bucket.rate)
            with self._mutex:
                self._bucket.pause(self._clock.monotonic(), pause)
            self._recorder.rate_limited(pause)
            return
        remaining = remaining_from_headers(headers)
        if remaining is not None:
            with self._mutex:
                self._bucket.lower(self._clock.monotonic(), remaining)

    def record_retry(self) -> None:
        """Count a retry (for :attr:`stats` and ``on_event``)."""
        self._recorder.retry()
