"""The figures limiters keep and the events they report: read by users' metrics, made by the
limiters themselves, so imported with a limiter rather than with the package."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

LimiterEventKind = Literal["wait", "rate_limited", "retry", "backend_unavailable"]


@dataclass(frozen=True)
class LimiterEvent:
    """Something a limiter did or saw, passed to its ``on_event`` callback."""

    kind: LimiterEventKind
    seconds: float = 0.0
    """For ``wait``: how long the request waited; for ``rate_limited``: the pause length."""
    detail: str = ""
    """For ``rate_limited``: the scope paused; for ``backend_unavailable``: what failed."""


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
    """Times a shared backend (Redis) failed: could not be reached or refused (calls failing
    together count once)."""


@dataclass(frozen=True)
class ScopeStats:
    """One scope's figures now (see ``scope_stats()`` of the limiters)."""

    scope: str
    """``"key"``, or the operation (``"POST /v3/follow_ups/{id}/actions/connect_external_issue"``
    for example)."""
    capacity: float
    """Size of the scope's bucket."""
    refill_rate: float
    """Tokens added per second."""
    tokens: float
    """Estimated tokens in the server's bucket now (at the end of a pause while paused). For
    :class:`~incidentio_async.ratelimit.RedisRateLimiter`, from Redis's last answer, refilled
    to now."""
    waiting: int
    """Requests of this process waiting for this scope now."""
    rate_limited: int
    """429s seen that this scope was charged with."""
    paused_seconds: float
    """Time this scope has spent paused by 429s, in all (the current pause included)."""
    paused_until: float | None = None
    """``clock.monotonic()`` time at which the current pause ends, or ``None``."""


EventCallback = Callable[[LimiterEvent], None]
