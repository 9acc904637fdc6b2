"""JSON values built from the spec's schemas: the records of operations served generically.

A value is the schema's own example when it has one that fits, else built from the schema:
required properties only, the first enum member, bounds respected. :func:`complete` adds
what a value lacks (a required property a newer spec added), and :func:`fits` tells whether a
value follows a schema, strictly, so that everything the fake sends parses with the
generated models.
"""

from __future__ import annotations

import copy
from typing import Any

from incidentio_async.testing.openapi import OpenApi

MAX_DEPTH = 12
"""Nesting beyond which optional parts are left out (guards against recursive schemas)."""

SAMPLE_TIME = "2025-01-01T09:00:00.000000Z"
SAMPLE_DATE = "2025-01-01"
SAMPLE_ID = "01JGKJ8Q00SAMPLE0000000000"
SAMPLE_UUID = "00000000-0000-4000-8000-000000000000"

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def _kind(schema: Any) -> str | None:
    kind = schema.get("type")
    if kind is None and "properties" in schema:
        return "object"
    return kind if isinstance(kind, str) else None


def fits(spec: OpenApi, value: Any, schema: Any, depth: int = 0) -> bool:
    """Whether ``value`` follows ``schema``: JSON types, enum members, required properties,
    bounds, recursively (properties the schema does not declare are allowed)."""
    schema = spec.resolve(schema)
    if value is None:
        return bool(schema.get("nullable"))
    if depth > MAX_DEPTH * 2:
        return True
    kind = _kind(schema)
    if kind is not None:
        types = _TYPES.get(kind, ())
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            return False
    if "enum" in schema and value not in schema["enum"]:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        low, high = schema.get("minimum"), schema.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            return False
    if isinstance(value, list):
        items = schema.get("items", {})
        return all(fits(spec, item, items, depth + 1) for item in value)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        if any(name not in value for name in schema.get("required", ())):
            return False
        return all(
            fits(spec, item, properties[name], depth + 1)
            for name, item in value.items()
            if name in properties
        )
    return True


def build(spec: OpenApi, schema: Any, *, name: str = "", depth: int = 0) -> Any:
    """A value that fits ``schema``: its example where that fits, else made from its parts."""
    schema = spec.resolve(schema)
    example = schema.get("example")
    if example is not None and fits(spec, example, schema):
        return complete(spec, copy.deepcopy(example), schema, depth)
    if schema.get("enum"):
        return schema["enum"][0]
    if "default" in schema and fits(spec, schema["default"], schema):
        return copy.deepcopy(schema["default"])
    kind = _kind(schema)
    if kind == "object":
        if depth > MAX_DEPTH:
            return {}
        properties = schema.get("properties", {})
        return {
            prop: build(spec, properties.get(prop, {}), name=prop, depth=depth + 1)
            for prop in schema.get("required", ())
        }
    if kind == "array":
        count = int(schema.get("minItems", 0))
        return [build(spec, schema.get("items", {}), depth=depth + 1) for _ in range(count)]
    if kind == "integer":
        return int(_number(schema))
    if kind == "number":
        return float(_number(schema))
    if kind == "boolean":
        return False
    if kind == "string":
        return _string(schema, name)
    return None if schema.get("nullable") else {}


def complete(spec: OpenApi, value: Any, schema: Any, depth: int = 0) -> Any:
    """``value`` with every required property it lacks added (at any depth), in place."""
    schema = spec.resolve(schema)
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for prop in schema.get("required", ()):
            if prop not in value:
                value[prop] = build(spec, properties.get(prop, {}), name=prop, depth=depth + 1)
        for prop, item in value.items():
            if prop in properties and item is not None:
                complete(spec, item, properties[prop], depth + 1)
    elif isinstance(value, list) and "items" in schema:
        for item in value:
            if item is not None:
                complete(spec, item, schema["items"], depth + 1)
    return value


def _number(schema: Any) -> float:
    low, high = schema.get("minimum"), schema.get("maximum")
    number = 1 if low is None else low
    return number if high is None else min(number, high)


def _string(schema: Any, name: str) -> str:
    fmt = schema.get("format")
    if fmt == "date-time":
        return SAMPLE_TIME
    if fmt == "date":
        return SAMPLE_DATE
    if fmt == "uuid":
        return SAMPLE_UUID
    if name == "id" or name.endswith("_id"):
        return SAMPLE_ID
    text = name.replace("_", " ").capitalize() or "Text"
    length = schema.get("minLength", 0)
    return text.ljust(length, ".")[: schema.get("maxLength", len(text) + length)]
