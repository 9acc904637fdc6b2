"""Hypothesis strategies for the JSON bodies the vendored specs describe.

:func:`json_schema` turns a component schema of the merged spec into a self-contained JSON
Schema (draft 7): ``$ref``s inlined, OpenAPI-only keywords dropped, ``format: int64`` as
bounds. :func:`lenient_schema` widens it to what a tolerant client must also accept: unknown
enum strings, extra properties with any JSON value, and null for every optional property.
:func:`from_json_schema` draws values from such a schema; ``date-time`` strings come from
:func:`rfc3339_timestamps`.

Every shape a document can hold has a strategy: objects without required fields (or without
any property), nested arrays, enums (closed as the spec states them, open as a client must
read them), nullable values, string bounds and patterns, and the string formats the
generator gives a type (``date-time``, ``date``, ``uuid``; others are plain strings).
:func:`required_paths` and :func:`scalar_paths` list where a body can hold a required field or
a scalar, read from the schema, and :func:`forced_bodies` draws bodies that have one there,
so that a test about such a field never has to filter bodies that lack it.
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
#: String formats the generator parses into a type: bodies must honour them. Any other format
#: is a plain string to the generated models, and drawn as one.
FORMATS = {"date-time", "date", "uuid"}
SCALARS = frozenset({"string", "integer", "number", "boolean"})
Path = tuple[str | int, ...]


class UnsupportedSchema(ValueError):
    """The spec uses a construct these helpers do not translate (so tests would be wrong)."""


def json_schema(name: str, components: dict[str, Any] | None = None) -> dict[str, Any]:
    """Component schema ``name`` (of the vendored specs, or of ``components``) as a
    self-contained JSON Schema."""
    return _convert({"$ref": f"#/components/schemas/{name}"}, (), components or schemas())


def _convert(
    schema: dict[str, Any], seen: tuple[str, ...], components: dict[str, Any]
) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref is not None:
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            raise UnsupportedSchema(f"recursive schema: {' -> '.join((*seen, name))}")
        return _convert(components[name], (*seen, name), components)
    unknown = {"anyOf", "oneOf", "not"} & set(schema)
    if unknown:
        raise UnsupportedSchema(f"keywords {sorted(unknown)} are not translated: {schema}")
    if "allOf" in schema:
        # ``allOf`` of objects (``[{$ref}]`` with ``nullable`` beside it is the OpenAPI 3.0
        # way to make a referenced object nullable): one object with every part's fields.
        parts = [_convert(part, seen, components) for part in schema["allOf"]]
        if any(part.get("type") != "object" for part in parts):
            raise UnsupportedSchema(f"allOf of anything but objects: {schema}")
        merged: dict[str, Any] = {"type": "object", "properties": {}}
        for part in parts:
            merged["properties"].update(part["properties"])
            required = [*merged.get("required", ()), *part.get("required", ())]
            if required:
                merged["required"] = list(dict.fromkeys(required))
        return {"anyOf": [merged, NULL]} if schema.get("nullable") else merged
    kind = schema.get("type", "object" if "properties" in schema else None)
    out: dict[str, Any]
    if kind == "object":
        out = {
            "type": "object",
            "properties": {
                prop: _convert(sub, seen, components)
                for prop, sub in schema.get("properties", {}).items()
            },
        }
        if schema.get("required"):
            out["required"] = list(schema["required"])
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            out["additionalProperties"] = _convert(extra, seen, components)
        elif extra is False:
            out["additionalProperties"] = False
    elif kind == "array":
        out = {"type": "array", "items": _convert(schema.get("items", {}), seen, components)}
        for bound in ("minItems", "maxItems"):
            if bound in schema:
                out[bound] = schema[bound]
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
        if schema.get("format") in FORMATS:
            out["format"] = schema["format"]
    elif kind == "number":
        out = {"type": kind}
        for bound in ("minimum", "maximum"):
            if bound in schema:
                out[bound] = schema[bound]
    elif kind == "boolean":
        out = {"type": kind}
    elif kind is None and not (set(schema) - {"description", "example", "nullable"}):
        out = dict(ANY)  # no type: any JSON value
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
        for prop, sub in schema.get("properties", {}).items():
            widened = lenient_schema(sub)
            properties[prop] = widened if prop in required else {"anyOf": [widened, NULL]}
        extra = schema.get("additionalProperties")
        widened_extra = lenient_schema(extra) if isinstance(extra, dict) else ANY
        return {**schema, "properties": properties, "additionalProperties": widened_extra}
    if kind == "array":
        return {**schema, "items": lenient_schema(schema["items"]), "maxItems": _short(schema)}
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
        properties = {
            prop: strict_schema(sub) for prop, sub in schema.get("properties", {}).items()
        }
        return {**schema, "properties": properties}
    if kind == "array":
        return {**schema, "items": strict_schema(schema["items"]), "maxItems": _short(schema)}
    return schema


def _short(schema: dict[str, Any]) -> int:
    """Lists stay short, but as long as the schema needs."""
    return max(min(schema.get("maxItems", MAX_ITEMS), MAX_ITEMS), schema.get("minItems", 0))


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
        return st.floats(
            schema.get("minimum"), schema.get("maximum"), allow_nan=False, allow_infinity=False
        )
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "string":
        return _strings(schema)
    if kind == "array":
        items = from_json_schema(schema["items"])
        return st.lists(
            items, min_size=schema.get("minItems", 0), max_size=schema.get("maxItems", MAX_ITEMS)
        )
    if kind == "object":
        return _objects(schema)
    raise UnsupportedSchema(f"no strategy for {schema}")


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    known = set(schema) - {"type", "enum", "not", "format", "maxLength", "minLength", "pattern"}
    if known:
        raise UnsupportedSchema(f"string keywords {sorted(known)} have no strategy")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    fmt = schema.get("format")
    if fmt == "date-time":
        return rfc3339_timestamps()
    if fmt == "date":
        return st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}")
    if fmt == "uuid":
        return st.uuids().map(str)
    low = schema.get("minLength", 0)
    high = max(min(schema.get("maxLength", 16), low + 16), low)
    if "pattern" in schema:
        return st.from_regex(schema["pattern"]).filter(lambda value: low <= len(value) <= high)
    text = st.text(min_size=low, max_size=high)
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
    properties: dict[str, Any] = schema.get("properties", {})
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


# Where a body can hold what a test needs


def _alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    if "anyOf" not in schema:
        return [schema]
    return [alternative for sub in schema["anyOf"] for alternative in _alternatives(sub)]


def _present(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without its null alternatives (a value that is there, not null)."""
    kept = [sub for sub in _alternatives(schema) if sub != NULL]
    return kept[0] if len(kept) == 1 else {"anyOf": kept}


def find_paths(schema: dict[str, Any], want: str, prefix: Path = ()) -> list[Path]:
    """Where a value of ``schema`` (a converted one) can hold a ``required`` field or a
    ``scalar``."""
    schema = _present(schema)
    found: list[Path] = []
    if schema.get("type") == "object":
        required = set(schema.get("required", ()))
        for name, sub in schema.get("properties", {}).items():
            here = (*prefix, name)
            if (want == "required" and name in required) or (
                want == "scalar" and _present(sub).get("type") in SCALARS
            ):
                found.append(here)
            found += find_paths(sub, want, here)
    elif schema.get("type") == "array":
        items = schema.get("items", {})
        if want == "scalar" and _present(items).get("type") in SCALARS:
            found.append((*prefix, 0))
        found += find_paths(items, want, (*prefix, 0))
    return found


@functools.cache
def required_paths(name: str) -> tuple[Path, ...]:
    """Where a body of component ``name`` can hold a required field (list positions as 0)."""
    return tuple(find_paths(json_schema(name), "required"))


@functools.cache
def scalar_paths(name: str) -> tuple[Path, ...]:
    """Where a body of component ``name`` can hold a string, number or boolean."""
    return tuple(find_paths(json_schema(name), "scalar"))


def force(schema: dict[str, Any], path: Path) -> dict[str, Any]:
    """``schema`` (a lenient one) narrowed to values that hold something at ``path``: every
    object on the way has the next property, not null, and every list an item."""
    if not path:
        return schema
    head, rest = path[0], path[1:]
    inner = _present(schema)
    if "anyOf" in inner:  # an open enum or the like: nothing inside to reach
        return inner
    if isinstance(head, int):
        return {**inner, "minItems": 1, "items": force(inner["items"], rest)}
    properties = dict(inner.get("properties", {}))
    properties[head] = force(_present(properties[head]), rest) if rest else properties[head]
    required = sorted({*inner.get("required", ()), head})
    return {**inner, "properties": properties, "required": required}


@functools.cache
def forced_bodies(name: str, path: Path) -> st.SearchStrategy[Any]:
    """Bodies a tolerant client must parse as component ``name``, with something at
    ``path``."""
    return from_json_schema(force(lenient_schema(json_schema(name)), path))
