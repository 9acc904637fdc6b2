"""Check a request against its operation in the vendored spec, as the API validates it.

The fake runs this before any handler: a query parameter or body field of the wrong type, an
enum value the spec does not list, a number out of bounds or a missing required field is a
422 listing every problem, whatever the handler would do with it. Empty query values count as
absent (the spec's ``allowEmptyValue``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from incidentio_async._operation import Operation, Param
from incidentio_async.testing.errors import ApiError, ErrorDetail, bad_request

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "enum": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "filter": (dict,),
}


def check_request(
    operation: Operation[Any], query: Mapping[str, str], body: bytes
) -> dict[str, Any] | None:
    """The request body as a JSON object (None when the operation takes none).

    Raises:
        ApiError: 400 for a body that is not a JSON object, 422 listing every parameter or
            field that does not fit the spec.
    """
    _refuse_undeclared(operation, query)
    errors: list[ErrorDetail] = []
    for param in operation.params:
        if param.location == "query":
            _check_query(param, query, errors)
    payload = None
    if operation.takes_body:
        payload = json_object(body)
        for param in operation.params:
            if param.location == "body":
                _check_field(param, payload, errors)
    if errors:
        raise ApiError(422, "validation_error", errors)
    return payload


def _refuse_undeclared(operation: Operation[Any], query: Mapping[str, str]) -> None:
    """A 400 naming each query parameter the spec does not declare for ``operation``: the
    fake cannot know what it would do, and ignoring it would answer as if it were not there."""
    declared = {p.wire_name: p.kind for p in operation.params if p.location == "query"}
    undeclared = []
    for key, value in query.items():
        name, bracket, rest = key.partition("[")
        kind = declared.get(name)
        if kind == "filter":
            known = bool(bracket) and rest.endswith("]")  # name[operator]
        else:
            known = kind is not None and not bracket
        if value and not known:  # an empty value counts as absent (allowEmptyValue)
            undeclared.append(key)
    if undeclared:
        raise ApiError(
            400,
            "bad_request",
            [
                ErrorDetail(
                    "unsupported_by_fake",
                    f"The fake incident.io does not know the query parameter {key!r} of "
                    f"{operation.id} ({operation.method} {operation.path}): the vendored spec "
                    "does not declare it, and the fake will not ignore it (refresh the specs "
                    "if the API has it, or leave it out)",
                    key,
                )
                for key in undeclared
            ],
        )


def json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object.

    Raises:
        ApiError: 400 ``bad_request`` for an empty body, invalid JSON or a non-object.
    """
    if not body.strip():
        raise bad_request("missing_body", "A JSON request body is required")
    try:
        value = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request("invalid_json", f"The request body is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise bad_request("invalid_body", "The request body must be a JSON object")
    return value


def _check_query(param: Param, query: Mapping[str, str], errors: list[ErrorDetail]) -> None:
    name = param.wire_name
    if param.kind == "filter":
        prefix = f"{name}["
        for key in query:
            if key.startswith(prefix) and key.endswith("]"):
                operator = key[len(prefix) : -1]
                if param.operators and operator not in param.operators:
                    accepted = ", ".join(param.operators)
                    errors.append(_invalid(name, f"{name} accepts the operators {accepted}"))
        return
    text = query.get(name) or None
    if text is None:
        if param.required:
            errors.append(ErrorDetail("is_required", f"{name} is required", name))
        return
    if param.kind == "integer":
        try:
            number = int(text)
        except ValueError:
            errors.append(_invalid(name, f"{name} must be an integer, not {text!r}"))
            return
        _check_bounds(param, number, errors)
    elif param.kind == "number":
        try:
            _check_bounds(param, float(text), errors)
        except ValueError:
            errors.append(_invalid(name, f"{name} must be a number, not {text!r}"))
    elif param.kind == "boolean" and text not in ("true", "false"):
        errors.append(_invalid(name, f"{name} must be true or false"))
    elif param.kind == "enum":
        _check_enum(param, text, errors)


def _check_field(param: Param, payload: Mapping[str, Any], errors: list[ErrorDetail]) -> None:
    name = param.wire_name
    value = payload.get(name)
    if value is None:
        if param.required and not (param.nullable and name in payload):
            errors.append(ErrorDetail("is_required", f"{name} is required", name))
        return
    if not _fits(param.kind, value):
        errors.append(ErrorDetail("invalid_type", f"{name} must be {_a(param.kind)}", name))
        return
    if param.kind == "array":
        item_kind = param.items or "any"
        if not all(_fits(item_kind, item) for item in value):
            errors.append(
                ErrorDetail("invalid_type", f"{name} must be an array of {item_kind}s", name)
            )
        elif item_kind == "enum":
            for item in value:
                _check_enum(param, item, errors)
    elif param.kind == "enum":
        _check_enum(param, value, errors)
    elif param.kind in ("integer", "number"):
        _check_bounds(param, value, errors)


def _fits(kind: str, value: object) -> bool:
    types = _JSON_TYPES.get(kind)
    if types is None:
        return True
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def _check_enum(param: Param, value: str, errors: list[ErrorDetail]) -> None:
    assert param.enum is not None
    known = [str(member.value) for member in param.enum]
    if value not in known:
        errors.append(
            _invalid(param.wire_name, f"{param.wire_name} must be one of: {', '.join(known)}")
        )


def _check_bounds(param: Param, value: float, errors: list[ErrorDetail]) -> None:
    low, high = param.minimum, param.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low:g}" if low is not None else ""
        bounds += f" to {high:g}" if high is not None else ""
        errors.append(_invalid(param.wire_name, f"{param.wire_name} must be {bounds.strip()}"))


def _invalid(name: str, message: str) -> ErrorDetail:
    return ErrorDetail("invalid_value", message, name)


def _a(kind: str) -> str:
    noun = {"array": "array", "enum": "string", "filter": "object"}.get(kind, kind)
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"
