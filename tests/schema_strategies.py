"""Hypothesis strategies for the JSON bodies the vendored specs describe.

:func:`json_schema` turns a component schema of the merged spec into a self-contained JSON
Schema (draft 7): ``$ref``s inlined, OpenAPI-only keywords dropped, ``format: int64`` as
bounds. :func:`lenient_schema` widens it to what a tolerant client must also accept: unknown
enum strings, extra properties with any JSON value, and null for every optional property.
:func:`from_json_schema` draws values from such a schema; ``date-time`` strings come from
:func:`rfc3339_timestamps`.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from spec_data import schemas

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
NULL: dict[str, Any] = {"type": "null"}
#: Any JSON value (extra properties may hold anything).
ANY: dict[str, Any] = {}
#: Lists in generated bodies stay short, so that nested bodies stay fast to draw.
MAX_ITEMS = 3
#: OpenAPI string keywords that mean the same in JSON Schema.
STRING_KEYWORDS = ("enum", "maxLength", "minLength", "pattern")
#: String formats the specs use that bodies must honour.
FORMATS = {"date-time"}


class UnsupportedSchema(ValueError):
    """The spec uses a construct these helpers do not translate (so tests would be wrong)."""


def json_schema(name: str) -> dict[str, Any]:
    """Component schema ``name`` as a self-contained JSON Schema."""
    return _convert({"$ref": f"#/components/schemas/{name}"}, ())


def _convert(schema: dict[str, Any], seen: tuple[str, ...]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is not None:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            raise UnsupportedSchema(f"recursive schema: {' -> '.join((*seen, name))}")
        return _convert(schemas()[name], (*seen, name))
    unknown = {"allOf", "anyOf", "oneOf", "not"} & set(schema)
    if unknown:
        raise UnsupportedSchema(f"keywords {sorted(unknown)} are not translated: {schema}")
    kind = schema.get("type")
    out: dict[str, Any]
    if kind == "object":
        out = {
            "type": "object",
            "properties": {
                prop: _convert(sub, seen) for prop, sub in schema.get("properties", {}).items()
            },
        }
        if schema.get("required"):
            out["required"] = list(schema["required"])
        if isinstance(schema.get("additionalProperties"), dict):
            out["additionalProperties"] = _convert(schema["additionalProperties"], seen)
    elif kind == "array":
        out = {"type": "array", "items": _convert(schema["items"], seen)}
    elif kind == "integer":
        out = {"type": "integer"}
        if schema.get("format") == "int64":
            out.update(minimum=INT64_MIN, maximum=INT64_MAX)
        for bound in ("minimum", "maximum"):
            if bound in schema:
                out[bound] = schema[bound]
    elif kind == "string":
        out = {"type": "string"}
        out.update({key: schema[key] for key in STRING_KEYWORDS if key in schema})
        if "format" in schema:
            if schema["format"] not in FORMATS:
                raise UnsupportedSchema(f"string format {schema['format']!r}")
            out["format"] = schema["format"]
    elif kind in ("boolean", "number"):
        out = {"type": kind}
    else:
        raise UnsupportedSchema(f"type {kind!r}: {schema}")
    if schema.get("nullable"):
        out = {"anyOf": [out, NULL]}
    return out


def lenient_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` widened: unknown enum strings, extra properties, null for optional fields."""
    if "anyOf" in schema:
        return {"anyOf": [lenient_schema(sub) for sub in schema["anyOf"]]}
    kind = schema.get("type")
    if kind == "object":
        required = set(schema.get("required", ()))
        properties = {}
        for prop, sub in schema["properties"].items():
            widened = lenient_schema(sub)
            properties[prop] = widened if prop in required else {"anyOf": [widened, NULL]}
        extra = schema.get("additionalProperties")
        widened_extra = lenient_schema(extra) if isinstance(extra, dict) else ANY
        return {**schema, "properties": properties, "additionalProperties": widened_extra}
    if kind == "array":
        return {**schema, "items": lenient_schema(schema["items"]), "maxItems": MAX_ITEMS}
    if "enum" in schema:
        unknown = {"type": "string", "not": {"enum": schema["enum"]}}
        return {"anyOf": [schema, unknown]}
    return schema


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` as the spec states it, with lists kept short for speed."""
    if "anyOf" in schema:
        return {"anyOf": [strict_schema(sub) for sub in schema["anyOf"]]}
    kind = schema.get("type")
    if kind == "object":
        properties = {prop: strict_schema(sub) for prop, sub in schema["properties"].items()}
        return {**schema, "properties": properties}
    if kind == "array":
        return {**schema, "items": strict_schema(schema["items"]), "maxItems": MAX_ITEMS}
    return schema


def _digits(low: int, high: int, width: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: str(n).zfill(width))


def rfc3339_timestamps() -> st.SearchStrategy[str]:
    """RFC 3339 ``date-time`` strings that name an instant Python can represent.

    Both cases of ``T`` and ``Z``, 1 to 9 fractional digits (Go's ``RFC3339Nano`` writes up
    to 9), numeric offsets including ``-00:00``. Leap seconds (``:60``) and year ``0000``
    are valid RFC 3339 too but have no ``datetime``; tests cover them separately.
    """
    date = st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
    clock = st.tuples(_digits(0, 23, 2), _digits(0, 59, 2), _digits(0, 59, 2)).map(":".join)
    fraction = st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,9}", fullmatch=True))
    offset = st.one_of(
        st.sampled_from(["Z", "z", "+00:00", "-00:00"]),
        st.tuples(st.sampled_from("+-"), _digits(0, 23, 2), _digits(0, 59, 2)).map(
            lambda parts: f"{parts[0]}{parts[1]}:{parts[2]}"
        ),
    )
    return st.tuples(date, st.sampled_from("Tt"), clock, fraction, offset).map("".join)


#: Any JSON value, nested a little.
json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(INT64_MIN, INT64_MAX)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def from_json_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid under ``schema``, for the JSON Schema subset the functions above write.

    (hypothesis-jsonschema's ``from_schema`` would do this, but its object strategy fails with
    the installed Hypothesis: ``AttributeError: 'many' object has no attribute 'more'``.)
    """
    if not schema:
        return json_values
    if "anyOf" in schema:
        return st.one_of([from_json_schema(sub) for sub in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "string":
        return _strings(schema)
    if kind == "array":
        items = from_json_schema(schema["items"])
        return st.lists(items, max_size=schema.get("maxItems", MAX_ITEMS))
    if kind == "object":
        return _objects(schema)
    raise UnsupportedSchema(f"no strategy for {schema}")


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    known = set(schema) - {"type", "enum", "not", "format", "maxLength", "minLength"}
    if known:
        raise UnsupportedSchema(f"string keywords {sorted(known)} have no strategy")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if schema.get("format") == "date-time":
        return rfc3339_timestamps()
    shortest = schema.get("minLength", 0)
    text = st.text(min_size=shortest, max_size=max(shortest, min(schema.get("maxLength", 16), 16)))
    if "not" in schema:
        excluded = set(schema["not"]["enum"])
        return st.one_of(
            text.filter(lambda value: value not in excluded),
            # Unknown values that look like real ones.
            st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True).filter(
                lambda value: value not in excluded
            ),
        )
    return text


def _objects(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    properties: dict[str, Any] = schema["properties"]
    required = set(schema.get("required", ()))
    declared = st.fixed_dictionaries(
        {name: from_json_schema(properties[name]) for name in properties if name in required},
        optional={
            name: from_json_schema(sub) for name, sub in properties.items() if name not in required
        },
    )
    extra = schema.get("additionalProperties", True)
    if extra is False:
        return declared
    values = json_values if extra is True else from_json_schema(extra)
    names = st.text(max_size=12).filter(lambda name: name not in properties)
    extras = st.dictionaries(names, values, max_size=3)
    return st.tuples(declared, extras).map(lambda parts: {**parts[1], **parts[0]})


@functools.cache
def lenient_bodies(name: str) -> st.SearchStrategy[Any]:
    """Bodies a tolerant client must parse as component ``name``."""
    return from_json_schema(lenient_schema(json_schema(name)))


@functools.cache
def strict_bodies(name: str) -> st.SearchStrategy[Any]:
    """Bodies valid under component ``name`` as the spec states it (which allows extra
    properties: the API may add fields)."""
    return from_json_schema(strict_schema(json_schema(name)))
