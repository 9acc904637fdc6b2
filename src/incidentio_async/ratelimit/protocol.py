"""What the client needs from a rate limiter and what it tells it (the figures limiters keep
are in :mod:`.stats`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from incidentio_async.ratelimit.stats import LimiterStats

KEY_SCOPE = "key"
"""The name of the scope every request falls under: the API key's own bucket."""


@dataclass(frozen=True)
class LimitedRequest:
    """What the client tells a limiter about a request it is about to send (and, afterwards,
    about the response it got)."""

    operation: str | None = None
    """The operation: its method and path template, ``"GET /v3/follow_ups/{id}"``; ``None``
    for a request of no known operation (``client.request``), which falls under the key
    scope only."""
    budget: float | None = None
    """The most seconds the limiter may make this request wait in all (what is left of the
    call's ``max_rate_limit_wait``); ``None``: no bound."""
    call_started: float | None = None
    """``clock.monotonic()`` time at which the call this request belongs to started: a retry
    keeps its call's place among the waiters. ``None``: now."""


class RateLimitBudgetExceeded(Exception):
    """A limiter would make a request wait longer than its :attr:`LimitedRequest.budget`.

    Raised by ``acquire`` instead of waiting (at once when the wait is known, else when the
    budget runs out); the request has taken nothing. The client turns it into a
    ``RateLimitError``.
    """

    def __init__(self, scope: str, wait: float | None, budget: float) -> None:
        self.scope = scope
        """The scope that held the request."""
        self.wait = wait
        """How long the request would have had to wait, when known."""
        self.budget = budget
        """The budget it had."""
        if wait is None:
            text = f"held this request for what was left of its budget ({budget:.3g}s)"
        else:
            text = (
                f"would hold this request {wait:.3g}s, beyond what is left of its budget "
                f"({budget:.3g}s)"
            )
        super().__init__(f"the rate limit of scope {scope!r} {text}")


class Limiter(Protocol):
    """What :class:`~incidentio_async.IncidentIO` needs of a rate limiter (``rate_limiter=``).

    The client calls, for each attempt (retries included)::

        await limiter.acquire()
        try:
            response = await send(http_request)
        finally:
            limiter.release()
        await limiter.record_response(response.status_code, response.headers, retry_after)

    A limiter that also takes the request (:class:`ScopedLimiter`, as both of this package's
    do) is told which operation each request is and how long it may wait: the client passes
    a :class:`LimitedRequest` to ``acquire`` and ``record_response`` whenever their signature
    takes one more argument. For a limiter that does not, the client bounds ``acquire`` by the
    request's budget itself.
    """

    stats: LimiterStats

    async def acquire(self) -> None:
        """Wait for a concurrency slot, a token and the end of any pause; then take them.

        Cancellation while waiting takes nothing.
        """
        ...

    def release(self) -> None:
        """Give back the concurrency slot taken by :meth:`acquire`."""
        ...

    async def record_response(
        self, status_code: int, headers: Mapping[str, str], retry_after: float | None
    ) -> None:
        """Learn from a response: lower the token estimate from ``X-RateLimit-Remaining``;
        on a 429, pause for ``retry_after`` seconds and empty the bucket."""
        ...

    def record_retry(self) -> None:
        """Count a retry (for :attr:`stats` and ``on_event``)."""
        ...


class ScopedLimiter(Limiter, Protocol):
    """A :class:`Limiter` told about each request: its operation (for scopes), its budget
    and its call's start. The client calls, for each attempt::

        request = LimitedRequest(operation="GET /v3/follow_ups/{id}", budget=..., call_started=...)
        await limiter.acquire(request)
        try:
            response = await send(http_request)
        finally:
            limiter.release()
        await limiter.record_response(response.status_code, response.headers, retry_after, request)

    ``acquire`` raises :class:`RateLimitBudgetExceeded` rather than wait beyond
    ``request.budget``; the client makes it a ``RateLimitError``. ``request`` is optional so
    that the limiter also serves callers of the plain :class:`Limiter` form.
    """

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        """Wait for a token of every scope ``request`` falls under, a concurrency slot, and
        the end of any pause; then take them. Cancellation while waiting takes nothing."""
        ...

    async def record_response(
        self,
        status_code: int,
        headers: Mapping[str, str],
        retry_after: float | None,
        request: LimitedRequest | None = None,
    ) -> None:
        """Learn from a response to ``request``: lower the binding scope's estimate from
        ``X-RateLimit-Remaining``, learn an operation's own limit from ``X-RateLimit-Limit``;
        on a 429, pause the binding scope for ``retry_after`` seconds and empty it."""
        ...
