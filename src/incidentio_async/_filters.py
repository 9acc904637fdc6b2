"""Operator filters (``updated_at={"gte": ...}``) as the API's deepObject query parameters.

``{"gte": since}`` on ``updated_at`` travels as ``updated_at[gte]=2025-01-01T00:00:00Z``. A
value is a string (sent as given), a timezone-aware ``datetime`` (sent as RFC 3339 in UTC), or
a ``date`` (``YYYY-MM-DD``); a range operator takes a ``(start, end)`` pair, sent as
``start~end``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from ._validation import check_query_text, describe
from .errors import InvalidArgumentError

Moment = str | datetime.date
"""A filter operand: a string as the API reads it, a ``date``, or an aware ``datetime``."""

FilterValue = Moment | tuple[Moment, Moment]
"""What an operator of a filter takes: one moment, or a ``(start, end)`` pair for a range."""

RANGE_OPERATORS = frozenset({"date_range"})
"""Operators that take a ``(start, end)`` pair."""

RANGE_SEPARATOR = "~"


def filter_pairs(name: str, value: object, operators: Sequence[str]) -> list[tuple[str, str]]:
    """The query pairs of filter ``name``; ``operators`` are those it accepts (any when
    empty)."""
    if not isinstance(value, Mapping) or not value:
        raise InvalidArgumentError(
            f"{name} must be a non-empty mapping of operator to value, e.g. "
            f'{{"gte": datetime(...)}}, not {describe(value)}'
        )
    pairs = []
    for operator, operand in value.items():
        if not isinstance(operator, str) or (operators and operator not in operators):
            accepted = ", ".join(operators) or "an operator name"
            raise InvalidArgumentError(
                f"{name} has an unknown operator {operator!r}; it accepts {accepted}"
            )
        label = f"{name}[{operator}]"
        if operator in RANGE_OPERATORS:
            text = _range_text(operand, label)
        else:
            text = filter_value_text(operand, label)
        pairs.append((label, check_query_text(text, label)))
    return pairs


def filter_value_text(value: object, label: str) -> str:
    """One operand as the API reads it."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise InvalidArgumentError(
                f"{label} is a naive datetime; give it a timezone (e.g. tzinfo=datetime.UTC) "
                "so that it names one moment"
            )
        try:
            text = value.astimezone(datetime.UTC).isoformat()
        except OverflowError:
            raise InvalidArgumentError(f"{label} is outside the years datetime can hold") from None
        return text.removesuffix("+00:00") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    raise InvalidArgumentError(
        f"{label} must be a string, a datetime or a date, not {type(value).__name__}"
    )


def _range_text(value: object, label: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and not isinstance(value, bytes) and len(value) == 2:
        start, end = (filter_value_text(part, label) for part in value)
        return f"{start}{RANGE_SEPARATOR}{end}"
    raise InvalidArgumentError(
        f"{label} takes a (start, end) pair or a 'start~end' string, not {describe(value)}"
    )
