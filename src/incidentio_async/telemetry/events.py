"""What the client's hooks receive: one small, frozen object per event.

::

    def count(event: ResponseEvent) -> None:
        statsd.increment("incidentio.attempts", tags=[f"status:{event.status_code}"])

    client = IncidentIO(on_response=count)

Every event is a :class:`CallEvent`: it names the call's ``operation`` (the API's operation
id, ``Follow-ups V3#List``, or for ``client.request`` the method and path template,
``GET /v2/incidents/{id}``), ``method``, ``url`` and ``attempt``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..errors import RateLimitInfo

E = TypeVar("E")


@dataclass(frozen=True, slots=True)
class CallEvent:
    """What every event says: which call, and which of its attempts."""

    operation: str
    """``Follow-ups V3#List``, or ``GET /v2/incidents/{id}`` for ``client.request``."""
    method: str
    url: str
    """The absolute URL, query included (it holds no credentials: the key is a header)."""
    attempt: int
    """1 for the first attempt, 2 for the first retry, and so on."""


@dataclass(frozen=True, slots=True)
class RequestEvent(CallEvent):
    """An attempt is about to be sent (``on_request``), before it waits for the rate limiter."""


@dataclass(frozen=True, slots=True)
class ResponseEvent(CallEvent):
    """An attempt got its answer, or none (``on_response``): every attempt, retries included."""

    status_code: int | None
    """None when no response came (a connection error or a timeout)."""
    request_id: str | None
    """The API's id of the request, when it sent one."""
    elapsed_s: float
    """Seconds from sending to the last byte of the answer (or the failure)."""
    wait_s: float
    """Seconds the attempt waited for the rate limiter before it was sent."""
    error_type: str | None
    """None for a 2xx; the status code of an error response (``"503"``); or the class of the
    connection failure (``"httpx.ConnectError"``, ``"TimeoutError"``)."""


@dataclass(frozen=True, slots=True)
class RetryEvent(CallEvent):
    """The call will send again after waiting (``on_retry``): after a failure that may be
    retried, or after the API rate limited it. ``attempt`` is the one that failed."""

    wait_s: float
    """Seconds the call waits before the next attempt."""
    reason: str
    """The status code (``"503"``, ``"429"``) or the class of the connection failure."""
    rate_limited: bool
    """Whether the API rate limited the attempt (such retries do not count against
    ``max_retries``)."""


@dataclass(frozen=True, slots=True)
class RateLimitedEvent(CallEvent):
    """The API rate limited an attempt, and the call waits before sending it again
    (``on_rate_limited``; ``on_retry`` follows). A call that cannot wait that long raises
    :class:`~incidentio_async.RateLimitError` instead, without this event."""

    status_code: int
    """429, or a 503 that said when to come back (``Retry-After``)."""
    retry_after_s: float | None
    """How long the API asked the call to wait, if it said."""
    wait_s: float
    """How long the call waits."""
    rate_limit: RateLimitInfo | None
    """The limit that was hit, from a 429's body (name, limit, remaining), if it said."""


Hook = Callable[[E], object]
"""A hook: a function or a coroutine function taking the event (``Hook[RequestEvent]``).
An awaitable it returns is awaited before the call goes on; anything it raises is logged
and ignored."""
