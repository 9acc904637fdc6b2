"""Checks on method arguments, made before any request is sent."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TypeVar

from .errors import InvalidArgumentError

E = TypeVar("E", bound=Enum)

MAX_PAGE_SIZE = 250


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_id(value: object, name: str) -> str:
    """An object id for a URL path: a non-empty string that cannot change the path.

    The id is percent-encoded into one path segment, so ``/``, ``?`` and ``#`` are harmless;
    ``.`` and ``..`` are not (URL normalisation would turn ``/v2/follow_ups/..`` into
    ``/v2``), and control characters have no place in an id.
    """
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, not {type(value).__name__}")
    if value in ("", ".", ".."):
        raise InvalidArgumentError(f"{name} must be a non-empty id, not {value!r}")
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        raise InvalidArgumentError(f"{name} must not contain control characters: {value!r}")
    return _encodable(value, name)


def check_str(value: object, name: str) -> str:
    """A string argument."""
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, not {type(value).__name__}")
    return _encodable(value, name)


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


def check_optional_str(value: object, name: str) -> str | None:
    """A string argument that may be None."""
    return None if value is None else check_str(value, name)


def check_labels(value: object, name: str = "labels") -> list[str]:
    """A list of strings (a bare string is refused: it is almost always a mistake)."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidArgumentError(f"{name} must be a list of strings, not {type(value).__name__}")
    for item in value:
        if not isinstance(item, str):
            raise InvalidArgumentError(f"{name} must contain only strings, found {_describe(item)}")
        _encodable(item, name)
    return list(value)


def check_page_size(value: object) -> int:
    """A page size the API accepts: an integer from 1 to 250."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(f"page_size must be an integer, not {_describe(value)}")
    if not 1 <= value <= MAX_PAGE_SIZE:
        raise InvalidArgumentError(f"page_size must be between 1 and {MAX_PAGE_SIZE}, not {value}")
    return value


def check_max_items(value: object) -> int | None:
    """None (no limit) or an integer >= 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(
            f"max_items must be None or an integer >= 0, not {_describe(value)}"
        )
    return value


def check_max_retries(value: object) -> int | None:
    """None (the client's setting) or an integer >= 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"max_retries must be an integer >= 0, not {_describe(value)}")
    return value


def coerce_enum(enum_class: type[E], value: object, name: str) -> E:
    """An enum member from a member or its string value.

    Strings the enum does not know are passed on (the API may have added them); the API
    refuses them if they are wrong.
    """
    if isinstance(value, enum_class):
        return value
    if isinstance(value, Enum):
        value = value.value
    if not isinstance(value, str):
        raise InvalidArgumentError(
            f"{name} must be a string or {enum_class.__name__}, not {type(value).__name__}"
        )
    return enum_class(value)
