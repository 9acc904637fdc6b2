"""Generated models: examples round-trip; unknown enums, extra fields and nulls are tolerated."""

from __future__ import annotations

import copy
import datetime
import enum
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from incidentio_api.errors import ModelParseError
from incidentio_api.models import (
    ExternalIssueReferenceV2Provider,
    FollowUpsShowResultV2,
    FollowUpsUpdatePayloadV2,
    FollowUpV2,
    FollowUpV2Status,
    IncidentStatusV2Category,
    IncidentUpdatesListResultV2,
    UserV2Role,
)
from incidentio_api.types import format_datetime, parse_datetime

from spec_data import (
    ROOT,
    body_examples,
    is_json_kind,
    model_class,
    object_schema_names,
    resolve,
    sample,
    schemas,
)

EXAMPLES = list(body_examples())


def test_every_operation_of_the_specs_has_examples() -> None:
    labels = {label for label, _, _ in EXAMPLES}
    assert "GET /v2/follow_ups/{id} 200" in labels
    assert "PUT /v2/follow_ups/{id} request" in labels
    assert "GET /v2/incident_updates 200" in labels
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize(
    ("label", "schema_name", "example"), EXAMPLES, ids=[e[0] for e in EXAMPLES]
)
def test_example_parses_and_round_trips_exactly(
    label: str, schema_name: str, example: dict[str, Any]
) -> None:
    parsed = model_class(schema_name).from_dict(example)
    assert parsed.to_dict() == example
    assert json.dumps(parsed.to_dict(), sort_keys=True) == json.dumps(example, sort_keys=True)


def test_seed_example_reads_naturally() -> None:
    example = next(e for label, _, e in EXAMPLES if label == "GET /v2/follow_ups/{id} 200")
    follow_up = FollowUpsShowResultV2.from_dict(example).follow_up
    assert follow_up.status is FollowUpV2Status.OUTSTANDING
    assert follow_up.created_at == datetime.datetime(
        2021, 8, 17, 13, 28, 57, 801578, tzinfo=datetime.UTC
    )
    assert follow_up.assignee is not None and follow_up.assignee.role == UserV2Role.OWNER
    assert follow_up.assignee_team is not None and follow_up.assignee_team.name == "abc123"
    assert follow_up.labels == ["bug", "urgent"]


def enum_paths(schema: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Paths to every enum-valued field reachable from ``schema`` (lists: first item)."""
    _, schema = resolve(schema)
    if "enum" in schema:
        return [prefix]
    if schema.get("type") == "array":
        return enum_paths(schema["items"], (*prefix, "0"))
    found = []
    for name, prop in schema.get("properties", {}).items():
        found.extend(enum_paths(prop, (*prefix, name)))
    return found


def set_path(data: Any, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[int(key)] if isinstance(data, list) else data[key]
    data[path[-1]] = value


MODELS = object_schema_names()


@pytest.mark.parametrize("schema_name", [m for m in MODELS if enum_paths(schemas()[m])])
def test_unknown_enum_values_parse_keep_their_string_and_round_trip(schema_name: str) -> None:
    paths = enum_paths(schemas()[schema_name])
    data = sample(schemas()[schema_name])
    for index, path in enumerate(paths):
        set_path(data, path, f"brand_new_value_{index}")
    parsed = model_class(schema_name).from_dict(data)
    assert parsed.to_dict() == data


def test_unknown_enum_members_behave_like_strings_and_known_ones_like_members() -> None:
    for enum_class, new_value in (
        (FollowUpV2Status, "archived"),
        (ExternalIssueReferenceV2Provider, "trello"),
        (UserV2Role, "superuser"),
        (IncidentStatusV2Category, "frozen"),
    ):
        unknown = enum_class(new_value)
        assert isinstance(unknown, enum_class)
        assert unknown == new_value and str(unknown) == new_value and unknown.value == new_value
        assert not unknown.is_known
        assert unknown not in list(enum_class)
        known = next(iter(enum_class))
        assert enum_class(known.value) is known and known.is_known
    with pytest.raises(ValueError):
        FollowUpV2Status(3)  # not a string: still refused


@pytest.mark.parametrize("schema_name", MODELS)
def test_extra_fields_are_kept_and_round_trip(schema_name: str) -> None:
    data = sample(schemas()[schema_name])
    data["field_added_later"] = {"nested": [1, "two", None]}
    parsed = model_class(schema_name).from_dict(data)
    assert parsed.additional_properties == {"field_added_later": {"nested": [1, "two", None]}}
    assert parsed["field_added_later"] == {"nested": [1, "two", None]}
    assert parsed.to_dict() == data


def optional_fields(schema_name: str) -> list[str]:
    schema = schemas()[schema_name]
    return [name for name in schema.get("properties", {}) if name not in schema.get("required", [])]


@pytest.mark.parametrize("schema_name", [m for m in MODELS if optional_fields(m)])
def test_null_optional_fields_read_as_none_and_round_trip(schema_name: str) -> None:
    data = sample(schemas()[schema_name])
    for name in optional_fields(schema_name):
        data[name] = None
    parsed = model_class(schema_name).from_dict(data)
    for name in optional_fields(schema_name):
        assert getattr(parsed, name) is None
    assert parsed.to_dict() == data


@pytest.mark.parametrize("schema_name", [m for m in MODELS if optional_fields(m)])
def test_absent_optional_fields_read_as_none_and_stay_absent(schema_name: str) -> None:
    data = sample(schemas()[schema_name], full=False)
    parsed = model_class(schema_name).from_dict(data)
    for name in optional_fields(schema_name):
        assert getattr(parsed, name) is None
    assert parsed.to_dict() == data


def required_fields(schema_name: str) -> list[str]:
    return list(schemas()[schema_name].get("required", []))


@pytest.mark.parametrize(
    ("schema_name", "field"),
    [(m, f) for m in MODELS for f in required_fields(m)],
)
def test_missing_required_field_names_model_and_field(schema_name: str, field: str) -> None:
    data = sample(schemas()[schema_name])
    del data[field]
    with pytest.raises(ModelParseError) as caught:
        model_class(schema_name).from_dict(data)
    assert (
        str(caught.value)
        == f"{schema_name}.{field}: required field {field!r} of {schema_name} is missing"
    )
    assert "\n" not in str(caught.value)


def test_nested_errors_give_the_full_path() -> None:
    data = sample(schemas()["IncidentUpdatesListResultV2"])
    del data["incident_updates"][0]["updater"]["user"]["name"]
    with pytest.raises(
        ModelParseError,
        match=r"^IncidentUpdatesListResultV2\.incident_updates"
        r"\.updater\.user\.name: required field 'name' of UserV2 is missing$",
    ):
        IncidentUpdatesListResultV2.from_dict(data)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d.__setitem__("creator", None),
            r"^FollowUpV2\.creator: expected a JSON object, got null$",
        ),
        (
            lambda d: d.__setitem__("creator", "x"),
            r"^FollowUpV2\.creator: expected a JSON object, got string$",
        ),
        (
            lambda d: d.__setitem__("created_at", "yesterday"),
            r"^FollowUpV2\.created_at: invalid value \(string\)",
        ),
        (lambda d: d.__setitem__("status", 7), r"^FollowUpV2\.status: invalid value \(number\)"),
    ],
)
def test_wrong_types_raise_a_clear_error(mutate: Any, message: str) -> None:
    data = sample(schemas()["FollowUpV2"])
    mutate(data)
    with pytest.raises(ModelParseError, match=message):
        FollowUpV2.from_dict(data)


# Scalars of the wrong JSON type


def json_kind(schema: dict[str, Any]) -> str | None:
    """The JSON type of a scalar schema (enums and timestamps are strings), else None."""
    _, schema = resolve(schema)
    kind = schema.get("type")
    return kind if kind in ("string", "integer", "number", "boolean") else None


#: One value of each JSON type, and the JSON type ModelParseError's message gives it.
WRONG_VALUES: dict[str, tuple[Any, str]] = {
    "string": ("1", "string"),
    "integer": (1, "number"),
    "integral float": (1.0, "number"),
    "float": (1.5, "number"),
    "true": (True, "boolean"),
    "false": (False, "boolean"),
    "array": ([], "array"),
    "object": ({}, "object"),
    "null": (None, "null"),
}


def wrong_scalar_cases() -> list[tuple[str, str, str]]:
    """(model, field, WRONG_VALUES key) for every scalar field of every model and every value
    it must refuse: another JSON type, or null where the field is required and not nullable."""
    cases = []
    for schema_name in MODELS:
        schema = schemas()[schema_name]
        for field, sub in schema.get("properties", {}).items():
            kind = json_kind(sub)
            if kind is None:
                continue
            null_ok = field not in schema.get("required", ()) or resolve(sub)[1].get("nullable")
            for label, (value, _) in WRONG_VALUES.items():
                if not is_json_kind(kind, value) and not (value is None and null_ok):
                    cases.append((schema_name, field, label))
    return cases


WRONG_SCALARS = wrong_scalar_cases()


def test_the_wrong_scalar_cases_cover_every_kind_of_field() -> None:
    fields = {(model, field) for model, field, _ in WRONG_SCALARS}
    assert ("FollowUpV2", "id") in fields  # required string
    assert ("FollowUpV2", "description") in fields  # optional string
    assert ("FollowUpPriorityV2", "rank") in fields  # integer
    assert ("FollowUpsUpdatePayloadV2", "assignee_id") in fields  # nullable string
    assert ("FollowUpV2", "status") in fields  # enum
    assert ("FollowUpV2", "created_at") in fields  # timestamp
    assert ("FollowUpV2", "id", "null") in WRONG_SCALARS
    assert ("FollowUpV2", "description", "null") not in WRONG_SCALARS
    assert ("FollowUpsUpdatePayloadV2", "assignee_id", "null") not in WRONG_SCALARS
    assert ("FollowUpPriorityV2", "rank", "true") in WRONG_SCALARS
    assert ("FollowUpPriorityV2", "rank", "integral float") in WRONG_SCALARS


@pytest.mark.parametrize(("schema_name", "field", "label"), WRONG_SCALARS)
def test_a_scalar_of_the_wrong_json_type_names_model_and_field(
    schema_name: str, field: str, label: str
) -> None:
    data = sample(schemas()[schema_name])
    value, json_type = WRONG_VALUES[label]
    data[field] = value
    with pytest.raises(ModelParseError) as caught:
        model_class(schema_name).from_dict(data)
    assert (caught.value.model, caught.value.path) == (schema_name, (field,))
    assert str(caught.value).startswith(f"{schema_name}.{field}: invalid value ({json_type})")


#: The values of the report, and more: (model, path to the field, value, expected message).
WRONG_SCALAR_EXAMPLES: list[tuple[Any, tuple[str, ...], Any, str]] = [
    (FollowUpV2, ("id",), 123, r"id: invalid value \(number\): expected a JSON string"),
    (FollowUpV2, ("id",), None, r"id: invalid value \(null\): expected a JSON string"),
    (
        FollowUpV2,
        ("incident_id",),
        [],
        r"incident_id: invalid value \(array\): expected a JSON string",
    ),
    (FollowUpV2, ("title",), True, r"title: invalid value \(boolean\): expected a JSON string"),
    (
        FollowUpV2,
        ("description",),
        5,
        r"description: invalid value \(number\): expected a JSON string",
    ),
    (
        FollowUpV2,
        ("priority", "rank"),
        "1",
        r"priority\.rank: invalid value \(string\): expected a JSON integer",
    ),
    (
        FollowUpV2,
        ("priority", "rank"),
        True,
        r"priority\.rank: invalid value \(boolean\): expected a JSON integer",
    ),
    (
        FollowUpV2,
        ("priority", "rank"),
        10.0,
        r"priority\.rank: invalid value \(number\): expected a JSON integer",
    ),
    (
        FollowUpV2,
        ("priority", "description"),
        False,
        r"priority\.description: invalid value \(boolean\): expected a JSON string",
    ),
    (
        FollowUpV2,
        ("labels",),
        ["bug", 3],
        r"labels: invalid value \(array\): expected a JSON array of strings",
    ),
    (
        FollowUpV2,
        ("labels",),
        [None],
        r"labels: invalid value \(array\): expected a JSON array of strings",
    ),
    (
        IncidentUpdatesListResultV2,
        ("pagination_meta", "after"),
        123,
        r"pagination_meta\.after: invalid value \(number\): expected a JSON string",
    ),
    (
        IncidentUpdatesListResultV2,
        ("pagination_meta", "page_size"),
        "25",
        r"pagination_meta\.page_size: invalid value \(string\): expected a JSON integer",
    ),
    (
        FollowUpsUpdatePayloadV2,
        ("assignee_id",),
        7,
        r"assignee_id: invalid value \(number\): expected a JSON string or null",
    ),
]


@pytest.mark.parametrize(
    ("model", "path", "value", "message"),
    WRONG_SCALAR_EXAMPLES,
    ids=[f"{m.__name__}.{'.'.join(p)}={v!r}" for m, p, v, _ in WRONG_SCALAR_EXAMPLES],
)
def test_wrong_scalar_types_give_a_clear_error(
    model: Any, path: tuple[str, ...], value: Any, message: str
) -> None:
    data = sample(schemas()[model.__name__])
    set_path(data, path, value)
    with pytest.raises(ModelParseError, match=rf"^{model.__name__}\.{message}$") as caught:
        model.from_dict(data)
    assert caught.value.path == path


def test_a_wrong_scalar_deep_in_a_page_names_the_whole_path() -> None:
    data = sample(schemas()["IncidentUpdatesListResultV2"])
    data["incident_updates"][0]["updater"]["user"]["id"] = 123
    with pytest.raises(
        ModelParseError,
        match=r"^IncidentUpdatesListResultV2\.incident_updates\.updater\.user\.id: "
        r"invalid value \(number\): expected a JSON string$",
    ):
        IncidentUpdatesListResultV2.from_dict(data)


def test_scalars_of_the_right_type_are_kept_as_they_are() -> None:
    data = sample(schemas()["FollowUpV2"])
    data["priority"]["rank"] = 2**63 - 1
    data["labels"] = []
    data["description"] = ""
    data["assignee"]["slack_user_id"] = None
    follow_up = FollowUpV2.from_dict(data)
    assert follow_up.priority is not None and follow_up.priority.rank == 2**63 - 1
    assert follow_up.labels == [] and follow_up.description == ""
    assert follow_up.to_dict() == data


def test_a_non_object_body_is_refused_clearly() -> None:
    with pytest.raises(
        ModelParseError, match=r"^FollowUpsShowResultV2: expected a JSON object, got array$"
    ):
        FollowUpsShowResultV2.from_dict([1, 2])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "2021-08-17T13:28:57.801578Z",
        "2021-08-17T13:28:57Z",
        "2021-08-17T13:28:57.8015Z",
        "2021-08-17T13:28:57.801578123Z",
        "2021-08-17T13:28:57.000Z",
        "2021-08-17T14:28:57.801578+01:00",
        "2021-08-17t13:28:57z",
    ],
)
def test_timestamps_round_trip_byte_for_byte(text: str) -> None:
    value = parse_datetime(text)
    assert isinstance(value, datetime.datetime)
    assert value.utcoffset() is not None
    assert format_datetime(value) == text


def test_changed_or_built_timestamps_are_formatted_freshly() -> None:
    value = parse_datetime("2021-08-17T13:28:57.801578Z")
    assert format_datetime(value + datetime.timedelta(seconds=1)) == "2021-08-17T13:28:58.801578Z"
    assert format_datetime(value.replace(microsecond=0)) == "2021-08-17T13:28:57Z"
    built = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
    assert format_datetime(built) == "2024-01-02T03:04:05Z"
    assert repr(value).startswith("datetime.datetime(2021, 8, 17")


def test_models_are_keyword_only_and_compare_by_value() -> None:
    data = sample(schemas()["FollowUpV2"])
    assert FollowUpV2.from_dict(data) == FollowUpV2.from_dict(copy.deepcopy(data))
    with pytest.raises(TypeError):
        FollowUpV2("positional")  # type: ignore[call-arg,misc]


def test_every_enum_in_the_package_is_open() -> None:
    import incidentio_api.models as models

    # Through __all__, not vars(): the package imports each model when it is first read.
    exported = [getattr(models, name) for name in models.__all__]
    enums = [v for v in exported if isinstance(v, type) and issubclass(v, enum.Enum)]
    assert len(enums) == 38  # 12 of the operations, 26 of the webhook events
    for enum_class in enums:
        assert enum_class("value-from-the-future").value == "value-from-the-future"


# Scalar kinds the vendored specs do not use yet: number, boolean, nullable scalars, unions
# with a scalar member and arrays of them, generated with this project's templates from a
# spec of their own.

SCALARS_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "scalars", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Inner": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string"}},
            },
            "Scalars": {
                "type": "object",
                "required": ["s", "i", "n", "b", "ns", "u"],
                "properties": {
                    "s": {"type": "string"},
                    "i": {"type": "integer"},
                    "n": {"type": "number"},
                    "b": {"type": "boolean"},
                    "ns": {"type": "string", "nullable": True},
                    "u": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/Inner"}]},
                    "os": {"type": "string"},
                    "oi": {"type": "integer"},
                    "on": {"type": "number"},
                    "ob": {"type": "boolean"},
                    "ni": {"type": "integer", "nullable": True},
                    "li": {"type": "array", "items": {"type": "integer"}},
                    "ln": {"type": "array", "items": {"type": "number"}},
                    "lb": {"type": "array", "items": {"type": "boolean"}},
                    "nu": {
                        "oneOf": [{"type": "integer"}, {"$ref": "#/components/schemas/Inner"}],
                        "nullable": True,
                    },
                    "a": {},
                },
            },
        }
    },
}

SCALARS_BASE = {"s": "x", "i": 1, "n": 1.5, "b": True, "ns": "x", "u": "x"}

#: (field, value, whether Scalars.from_dict takes it).
SCALAR_VALUES: list[tuple[str, Any, bool]] = [
    ("s", "", True),
    ("s", 1, False),
    ("s", True, False),
    ("s", None, False),
    ("i", -(2**63), True),
    ("i", 1.0, False),
    ("i", True, False),
    ("i", "1", False),
    ("i", None, False),
    ("n", 2, True),
    ("n", 2.0, True),
    ("n", -0.5, True),
    ("n", True, False),
    ("n", "1.5", False),
    ("n", None, False),
    ("b", False, True),
    ("b", 1, False),
    ("b", 0, False),
    ("b", "true", False),
    ("b", None, False),
    ("ns", None, True),
    ("ns", 1, False),
    ("ns", [], False),
    ("u", {"id": "a"}, True),
    ("u", 3, False),
    ("u", None, False),
    ("os", None, True),
    ("os", "y", True),
    ("os", 1, False),
    ("oi", 2, True),
    ("oi", False, False),
    ("oi", 2.5, False),
    ("on", 2, True),
    ("on", 2.5, True),
    ("on", "2", False),
    ("ob", True, True),
    ("ob", 1, False),
    ("ni", None, True),
    ("ni", 1, True),
    ("ni", 1.0, False),
    ("li", [1, 2], True),
    ("li", [1, True], False),
    ("li", [1.0], False),
    ("li", [None], False),
    ("ln", [1, 2.5], True),
    ("ln", [False], False),
    ("lb", [True, False], True),
    ("lb", [0], False),
    ("nu", None, True),
    ("nu", 3, True),
    ("nu", {"id": "a"}, True),
    ("nu", "3", False),
    ("nu", True, False),
    ("a", [1, "two", None], True),
]


@pytest.fixture(scope="module")
def scalars_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """The Scalars model of SCALARS_SPEC, generated as the project's package is, and that
    package's ModelParseError."""
    root = tmp_path_factory.mktemp("scalars")
    spec = root / "spec.json"
    spec.write_text(json.dumps(SCALARS_SPEC), encoding="utf-8")
    config = yaml.safe_load((ROOT / "scripts" / "codegen-config.yaml").read_text("utf-8"))
    config.update(project_name_override="scalar-models", package_name_override="scalar_models")
    config_file = root / "config.yaml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    command = [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec)]
    command += ["--config", str(config_file), "--meta", "none", "--overwrite"]
    command += ["--custom-template-path", str(ROOT / "scripts" / "templates")]
    command += ["--output-path", str(root / "scalar_models")]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Warning" not in result.stdout, result.stdout + result.stderr
    sys.path.insert(0, str(root))
    try:
        models = importlib.import_module("scalar_models.models")
        errors = importlib.import_module("scalar_models.errors")
    finally:
        sys.path.remove(str(root))
    return models.Scalars, errors.ModelParseError


@pytest.mark.parametrize(
    ("field", "value", "taken"), SCALAR_VALUES, ids=[f"{f}={v!r}" for f, v, _ in SCALAR_VALUES]
)
def test_number_boolean_nullable_and_union_scalars_are_type_checked(
    scalars_package: tuple[Any, Any], field: str, value: Any, taken: bool
) -> None:
    scalars_model, model_parse_error = scalars_package
    data = {**SCALARS_BASE, field: value}
    if not taken:
        with pytest.raises(model_parse_error) as caught:
            scalars_model.from_dict(data)
        assert (caught.value.model, caught.value.path) == ("Scalars", (field,))
        assert str(caught.value).startswith(f"Scalars.{field}: invalid value (")
        return
    parsed = scalars_model.from_dict(data)
    # Kept as received: 2 stays an int in a number field, 2.0 a float.
    assert json.dumps(parsed.to_dict(), sort_keys=True) == json.dumps(data, sort_keys=True)
