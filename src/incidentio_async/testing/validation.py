"""Reading request bodies and query parameters the way the API validates them.

Field problems are collected rather than raised one at a time, so that a body with two bad
fields gets one 422 listing both, as the API answers.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from incidentio_async.testing.errors import ApiError, ErrorDetail, validation_error
from incidentio_async.testing.records import to_micros
from incidentio_async.testing.spec_check import json_object

__all__ = ["Payload", "json_object", "page_size", "query_value"]

MAX_PAGE_SIZE = 250
DEFAULT_PAGE_SIZE = 25

_ABSENT = object()


class Payload:
    """Typed reads of a JSON body's fields; problems pile up until :meth:`check`."""

    def __init__(self, body: Mapping[str, Any]) -> None:
        self.body = body
        self.errors: list[ErrorDetail] = []

    def has(self, name: str) -> bool:
        """Whether the field is present (``null`` counts as present)."""
        return name in self.body

    def fail(self, name: str, code: str, message: str) -> None:
        """Record a problem with field ``name``."""
        self.errors.append(ErrorDetail(code, message, name))

    def string(self, name: str, *, required: str | None = None) -> str | None:
        """A string field. ``required`` names the field in the "is required" message.

        ``null`` reads as absent; an empty string counts as missing for a required field.
        """
        value = self.body.get(name, _ABSENT)
        if value is _ABSENT or value is None:
            if required:
                self.fail(name, "is_required", f"{required} is required")
            return None
        if not isinstance(value, str):
            self.fail(name, "invalid_type", f"{name} must be a string")
            return None
        if required and not value.strip():
            self.fail(name, "is_required", f"{required} is required")
            return None
        return value

    def strings(self, name: str) -> list[str] | None:
        """An optional array of strings (``None`` when absent or null)."""
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(name, "invalid_type", f"{name} must be an array of strings")
            return None
        return list(value)

    def check(self) -> None:
        """Raise the 422 for every problem found so far, if any."""
        if self.errors:
            raise ApiError(422, "validation_error", self.errors)


def query_value(query: Mapping[str, str], name: str) -> str | None:
    """A query parameter; empty counts as absent (the spec's ``allowEmptyValue``)."""
    value = query.get(name)
    return value if value else None


def page_size(query: Mapping[str, str]) -> int:
    """``page_size``: default 25, an integer from 1 to 250."""
    raw = query_value(query, "page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise validation_error(
            "page_size",
            "invalid_value",
            f"page_size must be an integer from 1 to {MAX_PAGE_SIZE}, not {raw!r}",
        )
    return size


def time_filter(query: Mapping[str, str], name: str) -> tuple[int | None, int | None]:
    """The bounds, in microseconds, of a timestamp filter: ``name[gte]``, ``name[lte]``
    (an RFC 3339 timestamp, or a date for the whole day) and ``name[date_range]``
    (``start~end``, dates, both days included)."""
    low = high = None
    errors: list[ErrorDetail] = []
    for operator in ("gte", "lte", "date_range"):
        raw = query_value(query, f"{name}[{operator}]")
        if raw is None:
            continue
        if operator == "date_range":
            start, tilde, end = raw.partition("~")
            span = (_moment(start, end_of_day=False), _moment(end, end_of_day=True))
            if not tilde or None in span:
                errors.append(_bad_time(name, operator, "start~end, e.g. 2024-12-02~2024-12-08"))
                continue
            low = _later(low, span[0])
            high = _earlier(high, span[1])
            continue
        moment = _moment(raw, end_of_day=operator == "lte")
        if moment is None:
            errors.append(_bad_time(name, operator, "an RFC 3339 timestamp or a date"))
        elif operator == "gte":
            low = _later(low, moment)
        else:
            high = _earlier(high, moment)
    if errors:
        raise ApiError(422, "validation_error", errors)
    return low, high


def _moment(text: str, *, end_of_day: bool) -> int | None:
    """Microseconds since the epoch of a timestamp or (the start or end of) a date."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            start = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
            micros = to_micros(start.timestamp())
            return micros + 86_400_000_000 - 1 if end_of_day else micros
        moment = datetime.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return to_micros(moment.timestamp())


def _later(current: int | None, new: int | None) -> int | None:
    return new if current is None or (new is not None and new > current) else current


def _earlier(current: int | None, new: int | None) -> int | None:
    return new if current is None or (new is not None and new < current) else current


def _bad_time(name: str, operator: str, expected: str) -> ErrorDetail:
    return ErrorDetail("invalid_value", f"{name}[{operator}] must be {expected}", name)
