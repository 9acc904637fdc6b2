"""Which scope a response speaks about: the attribution rules both limiters follow.

A response lists in ``X-RateLimit-Limit`` every limit that applied to its request (see
:mod:`.headers`). Every request is under the key's limit, so one listed limit is the key's:

1. the one equal to the limiter's configured key limit (capacity, and rate within 1%);
2. otherwise, if only one is listed, that one;
3. otherwise the most generous (highest rate, then capacity): the API documents an operation's
   own limit as lower than the key's.

A listed limit stricter than the key's (a lower capacity or rate) is **the operation's own**:
the operation gets a scope of its own with that capacity and rate (several such limits
combine into the strictest of each). One at least as generous as the key's (an
organisation-wide limit, say) cannot bind before the key's does for our own traffic, and is
counted as the key's.

The binding quota (the first number) says which limit ``Remaining`` and a 429 are about:
the key's (or a generous one) → the **key** scope; one of the operation's own → the
operation's scope (**own**); a number that matches both or neither → **unknown**: its
``Remaining`` is ignored and its 429 pauses everyone. An answer without windows (the old
single-number form, or no header at all) is the key's, as it always was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeVar

from incidentio_async.ratelimit.headers import (
    LIMIT_HEADER,
    Quota,
    header,
    parse_limit_header,
    remaining_from_headers,
)

Binding = Literal["key", "own", "unknown"]
"""Which limit a response's ``Remaining`` (and a 429) describes."""

RATE_TOLERANCE = 0.01
"""Relative difference below which two rates are the same limit (the header rounds)."""


@dataclass(frozen=True, slots=True)
class Reading:
    """What one response says about the limits, attributed."""

    binding: Binding
    own: Quota | None = None
    """The operation's own limit, if the response lists one stricter than the key's."""
    remaining: float | None = None
    """``X-RateLimit-Remaining``: what is left under the binding limit."""


S = TypeVar("S")


def charged(reading: Reading, key: S, own: S | None) -> S | None:
    """The scope a response's ``Remaining`` (or 429) is about: ``key``, ``own`` (the
    operation's, if it has one), or ``None`` when the binding limit is unknown."""
    if reading.binding == "key":
        return key
    if reading.binding == "own":
        return own
    return None


def paused_scope(reading: Reading, key: S, own: S | None) -> S | None:
    """The scope a 429 pauses: the one it is charged to, and the key's (everyone) when its
    binding limit is unknown; ``None`` for an operation's own limit with no scope to hold."""
    return key if reading.binding == "unknown" else charged(reading, key, own)


def same_limit(a: Quota, b: Quota) -> bool:
    """Whether two quotas are the same limit (capacity to the request, rate within 1%)."""
    return abs(a.capacity - b.capacity) < 0.5 and abs(a.rate - b.rate) <= RATE_TOLERANCE * max(
        a.rate, b.rate
    )


def key_limit(limits: tuple[Quota, ...], configured: Quota) -> Quota:
    """Which of the listed ``limits`` (not empty) is the key's."""
    for quota in limits:
        if same_limit(quota, configured):
            return quota
    return max(limits, key=lambda quota: (quota.rate, quota.capacity))


def read_response(headers: Mapping[str, str], configured: Quota) -> Reading:
    """Attribute what ``headers`` say, for a limiter whose key limit is ``configured``."""
    binding, own = _attribute(header(headers, LIMIT_HEADER), configured)
    return Reading(binding, own, remaining_from_headers(headers))


CACHED_LIMIT_LENGTH = 256
"""``X-RateLimit-Limit`` values up to this long are read once and remembered: the API sends
the same few on every response, and each would otherwise be parsed and attributed again."""


def _attribute(limit_text: str | None, configured: Quota) -> tuple[Binding, Quota | None]:
    """The binding scope and the operation's own limit that ``X-RateLimit-Limit`` says."""
    if limit_text is not None and len(limit_text) <= CACHED_LIMIT_LENGTH:
        return _attribute_cached(limit_text, configured)
    return _attribute_uncached(limit_text, configured)


def _attribute_uncached(limit_text: str | None, configured: Quota) -> tuple[Binding, Quota | None]:
    limit = parse_limit_header(limit_text)
    if limit is None or not limit.limits:
        return "key", None
    key = key_limit(limit.limits, configured)
    stricter = [
        quota
        for quota in limit.limits
        if quota is not key and (quota.capacity < key.capacity or quota.rate < key.rate)
    ]
    own = None
    if stricter:
        own = Quota(min(q.capacity for q in stricter), min(q.rate for q in stricter))
    binding = limit.binding
    is_own = any(abs(q.capacity - binding) < 0.5 for q in stricter)
    is_key = any(
        abs(q.capacity - binding) < 0.5 for q in limit.limits if not any(q is s for s in stricter)
    )
    attributed: Binding = "unknown"
    if is_own and not is_key:
        attributed = "own"
    elif is_key and not is_own:
        attributed = "key"
    return attributed, own


# A few distinct values at a time (one per combination of limits an operation falls under);
# bounded, so that a server varying the header costs memory no more than this.
_attribute_cached = lru_cache(maxsize=64)(_attribute_uncached)
