"""Contains some shared types for properties"""

import datetime
from collections.abc import Mapping, MutableMapping
from http import HTTPStatus
from typing import IO, Any, BinaryIO, Generic, Literal, SupportsIndex, TypeVar

from attrs import define


class Unset:
    def __bool__(self) -> Literal[False]:
        return False


UNSET: Unset = Unset()

# The types that `httpx.Client(files=)` can accept, copied from that library.
FileContent = IO[bytes] | bytes | str
FileTypes = (
    # (filename, file (or bytes), content_type)
    tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = list[tuple[str, FileTypes]]


@define
class File:
    """Contains information for file uploads"""

    payload: BinaryIO
    file_name: str | None = None
    mime_type: str | None = None

    def to_tuple(self) -> FileTypes:
        """Return a tuple representation that httpx will accept for multipart/form-data"""
        return self.file_name, self.payload, self.mime_type


T = TypeVar("T")


@define
class Response(Generic[T]):
    """A response from an endpoint"""

    status_code: HTTPStatus
    content: bytes
    headers: MutableMapping[str, str]
    parsed: T | None


class ParsedDateTime(datetime.datetime):
    """A ``datetime`` parsed from the API that remembers the exact text it came from.

    Only timestamps that :func:`format_datetime` would not write back identically get one
    (sub-microsecond digits, trimmed fractions, offsets other than ``Z``...); ``to_dict`` then
    writes the remembered text, so a parsed response round-trips byte for byte. Arithmetic or
    ``replace`` yields a value without the text, which is formatted afresh.
    """

    __slots__ = ("_text",)
    _text: str

    def __repr__(self) -> str:
        return "datetime." + datetime.datetime.__repr__(self).replace(
            type(self).__name__, "datetime", 1
        )

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        # datetime's own pickling would drop the text (and so copies would no longer
        # round-trip); rebuild from the text instead.
        return (parse_datetime, (self._text,))


def _is_canonical(text: str, value: datetime.datetime) -> bool:
    """Whether ``format_datetime(value)`` gives back ``text``: UTC with ``Z``, and either no
    fraction (``...:57Z``, 20 characters) or exactly six digits of it (27 characters)."""
    if text[-1:] != "Z" or text[10:11] != "T":
        return False
    if len(text) == 27:
        return text[19] == "." and value.microsecond != 0
    return len(text) == 20


def parse_datetime(text: str) -> datetime.datetime:
    """Parse an RFC 3339 timestamp such as ``2021-08-17T13:28:57.801578Z``."""
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        value = None
    if value is not None and _is_canonical(text, value):
        return value  # the usual case: a plain datetime, cheap to build
    try:
        # RFC 3339 allows lower-case 't' and 'z', which fromisoformat does not.
        parsed = ParsedDateTime.fromisoformat(text if value is not None else text.upper())
    except ValueError:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r}") from None
    parsed._text = text
    return parsed


def format_datetime(value: datetime.datetime) -> str:
    """Format a timestamp as the API does: RFC 3339, ``Z`` for UTC."""
    text: str | None = getattr(value, "_text", None)
    if text is not None:
        return text
    formatted = value.isoformat()
    if formatted.endswith("+00:00"):
        formatted = formatted[: -len("+00:00")] + "Z"
    return formatted


__all__ = [
    "UNSET",
    "File",
    "FileTypes",
    "ParsedDateTime",
    "RequestFiles",
    "Response",
    "Unset",
    "format_datetime",
    "parse_datetime",
]
