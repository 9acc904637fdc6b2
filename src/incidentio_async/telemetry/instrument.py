"""The one interface the request pipeline reports to, and its fan-out to the consumers.

``Pipeline.send`` asks :meth:`Instrumentation.start` for a :class:`CallObserver` per call and
tells it what happens: an attempt queued for the rate limiter, let through and sent,
answered; the API rate limiting the call; a retry; the end. Each consumer (``logs``,
``hooks``, ``tracing``, ``metrics``, each in its own module) sees those events through a
:class:`CallConsumer` of its own, with the shared :class:`Call` state.

When nothing listens (no hook, no OpenTelemetry, and the SDK's logger not enabled for INFO),
``start`` returns :data:`QUIET`, whose methods do nothing: a call then costs a few empty
method calls and allocates nothing.

Events that may run the user's async hooks return an awaitable, which the pipeline awaits,
or ``None`` (the common case, with nothing to await).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import httpx

from .._secret import Secret
from ..clock import Clock
from ..errors import IncidentIOError
from . import logs
from .call import Call, CallConsumer

if TYPE_CHECKING:
    from .._pipeline import ApiRequest

_DEFAULT_PORTS = {"https": 443, "http": 80}


class Consumer(Protocol):
    """Something that watches calls: hooks, tracing, metrics."""

    def start(self, call: Call) -> CallConsumer:
        """Its view of a new call."""
        ...


class CallObserver:
    """What the pipeline tells about one call. This base class is :data:`QUIET`, the
    observer of a call nobody watches: every method does nothing and allocates nothing."""

    __slots__ = ()

    def attempt_queued(self, attempt: httpx.Request) -> Awaitable[None] | None:
        """Before the rate limiter: runs ``on_request`` hooks."""
        return None

    def attempt_sending(self) -> None:
        """The limiter let the attempt through."""

    def attempt_ended(
        self, response: httpx.Response | None, error: IncidentIOError | None, took: float
    ) -> Awaitable[None] | None:
        """The attempt's outcome: runs ``on_response`` hooks."""
        return None

    def rate_limited(self, retry_after: float | None, wait: float) -> Awaitable[None] | None:
        """The API rate limited the attempt that just ended (asking for ``retry_after``
        seconds, if it said); the call waits ``wait``: runs ``on_rate_limited`` hooks."""
        return None

    def retrying(self, wait: float, detail: str) -> Awaitable[None] | None:
        """The attempt that just ended failed, and the call resends after ``wait`` seconds
        (``detail``: "retry 1 of 3", "rate limited"): runs ``on_retry`` hooks."""
        return None

    def ended(self, response: httpx.Response | None, error: BaseException | None) -> None:
        """The call is over."""


QUIET = CallObserver()
"""The observer of every call when nothing listens."""


class ObservedCall(CallObserver):
    """The observer of a call someone watches: keeps the :class:`Call` up to date and
    passes each event to every consumer's view of the call, in order."""

    __slots__ = ("_call", "_views")

    def __init__(self, call: Call, views: Sequence[CallConsumer]) -> None:
        self._call = call
        self._views = views

    def attempt_queued(self, attempt: httpx.Request) -> Awaitable[None] | None:
        call = self._call
        call.attempt += 1
        call.throttled = False
        call.url_of_attempt = attempt.url
        pending = _together([view.attempt_queued(call) for view in self._views])
        if pending is None:
            call.queued_at = call.clock.monotonic()
            return None
        return self._queued_after(pending)

    async def _queued_after(self, pending: Awaitable[None]) -> None:
        await pending
        # The limiter's wait starts once the hooks are done.
        self._call.queued_at = self._call.clock.monotonic()

    def attempt_sending(self) -> None:
        call = self._call
        call.attempt_wait_s = max(0.0, call.clock.monotonic() - call.queued_at)
        call.rate_limit_wait_s += call.attempt_wait_s
        for view in self._views:
            view.attempt_sending(call)

    def attempt_ended(
        self, response: httpx.Response | None, error: IncidentIOError | None, took: float
    ) -> Awaitable[None] | None:
        call = self._call
        call.attempt_answered(response, error)
        return _together([view.attempt_ended(call, response, error, took) for view in self._views])

    def rate_limited(self, retry_after: float | None, wait: float) -> Awaitable[None] | None:
        call = self._call
        response, error = call.response, call.error
        assert response is not None and error is not None, "rate limited by an answer"
        call.rate_limit_wait_s += wait
        call.throttled = True
        return _together(
            [view.rate_limited(call, response, error, retry_after, wait) for view in self._views]
        )

    def retrying(self, wait: float, detail: str) -> Awaitable[None] | None:
        call = self._call
        error = call.error
        assert error is not None, "a retry follows a failed attempt"
        return _together(
            [view.retrying(call, wait, call.response, error, detail) for view in self._views]
        )

    def ended(self, response: httpx.Response | None, error: BaseException | None) -> None:
        for view in self._views:
            view.ended(self._call, response, error)


def _together(pending: list[Awaitable[None] | None]) -> Awaitable[None] | None:
    """One awaitable for the consumers' awaitables, in order; None when there are none."""
    waiting = [item for item in pending if item is not None]
    if not waiting:
        return None
    if len(waiting) == 1:
        return waiting[0]
    return _in_turn(waiting)


async def _in_turn(waiting: list[Awaitable[None]]) -> None:
    for item in waiting:
        await item


class Instrumentation:
    """Everything that watches one client's calls: its consumers, and the SDK's log."""

    def __init__(
        self, consumers: Sequence[Consumer], clock: Clock, base_url: httpx.URL, key: Secret
    ) -> None:
        self._consumers = tuple(consumers)
        self._clock = clock
        self._key = key
        # Every request of a client goes to its base URL's server.
        self._server = (base_url.host, base_url.port or _DEFAULT_PORTS.get(base_url.scheme, 0))
        self.scope_of: Callable[[str | None], str] | None = None
        """The limiter's ``scope_of`` (set by the pipeline, when its limiter has one): which
        scope limits a call's operation, read when a call starts."""

    def start(self, request: ApiRequest) -> CallObserver:
        """The observer of a new call of ``request``: :data:`QUIET` when nothing listens."""
        logging = logs.enabled()
        if not self._consumers and not logging:
            return QUIET
        call = Call(request, self._clock, *self._server, self._key)
        if self.scope_of is not None:
            call.scope = self.scope_of(request.scope)
        views = [consumer.start(call) for consumer in self._consumers]
        if logging:
            views.append(logs.LOGS)
        return ObservedCall(call, views)
