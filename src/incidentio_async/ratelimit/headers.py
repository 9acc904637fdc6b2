"""Reading what a response says about the rate limit. Malformed input means "no information":
nothing here raises, whatever the server sends.

The API documents (``info.description``, "Rate limit headers")::

    X-RateLimit-Limit: 60, 1200;window=60, 60;window=60
    X-RateLimit-Remaining: 59
    X-RateLimit-Used: 1
    X-RateLimit-Reset: 1785173199

``X-RateLimit-Limit`` names the **binding** quota first (the limit with least allowance left),
then every limit that applied to the request, each with its window in seconds: ``N;window=W``
is a bucket of ``N`` refilled at ``N / W`` per second. ``Remaining``, ``Used`` and ``Reset``
describe the binding limit only. Older answers sent a single number (``1200``); parameters
other than ``window`` are ignored; an item that cannot be read is skipped with a debug log.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass

logger = logging.getLogger("incidentio_async")

LIMIT_HEADER = "x-ratelimit-limit"
"""The binding quota, then every limit that applied with its window."""

REMAINING_HEADER = "x-ratelimit-remaining"
"""Requests left under the binding limit after this request, as the server counts them."""

MAX_PAUSE_SECONDS = 3600.0
"""Longest pause one 429 can impose; a bogus ``Retry-After`` must not freeze the process.
If the server really wants longer, the next request gets another 429 and extends the pause.
Also the longest a stored pause may lie ahead of the clock (anything further is a clock step
or a foreign value, not a pause)."""

MIN_WINDOW = 0.001
MAX_WINDOW = 86400.0
"""Windows outside [1 ms, 1 day] are not believed: a limit so slow or so fast is garbage."""

MAX_QUOTA = 1e9
"""Quotas above this are not believed either."""


@dataclass(frozen=True, slots=True)
class Quota:
    """One limit: a bucket of ``capacity`` requests refilled at ``rate`` per second."""

    capacity: float
    rate: float

    @property
    def window(self) -> float:
        """Seconds to refill the bucket from empty (the header's ``window``)."""
        return self.capacity / self.rate

    def __str__(self) -> str:
        return f"{self.capacity:g};window={self.window:g}"


@dataclass(frozen=True, slots=True)
class LimitHeader:
    """``X-RateLimit-Limit``, read."""

    binding: float
    """The binding quota (the first number)."""
    limits: tuple[Quota, ...] = ()
    """Every limit listed with a window, in the order given (none in the old form)."""


def _lookup(headers: Mapping[str, str], name: str) -> str | None:
    # httpx.Headers is case-insensitive, a plain dict is not: try the cheap way first.
    value = headers.get(name)
    if value is not None:
        return value
    for key, candidate in headers.items():
        if key.lower() == name:
            return candidate
    return None


def header(headers: Mapping[str, str], name: str) -> str | None:
    """The value of ``name`` (lower case) in ``headers``, or ``None``; never raises, even for
    an exotic mapping (it must not break the request path)."""
    try:
        value = _lookup(headers, name)
    except Exception:
        return None
    return None if value is None else str(value)


def _number(text: str) -> float | None:
    """A finite, non-negative number of at most :data:`MAX_QUOTA`, or ``None``."""
    try:
        number = float(text.strip())
    except ValueError:
        return None
    if not math.isfinite(number) or not 0 <= number <= MAX_QUOTA:
        return None
    return number


def _window(parameters: list[str]) -> tuple[float | None, bool]:
    """The ``window`` among ``;``-separated parameters: (seconds or None, whether one was
    given). Other parameters are ignored, as the format allows."""
    for parameter in parameters:
        name, sep, value = parameter.partition("=")
        if sep and name.strip().lower() == "window":
            seconds = _number(value.strip().strip('"'))
            if seconds is None or not MIN_WINDOW <= seconds <= MAX_WINDOW:
                return None, True
            return seconds, True
    return None, False


def parse_limit_header(value: str | None) -> LimitHeader | None:
    """``X-RateLimit-Limit`` as documented, or ``None`` if absent or unreadable.

    Items that cannot be read (a word, a negative number, a window of zero) are left out with
    a debug log; the header is unreadable only when its first number is."""
    if value is None:
        return None
    items = [item.strip() for item in value.split(",")]
    binding: float | None = None
    limits: list[Quota] = []
    skipped: list[str] = []
    for index, item in enumerate(items):
        if not item:
            continue
        number_text, *parameters = item.split(";")
        number = _number(number_text)
        if number is None:
            skipped.append(item)
            if index == 0:
                break  # without the binding quota the rest cannot be attributed
            continue
        if index == 0:
            binding = number
        window, has_window = _window(parameters)
        if window is not None and number >= 1:
            limits.append(Quota(number, number / window))
        elif has_window:
            skipped.append(item)
    if skipped:
        logger.debug("rate limiter: ignoring unreadable X-RateLimit-Limit items %r", skipped[:4])
    if binding is None:
        return None
    return LimitHeader(binding, tuple(limits))


def remaining_from_headers(headers: Mapping[str, str]) -> float | None:
    """Requests the server says are left under the binding limit
    (``X-RateLimit-Remaining``), or ``None`` if absent or malformed.

    Several comma-separated values (one per policy, an older form) give the smallest;
    ``;parameters`` are ignored.
    """
    raw = header(headers, REMAINING_HEADER)
    if raw is None:
        return None
    values: list[float] = []
    for item in raw.split(","):
        number = _number(item.split(";", 1)[0])
        if number is None:
            logger.debug("rate limiter: ignoring unreadable X-RateLimit-Remaining %r", raw[:64])
            return None
        values.append(number)
    return min(values) if values else None


def limit_from_headers(headers: Mapping[str, str]) -> LimitHeader | None:
    """``X-RateLimit-Limit`` of ``headers``, read (``None`` if absent or unreadable)."""
    return parse_limit_header(header(headers, LIMIT_HEADER))


def pause_seconds(retry_after: float | None, refill_rate: float) -> float:
    """How long a 429 pauses its scope: ``retry_after`` if usable, else one refill interval
    but at least a second (a 429 without ``Retry-After`` means we are already too fast)."""
    if retry_after is None or not math.isfinite(retry_after) or retry_after < 0:
        return min(MAX_PAUSE_SECONDS, max(1.0, 1.0 / refill_rate))
    return min(MAX_PAUSE_SECONDS, float(retry_after))
