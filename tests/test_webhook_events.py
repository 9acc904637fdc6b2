"""Webhook events: the specs' ``/x-webhooks/`` events become typed event types, and a body
becomes a :class:`WebhookEvent` holding its payload model (or the JSON, for an unknown type)."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from incidentio_api import events as generated_events
from incidentio_api.models import (
    ActionV1,
    FollowUpV2,
    IncidentWithStatusChangeV2,
    WebhookIncidentV2,
    WebhookPrivateResourceV2,
)
from incidentio_async import IncidentIO, InvalidArgumentError
from incidentio_async.webhooks import (
    WebhookEvent,
    WebhookPayloadError,
    events,
    sign,
    verify,
)

from spec_data import generate, merged_spec, resolve

codegen_plan = generate.codegen_plan

SECRET = "whsec_" + base64.b64encode(b"incident-io-webhook-test-key-32b").decode()
NOW = 1_750_000_000
PREFIX = "/x-webhooks/"
SHOW = {"operation": "Follow-ups V3#Show", "arguments": {"follow_up_id": "id"}}


def spec_events() -> dict[str, dict[str, Any]]:
    """Each event type of the specs and its pseudo-operation."""
    return {
        path.removeprefix(PREFIX): item["get"]
        for path, item in merged_spec()["paths"].items()
        if path.startswith(PREFIX)
    }


def example(event_type: str) -> dict[str, Any]:
    """The spec's example body of an event type."""
    content = spec_events()[event_type]["responses"]["200"]["content"]["application/json"]
    return copy.deepcopy(content["example"])


def deliver(body: Any, msg_id: str = "msg_1") -> WebhookEvent[Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return verify(raw, sign(raw, SECRET, msg_id=msg_id, timestamp=NOW), SECRET, now=NOW)


def test_every_event_of_the_specs_is_an_event_type_and_nothing_else() -> None:
    assert set(generated_events.EVENT_TYPES) == set(spec_events())
    assert events.EVENT_TYPES is generated_events.EVENT_TYPES
    assert len(events.EVENT_TYPES) == 15
    for name, kind in events.EVENT_TYPES.items():
        assert kind.name == name
        assert getattr(events, name.replace(".", "_").upper()) is kind
        assert kind.private == name.startswith("private_")
        assert kind.description == spec_events()[name]["description"]
    # None of them is a method of the client: they are not operations.
    client = IncidentIO("key")
    assert not hasattr(client, "webhooks_v2")
    assert not any(hasattr(client, name.split(".")[0]) for name in events.EVENT_TYPES)


@pytest.mark.parametrize(
    ("event_type", "model"),
    [
        ("public_incident.follow_up_created_v2", FollowUpV2),
        ("public_incident.follow_up_updated_v2", FollowUpV2),
        ("public_incident.follow_up_created_v1", ActionV1),
        ("public_incident.action_updated_v1", ActionV1),
        ("private_incident.follow_up_updated_v2", WebhookPrivateResourceV2),
        ("private_incident.incident_updated_v2", WebhookPrivateResourceV2),
        ("public_incident.incident_status_updated_v2", IncidentWithStatusChangeV2),
        ("public_incident.incident_updated_v2", WebhookIncidentV2),
    ],
)
def test_each_payload_is_the_model_the_spec_names(event_type: str, model: type) -> None:
    operation = spec_events()[event_type]
    envelope_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]
    _, envelope = resolve(envelope_ref)
    payload_name, _ = resolve(envelope["properties"][event_type])
    assert payload_name == model.__name__
    assert events.EVENT_TYPES[event_type].model is model


@pytest.mark.parametrize("event_type", sorted(spec_events()))
def test_the_spec_example_of_every_event_verifies_to_its_model(event_type: str) -> None:
    body = example(event_type)
    event = deliver(body, msg_id=f"msg_{event_type}")
    kind = events.EVENT_TYPES[event_type]
    assert (event.id, event.type, event.kind, event.known) == (
        f"msg_{event_type}",
        event_type,
        kind,
        True,
    )
    assert kind.matches(event)
    assert isinstance(event.data, kind.model)
    assert event.data.to_dict() == body[event_type]  # every field kept, exactly
    assert event.raw == body
    assert event.private == kind.private


def test_matches_narrows_only_its_own_type() -> None:
    created = deliver(example("public_incident.follow_up_created_v2"))
    assert events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2.matches(created)
    assert not events.PUBLIC_INCIDENT_FOLLOW_UP_UPDATED_V2.matches(created)
    assert created.data.title == "Cat is stuck in the tree"


def test_an_unknown_event_type_verifies_as_a_generic_event_with_its_json() -> None:
    payload = {"id": "01ALERT", "title": "Disk full", "nested": [1, {"x": None}]}
    body = {"event_type": "public_alert.alert_created_v9", "public_alert.alert_created_v9": payload}
    event = deliver(body)
    assert (event.type, event.kind, event.known, event.private) == (
        "public_alert.alert_created_v9",
        None,
        False,
        False,
    )
    assert event.data == payload
    assert event.payload == payload
    assert not any(kind.matches(event) for kind in events.EVENT_TYPES.values())
    # An unknown event that is not an object is still just JSON.
    assert deliver({"event_type": "x.y_v1", "x.y_v1": [1, 2]}).data == [1, 2]


def test_new_fields_and_enum_values_in_a_known_payload_are_kept() -> None:
    body = example("public_incident.follow_up_updated_v2")
    payload = body["public_incident.follow_up_updated_v2"]
    payload["status"] = "parked"
    payload["field_added_next_year"] = {"a": 1}
    event = deliver(body)
    assert event.data.status == "parked"
    assert not event.data.status.is_known
    assert event.data.additional_properties == {"field_added_next_year": {"a": 1}}
    assert event.data.to_dict() == payload


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "the signed body is not JSON"),
        (b"\xff\xfe", "the signed body is not JSON"),
        (b"[" * 100_000, "the signed body is not JSON"),
        (b"[1, 2]", "is a JSON array, not an event envelope"),
        (b'"text"', "is a JSON string, not an event envelope"),
        (b"{}", 'has no "event_type" string'),
        (b'{"event_type": 7}', 'has no "event_type" string'),
        (b'{"event_type": "a.b_v1"}', "has no 'a.b_v1' payload beside its event_type"),
        (
            b'{"event_type": "private_incident.follow_up_created_v2",'
            b' "private_incident.follow_up_created_v2": null}',
            "payload is a JSON null, not an object",
        ),
        (
            b'{"event_type": "private_incident.follow_up_created_v2",'
            b' "private_incident.follow_up_created_v2": {"name": "no id"}}',
            "does not fit its schema: WebhookPrivateResourceV2.id: required field 'id'",
        ),
        (
            b'{"event_type": "private_incident.follow_up_created_v2",'
            b' "private_incident.follow_up_created_v2": {"id": 42}}',
            "WebhookPrivateResourceV2.id: invalid value (number)",
        ),
    ],
)
def test_a_signed_body_that_is_no_event_is_a_payload_error(body: bytes, message: str) -> None:
    with pytest.raises(WebhookPayloadError) as caught:
        deliver(body)
    assert message in str(caught.value)
    assert caught.value.check == "payload"
    assert caught.value.__cause__ is None or "Model" in type(caught.value.__cause__).__name__


def test_to_json_is_what_the_command_line_prints() -> None:
    body = example("private_incident.follow_up_created_v2")
    event = deliver(body, msg_id="msg_json")
    assert event.to_json() == {
        "id": "msg_json",
        "type": "private_incident.follow_up_created_v2",
        "timestamp": "2025-06-15T15:06:40Z",
        "data": {"id": "abc123"},
    }
    assert "raw" not in repr(event)


@pytest.mark.anyio
async def test_refetch_refuses_an_event_type_it_fetches_nothing_for() -> None:
    async with IncidentIO("key", base_url="http://127.0.0.1:9") as client:
        unknown = deliver({"event_type": "x.y_v1", "x.y_v1": {"id": "1"}})
        with pytest.raises(InvalidArgumentError, match=r"fetches what a x\.y_v1 event is about"):
            await client.webhooks.refetch(unknown)


# -- the generator's side: the declared refetch overrides ----------------------------------------


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """openapi-python-client's parse of the vendored specs, once for the module."""
    return generate.parse_spec(merged_spec(), tmp_path_factory.mktemp("parse"))[1]


def plan(parsed: Any, events_overrides: dict[str, Any]) -> codegen_plan.Plan:
    overrides = codegen_plan.load_overrides(generate.OVERRIDES_FILE)
    return codegen_plan.build_plan(merged_spec(), parsed, {**overrides, "events": events_overrides})


def test_the_declared_overrides_give_every_event_a_refetch(parsed: Any) -> None:
    built = codegen_plan.build_plan(
        merged_spec(), parsed, codegen_plan.load_overrides(generate.OVERRIDES_FILE)
    )
    assert [event.type for event in built.events] == sorted(spec_events())
    assert all(event.refetch is not None for event in built.events)
    assert built.refetched == ["FollowUpV3", "IncidentUpdateV2"]
    assert not any(r.attribute == "webhooks" for r in built.resources)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nothing_matches.*": {}}, "event overrides that match no event: nothing_matches.*"),
        (
            {"*": {"refetch": {"operation": "Follow-ups V3#Show", "arguments": {}}}},
            "no value for the required follow_up_id",
        ),
        (
            {
                "*follow_up*": {"refetch": SHOW},
                "*_incident.follow_up_created_v1": {"refetch": SHOW},
            },
            "matched by several overrides",
        ),
        (
            {"*_incident.follow_up_*": {"refetch": {"operation": "Nope#Show", "arguments": {}}}},
            "names no operation: Nope#Show",
        ),
        (
            {
                "public_incident.incident_status_updated_v2": {
                    "refetch": {
                        "operation": "Incident Updates V2#List",
                        "arguments": {"incident_id": "incident.nope"},
                    }
                }
            },
            "the payload has no field incident.nope",
        ),
        (
            {
                "public_incident.incident_status_updated_v2": {
                    "refetch": {
                        "operation": "Incident Updates V2#List",
                        "arguments": {"incident_id": "incident.workload_minutes_late"},
                    }
                }
            },
            "the payload's incident.workload_minutes_late is not a string",
        ),
        (
            {
                "*_incident.follow_up_*": {
                    "refetch": {"operation": "Follow-ups V3#Show", "arguments": {"nope": "id"}}
                }
            },
            "Follow-ups V3#Show has no argument nope",
        ),
        (
            {
                "public_incident.incident_status_updated_v2": {
                    "refetch": {
                        "operation": "Incident Updates V2#List",
                        "arguments": {"incident_id": "incident.id"},
                    }
                }
            },
            "'latest_by' is for, and needed by, a list operation",
        ),
        (
            {
                "public_incident.incident_status_updated_v2": {
                    "refetch": {
                        "operation": "Incident Updates V2#List",
                        "arguments": {"incident_id": "incident.id"},
                        "latest_by": "message",
                    }
                }
            },
            "latest_by message is not a required date-time",
        ),
    ],
)
def test_a_wrong_event_override_stops_the_generator(
    parsed: Any, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(codegen_plan.PlanError, match=message.replace("*", r"\*")):
        plan(parsed, overrides)


def test_events_are_not_resources_in_the_generated_package() -> None:
    from incidentio_api.resources import TAGS

    root = Path(generated_events.__file__).parent
    assert not (root / "resources" / "webhooks.py").exists()
    assert "webhooks" not in {attribute for attribute, _, _ in TAGS}
