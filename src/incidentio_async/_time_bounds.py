"""Time filters as bounds: what a caller's filter covers, and the filter of one partition.

A partitioned list (``list(concurrency=N)``) narrows the caller's creation-time filter to each
partition's ``[low, high]`` by adding ``gte`` and ``lte`` operators to the query. The caller's
own operators stay as given wherever a partition does not narrow them, so the outer edges of
the export mean exactly what the caller asked for.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from ._filters import RANGE_SEPARATOR, filter_value_text

Pairs = Sequence[tuple[str, str]]

_DAY = datetime.timedelta(days=1)
_MICROSECOND = datetime.timedelta(microseconds=1)


def label(name: str, operator: str) -> str:
    """The query parameter of ``operator`` on filter ``name`` (``created_at[gte]``)."""
    return f"{name}[{operator}]"


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime.datetime | None:
    """The moment a filter operand names, as the API reads it: an RFC 3339 timestamp, or a
    date (its first microsecond, or with ``end_of_day`` its last, in UTC). None when the text
    is neither (the API will refuse it; a partition only needs it for estimates)."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = datetime.date.fromisoformat(text)
            start = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
            return start + _DAY - _MICROSECOND if end_of_day else start
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def upper_bound(query: Pairs, name: str) -> datetime.datetime | None:
    """The latest moment filter ``name`` of ``query`` lets through (None: open, or not
    readable)."""
    high: datetime.datetime | None = None
    for key, value in query:
        if key == label(name, "lte"):
            high = _earlier(high, parse_moment(value, end_of_day=True))
        elif key == label(name, "date_range"):
            _, separator, end = value.partition(RANGE_SEPARATOR)
            if separator:
                high = _earlier(high, parse_moment(end, end_of_day=True))
    return high


def narrowed(
    query: Pairs, name: str, low: datetime.datetime | None, high: datetime.datetime | None
) -> list[tuple[str, str]]:
    """``query`` with filter ``name`` narrowed to ``[low, high]`` (both included; None keeps
    the caller's side). The caller's ``gte``/``lte`` give way to the partition's, which lie
    inside them; a ``date_range`` stays, and the API applies both."""
    replaced = {label(name, "gte"): low, label(name, "lte"): high}
    pairs = [(key, value) for key, value in query if replaced.get(key) is None]
    for key, moment in replaced.items():
        if moment is not None:
            pairs.append((key, filter_value_text(moment, key)))
    return pairs


def _earlier(
    current: datetime.datetime | None, new: datetime.datetime | None
) -> datetime.datetime | None:
    return new if current is None or (new is not None and new < current) else current
