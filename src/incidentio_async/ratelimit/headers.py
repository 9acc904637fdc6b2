"""Reading what a response says about the rate limit. Malformed input means "no information"."""

from __future__ import annotations

import math
from collections.abc import Mapping

REMAINING_HEADER = "x-ratelimit-remaining"
"""Tokens left in the key's bucket after this request, as the server counts them."""

MAX_PAUSE_SECONDS = 3600.0
"""Longest pause one 429 can impose; a bogus ``Retry-After`` must not freeze the process.
If the server really wants longer, the next request gets another 429 and extends the pause."""


def _lookup(headers: Mapping[str, str], name: str) -> str | None:
    # httpx.Headers is case-insensitive, a plain dict is not: try the cheap way first.
    value = headers.get(name)
    if value is not None:
        return value
    for key, candidate in headers.items():
        if key.lower() == name:
            return candidate
    return None


def remaining_from_headers(headers: Mapping[str, str]) -> float | None:
    """Tokens the server says are left (``X-RateLimit-Remaining``), or ``None`` if absent or
    malformed.

    Several comma-separated values (one per policy) give the smallest; ``;parameters`` are
    ignored.
    """
    try:
        raw = _lookup(headers, REMAINING_HEADER)
    except Exception:  # an exotic Mapping must not break the request path
        return None
    if raw is None:
        return None
    values: list[float] = []
    for item in str(raw).split(","):
        text = item.split(";", 1)[0].strip()
        try:
            number = float(text)
        except ValueError:
            return None
        if not math.isfinite(number) or number < 0:
            return None
        values.append(number)
    return min(values) if values else None


def pause_seconds(retry_after: float | None, refill_rate: float) -> float:
    """How long a 429 pauses everyone: ``retry_after`` if usable, else one refill interval but
    at least a second (a 429 without ``Retry-After`` means we are already too fast)."""
    if retry_after is None or not math.isfinite(retry_after) or retry_after < 0:
        return min(MAX_PAUSE_SECONDS, max(1.0, 1.0 / refill_rate))
    return min(MAX_PAUSE_SECONDS, float(retry_after))
