"""One scope as a limiter keeps it in process: its bucket, its queue and its counters."""

from __future__ import annotations

from incidentio_async.ratelimit.bucket import TokenBucket
from incidentio_async.ratelimit.headers import Quota
from incidentio_async.ratelimit.perloop import PerLoop
from incidentio_async.ratelimit.queue import OrderedLock
from incidentio_async.ratelimit.stats import ScopeStats

MAX_SCOPES = 1000
"""Most operation scopes a limiter learns; the API has far fewer operations, so more can only
come from a caller inventing operation names."""


class ScopeState:
    """A scope: ``bucket`` is the local limiter's estimate of the server's bucket (for the Redis
    limiter, its local share while Redis is away); the queue is where this scope's waiters
    line up, per event loop."""

    def __init__(self, name: str, quota: Quota, bucket: TokenBucket, owner: str) -> None:
        self.name = name
        self.quota = quota
        """The scope's limit (the server's bucket)."""
        self.bucket = bucket
        self.queues: PerLoop[OrderedLock] = PerLoop(f"{owner}:scope:{name}", OrderedLock)
        self.waiting = 0
        """Requests waiting for this scope now."""
        self.rate_limited = 0
        """429s charged to this scope."""
        self.paused_seconds = 0.0
        """Pause time imposed on this scope in all."""

    def pause(self, now: float, seconds: float) -> None:
        """Pause the bucket for ``seconds`` from ``now`` and count it (only the time the pause
        gains)."""
        old_end = self.bucket.paused_until(now)
        new_end = self.bucket.pause(now, seconds)
        self.rate_limited += 1
        self.paused_seconds += max(0.0, new_end - max(now, old_end if old_end is not None else now))

    def stats(self, now: float, tokens: float, paused_until: float | None) -> ScopeStats:
        """The scope's figures, with ``tokens`` as the caller knows them."""
        return ScopeStats(
            scope=self.name,
            capacity=self.quota.capacity,
            refill_rate=self.quota.rate,
            tokens=tokens,
            waiting=self.waiting,
            rate_limited=self.rate_limited,
            paused_seconds=self.paused_seconds,
            paused_until=paused_until,
        )
