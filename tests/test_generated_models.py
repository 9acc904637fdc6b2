"""Generated models: examples round-trip; unknown enums, extra fields and nulls are tolerated."""

from __future__ import annotations

import copy
import datetime
import enum
import json
from typing import Any

import pytest

from incidentio_api.errors import ModelParseError
from incidentio_api.models import (
    ExternalIssueReferenceV2Provider,
    FollowUpsShowResultV2,
    FollowUpV2,
    FollowUpV2Status,
    IncidentStatusV2Category,
    IncidentUpdatesListResultV2,
    UserV2Role,
)
from incidentio_api.types import format_datetime, parse_datetime

from spec_data import body_examples, model_class, object_schema_names, resolve, sample, schemas

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
    assert follow_up.assignee_team is None  # absent in the Show seed
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

    enums = [v for v in vars(models).values() if isinstance(v, type) and issubclass(v, enum.Enum)]
    assert len(enums) == 7
    for enum_class in enums:
        assert enum_class("value-from-the-future").value == "value-from-the-future"
