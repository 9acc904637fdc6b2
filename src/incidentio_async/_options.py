"""Per-call options (``extra_headers``, ``timeout``, ``max_retries``) and their checks.

The same checks serve the client's constructor, where a bad value is a
:class:`~incidentio_async.errors.ConfigurationError`, and each call, where it is an
:class:`~incidentio_async.errors.InvalidArgumentError`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

import httpx

from ._validation import check_max_retries, describe
from .errors import IncidentIOError, InvalidArgumentError

Headers = Mapping[str, str]
"""Extra headers: names to values."""
Query = Mapping[str, object]
"""Extra query parameters: names to strings, numbers, booleans or lists of them."""
Body = Mapping[str, object]
"""Extra JSON body fields, merged over the method's own."""
Timeout = float | httpx.Timeout
"""Seconds for the whole attempt, or an ``httpx.Timeout`` with a limit per phase."""


class RequestOptions(TypedDict, total=False):
    """The per-call options every method takes, for code that wraps this client and passes
    them on::

        from typing import Unpack

        from incidentio_async import IncidentIO, RequestOptions
        from incidentio_async.models import FollowUpV3


        async def follow_up(
            client: IncidentIO, follow_up_id: str, **options: Unpack[RequestOptions]
        ) -> FollowUpV3:
            return await client.follow_ups_v3.get(follow_up_id, **options)
    """

    extra_headers: Headers | None
    """Headers added to the request (not ``Authorization``: that is the API key)."""
    extra_query: Query | None
    """Query parameters added to the URL."""
    extra_body: Body | None
    """JSON fields merged into the body (for operations that send one)."""
    timeout: Timeout | None
    """Seconds for each attempt, or an ``httpx.Timeout``; None: the client's."""
    max_retries: int | None
    """Retries after failures for this call; None: the client's."""


class ListOptions(RequestOptions, total=False):
    """The options of list methods that return an ``AsyncPager``: :class:`RequestOptions`
    and how the pager runs."""

    max_items: int | None
    """Stop after this many records, without requesting further pages."""
    lookahead: bool
    """Request the next page while the caller works on the current one (default True)."""


# RFC 9110 field names are tokens; values are visible ASCII, spaces and tabs (no CR or LF,
# which would start a new header, and nothing httpx cannot encode).
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(r"[\t\x20-\x7e]*")
_RESERVED = frozenset({"authorization", "host", "content-length", "transfer-encoding"})


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long an attempt may take: httpx's limit per phase, and a bound on the whole."""

    phases: httpx.Timeout
    attempt: float
    """Seconds for one attempt from sending to the last byte, whatever each phase takes."""


def timeouts_of(value: object, error: type[IncidentIOError] = InvalidArgumentError) -> Timeouts:
    """``value`` as :class:`Timeouts`.

    A number bounds the whole attempt, as people read ``timeout=5``: no phase and no sum of
    phases may exceed it. An ``httpx.Timeout`` keeps its per-phase meaning; the attempt is
    bounded by the sum of its phases.
    """
    if isinstance(value, Timeouts):
        return value
    if isinstance(value, httpx.Timeout):
        parts = (value.connect, value.read, value.write, value.pool)
        if any(part is None or not 0 < part < math.inf for part in parts):
            raise error("every part of timeout must be set: no request may hang")
        return Timeouts(value, sum(part or 0.0 for part in parts))
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise error(f"timeout must be a positive number of seconds, not {describe(value)}")
    return Timeouts(httpx.Timeout(float(value)), float(value))


def checked_headers(
    headers: object, what: str, error: type[IncidentIOError] = InvalidArgumentError
) -> dict[str, str]:
    """``headers`` as a dict, every name and value valid HTTP; the API key's header and
    those that frame the message cannot be set this way."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise error(f"{what} must be a mapping of names to values, not {type(headers).__name__}")
    checked: dict[str, str] = {}
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise error(f"{what}: {describe(name)} is not a valid header name")
        if name.lower() in _RESERVED:
            hint = "pass the key as api_key=" if name.lower() == "authorization" else "it is set"
            raise error(f"{what}: the {name} header cannot be set here ({hint})")
        if not isinstance(value, str):
            raise error(f"{what} must map strings to strings, not {name!r}: {type(value).__name__}")
        if not _VALUE.fullmatch(value):
            raise error(f"{what}: the value of {name} must be printable ASCII without line breaks")
        checked[name] = value
    return checked


@dataclass(frozen=True, slots=True)
class CallOptions:
    """The options of one call, checked; ``None`` means the client's setting."""

    headers: Mapping[str, str] | None = None
    timeouts: Timeouts | None = None
    max_retries: int | None = None


NO_OPTIONS = CallOptions()


def call_options(
    extra_headers: Headers | None, timeout: Timeout | None, max_retries: int | None
) -> CallOptions:
    """The options of one call, each checked before any request."""
    if extra_headers is None and timeout is None and max_retries is None:
        return NO_OPTIONS
    return CallOptions(
        headers=checked_headers(extra_headers, "extra_headers") or None,
        timeouts=None if timeout is None else timeouts_of(timeout),
        max_retries=check_max_retries(max_retries),
    )
