"""Turn a method's arguments into a request, checking each against its operation first.

Every check happens before anything is sent, so a mistake is an
:class:`~incidentio_async.errors.InvalidArgumentError` naming the argument, never an error
from deep inside httpx or a 422 from the API.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ._filters import filter_pairs
from ._not_given import NOT_GIVEN
from ._validation import (
    check_bool,
    check_enum_value,
    check_id,
    check_int,
    check_list,
    check_number,
    check_query_text,
    check_str,
    describe,
)
from .errors import InvalidArgumentError

if TYPE_CHECKING:
    # Annotations only: the operations' module comes with the first resource, not the client.
    from ._operation import Operation, Param

Query = list[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class BoundCall:
    """A call's request, ready to send: every argument checked and encoded."""

    path: str
    """The percent-encoded path."""
    query: Query
    body: bytes | None
    """The JSON body, encoded once for every attempt."""
    idempotency_key: str | None = None


def bind(
    operation: Operation[Any],
    arguments: Mapping[str, object],
    *,
    extra_query: Mapping[str, object] | None = None,
    extra_body: Mapping[str, object] | None = None,
) -> BoundCall:
    """The request for ``operation`` called with ``arguments`` (by wire name); arguments
    left out or ``NOT_GIVEN`` are not sent."""
    path_values: dict[str, str] = {}
    query: Query = []
    body: dict[str, Any] | None = {} if operation.takes_body else None
    key: str | None = None
    for param in operation.params:
        value = arguments.get(param.name, NOT_GIVEN)
        if param.generated_key:
            if value is NOT_GIVEN or value is None:
                # Imported here, not with this module: only operations with an idempotency
                # key need it, and importing uuid costs more than importing this module.
                import uuid

                value = uuid.uuid4().hex
            elif not isinstance(value, str) or not value:
                # An empty key would make every call look like a repeat of every other.
                raise InvalidArgumentError(
                    f"{param.name} must be a non-empty string (or left out to get a fresh one)"
                )
        if param.location == "path":
            if param.kind not in ("string", "enum"):
                value = str(_convert(param, value, param.kind))  # an integer id, say
            path_values[param.wire_name] = quote(check_id(value, param.name), safe="")
        elif param.location == "query":
            _add_query(query, param, value)
        elif body is not None:
            _add_body(body, param, value)
        if param.generated_key:
            key = value  # type: ignore[assignment]  # checked as a string above
    if operation.at_least_one_of and not any(
        arguments.get(name, NOT_GIVEN) not in (NOT_GIVEN, None, "")
        for name in operation.at_least_one_of
    ):
        names = ", ".join(operation.at_least_one_of)
        raise InvalidArgumentError(
            f"{operation.resource}.{operation.name} needs at least one of {names}"
        )
    if extra_query:
        query.extend(query_pairs(extra_query, "extra_query"))
    if extra_body:
        if body is None:
            raise InvalidArgumentError(
                f"extra_body: {operation.resource}.{operation.name} sends no request body"
            )
        extra = _extra_body(extra_body)
        key_param = operation.idempotency_param
        if key_param is not None and key_param.wire_name in extra:
            raise InvalidArgumentError(
                f"extra_body cannot set {key_param.wire_name}: pass {key_param.name}= so that "
                "retries and errors use it"
            )
        body.update(extra)
    return BoundCall(
        path=operation.path.format_map(path_values) if path_values else operation.path,
        query=query,
        body=None if body is None else encode_json(body, "the request body"),
        idempotency_key=key,
    )


def _add_query(query: Query, param: Param, value: object) -> None:
    if value is NOT_GIVEN or value is None:
        if param.required:
            raise InvalidArgumentError(f"{param.name} is required")
        return
    if param.kind == "filter":
        query.extend(filter_pairs(param.wire_name, value, param.operators))
    elif param.kind == "array":
        for item in check_list(value, param.name, _NOUNS.get(param.items or "", "values")):
            query.append((param.wire_name, _query_text(param, item, param.items or "string")))
    else:
        query.append((param.wire_name, _query_text(param, value, param.kind)))


def _query_text(param: Param, value: object, kind: str) -> str:
    converted = _convert(param, value, kind)
    if isinstance(converted, bool):
        return "true" if converted else "false"
    text = converted if isinstance(converted, str) else str(converted)
    return check_query_text(text, param.name)


_NOUNS = {"string": "strings", "integer": "integers", "number": "numbers", "boolean": "booleans"}


def _add_body(body: dict[str, Any], param: Param, value: object) -> None:
    if value is NOT_GIVEN:
        if param.required:
            raise InvalidArgumentError(f"{param.name} is required")
        return
    if value is None:
        if param.nullable:
            body[param.wire_name] = None
        elif param.required:
            expected = {"array": "a list", "enum": "a string", "integer": "an integer"}
            what = expected.get(param.kind, f"a {param.kind}")
            raise InvalidArgumentError(f"{param.name} must be {what}, not None")
        return
    if param.kind == "array":
        kind = param.items or "any"
        noun = _NOUNS.get(kind, "values")
        items = check_list(value, param.name, noun)
        wrong = [item for item in items if kind in _NOUNS and not _is_json(kind, item)]
        if wrong:
            raise InvalidArgumentError(
                f"{param.name} must contain only {noun}, found {describe(wrong[0])}"
            )
        body[param.wire_name] = [_convert(param, item, kind) for item in items]
    else:
        body[param.wire_name] = _convert(param, value, param.kind)


def _is_json(kind: str, value: object) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    return isinstance(value, int) if kind == "integer" else isinstance(value, int | float)


def _convert(param: Param, value: object, kind: str) -> object:
    """``value`` checked against ``kind`` (and the parameter's bounds), as JSON data."""
    name = param.name
    if kind == "string":
        return _not_refused(param, check_id(value, name) if param.is_id else check_str(value, name))
    if kind == "enum":
        assert param.enum is not None
        return _not_refused(param, check_enum_value(param.enum, value, name))
    if kind == "integer":
        return _bounded(param, check_int(value, name))
    if kind == "number":
        return _bounded(param, check_number(value, name))
    if kind == "boolean":
        return check_bool(value, name)
    return value


def _not_refused(param: Param, text: str) -> str:
    """``text``, unless it is a value the operation's overrides refuse."""
    for refused, reason in param.refused:
        if text == refused:
            raise InvalidArgumentError(f"{param.name}={text!r} is not allowed: {reason}")
    return text


def _bounded(param: Param, value: float) -> float:
    low, high = param.minimum, param.maximum
    if low is not None and high is not None and not low <= value <= high:
        raise InvalidArgumentError(
            f"{param.name} must be between {low:g} and {high:g}, not {value}"
        )
    if param.minimum is not None and value < param.minimum:
        raise InvalidArgumentError(f"{param.name} must be at least {param.minimum:g}, not {value}")
    if param.maximum is not None and value > param.maximum:
        raise InvalidArgumentError(f"{param.name} must be at most {param.maximum:g}, not {value}")
    return value


def query_pairs(values: object, what: str) -> Query:
    """Free-form query parameters (``extra_query``, ``client.request``'s ``params``) as
    pairs: strings, numbers, booleans, or lists of them; ``None`` leaves a name out."""
    if not isinstance(values, Mapping):
        raise InvalidArgumentError(f"{what} must be a mapping, not {type(values).__name__}")
    pairs: Query = []
    for name, value in values.items():
        if not isinstance(name, str) or not name:
            raise InvalidArgumentError(f"{what} names must be non-empty strings: {name!r}")
        check_query_text(name, f"{what} name")
        for item in value if isinstance(value, list | tuple) else [value]:
            if isinstance(item, bool):
                pairs.append((name, "true" if item else "false"))
            elif isinstance(item, str | int | float):
                text = _text_of(item, name)
                pairs.append((name, check_query_text(text, name, allow_empty=True)))
            elif item is not None:
                raise InvalidArgumentError(
                    f"{what}[{name!r}] must be a string, number or boolean "
                    f"(or a list of them), not {describe(item)}"
                )
    return pairs


def _extra_body(extra: Mapping[str, object]) -> Mapping[str, object]:
    if not isinstance(extra, Mapping) or not all(isinstance(k, str) for k in extra):
        raise InvalidArgumentError("extra_body must be a mapping with string keys")
    return extra


def _text_of(value: str | int | float, name: str) -> str:
    """A free-form query value as text: a string, or a finite number."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be a finite number, not {value}")
    try:
        return str(value)
    except ValueError:  # an integer with more digits than Python will print
        raise InvalidArgumentError(f"{name} is a number too large to send") from None


def encode_json(value: object, what: str) -> bytes:
    """``value`` as compact UTF-8 JSON; InvalidArgumentError if it is not JSON data."""
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
            "utf-8"
        )
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidArgumentError(f"{what} is not JSON data: {exc}") from None
    except UnicodeEncodeError:
        raise InvalidArgumentError(f"{what} contains text that is not valid UTF-8") from None
