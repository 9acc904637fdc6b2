"""Token-bucket arithmetic, free of I/O and of any clock: callers pass the time in.

The same rules run in two places: :class:`TokenBucket` here (used by the in-process limiter)
and the Lua script in :mod:`incidentio_async.ratelimit.redis_lua` (used by the Redis limiter).
Tests drive both with the same times and compare the results, so keep them in step.

Model: ``tokens`` is our estimate of what the server's bucket holds at time ``updated``. Between
requests it refills at ``rate`` per second up to ``capacity``. ``reserve`` tokens are never handed
out, so requests that reach the server bunched up (network jitter) still find tokens there.
A pause (after a 429) is a bucket whose ``updated`` lies in the future: nothing is available
before then, and exactly one request may go at the end of the pause.
"""

from __future__ import annotations

import math

EPSILON = 1e-9
"""Least tolerance on token counts, so float rounding never makes a waiter sleep for nothing."""


def tolerance(now: float, rate: float) -> float:
    """Token shortfall to ignore at time ``now``: float rounding of ``now + wait`` can leave
    up to ``rate * ulp(now)`` unrefilled, which must not send a waiter back to sleep for an
    interval too small to move the clock (the Lua script computes the same)."""
    ulp = math.ldexp(1.0, math.frexp(now)[1] - 53)
    return max(EPSILON, 4 * rate * ulp)


SYNC_TOLERANCE = 1.0
"""Differences up to this many tokens between ``X-RateLimit-Remaining`` and our estimate are
noise, not news: the header is a whole number and was true when the server saw the request, a
moment before we read it. Acting on them would cost a round trip per request at full speed."""


def validate_limits(capacity: float, refill_rate: float, safety_margin: float) -> None:
    """Raise :class:`ValueError` unless the bucket parameters make sense."""
    if not math.isfinite(capacity) or capacity < 1:
        raise ValueError(f"capacity must be a finite number >= 1, not {capacity!r}")
    if not math.isfinite(refill_rate) or refill_rate <= 0:
        raise ValueError(f"refill_rate must be a finite number > 0, not {refill_rate!r}")
    if not math.isfinite(safety_margin) or not 0 <= safety_margin < 1:
        raise ValueError(f"safety_margin must be in [0, 1), not {safety_margin!r}")


def validate_concurrency(max_concurrency: int) -> None:
    """Raise :class:`ValueError` unless ``max_concurrency`` is an integer >= 1."""
    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
        raise ValueError(f"max_concurrency must be an int, not {max_concurrency!r}")
    if max_concurrency < 1:
        raise ValueError(f"max_concurrency must be >= 1, not {max_concurrency!r}")


def reserve_tokens(capacity: float, safety_margin: float) -> int:
    """Tokens to hold back: ``safety_margin`` of ``capacity``, at least 1 if the margin is
    non-zero, and always leaving at least one usable token."""
    if safety_margin <= 0:
        return 0
    wanted = max(1, round(capacity * safety_margin))
    return max(0, min(wanted, math.floor(capacity) - 1))


def scope_reserve(capacity: float, rate: float, jitter_seconds: float) -> float:
    """The reserve of an operation's own bucket: what ``jitter_seconds`` of refill come to (the
    same jitter the key's reserve absorbs), a fraction of a token for a slow operation, whose
    few tokens a whole one would halve; always leaving one usable token."""
    return max(0.0, min(capacity - 1.0, rate * jitter_seconds))


class TokenBucket:
    """A token bucket that mirrors the server's, minus a reserve. Not thread-safe by itself."""

    def __init__(
        self,
        capacity: float,
        rate: float,
        reserve: float,
        now: float,
        tokens: float | None = None,
    ) -> None:
        self.capacity = float(capacity)
        self.rate = float(rate)
        self.reserve = float(reserve)
        self.tokens = self.capacity if tokens is None else min(self.capacity, max(0.0, tokens))
        """Estimated server tokens at time :attr:`updated`."""
        self.updated = now
        """When :attr:`tokens` was true; in the future while paused."""
        self.held = 0
        """Tokens taken for requests not answered yet, which the server may not have seen:
        until it does, its bucket can be full and lose refill, so ours stops refilling at
        ``capacity - held`` as well (kept by the limiter; 0 where it does not)."""

    def _advance(self, now: float) -> None:
        # Only refill forward in time: during a pause ``updated`` is ahead of ``now``.
        if now > self.updated:
            refilled = self.tokens + (now - self.updated) * self.rate
            self.tokens = min(self._ceiling(), refilled)
            self.updated = now

    def _ceiling(self) -> float:
        # Never below an empty bucket: a capacity lowered under the requests in flight (a
        # smaller limit learned) must not leave a debt to refill.
        return max(0.0, self.capacity - self.held)

    def level(self, now: float) -> float:
        """The estimated server tokens at ``now`` (the value at the pause end while paused)."""
        if now > self.updated:
            return min(self._ceiling(), self.tokens + (now - self.updated) * self.rate)
        return self.tokens

    def available(self, now: float) -> float:
        """Tokens that could be handed out at ``now`` without waiting (0 while paused)."""
        if now < self.updated:
            return 0.0
        return max(0.0, self.level(now) - self.reserve)

    def paused_until(self, now: float) -> float | None:
        """End of the current pause, or ``None`` if not paused at ``now``."""
        return self.updated if self.updated > now else None

    def delay(self, now: float) -> float:
        """Seconds from ``now`` until one token can be taken (0 if it can be taken now)."""
        self._advance(now)
        shortfall = self.reserve + 1 - self.tokens
        refill_wait = shortfall / self.rate if shortfall > tolerance(now, self.rate) else 0.0
        return max(0.0, self.updated - now) + refill_wait

    def try_take(self, now: float) -> float:
        """Take one token if one is available: return 0; otherwise return the seconds to wait."""
        wait = self.delay(now)
        if wait > 0:
            return wait
        self.tokens -= 1
        return 0.0

    def pause(self, now: float, seconds: float) -> float:
        """Pause for ``seconds`` from ``now`` (never shortening a longer pause), emptying the
        bucket: one request may go when the pause ends, then the refill rate applies.

        Returns the end of the pause."""
        self._advance(now)
        self.updated = max(self.updated, now + max(0.0, seconds))
        self.tokens = min(self.capacity, self.reserve + 1)
        return self.updated

    def lower(self, now: float, remaining: float) -> None:
        """Lower the estimate to ``remaining`` if that is less by more than
        :data:`SYNC_TOLERANCE`; never raise it.

        Ignored while paused: the figure then predates the 429 that caused the pause."""
        if now < self.updated:
            return
        self._advance(now)
        if self.tokens - remaining > SYNC_TOLERANCE:
            self.tokens = max(0.0, remaining)

    def refund(self, now: float) -> None:
        """Give back a token taken for a request that was not sent (not while paused: the
        pause's one request is already counted)."""
        if now < self.updated:
            return
        self._advance(now)
        self.tokens = min(self.capacity, self.tokens + 1)

    def resize(self, now: float, capacity: float, rate: float, reserve: float) -> None:
        """Take a new size and rate (the server changed the limit), keeping the level."""
        self._advance(now)
        self.capacity = float(capacity)
        self.rate = float(rate)
        self.reserve = float(reserve)
        self.tokens = min(self.tokens, self.capacity)
