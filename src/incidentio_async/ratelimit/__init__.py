"""Rate limiting for the incident.io API: each key has a bucket of 1200 requests refilled at
20 per second.

- :class:`RateLimiter`: one process (the default, through :func:`shared_rate_limiter`).
- :class:`RedisRateLimiter`: many processes or hosts sharing a key through Redis (asyncio).

Importing this package does not import ``redis``.
"""

from __future__ import annotations

from incidentio_async.ratelimit.keys import ApiKeyBindable, api_key_id
from incidentio_async.ratelimit.local import RateLimiter
from incidentio_async.ratelimit.protocol import (
    EventCallback,
    Limiter,
    LimiterEvent,
    LimiterEventKind,
    LimiterStats,
)
from incidentio_async.ratelimit.redis import RedisRateLimiter
from incidentio_async.ratelimit.registry import shared_rate_limiter

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
