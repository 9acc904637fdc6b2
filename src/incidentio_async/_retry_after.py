"""When the API says to retry: ``Retry-After`` and the 429 body's ``rate_limit.retry_after``."""

from __future__ import annotations

import datetime
import email.utils
import math
from collections.abc import Mapping
from typing import Any


def parse_timestamp(text: str) -> datetime.datetime | None:
    """An RFC 3339 timestamp (``2025-04-17T11:17:18Z``) or an HTTP date
    (``Thu, 17 Apr 2025 11:17:18 GMT``, or ``UTC`` as the API has also sent), else None."""
    text = text.strip()
    try:
        value = datetime.datetime.fromisoformat(text.upper())
    except ValueError:
        try:
            value = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value


def seconds_until(text: str, now: float) -> float | None:
    """``text`` as seconds from ``now`` (unix seconds): a number of seconds, or a timestamp."""
    try:
        seconds = float(text)
    except ValueError:
        moment = parse_timestamp(text)
        if moment is None:
            return None
        seconds = moment.timestamp() - now
    if math.isnan(seconds):
        return None
    return max(0.0, seconds)


def server_time(headers: Mapping[str, str], fallback: float) -> float:
    """The server's clock when it answered (the response's ``Date``, unix seconds), or
    ``fallback`` (the host's) when it sent none that can be read."""
    date = headers.get("date")
    moment = parse_timestamp(date) if isinstance(date, str) else None
    if moment is None:
        return fallback
    try:
        return moment.timestamp()
    except (OverflowError, OSError, ValueError):
        return fallback


def retry_after_seconds(headers: Mapping[str, str], body: Any, now: float) -> float | None:
    """How long the API asked us to wait, preferring the ``Retry-After`` header (a duration,
    so immune to clock skew) over the body's ``rate_limit.retry_after`` timestamp.

    A dated retry time (an HTTP date or RFC 3339, in either place) is measured from the
    response's ``Date``: both are the server's clock, so a host whose clock is off reads the
    same wait as the others. ``now`` (the host's clock) stands in only for a missing ``Date``.
    """
    now = server_time(headers, now)
    header = headers.get("retry-after")
    if header:
        seconds = seconds_until(header, now)
        if seconds is not None:
            return seconds
    if isinstance(body, dict):
        rate_limit = body.get("rate_limit")
        if isinstance(rate_limit, dict) and isinstance(rate_limit.get("retry_after"), str):
            return seconds_until(rate_limit["retry_after"], now)
    return None
