"""Checks on single argument values, made before any request is sent."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from enum import Enum

from ._secret import redact
from .errors import InvalidArgumentError

MAX_URL_ARGUMENT = 2048
"""The longest id or query value accepted. Servers and proxies refuse URLs of a few KB, and no
id or filter of the API comes near this: a longer one is a mistake, refused here instead of
failing inside httpx or as an opaque 414."""

MAX_URL_LENGTH = 16_384
"""The longest URL (path and query, percent-encoded) sent: past a few KB servers and proxies
refuse it (and httpx cannot build one past 64 KiB), so a longer one is refused here."""


def describe(value: object) -> str:
    """A short ``repr`` of ``value`` for messages, without the API key: redacted before it is
    cut (a key cut in half is no longer recognised, and a cursor or id the server sent may
    quote it)."""
    text = redact(repr(value))
    return text if len(text) <= 60 else text[:57] + "..."


def check_str(value: object, name: str) -> str:
    """A string argument."""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, not {type(value).__name__}")
    return _encodable(value, name)


def check_id(value: object, name: str) -> str:
    """An object id: a non-empty string that cannot change the shape of a URL.

    An id in a path is percent-encoded into one segment, so ``/``, ``?`` and ``#`` are
    harmless; ``.`` and ``..`` are not (URL normalisation would turn ``/v2/follow_ups/..``
    into ``/v2``), and control characters have no place in an id.
    """
    text = check_str(value, name)
    if text in ("", ".", ".."):
        raise InvalidArgumentError(f"{name} must be a non-empty id, not {text!r}")
    return _url_argument(text, name, "ids")


def check_query_text(text: str, name: str, *, allow_empty: bool = False) -> str:
    """A value for the query string: an empty one would widen a filter to everything (the API
    reads ``?incident_id=`` as no filter), so it is refused."""
    if not text and not allow_empty:
        raise InvalidArgumentError(
            f"{name} must not be empty (leave it out, or pass None, to not filter)"
        )
    return _url_argument(_encodable(text, name), name, "query values")


_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f]")


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character (none belongs in a URL)."""
    return _CONTROL_CHARACTER.search(text) is not None


def _url_argument(text: str, name: str, what: str) -> str:
    """``text`` if it can go into a URL as one argument: no control characters, not longer
    than :data:`MAX_URL_ARGUMENT` (``what`` names such arguments in the message)."""
    if has_control_characters(text):
        raise InvalidArgumentError(f"{name} must not contain control characters: {describe(text)}")
    if len(text) > MAX_URL_ARGUMENT:
        raise InvalidArgumentError(
            f"{name} is {len(text):,} characters long; {what} are at most {MAX_URL_ARGUMENT:,}"
        )
    return text


def _encodable(value: str, name: str) -> str:
    # Lone surrogates (undecodable bytes smuggled in from argv or the environment) cannot go
    # into a URL or a JSON body as UTF-8.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgumentError(
            f"{name} is not valid text (it cannot be encoded as UTF-8)"
        ) from None
    return value


def check_int(value: object, name: str) -> int:
    """An integer argument (``True`` is not an integer here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(f"{name} must be an integer, not {describe(value)}")
    return value


def check_number(value: object, name: str) -> float:
    """A finite number."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be a finite number, not {describe(value)}")
    return value


def check_bool(value: object, name: str) -> bool:
    """A boolean."""
    if not isinstance(value, bool):
        raise InvalidArgumentError(f"{name} must be True or False, not {describe(value)}")
    return value


def check_list(value: object, name: str, items: str = "values") -> list[object]:
    """A list of ``items`` (a bare string is refused: it is almost always a mistake)."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidArgumentError(f"{name} must be a list of {items}, not {type(value).__name__}")
    return list(value)


def check_enum_value(enum_class: type[Enum], value: object, name: str) -> str:
    """The string of an enum argument given as a member or its string.

    Strings the enum does not know are passed on (the API may have added them since this
    client was generated); the API refuses them if they are wrong.
    """
    if isinstance(value, Enum):
        value = value.value
    if not isinstance(value, str):
        raise InvalidArgumentError(
            f"{name} must be a string or {enum_class.__name__}, not {type(value).__name__}"
        )
    if not value:
        raise InvalidArgumentError(f"{name} must not be empty")
    return _encodable(value, name)


def check_max_items(value: object) -> int | None:
    """None (no limit) or an integer >= 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(
            f"max_items must be None or an integer >= 0, not {describe(value)}"
        )
    return value


def check_max_retries(value: object) -> int | None:
    """None (the client's setting) or an integer >= 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"max_retries must be an integer >= 0, not {describe(value)}")
    return value
