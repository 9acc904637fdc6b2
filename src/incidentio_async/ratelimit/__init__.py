"""Rate limiting for the incident.io API: each key has a bucket of 1200 requests refilled at
20 per second.

- :class:`RateLimiter`: one process (the default, through :func:`shared_rate_limiter`).
- :class:`RedisRateLimiter`: many processes or hosts sharing a key through Redis (asyncio).

Importing this package does not import ``redis``; the limiters' modules are imported when
first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from incidentio_async.ratelimit.keys import ApiKeyBindable, api_key_id
from incidentio_async.ratelimit.protocol import (
    EventCallback,
    Limiter,
    LimiterEvent,
    LimiterEventKind,
    LimiterStats,
)
from incidentio_async.ratelimit.registry import shared_rate_limiter

if TYPE_CHECKING:
    from incidentio_async.ratelimit.local import RateLimiter
    from incidentio_async.ratelimit.redis import RedisRateLimiter
else:
    from incidentio_async._lazy import lazy_exports

    # Imported when first read (the default limiter with the first client): only programs
    # that share a key through Redis pay for that one, and a bare import for neither.
    __getattr__, __dir__ = lazy_exports(
        __name__, {"RateLimiter": ".local", "RedisRateLimiter": ".redis"}
    )

__all__ = [
    "ApiKeyBindable",
    "EventCallback",
    "Limiter",
    "LimiterEvent",
    "LimiterEventKind",
    "LimiterStats",
    "RateLimiter",
    "RedisRateLimiter",
    "api_key_id",
    "shared_rate_limiter",
]
