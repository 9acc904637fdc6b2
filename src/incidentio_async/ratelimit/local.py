"""The in-process rate limiter: a concurrency cap plus a token bucket per scope mirroring the
server's (the key's, and each operation's own once learned; see :mod:`incidentio_async.ratelimit`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from incidentio_async.clock import SYSTEM_CLOCK, Clock
from incidentio_async.ratelimit.admission import Admission, TryTake
from incidentio_async.ratelimit.bucket import (
    TokenBucket,
    reserve_tokens,
    scope_reserve,
    validate_concurrency,
    validate_limits,
)
from incidentio_async.ratelimit.headers import Quota, pause_seconds
from incidentio_async.ratelimit.observe import Recorder
from incidentio_async.ratelimit.protocol import KEY_SCOPE, LimitedRequest
from incidentio_async.ratelimit.scope_state import MAX_SCOPES, ScopeState
from incidentio_async.ratelimit.scopes import (
    Reading,
    charged,
    paused_scope,
    read_response,
    same_limit,
)
from incidentio_async.ratelimit.stats import EventCallback, LimiterStats, ScopeStats

logger = logging.getLogger("incidentio_async")

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
    """Keeps one process within incident.io's rate limits for one API key.

    At most ``max_concurrency`` requests are in flight, and requests leave at the pace of a
    token bucket holding ``capacity`` tokens and refilled at ``refill_rate`` per second, as the
    server's is: a fresh limiter lets a burst through at once, a long job runs at the refill
    rate. An operation whose responses list a stricter limit of its own gets a bucket of its
    own (a *scope*), learned from the headers: its requests wait there, holding nothing of the
    key's bucket, while other operations go on at the key's rate. A 429 pauses the scope whose
    limit it reports (the key's: every request) for ``Retry-After``; afterwards requests resume
    one by one at the refill rate, in order of their call's start. ``X-RateLimit-Remaining``
    lowers the estimate of the scope it describes when other clients spend the same tokens.

    Works under asyncio and trio, from any number of event loops one after another (the
    concurrency cap applies per event loop; the buckets are shared). All timing goes through
    ``clock``. ``initial_tokens`` starts the key's bucket below full, for a key that was just
    busy elsewhere. Raises :class:`ValueError` for impossible parameters.
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
        """Counters of what this limiter did, all scopes together (see :meth:`scope_stats`)."""
        # The buckets may be reached from several threads' event loops; every read-modify-write
        # of them is short and never awaits, so a plain thread lock is enough.
        self._mutex = threading.Lock()
        self._name = f"incidentio_async.RateLimiter:{id(self)}"
        self._key = ScopeState(
            KEY_SCOPE,
            Quota(float(capacity), float(refill_rate)),
            TokenBucket(
                capacity,
                refill_rate,
                reserve_tokens(capacity, safety_margin),
                self._clock.monotonic(),
                initial_tokens,
            ),
            self._name,
        )
        self._bucket = self._key.bucket
        self._scopes: dict[str, ScopeState] = {}
        self._admission = Admission(self._name, max_concurrency, self._clock, self._recorder)

    def __repr__(self) -> str:
        return (
            f"RateLimiter(capacity={self.capacity:g}, refill_rate={self.refill_rate:g}, "
            f"max_concurrency={self.max_concurrency}, reserve={self.reserve:g})"
        )

    @property
    def capacity(self) -> float:
        """Size of the key's bucket."""
        return self._bucket.capacity

    @property
    def refill_rate(self) -> float:
        """Tokens added to the key's bucket per second."""
        return self._bucket.rate

    @property
    def max_concurrency(self) -> int:
        """Most requests in flight at once (per event loop)."""
        return self._admission.max_concurrency

    @property
    def reserve(self) -> float:
        """Tokens of the key's bucket never handed out, to absorb jitter."""
        return self._bucket.reserve

    @property
    def tokens(self) -> float:
        """Estimated tokens in the key's bucket now (at the end of a pause while paused)."""
        with self._mutex:
            return self._bucket.level(self._clock.monotonic())

    @property
    def available_tokens(self) -> float:
        """Tokens of the key's bucket this limiter could hand out now without waiting."""
        with self._mutex:
            return self._bucket.available(self._clock.monotonic())

    @property
    def paused_until(self) -> float | None:
        """``clock.monotonic()`` time at which the key's current 429 pause ends, or ``None``."""
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

    def scope_of(self, operation: str | None) -> str:
        """The scope that limits ``operation`` beyond the key's: the operation itself once
        its own limit is learned, else ``"key"`` (for telemetry's ``rate_limit.scope``)."""
        return operation if operation is not None and operation in self._scopes else KEY_SCOPE

    def scope_stats(self) -> dict[str, ScopeStats]:
        """Figures per scope, now: the key's (``"key"``) first, then each operation scope
        learned, by name (``"POST /v3/follow_ups/{id}/actions/connect_external_issue"``)."""
        now = self._clock.monotonic()
        with self._mutex:
            scopes = [self._key, *self._scopes.values()]
            figures = {
                scope.name: scope.stats(
                    now, scope.bucket.level(now), scope.bucket.paused_until(now)
                )
                for scope in scopes
            }
        # The key scope's waiters are those queueing for a slot or a key token.
        figures[KEY_SCOPE] = replace(figures[KEY_SCOPE], waiting=self._admission.key_waiting)
        return figures

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        """Wait for a token of the request's operation scope (if it has one learned), then a
        concurrency slot, a token of the key's bucket and the end of any pause; take them.

        Waiters are served in order of their call's start; none waits beyond
        ``request.budget`` (:class:`~incidentio_async.ratelimit.RateLimitBudgetExceeded`).
        Cancellation while waiting takes nothing.
        """
        own: tuple[ScopeState, TryTake, TryTake] | None = None
        if request is not None and request.operation is not None:
            with self._mutex:
                scope = self._scopes.get(request.operation)
            if scope is not None:
                own = (scope, self._checker(scope), self._taker(scope))
        await self._admission.acquire(
            request, self._take_key, self._refund_key, own, take_now=self._take_key_now
        )

    def _take_key_now(self) -> float:
        with self._mutex:
            wait = self._bucket.try_take(self._clock.monotonic())
            if wait <= 0:
                self._bucket.held += 1
            return wait

    async def _take_key(self) -> float:
        return self._take_key_now()

    def _taker(self, scope: ScopeState) -> TryTake:
        async def take() -> float:
            with self._mutex:
                return scope.bucket.try_take(self._clock.monotonic())

        return take

    def _checker(self, scope: ScopeState) -> TryTake:
        async def check() -> float:
            with self._mutex:
                return scope.bucket.delay(self._clock.monotonic())

        return check

    async def _refund_key(self) -> None:
        with self._mutex:
            self._bucket.held = max(0, self._bucket.held - 1)
            self._bucket.refund(self._clock.monotonic())

    def release(self) -> None:
        """Give back the concurrency slot taken by :meth:`acquire` (in the same event loop)."""
        self._admission.release()
        with self._mutex:
            # Answered (or failed): the server has seen it, if it ever will.
            self._bucket.held = max(0, self._bucket.held - 1)

    async def record_response(
        self,
        status_code: int,
        headers: Mapping[str, str],
        retry_after: float | None,
        request: LimitedRequest | None = None,
    ) -> None:
        """Learn from a response to ``request``: an operation's own limit from
        ``X-RateLimit-Limit``; on a 429, pause the binding scope for ``retry_after`` seconds
        (or a default) and empty it (the key's, or one that cannot be attributed: everyone);
        otherwise lower the binding scope's estimate to ``X-RateLimit-Remaining`` if that is
        lower."""
        operation = None if request is None else request.operation
        reading = read_response(headers, self._key.quota)
        now = self._clock.monotonic()
        with self._mutex:
            own, news = self._learn(operation, reading, now)
            if status_code == 429:
                scope = paused_scope(reading, self._key, own)
                if reading.binding == "own":
                    # Refused by the operation's own limit: the request did not pass, and
                    # nothing says the key's bucket paid for it.
                    self._bucket.refund(now)
                if scope is None:
                    # The request's own limit, but no operation to hold a scope: only this
                    # call waits (the client sleeps before retrying it).
                    pause = pause_seconds(retry_after, self._bucket.rate)
                else:
                    pause = pause_seconds(retry_after, scope.bucket.rate)
                    scope.pause(now, pause)
            else:
                scope = charged(reading, self._key, own)
                if scope is not None and reading.remaining is not None:
                    scope.bucket.lower(now, reading.remaining)
        # Logged once the lock is let go: a log handler may read the limiter's stats.
        if news is not None:
            logger.log(*news)
        if status_code == 429:
            self._recorder.rate_limited(pause, "unscoped" if scope is None else scope.name)

    def _learn(
        self, operation: str | None, reading: Reading, now: float
    ) -> tuple[ScopeState | None, tuple[Any, ...] | None]:
        """The operation's scope, created (or resized) from the limit the response lists as the
        operation's own (``None`` if it has none); and what to log of it, if anything (the
        caller holds the lock, so it logs)."""
        if operation is None:
            return None, None
        scope = self._scopes.get(operation)
        quota = reading.own
        if quota is None:
            return scope, None
        reserve = scope_reserve(
            quota.capacity, quota.rate, self._bucket.reserve / self._bucket.rate
        )
        if scope is not None:
            if not same_limit(scope.quota, quota):
                scope.quota = quota
                scope.bucket.resize(now, quota.capacity, quota.rate, reserve)
            return scope, None
        if len(self._scopes) >= MAX_SCOPES:
            return None, (
                logging.DEBUG,
                "rate limiter: not learning more than %d operation scopes",
                MAX_SCOPES,
            )
        bucket = TokenBucket(quota.capacity, quota.rate, reserve, now)
        scope = self._scopes[operation] = ScopeState(operation, quota, bucket, self._name)
        return scope, (
            logging.INFO,
            "rate limiter: %s has a limit of its own (%s); pacing it apart from the key's",
            operation,
            quota,
        )

    def record_retry(self) -> None:
        """Count a retry (for :attr:`stats` and ``on_event``)."""
        self._recorder.retry()
