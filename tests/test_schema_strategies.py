"""The Hypothesis strategies handle every schema shape a refreshed spec can bring.

The property tests draw bodies for every component schema of the vendored specs. A newer
spec may add shapes today's specs lack: a component whose fields are all optional (which once
failed a property test with ``FailedHealthCheck``), one without properties, nested arrays,
nullable objects and lists, enums, string bounds and patterns, other string formats. Each is
checked here on a made-up component: strict bodies pass an independent validator, lenient
ones include the departures a client must accept, and bodies forced to hold a field always do.
"""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schema_strategies import (
    UnsupportedSchema,
    find_paths,
    force,
    from_json_schema,
    json_schema,
    lenient_schema,
    strict_schema,
)

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


COMPONENTS: dict[str, Any] = {
    "AllOptional": {
        "type": "object",
        "properties": {
            "confidence": {"type": "string", "enum": ["low", "medium", "high"]},
            "minutes": {"type": "integer", "format": "int64"},
        },
    },
    "NoProperties": {"type": "object"},
    "Grid": {
        "type": "object",
        "required": ["rows"],
        "properties": {
            "rows": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            },
            "labels": {
                "type": "array",
                "items": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
            },
        },
    },
    "Nullables": {
        "type": "object",
        "required": ["owner", "tags", "note"],
        "properties": {
            "owner": {"allOf": [ref("AllOptional")], "nullable": True},
            "nested": {
                "type": "object",
                "nullable": True,
                "required": ["inner"],
                "properties": {"inner": ref("Grid")},
            },
            "tags": {"type": "array", "nullable": True, "items": {"type": "string"}},
            "note": {"type": "string", "nullable": True},
        },
    },
    "Strings": {
        "type": "object",
        "required": ["code", "day", "key", "link", "ratio"],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
            "day": {"type": "string", "format": "date"},
            "key": {"type": "string", "format": "uuid"},
            "link": {"type": "string", "format": "uri", "minLength": 3, "maxLength": 40},
            "ratio": {"type": "number", "minimum": 0, "maximum": 1},
            "untyped": {"description": "anything"},
        },
    },
    "Loop": {"type": "object", "properties": {"next": ref("Loop")}},
}
SHAPES = [name for name in COMPONENTS if name != "Loop"]


def checker() -> jsonschema.FormatChecker:
    formats = jsonschema.FormatChecker(formats=())
    formats.checks("date")(lambda value: bool(datetime.date.fromisoformat(value)))
    formats.checks("uuid")(lambda value: bool(uuid.UUID(value)))
    return formats


def converted(name: str) -> dict[str, Any]:
    return json_schema(name, COMPONENTS)


@pytest.mark.parametrize("name", SHAPES)
@SETTINGS
@given(data=st.data())
def test_strict_bodies_of_every_shape_are_valid(name: str, data: st.DataObject) -> None:
    schema = converted(name)
    body = data.draw(from_json_schema(strict_schema(schema)))
    assert not list(jsonschema.Draft7Validator(schema, format_checker=checker()).iter_errors(body))


@pytest.mark.parametrize("name", SHAPES)
@SETTINGS
@given(data=st.data())
def test_lenient_bodies_of_every_shape_can_be_drawn(name: str, data: st.DataObject) -> None:
    body = data.draw(from_json_schema(lenient_schema(converted(name))))
    assert isinstance(body, dict)


def test_lenient_bodies_hold_unknown_enum_values_nulls_and_empty_objects() -> None:
    seen: set[str] = set()

    @SETTINGS
    @given(from_json_schema(lenient_schema(converted("Nullables"))))
    def observe(body: dict[str, Any]) -> None:
        owner = body["owner"]
        if owner is None:
            seen.add("null object")
        elif owner == {}:
            seen.add("empty object")
        elif owner.get("confidence") not in (None, "low", "medium", "high"):
            seen.add("unknown enum value")
        if body["tags"] is None:
            seen.add("null list")

    observe()
    assert seen == {"null object", "empty object", "unknown enum value", "null list"}


def test_paths_are_read_from_the_schema() -> None:
    assert find_paths(converted("AllOptional"), "required") == []
    assert find_paths(converted("AllOptional"), "scalar") == [("confidence",), ("minutes",)]
    assert find_paths(converted("NoProperties"), "scalar") == []
    assert find_paths(converted("Grid"), "scalar") == [("rows", 0, 0), ("labels", 0, 0)]
    assert find_paths(converted("Nullables"), "required") == [
        ("owner",),
        ("nested", "inner"),
        ("nested", "inner", "rows"),
        ("tags",),
        ("note",),
    ]


def reach(body: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        body = body[key]
    return body


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("AllOptional", ("minutes",)),
        ("Grid", ("labels", 0, 0)),
        ("Nullables", ("nested", "inner", "rows")),
        ("Nullables", ("owner", "confidence")),
    ],
)
@SETTINGS
@given(data=st.data())
def test_forced_bodies_always_hold_the_path(
    name: str, path: tuple[str | int, ...], data: st.DataObject
) -> None:
    """Without this, a test about a field filters out bodies that lack it, and a schema whose
    fields are all optional fails Hypothesis's health check."""
    body = data.draw(from_json_schema(force(lenient_schema(converted(name)), path)))
    parent = reach(body, path[:-1])
    assert path[-1] in parent if isinstance(path[-1], str) else len(parent) > path[-1]


@SETTINGS
@given(data=st.data())
def test_patterns_and_bounds_are_honoured(data: st.DataObject) -> None:
    body = data.draw(from_json_schema(strict_schema(converted("Strings"))))
    assert re.search(r"^[A-Z]{3}-[0-9]{2}$", body["code"])  # JSON Schema patterns search
    assert 3 <= len(body["link"]) <= 40
    assert 0 <= body["ratio"] <= 1


def test_a_recursive_schema_is_refused_clearly() -> None:
    with pytest.raises(UnsupportedSchema, match="recursive schema: Loop -> Loop"):
        converted("Loop")


def test_a_schema_the_helpers_cannot_translate_is_refused_clearly() -> None:
    with pytest.raises(UnsupportedSchema, match="oneOf"):
        json_schema("X", {"X": {"oneOf": [{"type": "string"}, {"type": "integer"}]}})
