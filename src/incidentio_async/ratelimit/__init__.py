"""Rate limiting for the incident.io API: each key has a bucket of 1200 requests refilled at
20 per second, and some operations have a lower limit of their own.

- :class:`RateLimiter`: one process (the default, through :func:`shared_rate_limiter`).
- :class:`RedisRateLimiter`: many processes or hosts sharing a key through Redis (asyncio).

**Scopes.** A limiter keeps one token bucket per *scope*:

- the **key scope** (named ``"key"``), which every request falls under: the key's bucket as
  configured (``capacity``, ``refill_rate``);
- an **operation scope** per operation that has a limit of its own, named by the request's
  method and path template (``"POST /v3/follow_ups/{id}/actions/connect_external_issue"``).
  Operation scopes are not configured: they are learned at run time from the responses, the
  first time ``X-RateLimit-Limit`` lists a limit stricter than the key's for that operation
  (its capacity ``N`` and rate ``N / window``), and kept for the limiter's life (through Redis,
  for every process sharing the key).

The client tells the limiter which operation each request is (:class:`LimitedRequest`); the
limiter names no endpoint. A request takes a token from every scope it falls under: it waits
in its operation's queue until that scope has a token, holding nothing of the key scope; then
for a concurrency slot and a token of the key scope; and takes its operation's token last, so
that the token is spent when the request leaves. So callers of a slow operation queue among
themselves while every other operation runs at the key's rate. Waiters are served in order
of the start of the call they belong to (:mod:`.queue`).

**What a response teaches** (:mod:`.headers` reads it, :mod:`.scopes` attributes it):
``X-RateLimit-Limit`` names the binding quota first, then every limit that applied with its
window (``60, 1200;window=60, 60;window=60``); ``X-RateLimit-Remaining`` describes the binding
limit only, so it lowers the estimate of that scope only. A 429 pauses the scope whose limit
it reports; a 429 of the key's limit, or one that cannot be attributed, pauses every request
sharing the limiter.

**Bounds.** Every wait in a limiter is bounded by the request's ``budget``
(:attr:`LimitedRequest.budget`: what is left of the call's ``max_rate_limit_wait``); a wait
that would outlast it raises :class:`RateLimitBudgetExceeded`, which the client turns into a
``RateLimitError``.

Importing this package does not import ``redis``; the limiters' modules are imported when
first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incidentio_async.ratelimit.keys import ApiKeyBindable, api_key_id
from incidentio_async.ratelimit.protocol import (
    KEY_SCOPE,
    LimitedRequest,
    Limiter,
    RateLimitBudgetExceeded,
    ScopedLimiter,
)
from incidentio_async.ratelimit.registry import shared_rate_limiter

if TYPE_CHECKING:
    from incidentio_async.ratelimit.local import RateLimiter
    from incidentio_async.ratelimit.redis import RedisRateLimiter
    from incidentio_async.ratelimit.stats import (
        EventCallback,
        LimiterEvent,
        LimiterEventKind,
        LimiterStats,
        ScopeStats,
    )
else:
    from incidentio_async._lazy import lazy_exports

    # Imported when first read (the default limiter with the first client): only programs
    # that share a key through Redis pay for that one, and a bare import for neither. The
    # figures come with a limiter.
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "RateLimiter": ".local",
            "RedisRateLimiter": ".redis",
            "EventCallback": ".stats",
            "LimiterEvent": ".stats",
            "LimiterEventKind": ".stats",
            "LimiterStats": ".stats",
            "ScopeStats": ".stats",
        },
    )

__all__ = [
    "KEY_SCOPE",
    "ApiKeyBindable",
    "EventCallback",
    "LimitedRequest",
    "Limiter",
    "LimiterEvent",
    "LimiterEventKind",
    "LimiterStats",
    "RateLimitBudgetExceeded",
    "RateLimiter",
    "RedisRateLimiter",
    "ScopeStats",
    "ScopedLimiter",
    "api_key_id",
    "shared_rate_limiter",
]
