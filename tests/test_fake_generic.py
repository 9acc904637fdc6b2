"""The generic handlers and record synthesis, on a small made-up spec of every shape.

``test_fake_every_operation`` runs the generic handlers on the real operations; here a
synthetic resource (``/v9/things``, with nested ``parts``) checks each shape and rule on its
own: lists with pages and filters, create, show, update, delete, actions, nested collections,
answers that must be built from the schema, and completion of required fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from incidentio_async._operation import Operation, Pagination, Param
from incidentio_async.clock import VirtualClock
from incidentio_async.testing.errors import ApiError
from incidentio_async.testing.generic import GenericOperations, shape_of
from incidentio_async.testing.messages import Request
from incidentio_async.testing.openapi import OpenApi
from incidentio_async.testing.state import FakeState
from incidentio_async.testing.synthesis import build, complete, fits

NOW = 1_800_000_000.0
THING = "#/components/schemas/Thing"


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: str, status: str = "200") -> dict[str, Any]:
    return {status: {"content": {"application/json": {"schema": ref(schema)}}}}


def query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"in": "query", "name": name, "schema": schema}


PATH_ID = {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
TIMESTAMP = {"type": "string", "format": "date-time"}

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/v9/things": {
            "get": {
                "operationId": "Things#List",
                "parameters": [
                    query("after", {"type": "string"}),
                    query("page_size", {"type": "integer", "default": 2}),
                    query("colour", {"type": "string", "enum": ["red", "blue"]}),
                    query("size", {"type": "integer"}),
                    query("search", {"type": "string"}),
                ],
                "responses": ok("ThingsListResult"),
            },
            "post": {
                "operationId": "Things#Create",
                "requestBody": {"content": {"application/json": {"schema": ref("ThingPayload")}}},
                "responses": ok("ThingResult", "201"),
            },
        },
        "/v9/things/{id}": {
            "get": {
                "operationId": "Things#Show",
                "parameters": [PATH_ID],
                "responses": ok("ThingResult"),
            },
            "put": {
                "operationId": "Things#Update",
                "parameters": [PATH_ID],
                "requestBody": {"content": {"application/json": {"schema": ref("ThingPayload")}}},
                "responses": ok("ThingResult"),
            },
            "delete": {
                "operationId": "Things#Delete",
                "parameters": [PATH_ID],
                "responses": {"204": {}},
            },
        },
        "/v9/things/{id}/actions/paint": {
            "post": {
                "operationId": "Things#Paint",
                "parameters": [PATH_ID],
                "requestBody": {"content": {"application/json": {"schema": ref("ThingPayload")}}},
                "responses": ok("ThingResult"),
            }
        },
        "/v9/things/{id}/actions/audit": {
            "post": {
                "operationId": "Things#Audit",
                "parameters": [PATH_ID],
                "responses": ok("AuditResult"),
            }
        },
        "/v9/things/actions/summarise": {
            "get": {"operationId": "Things#Summarise", "responses": ok("Summary")}
        },
        "/v9/things/{id}/parts": {
            "get": {
                "operationId": "Things#ListParts",
                "parameters": [PATH_ID],
                "responses": ok("PartsResult"),
            },
            "post": {
                "operationId": "Things#CreatePart",
                "parameters": [PATH_ID],
                "requestBody": {"content": {"application/json": {"schema": ref("Part")}}},
                "responses": ok("PartResult", "201"),
            },
        },
    },
    "components": {
        "schemas": {
            "Thing": {
                "type": "object",
                "required": ["id", "name", "created_at", "updated_at"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "colour": {"type": "string", "enum": ["red", "blue"]},
                    "size": {"type": "integer", "minimum": 1},
                    "grid": {
                        "type": "array",
                        "items": {"type": "array", "items": {"type": "integer"}},
                    },
                    "created_at": TIMESTAMP,
                    "updated_at": TIMESTAMP,
                },
                "example": {
                    "id": "01EXAMPLE",
                    "name": "Widget",
                    "colour": "red",
                    "size": 3,
                    "grid": [[1, 2], [3]],
                    "created_at": "2021-08-17T13:28:57.801578Z",
                    "updated_at": "2021-08-17T13:28:57.801578Z",
                },
            },
            "ThingPayload": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "colour": {"type": "string", "enum": ["red", "blue"]},
                    "size": {"type": "integer"},
                    "reason": {"type": "string"},
                },
            },
            "ThingResult": {
                "type": "object",
                "required": ["thing"],
                "properties": {"thing": ref("Thing")},
            },
            "ThingsListResult": {
                "type": "object",
                "required": ["things", "pagination_meta"],
                "properties": {
                    "things": {"type": "array", "items": ref("Thing")},
                    "pagination_meta": ref("Meta"),
                },
            },
            "Meta": {
                "type": "object",
                "required": ["page_size", "total_record_count"],
                "properties": {
                    "after": {"type": "string"},
                    "page_size": {"type": "integer"},
                    "total_record_count": {"type": "integer", "minimum": 0},
                },
            },
            "Report": {
                "type": "object",
                "required": ["passed", "notes"],
                "properties": {
                    "passed": {"type": "boolean"},
                    "notes": {"type": "array", "items": {"type": "string"}},
                },
            },
            "AuditResult": {
                "type": "object",
                "required": ["report"],
                "properties": {"report": ref("Report")},
            },
            "Summary": {
                "type": "object",
                "required": ["count", "largest"],
                "properties": {
                    "count": {"type": "integer"},
                    "largest": {"type": "string", "nullable": True},
                },
            },
            "Part": {
                "type": "object",
                "required": ["id", "label"],
                "properties": {
                    "id": {"type": "string"},
                    "label": {"type": "string", "example": "Bolt"},
                },
            },
            "PartResult": {
                "type": "object",
                "required": ["part"],
                "properties": {"part": ref("Part")},
            },
            "PartsResult": {
                "type": "object",
                "required": ["parts"],
                "properties": {"parts": {"type": "array", "items": ref("Part")}},
            },
        }
    },
}

SPEC = OpenApi(DOCUMENT)


def p(name: str, location: str, kind: str, **fields: Any) -> Param:
    return Param(name, location, kind, **fields)  # type: ignore[arg-type]


ID = p("id", "path", "string", required=True)
BODY = (p("name", "body", "string"), p("colour", "body", "enum"), p("size", "body", "integer"))
OPERATIONS = {
    "list": Operation(
        "Things#List",
        "GET",
        "/v9/things",
        (
            p("after", "query", "string"),
            p("page_size", "query", "integer"),
            p("colour", "query", "enum"),
            p("size", "query", "integer"),
            p("search", "query", "string"),
        ),
        parse=lambda data: data,
        resource="things",
        name="list",
        pagination=Pagination(cursor="after", items="things", page_size="page_size"),
    ),
    "create": Operation(
        "Things#Create", "POST", "/v9/things", BODY, lambda d: d, "things", "create"
    ),
    "show": Operation("Things#Show", "GET", "/v9/things/{id}", (ID,), lambda d: d, "things", "get"),
    "update": Operation(
        "Things#Update", "PUT", "/v9/things/{id}", (ID, *BODY), lambda d: d, "things", "update"
    ),
    "delete": Operation(
        "Things#Delete", "DELETE", "/v9/things/{id}", (ID,), lambda d: d, "things", "delete"
    ),
    "paint": Operation(
        "Things#Paint",
        "POST",
        "/v9/things/{id}/actions/paint",
        (ID, *BODY),
        lambda d: d,
        "things",
        "paint",
    ),
    "audit": Operation(
        "Things#Audit",
        "POST",
        "/v9/things/{id}/actions/audit",
        (ID,),
        lambda d: d,
        "things",
        "audit",
    ),
    "summarise": Operation(
        "Things#Summarise",
        "GET",
        "/v9/things/actions/summarise",
        (),
        lambda d: d,
        "things",
        "summarise",
    ),
    "parts": Operation(
        "Things#ListParts",
        "GET",
        "/v9/things/{id}/parts",
        (ID,),
        lambda d: d,
        "things",
        "list_parts",
    ),
    "add_part": Operation(
        "Things#CreatePart",
        "POST",
        "/v9/things/{id}/parts",
        (ID, p("label", "body", "string")),
        lambda d: d,
        "things",
        "create_part",
    ),
}


class Fake:
    """The generic handlers of the made-up spec over one state."""

    def __init__(self, *, samples: int = 3, seed: int = 0) -> None:
        self.clock = VirtualClock(wall_start=NOW)
        self.state = FakeState(seed=seed, clock=self.clock)
        self.state.collections.sample_records = samples
        self.generic = GenericOperations(self.state, SPEC)

    def call(
        self,
        name: str,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> tuple[int, Any]:
        operation = OPERATIONS[name]
        request = Request(
            method=operation.method,
            path=operation.path,
            query=dict(query or {}),
            headers={},
            body=b"",
            path_params=dict(path_params or {}),
            json=body,
        )
        response = self.generic.handler(operation)(request)
        return response.status, json.loads(response.body) if response.body else None

    def things(self, **query: str) -> list[dict[str, Any]]:
        status, body = self.call("list", query={"page_size": "250", **query})
        assert status == 200
        return list(body["things"])


@pytest.mark.parametrize(
    ("path", "method", "kind", "collection", "record_param"),
    [
        ("/v9/things", "GET", "list", "/v9/things", None),
        ("/v9/things", "POST", "create", "/v9/things", None),
        ("/v9/things/{id}", "GET", "show", "/v9/things", "id"),
        ("/v9/things/{id}", "PATCH", "update", "/v9/things", "id"),
        ("/v9/things/{id}", "DELETE", "delete", "/v9/things", "id"),
        ("/v9/things/{id}/actions/paint", "POST", "record_action", "/v9/things", "id"),
        ("/v9/things/actions/summarise", "GET", "collection_action", "/v9/things", None),
        ("/v9/things/{id}/parts/{part_id}", "GET", "show", "/v9/things/{id}/parts", "part_id"),
    ],
)
def test_the_shape_of_an_operation_comes_from_its_method_and_path(
    path: str, method: str, kind: str, collection: str, record_param: str | None
) -> None:
    operation = Operation("X#Y", method, path, (), lambda d: d, "x", "y")
    shape = shape_of(operation)
    assert (shape.kind, shape.collection, shape.record_param) == (kind, collection, record_param)


def test_a_list_starts_with_sample_records_built_from_the_example() -> None:
    things = Fake().things()
    assert len(things) == 3
    assert [t["id"] for t in things] == sorted({t["id"] for t in things})
    for thing in things:
        assert thing["name"] == "Widget" and thing["grid"] == [[1, 2], [3]]
        assert fits(SPEC, thing, SPEC.schema("Thing"))
    assert Fake(samples=0).things() == []


def test_sample_records_depend_on_the_seed_not_on_the_order_of_use() -> None:
    first = Fake(seed=7)
    first.call("parts", {"id": "01A"})
    second = Fake(seed=7)
    assert first.things() == second.things()
    assert Fake(seed=8).things() != second.things()


def test_a_list_pages_with_its_cursor_and_completes_pagination_meta() -> None:
    fake = Fake(samples=5)
    status, first = fake.call("list")
    assert status == 200
    assert len(first["things"]) == 2  # the spec's default page size
    assert first["pagination_meta"] == {
        "page_size": 2,
        "after": first["things"][-1]["id"],
        "total_record_count": 0,
    }
    seen = [t["id"] for t in first["things"]]
    after = first["pagination_meta"]["after"]
    while after:
        _, page = fake.call("list", query={"after": after})
        seen += [t["id"] for t in page["things"]]
        after = page["pagination_meta"].get("after")
    assert seen == [t["id"] for t in fake.things()] and len(seen) == 5
    with pytest.raises(ApiError) as caught:
        fake.call("list", query={"after": "01NOTATHING"})
    assert (caught.value.status, caught.value.errors[0].field) == (422, "after")


def test_query_parameters_naming_a_field_filter_by_equality_and_others_are_refused() -> None:
    fake = Fake()
    ids = [t["id"] for t in fake.things()]
    fake.call("paint", {"id": ids[1]}, body={"colour": "blue", "size": 9})
    assert [t["id"] for t in fake.things(colour="blue")] == [ids[1]]
    assert [t["id"] for t in fake.things(size="9")] == [ids[1]]
    assert [t["id"] for t in fake.things(colour="red", size="3")] == [ids[0], ids[2]]
    assert len(fake.things(colour="")) == 3  # empty is absent
    with pytest.raises(ApiError) as caught:
        fake.things(search="widget")
    assert caught.value.status == 400
    assert [e.field for e in caught.value.errors] == ["search"]


def test_create_builds_the_record_and_sets_the_fields_it_has() -> None:
    fake = Fake(samples=0)
    status, body = fake.call("create", body={"name": "Gear", "colour": "blue", "reason": "x"})
    assert status == 201
    thing = body["thing"]
    assert thing["name"] == "Gear" and thing["colour"] == "blue" and "reason" not in thing
    assert thing["size"] == 3, "the rest comes from the example"
    assert thing["created_at"] == thing["updated_at"] == "2027-01-15T08:00:00.000000Z"
    assert thing["id"] != "01EXAMPLE" and fake.things() == [thing]


def test_update_sets_or_removes_fields_and_moves_updated_at_on() -> None:
    fake = Fake(samples=1)
    (thing,) = fake.things()
    fake.clock.advance(60)
    _, body = fake.call("update", {"id": thing["id"]}, body={"name": "Renamed", "colour": None})
    updated = body["thing"]
    assert updated["name"] == "Renamed" and "colour" not in updated
    assert updated["created_at"] == thing["created_at"]
    assert updated["updated_at"] == "2027-01-15T08:01:00.000000Z"
    _, shown = fake.call("show", {"id": thing["id"]})
    assert shown["thing"] == updated


def test_a_value_the_field_does_not_allow_is_not_stored() -> None:
    fake = Fake(samples=1)
    (thing,) = fake.things()
    _, body = fake.call("update", {"id": thing["id"]}, body={"size": "big", "colour": "green"})
    assert (body["thing"]["size"], body["thing"]["colour"]) == (3, "red")


def test_delete_forgets_the_record() -> None:
    fake = Fake(samples=2)
    first, second = fake.things()
    assert fake.call("delete", {"id": first["id"]}) == (204, None)
    assert fake.things() == [second]
    for name in ("show", "delete", "paint"):
        with pytest.raises(ApiError) as caught:
            fake.call(name, {"id": first["id"]}, body={})
        assert caught.value.status == 404


def test_an_answer_of_another_schema_is_built_from_that_schema() -> None:
    fake = Fake(samples=1)
    (thing,) = fake.things()
    status, body = fake.call("audit", {"id": thing["id"]})
    assert (status, body) == (200, {"report": {"passed": False, "notes": []}})
    assert fake.call("summarise") == (200, {"count": 1, "largest": "Largest"})
    with pytest.raises(ApiError):
        fake.call("audit", {"id": "01NOTATHING"})


def test_a_nested_collection_belongs_to_its_parent() -> None:
    fake = Fake(samples=2)
    first, second = (t["id"] for t in fake.things())
    status, made = fake.call("add_part", {"id": first}, body={"label": "Nut", "id": "01MINE"})
    assert status == 201 and made["part"]["label"] == "Nut" and made["part"]["id"] != "01MINE"
    _, parts = fake.call("parts", {"id": first})
    assert [part["label"] for part in parts["parts"]] == ["Bolt", "Bolt", "Nut"]
    _, other = fake.call("parts", {"id": second})
    assert made["part"] not in other["parts"]
    with pytest.raises(ApiError) as caught:
        fake.call("parts", {"id": "01NOTATHING"})
    assert caught.value.status == 404


class Partial:
    """A store whose records lack a field the schema requires (a newer spec's)."""

    record_name: str | None = "Thing"

    def __init__(self) -> None:
        self.record = {"id": "01OLD", "created_at": "2021-08-17T13:28:57Z", "updated_at": "x"}

    def get(self, record_id: str) -> dict[str, Any] | None:
        return dict(self.record) if record_id == "01OLD" else None

    def records(self) -> list[dict[str, Any]]:
        return [dict(self.record)]

    def add(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def change(self, record_id: str, fields: Mapping[str, Any]) -> dict[str, Any] | None:
        return self.get(record_id)

    def remove(self, record_id: str) -> bool:
        return False


def test_records_of_a_registered_store_are_completed_with_required_fields() -> None:
    fake = Fake()
    fake.state.collections.register("/v9/things", Partial())
    _, shown = fake.call("show", {"id": "01OLD"})
    assert shown["thing"]["name"] == "Name"
    assert fits(SPEC, shown["thing"], SPEC.schema("Thing"))
    (listed,) = fake.things()
    assert listed == shown["thing"]


# Synthesis


@pytest.mark.parametrize(
    ("value", "schema", "expected"),
    [
        (True, {"type": "integer"}, False),
        (3, {"type": "number"}, True),
        (None, {"type": "string"}, False),
        (None, {"type": "string", "nullable": True}, True),
        ("green", {"type": "string", "enum": ["red"]}, False),
        (0, {"type": "integer", "minimum": 1}, False),
        ({}, ref("Part"), False),
        ({"id": "1", "label": "x", "extra": 1}, ref("Part"), True),
        (
            [[1], [2, "3"]],
            {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
            False,
        ),
    ],
)
def test_fits_checks_types_enums_bounds_and_required_fields(
    value: Any, schema: dict[str, Any], expected: bool
) -> None:
    assert fits(SPEC, value, schema) is expected


def test_build_uses_a_fitting_example_and_otherwise_the_schema() -> None:
    assert build(SPEC, ref("Part")) == {"id": "01JGKJ8Q00SAMPLE0000000000", "label": "Bolt"}
    bad_example = {"type": "integer", "minimum": 5, "maximum": 7, "example": 2}
    assert build(SPEC, bad_example) == 5
    assert build(SPEC, {"type": "array", "minItems": 2, "items": {"type": "boolean"}}) == [
        False,
        False,
    ]
    assert build(SPEC, {"type": "string", "format": "date-time"}) == "2025-01-01T09:00:00.000000Z"
    assert build(SPEC, {"type": "string", "enum": ["b", "a"]}) == "b"


def test_complete_fills_required_fields_at_any_depth() -> None:
    value = {"things": [{"id": "1"}], "pagination_meta": {"page_size": 1}}
    complete(SPEC, value, ref("ThingsListResult"))
    assert fits(SPEC, value, ref("ThingsListResult"))
    assert value["things"][0]["name"] == "Name"
    assert value["pagination_meta"]["total_record_count"] == 0


def test_a_recursive_schema_is_built_to_a_bounded_depth() -> None:
    document = {
        "components": {
            "schemas": {
                "Node": {
                    "type": "object",
                    "required": ["child"],
                    "properties": {"child": {"$ref": "#/components/schemas/Node"}},
                }
            }
        }
    }
    value = build(OpenApi(document), {"$ref": "#/components/schemas/Node"})
    depth = 0
    while value:
        value, depth = value.get("child"), depth + 1
    assert 5 < depth < 40
