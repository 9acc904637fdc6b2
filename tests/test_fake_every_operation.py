"""The fake serves every operation of the specs, hand-written or not, with typed answers.

Each operation is called through the client, with arguments from the spec (``spec_calls``)
that point at the fake's own records where they name one. The answer must parse into the
operation's model and follow the response schema exactly. The same runs again with every
operation served generically (as a newer spec's operations are, before anyone writes a
handler), which checks the generic handlers on every shape the API uses today.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import httpx
import pytest

from incidentio_async import BadRequestError
from incidentio_async._operation import Operation, Param
from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.generic import shape_of
from incidentio_async.testing.handlers import QUERY_PARAMETERS, Handlers
from incidentio_async.testing.messages import Request, Response
from incidentio_async.testing.new_fields import keeping_new_fields
from incidentio_async.testing.openapi import packaged
from incidentio_async.testing.query_params import guarded

from fake_checks import assert_error, assert_matches
from spec_calls import MODES, Call, Resolver, all_operations, build_call, envelope

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore::incidentio_async.IncidentIODeprecationWarning"),
]

OPERATIONS = {operation.id: operation for operation in all_operations()}
SCALARS = {"string", "integer", "number", "boolean"}


def fake_records(fake: FakeIncidentIO) -> Resolver:
    """Arguments naming a record get one of the fake's: the plainest record of the
    operation's collection for its path id and cursor, its reference data for other ids."""
    state = fake.state
    references: Mapping[str, Mapping[str, Any]] = {
        "incident_id": state.incidents,
        "assignee_id": state.users,
        "assignee_team_id": state.teams,
        "follow_up_category_id": state.categories,
        "follow_up_priority_option_id": state.priorities,
        "to_incident_status_id": state.statuses,
        "to_severity_id": state.severities,
    }

    def resolve(operation: Operation[Any], param: Param) -> Any:
        cursor = operation.pagination.cursor if operation.pagination else None
        if param.location == "path" or param.wire_name == cursor:
            shape = shape_of(operation)
            found = envelope(operation)
            collection = state.collections.get(
                shape.collection,
                shape.collection,
                packaged(),
                found.record if found.holds_records else None,
                found.record_name,
            )
            return min(collection.records(), key=len)["id"]
        if param.location != "path" and param.wire_name in references:
            return next(iter(references[param.wire_name]))
        return None

    return resolve


def response_schema(operation: Operation[Any]) -> str | None:
    """The component name of the success response's schema."""
    found = envelope(operation)
    if found.kind == "empty":
        return None
    raw = packaged().operation(operation.id)["responses"][str(found.status)]
    ref = raw["content"]["application/json"]["schema"]["$ref"]
    return str(ref).rsplit("/", 1)[-1]


async def call_against(fake: FakeIncidentIO, operation: Operation[Any], mode: str) -> None:
    call = build_call(operation, mode, fake_records(fake))
    async with fake.client() as client:
        result = await call.run(client)
    answered = fake.requests[-1]
    assert answered.status == envelope(operation).status
    if operation.model is None:
        assert result is None
        return
    items = result if isinstance(result, list) else [result]
    assert all(isinstance(item, operation.model) for item in items)
    if operation.pagination is not None and mode == "required":
        assert items, "without filters, the sample data gives every list a record"


def served_generically(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build fakes with no hand-written handler at all."""
    monkeypatch.setattr(Handlers, "by_operation", lambda self: {})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_every_operation_works_against_the_fake(operation_id: str, mode: str) -> None:
    fake = FakeIncidentIO(seed=3, clock=VirtualClock())
    await call_against(fake, OPERATIONS[operation_id], mode)


def not_applicable(operation: Operation[Any], call: Call) -> set[str]:
    """The query parameters of ``call`` a generic handler cannot apply: all but the cursor,
    the page size, and equalities (``name=value``) on a scalar field of the listed records."""
    found = envelope(operation)
    paging = set()
    if operation.pagination is not None:
        paging = {operation.pagination.cursor, operation.pagination.page_size}
    fields = {}
    if found.kind in ("list", "page") and found.record is not None:
        fields = found.record.get("properties", {})
    refused = set()
    for key in call.query:
        name = key.split("[")[0]
        field_type = packaged().resolve(fields.get(name, {})).get("type")
        if name not in paging and (key != name or field_type not in SCALARS):
            refused.add(name)
    return refused


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_every_operation_works_served_generically(
    operation_id: str, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parameters a generic handler cannot apply are refused by name; the rest work."""
    served_generically(monkeypatch)
    operation = OPERATIONS[operation_id]
    fake = FakeIncidentIO(seed=3, clock=VirtualClock())
    refused = not_applicable(operation, build_call(operation, mode, fake_records(fake)))
    if not refused:
        await call_against(fake, operation, mode)
        return
    with pytest.raises(BadRequestError) as caught:
        await call_against(fake, operation, mode)
    fields = {error.get("source", {}).get("field") for error in caught.value.body["errors"]}
    assert fields == refused


@pytest.mark.parametrize("operation_id", OPERATIONS)
async def test_generic_answers_follow_the_response_schema_exactly(
    operation_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No undeclared field, every required one, the right types and enum values."""
    served_generically(monkeypatch)
    operation = OPERATIONS[operation_id]
    fake = FakeIncidentIO(seed=3)
    call = build_call(operation, "required", fake_records(fake))
    path = operation.path
    for param, value in zip(operation.path_params, call.args, strict=True):
        path = path.replace("{" + param.wire_name + "}", value)
    params = [(name, value) for name, values in call.query.items() for value in values]
    async with fake.http_client() as http:
        response = await http.request(operation.method, path, params=params, json=call.body)
    assert response.status_code == envelope(operation).status, response.text
    schema = response_schema(operation)
    if schema is None:
        assert response.content == b""
    else:
        assert_matches(schema, response.json())


def test_the_query_parameters_of_each_handler_are_the_operations_own() -> None:
    """The table names no parameter an operation lacks, and a handler implementing every
    parameter of its operation is used as it is (no request pays for the generic filter)."""
    handlers = Handlers(FakeIncidentIO(sample_data=False).state).by_operation()
    for operation_id, handler in handlers.items():
        operation = OPERATIONS[operation_id]
        declared = {p.wire_name for p in operation.params if p.location == "query"}
        assert QUERY_PARAMETERS.get(operation_id, frozenset()) <= declared, operation_id
        assert guarded(operation, handler, declared) is handler, operation_id


# No silent filter


def forget(monkeypatch: pytest.MonkeyPatch, operation_id: str, *names: str) -> None:
    """Make the hand-written handler of ``operation_id`` not implement ``names``."""
    monkeypatch.setitem(QUERY_PARAMETERS, operation_id, QUERY_PARAMETERS[operation_id] - set(names))


async def test_a_parameter_naming_a_record_field_is_applied_as_an_equality_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forget(monkeypatch, "Follow-ups V3#List", "incident_id")
    fake = FakeIncidentIO(seed=4, clock=VirtualClock())
    async with fake.client() as client:
        incidents = [f.incident_id for f in await client.follow_ups_v3.list().to_list()]
        incident_id = max(set(incidents), key=incidents.count)
        found = await client.follow_ups_v3.list(incident_id=incident_id, page_size=2).to_list()
    assert len(found) == incidents.count(incident_id) > 2
    assert {f.incident_id for f in found} == {incident_id}
    assert [f.id for f in found] == sorted(f.id for f in found)


async def test_a_filter_of_a_list_without_pages_is_applied_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forget(monkeypatch, "Follow-ups V2#List", "incident_id")
    fake = FakeIncidentIO(seed=4)
    incident_id = next(iter(fake.state.follow_ups.values())).incident_id
    async with fake.http_client() as http:
        response = await http.get("/v2/follow_ups", params={"incident_id": incident_id})
    follow_ups = response.json()["follow_ups"]
    assert follow_ups and {f["incident_id"] for f in follow_ups} == {incident_id}


@pytest.mark.parametrize(
    ("name", "params"),
    [
        # FollowUpV3 has no assignee_team_id field (it has an assignee_team object).
        ("assignee_team_id", {"assignee_team_id": "01TEAM"}),
        # A deepObject filter is never an equality.
        ("created_at", {"created_at[gte]": "2025-01-01"}),
    ],
)
async def test_a_parameter_the_fake_cannot_apply_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, name: str, params: dict[str, str]
) -> None:
    forget(monkeypatch, "Follow-ups V3#List", name)
    fake = FakeIncidentIO(seed=4)
    async with fake.http_client() as http:
        response = await http.get("/v3/follow_ups", params=params)
        empty = await http.get("/v3/follow_ups", params={name: ""})
    body = assert_error(response, 400, "bad_request", field=name, code="unsupported_by_fake")
    assert f"query parameter {name!r} of Follow-ups V3#List" in body["errors"][0]["message"]
    assert empty.status_code == 200, "an empty value is no filter (allowEmptyValue)"


async def test_the_refusal_reaches_the_caller_as_an_error_naming_the_parameter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forget(monkeypatch, "Follow-ups V3#List", "assignee_team_id")
    fake = FakeIncidentIO(seed=4)
    async with fake.client() as client:
        with pytest.raises(Exception, match="assignee_team_id") as caught:
            await client.follow_ups_v3.list(assignee_team_id="01TEAM").to_list()
    assert getattr(caught.value, "status_code", None) == 400


async def test_hand_written_and_generic_answers_agree_on_a_follow_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Served generically, a follow-up is the same record the hand-written handlers show."""
    fake = FakeIncidentIO(seed=5)
    follow_up_id = next(iter(fake.state.follow_ups))
    async with fake.http_client() as http:
        hand = (await http.get(f"/v3/follow_ups/{follow_up_id}")).json()
    served_generically(monkeypatch)
    generic = FakeIncidentIO(seed=5)
    async with generic.http_client() as http:
        assert (await http.get(f"/v3/follow_ups/{follow_up_id}")).json() == hand


async def test_an_unknown_id_is_a_404_for_generic_operations_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served_generically(monkeypatch)
    fake = FakeIncidentIO(seed=5)
    async with fake.http_client() as http:
        response = await http.get("/v3/follow_ups/01NOSUCHFOLLOWUP")
    assert isinstance(response, httpx.Response)
    assert_error(response, 404, "not_found")


# Body fields a hand-written handler does not know


def test_a_body_field_the_handler_does_not_set_is_kept_on_the_record() -> None:
    """As if ``description`` were new in the spec: the handler never reads it, and the
    follow-up still gets it, in the answer and for every later read."""
    fake = FakeIncidentIO(seed=6)
    handlers = Handlers(fake.state)
    handlers.register_stores()
    create = handlers.by_operation()["Follow-ups V3#Create"]

    def unaware(request: Request) -> Response:
        body = {k: v for k, v in (request.json or {}).items() if k != "description"}
        return create(replace(request, json=body))

    handler = keeping_new_fields(OPERATIONS["Follow-ups V3#Create"], unaware, fake.state)
    request = Request(
        "POST",
        "/v3/follow_ups",
        {},
        {},
        b"",
        json={"incident_id": next(iter(fake.state.incidents)), "title": "T", "description": "Kept"},
        api_key=next(iter(fake.state.api_keys.values())),
    )
    with fake.state.lock:
        answer = handler(request)
    follow_up = json.loads(answer.body)["follow_up"]
    assert follow_up["description"] == "Kept"
    assert fake.state.follow_ups[follow_up["id"]].description == "Kept"
    assert_matches("FollowUpV3", follow_up)
    without = unaware(replace(request, json={**(request.json or {}), "title": "U"}))
    assert "description" not in json.loads(without.body)["follow_up"], "the control"
