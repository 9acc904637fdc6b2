"""What the client needs from a rate limiter, and the counters every limiter keeps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

LimiterEventKind = Literal["wait", "rate_limited", "retry", "backend_unavailable"]


@dataclass(frozen=True)
class LimiterEvent:
    """Something a limiter did or saw, passed to its ``on_event`` callback."""

    kind: LimiterEventKind
    seconds: float = 0.0
    """For ``wait``: how long the request waited; for ``rate_limited``: the pause length."""
    detail: str = ""


@dataclass
class LimiterStats:
    """Running totals, for users' metrics. Read them; the limiter updates them."""

    acquired: int = 0
    """Requests let through (retries included)."""
    waits: int = 0
    """Requests that had to wait for a slot, a token or a pause."""
    wait_seconds: float = 0.0
    """Total time requests spent waiting."""
    rate_limited: int = 0
    """429 responses seen."""
    retries: int = 0
    """Requests the client sent again."""
    backend_errors: int = 0
    """Times a shared backend (Redis) could not be reached."""


EventCallback = Callable[[LimiterEvent], None]


class Limiter(Protocol):
    """The interface :class:`~incidentio_async.IncidentIO` uses for every request it sends.

    The client calls, for each attempt (retries included)::

        await limiter.acquire()
        try:
            response = await send(request)
        finally:
            limiter.release()
        await limiter.record_response(response.status_code, response.headers, retry_after)
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
        on a 429, pause every request for ``retry_after`` seconds and empty the bucket."""
        ...

    def record_retry(self) -> None:
        """Count a retry (for :attr:`stats` and ``on_event``)."""
        ...
