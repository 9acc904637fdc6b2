"""Property tests of the generated models, on bodies drawn from the vendored specs' schemas.

For every object component schema (see ``schema_strategies``), Hypothesis draws bodies that
a tolerant client must accept: valid under the schema, with unknown enum strings, extra
properties holding any JSON, and null for optional fields mixed in. Then:

* each parses with the generated model and ``to_dict()`` gives back exactly the input
  (timestamp text included), without touching the input;
* parsing ``to_dict()`` again, after a trip through JSON, gives an equal model;
* removing any required field, at any depth, raises ``ModelParseError`` naming it;
* so does giving any scalar (string, integer, number, boolean, or an item of an array of
  them), at any depth, a value of another JSON type, or null where it is required;
* any JSON value, and any valid body with one part replaced by any JSON value, either parses
  or raises ``ModelParseError``: no other exception escapes.

Runs are derandomized (the same examples every run) and take no deadline.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schema_strategies import (
    forced_bodies,
    json_schema,
    json_values,
    lenient_bodies,
    required_paths,
    rfc3339_timestamps,
    scalar_paths,
    strict_bodies,
)

from incidentio_api.errors import ModelParseError
from incidentio_api.models import (
    ActorV2,
    FollowUpsListResultV2,
    FollowUpV2,
    IncidentUpdatesListResultV2,
    IncidentUpdateV2,
)

from spec_data import (
    event_envelope_names,
    is_json_kind,
    model_class,
    object_schema_names,
    resolve,
    sample,
    schemas,
)

# Webhook envelopes are left out: the client parses their payloads (models of their own here).
MODELS = sorted(set(object_schema_names()) - event_envelope_names())
#: Models that can hold a required field (the others have nothing to leave out).
WITH_REQUIRED = [name for name in MODELS if required_paths(name)]
#: Models that can hold a string, number or boolean.
WITH_SCALARS = [name for name in MODELS if scalar_paths(name)]

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: RFC 3339 section 5.6 ``date-time``, checked independently of the strategy that writes it.
RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)


def as_json(value: Any) -> str:
    """Canonical JSON text: tells ``1`` from ``1.0`` and ``true``, unlike ``==``."""
    return json.dumps(value, sort_keys=True, allow_nan=False)


def test_every_object_schema_is_covered() -> None:
    assert len(MODELS) >= 20
    assert {"FollowUpV2", "IncidentUpdatesListResultV2", "FollowUpsUpdatePayloadV2"} <= set(MODELS)


# The drawn bodies are what they claim to be


def date_time_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(lambda value: bool(RFC3339.fullmatch(value)))
    return checker


@pytest.mark.parametrize("schema_name", MODELS)
@PROPERTY
@given(data=st.data())
def test_strict_bodies_are_valid_under_the_schema(schema_name: str, data: st.DataObject) -> None:
    """The generator is right: its spec-valid bodies pass an independent validator."""
    body = data.draw(strict_bodies(schema_name))
    validator = jsonschema.Draft7Validator(
        json_schema(schema_name), format_checker=date_time_checker()
    )
    assert not list(validator.iter_errors(body))
    assert as_json(model_class(schema_name).from_dict(body).to_dict()) == as_json(body)


def variations(body: dict[str, Any]) -> Iterator[str]:
    """The departures from the spec's happy path a FollowUpV2 body shows."""
    schema = schemas()["FollowUpV2"]
    if body["status"] not in schema["properties"]["status"]["enum"]:
        yield "unknown enum"
    if any(value is None for value in body.values()):
        yield "null optional field"
    if set(body) - set(schema["properties"]):
        yield "extra property"
    for timestamp in (body["created_at"], body["updated_at"]):
        if re.search(r"\.\d{7,9}", timestamp):
            yield "nanoseconds"
        if "t" in timestamp or timestamp.endswith("z"):
            yield "lower-case RFC 3339"
        if timestamp.endswith(("+00:00", "-00:00")) or timestamp[-6] in "+-":
            yield "numeric offset"


def test_lenient_bodies_mix_in_unknown_enums_nulls_extras_and_odd_timestamps() -> None:
    """The variations the round-trip property is meant to cover are really drawn."""
    seen: set[str] = set()

    @PROPERTY
    @given(lenient_bodies("FollowUpV2"))
    def observe(body: dict[str, Any]) -> None:
        seen.update(variations(body))

    observe()
    assert seen == {
        "unknown enum",
        "null optional field",
        "extra property",
        "nanoseconds",
        "lower-case RFC 3339",
        "numeric offset",
    }


# Valid bodies parse and round-trip


@pytest.mark.parametrize("schema_name", MODELS)
@PROPERTY
@given(data=st.data())
def test_bodies_parse_and_round_trip_exactly(schema_name: str, data: st.DataObject) -> None:
    body = data.draw(lenient_bodies(schema_name))
    received = as_json(body)
    parsed = model_class(schema_name).from_dict(body)
    assert as_json(body) == received, "from_dict changed its input"
    assert as_json(parsed.to_dict()) == received
    assert as_json(body) == received, "to_dict changed the input"


@pytest.mark.parametrize("schema_name", MODELS)
@PROPERTY
@given(data=st.data())
def test_reparsing_to_dict_is_stable(schema_name: str, data: st.DataObject) -> None:
    model = model_class(schema_name)
    first = model.from_dict(data.draw(lenient_bodies(schema_name)))
    written = first.to_dict()
    second = model.from_dict(json.loads(json.dumps(written)))
    assert second == first
    assert as_json(second.to_dict()) == as_json(written)


def instant(timestamp: str) -> datetime.datetime:
    """The instant an RFC 3339 timestamp names, read without ``fromisoformat``."""
    match = RFC3339.fullmatch(timestamp)
    assert match is not None
    year, month, day, hour, minute, second = (int(part) for part in match.group(1, 2, 3, 4, 5, 6))
    micro = int((match.group(7) or "")[1:7].ljust(6, "0"))
    offset = match.group(8).upper()
    zone = datetime.UTC
    if offset != "Z":
        sign = -1 if offset[0] == "-" else 1
        delta = datetime.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
        zone = datetime.timezone(sign * delta)
    return datetime.datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)


@given(timestamp=rfc3339_timestamps())
@example(timestamp="2021-08-17T13:28:57.801578Z")  # the API's usual form
@example(timestamp="2021-08-17T13:28:57Z")
@example(timestamp="2021-08-17T13:28:57.000000Z")  # six digits, but datetime drops them
@example(timestamp="2021-08-17T13:28:57.8015780Z")
@example(timestamp="2021-08-17T13:28:57.801578+00:00")
@example(timestamp="2021-08-17T13:28:57.801578-00:00")
@example(timestamp="2021-08-17t13:28:57.801578z")
@example(timestamp="2021-08-17T13:28:57.801578123+05:30")
@PROPERTY
def test_timestamps_keep_their_text_and_their_instant(timestamp: str) -> None:
    """Sub-microsecond digits are dropped from the value (``datetime`` has none), never from
    the text ``to_dict()`` writes back."""
    body = sample(schemas()["IncidentUpdateV2"])
    body["created_at"] = timestamp
    update = IncidentUpdateV2.from_dict(body)
    assert update.to_dict()["created_at"] == timestamp
    expected = instant(timestamp)
    assert update.created_at == expected
    assert update.created_at.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "timestamp",
    ["2016-12-31T23:59:60Z", "0000-01-01T00:00:00Z"],
    ids=["leap second", "year 0000"],
)
def test_rfc3339_timestamps_python_cannot_represent_raise_model_parse_error(
    timestamp: str,
) -> None:
    """Valid RFC 3339, but no ``datetime`` can hold them: refused cleanly, not crashed on."""
    assert RFC3339.fullmatch(timestamp)
    body = sample(schemas()["IncidentUpdateV2"])
    body["created_at"] = timestamp
    with pytest.raises(ModelParseError, match=r"^IncidentUpdateV2\.created_at: invalid value"):
        IncidentUpdateV2.from_dict(body)


# Missing required fields


def required_fields(
    schema: dict[str, Any],
    body: Any,
    where: tuple[str | int, ...] = (),
    names: tuple[str, ...] = (),
) -> Iterator[tuple[tuple[str | int, ...], tuple[str, ...], str]]:
    """(location in ``body``, path ``ModelParseError`` gives, model) of each required field.

    ``schema`` is a spec schema (with ``$ref``s); list items add no name to the error path.
    """
    component, schema = resolve(schema)
    if schema.get("type") == "object" and isinstance(body, dict):
        for field in schema.get("required", ()):
            if field in body:
                assert component is not None
                yield (*where, field), (*names, field), component
        for field, sub in schema.get("properties", {}).items():
            if body.get(field) is not None:
                yield from required_fields(sub, body[field], (*where, field), (*names, field))
    elif schema.get("type") == "array" and isinstance(body, list):
        for index, item in enumerate(body):
            yield from required_fields(schema["items"], item, (*where, index), names)


def remove(body: Any, where: tuple[str | int, ...]) -> None:
    for key in where[:-1]:
        body = body[key]
    del body[where[-1]]


@pytest.mark.parametrize("schema_name", WITH_REQUIRED)
@PROPERTY
@given(data=st.data())
def test_missing_required_field_raises_model_parse_error(
    schema_name: str, data: st.DataObject
) -> None:
    path = data.draw(st.sampled_from(required_paths(schema_name)))
    body = data.draw(forced_bodies(schema_name, path))
    ref = {"$ref": f"#/components/schemas/{schema_name}"}
    candidates = list(required_fields(ref, body))
    assert candidates, "the body was drawn with a required field in it"
    where, names, owner = data.draw(st.sampled_from(candidates))
    field = names[-1]
    remove(body, where)
    with pytest.raises(ModelParseError) as caught:
        model_class(schema_name).from_dict(body)
    assert caught.value.model == schema_name
    assert caught.value.path == names
    assert str(caught.value) == (
        f"{schema_name}.{'.'.join(names)}: required field {field!r} of {owner} is missing"
    )


# Anything else: parses, or raises ModelParseError


def parses_or_refuses(schema_name: str, value: Any) -> ModelParseError | None:
    """``from_dict`` either refuses ``value`` with ModelParseError (returned) or gives a model
    whose ``to_dict()`` is JSON and parses again to an equal model."""
    model = model_class(schema_name)
    try:
        parsed = model.from_dict(value)
    except ModelParseError as exc:
        assert exc.model == schema_name
        assert str(exc).startswith(".".join((schema_name, *exc.path)) + ": ")
        return exc
    written = json.loads(as_json(parsed.to_dict()))
    assert model.from_dict(written) == parsed
    return None


@pytest.mark.parametrize("schema_name", MODELS)
@PROPERTY
@given(value=json_values)
def test_any_json_value_parses_or_raises_model_parse_error(schema_name: str, value: Any) -> None:
    parses_or_refuses(schema_name, value)


def locations(value: Any, where: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every location inside ``value`` (not the root)."""
    children: Any = ()
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    for key, child in children:
        yield (*where, key)
        yield from locations(child, (*where, key))


@pytest.mark.parametrize("schema_name", MODELS)
@PROPERTY
@given(data=st.data())
def test_corrupted_bodies_parse_or_raise_model_parse_error(
    schema_name: str, data: st.DataObject
) -> None:
    """A valid body with one value anywhere replaced by any JSON, or removed: if that is
    refused, the error points at the damaged field or inside it (list positions aside)."""
    body = data.draw(lenient_bodies(schema_name))
    inside = list(locations(body))
    if not inside:  # an empty body: damage it whole
        parses_or_refuses(schema_name, data.draw(json_values))
        return
    where = data.draw(st.sampled_from(inside))
    parent = body
    for key in where[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(json_values)
    error = parses_or_refuses(schema_name, body)
    if error is not None:
        damaged = tuple(key for key in where if isinstance(key, str))
        assert error.path[: len(damaged)] == damaged


# Scalars of the wrong JSON type are refused, wherever they are


def scalar_locations(
    schema: dict[str, Any],
    body: Any,
    where: tuple[str | int, ...] = (),
    names: tuple[str, ...] = (),
) -> Iterator[tuple[tuple[str | int, ...], tuple[str, ...], str, bool]]:
    """(location in ``body``, path ``ModelParseError`` gives, JSON type, null allowed) of each
    scalar value in ``body``: strings (enums and timestamps too), integers, numbers, booleans,
    and the items of arrays of them. ``schema`` is a spec schema; list items add no name."""
    _, schema = resolve(schema)
    if schema.get("type") == "object" and isinstance(body, dict):
        required = schema.get("required", ())
        for field, sub in schema.get("properties", {}).items():
            if field not in body:
                continue
            _, resolved = resolve(sub)
            kind = resolved.get("type")
            if kind in ("string", "integer", "number", "boolean"):
                null_ok = field not in required or bool(resolved.get("nullable"))
                yield (*where, field), (*names, field), kind, null_ok
            elif body[field] is not None:
                yield from scalar_locations(sub, body[field], (*where, field), (*names, field))
    elif schema.get("type") == "array" and isinstance(body, list):
        _, items = resolve(schema["items"])
        for index, item in enumerate(body):
            if items.get("type") in ("string", "integer", "number", "boolean"):
                yield (*where, index), names, items["type"], bool(items.get("nullable"))
            else:
                yield from scalar_locations(schema["items"], item, (*where, index), names)


@pytest.mark.parametrize("schema_name", WITH_SCALARS)
@PROPERTY
@given(data=st.data())
def test_a_scalar_of_the_wrong_json_type_raises_model_parse_error(
    schema_name: str, data: st.DataObject
) -> None:
    """Any scalar of a valid body, at any depth, replaced by a JSON value of another type (or
    null, where the field is required and not nullable): refused, naming the field."""
    path = data.draw(st.sampled_from(scalar_paths(schema_name)))
    body = data.draw(forced_bodies(schema_name, path))
    ref = {"$ref": f"#/components/schemas/{schema_name}"}
    candidates = list(scalar_locations(ref, body))
    assert candidates, "the body was drawn with a scalar in it"
    where, names, kind, null_ok = data.draw(st.sampled_from(candidates))
    wrong = data.draw(
        json_values.filter(
            lambda value: not is_json_kind(kind, value) and not (value is None and null_ok)
        )
        | st.sampled_from([True, False, 3.0, -(2**63)] if kind != "boolean" else [0, 1]).filter(
            lambda value: not is_json_kind(kind, value)
        )
    )
    parent = body
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = wrong
    with pytest.raises(ModelParseError) as caught:
        model_class(schema_name).from_dict(body)
    assert caught.value.model == schema_name
    assert caught.value.path == names


def test_scalar_locations_reach_nested_fields_and_array_items() -> None:
    body = sample(schemas()["FollowUpsListResultV2"])
    ref = {"$ref": "#/components/schemas/FollowUpsListResultV2"}
    found = {(where, kind, null_ok) for where, _, kind, null_ok in scalar_locations(ref, body)}
    assert (("follow_ups", 0, "id"), "string", False) in found
    assert (("follow_ups", 0, "description"), "string", True) in found
    assert (("follow_ups", 0, "priority", "rank"), "integer", False) in found
    assert (("follow_ups", 0, "labels", 1), "string", False) in found
    assert (("follow_ups", 0, "creator", "user", "email"), "string", True) in found


# A list of models refuses other JSON types (an empty object or string once passed as [])


@pytest.mark.parametrize(
    ("model", "body"),
    [
        pytest.param(FollowUpsListResultV2, {"follow_ups": {}}, id="follow_ups object"),
        pytest.param(FollowUpsListResultV2, {"follow_ups": ""}, id="follow_ups string"),
        pytest.param(IncidentUpdatesListResultV2, {"incident_updates": {}}, id="updates object"),
        pytest.param(IncidentUpdatesListResultV2, {"incident_updates": ""}, id="updates string"),
    ],
)
def test_a_list_of_models_refuses_other_json_types(model: Any, body: Any) -> None:
    field = next(iter(body))
    with pytest.raises(
        ModelParseError, match=rf"^{model.__name__}\.{field}: .*expected a JSON array"
    ):
        model.from_dict(body)


def test_objects_of_the_wrong_json_type_are_refused() -> None:
    """The other half of the same question, which the models get right."""
    follow_up = sample(schemas()["FollowUpV2"])
    for body in ([], [["workflow", None]], "", 0, None):
        with pytest.raises(ModelParseError, match=r"^ActorV2: expected a JSON object"):
            ActorV2.from_dict(body)  # type: ignore[arg-type]
        with pytest.raises(ModelParseError, match=r"^FollowUpV2\.creator: expected a JSON object"):
            FollowUpV2.from_dict({**follow_up, "creator": body})
