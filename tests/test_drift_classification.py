"""Breaking or additive: the drift report's verdict on each kind of change, table-tested.

Each row changes one thing in a small made-up document (a widgets API with a list, a create
and a show) and says what the report must call it. ``make check-upstream`` exits 1 only when
a change is breaking, so a wrong row here is a weekly job that cries wolf or stays quiet.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spec_data import ROOT

sys.path.insert(0, str(ROOT / "scripts"))  # scripts/ is not a package

import refresh_specs
from spec_refresh.classify import Classifier, schema_sides
from spec_refresh.drift import Report, diff_documents

RANK = {"documentation": 0, "other": 1, "additive": 2, "breaking": 3}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def ok(schema: str) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": ref(schema)}}}


def base() -> dict[str, Any]:
    """A widgets API: list (paginated, filtered), create and show."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Widgets", "version": "1.0.0"},
        "paths": {
            "/v1/widgets": {
                "get": {
                    "operationId": "Widgets#List",
                    "description": "List widgets.",
                    "parameters": [
                        {
                            "in": "query",
                            "name": "page_size",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 250},
                        },
                        {
                            "in": "query",
                            "name": "colour",
                            "schema": {"type": "string", "enum": ["red", "blue"]},
                        },
                    ],
                    "responses": {"200": ok("WidgetsListResult")},
                    "x-rbac-scopes": ["widgets.read"],
                },
                "post": {
                    "operationId": "Widgets#Create",
                    "requestBody": {
                        "content": {"application/json": {"schema": ref("WidgetCreatePayload")}}
                    },
                    "responses": {"201": ok("WidgetResult")},
                },
            },
            "/v1/widgets/{id}": {
                "get": {
                    "operationId": "Widgets#Show",
                    "parameters": [
                        {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {"200": ok("WidgetResult"), "404": ok("Error")},
                }
            },
        },
        "components": {
            "schemas": {
                "Widget": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "size": {"type": "integer"},
                        "colour": {"type": "string", "enum": ["red", "blue"]},
                        "owner": ref("Owner"),
                    },
                },
                "Owner": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "string"}, "email": {"type": "string"}},
                },
                "Tag": {
                    "type": "object",
                    "required": ["label"],
                    "properties": {"label": {"type": "string"}},
                },
                "WidgetCreatePayload": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 100},
                        "size": {"type": "integer"},
                        "colour": {"type": "string", "enum": ["red", "blue"]},
                        "tags": {"type": "array", "items": ref("Tag")},
                    },
                },
                "WidgetResult": {
                    "type": "object",
                    "required": ["widget"],
                    "properties": {
                        "widget": ref("Widget"),
                        "tags": {"type": "array", "items": ref("Tag")},
                    },
                },
                "WidgetsListResult": {
                    "type": "object",
                    "required": ["widgets"],
                    "properties": {"widgets": {"type": "array", "items": ref("Widget")}},
                },
                "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            }
        },
    }


Mutation = Callable[[dict[str, Any]], None]


def schemas(document: dict[str, Any]) -> dict[str, Any]:
    return document["components"]["schemas"]  # type: ignore[no-any-return]


def listing(document: dict[str, Any]) -> dict[str, Any]:
    return document["paths"]["/v1/widgets"]["get"]  # type: ignore[no-any-return]


def widget(document: dict[str, Any]) -> dict[str, Any]:
    return schemas(document)["Widget"]  # type: ignore[no-any-return]


def payload(document: dict[str, Any]) -> dict[str, Any]:
    return schemas(document)["WidgetCreatePayload"]  # type: ignore[no-any-return]


def add_query(required: bool) -> Mutation:
    def mutate(d: dict[str, Any]) -> None:
        parameter = {"in": "query", "name": "owner_id", "schema": {"type": "string"}}
        listing(d)["parameters"].append({**parameter, "required": required})

    return mutate


def delete_show(d: dict[str, Any]) -> None:
    del d["paths"]["/v1/widgets/{id}"]


def add_delete(d: dict[str, Any]) -> None:
    d["paths"]["/v1/widgets/{id}"]["delete"] = {
        "operationId": "Widgets#Delete",
        "responses": {"204": {"description": "Deleted"}},
    }


#: label: (change, the kind the report must list, the verdict on the whole change)
TABLE: dict[str, tuple[Mutation, str, str]] = {
    # Additive: what incident.io promises to do without notice.
    "new operation": (add_delete, "operation_added", "additive"),
    "new optional query parameter": (add_query(False), "parameter_added", "additive"),
    "new optional response field": (
        lambda d: widget(d)["properties"].update(weight={"type": "number"}),
        "field_added",
        "additive",
    ),
    "new response field, always present": (
        lambda d: (
            widget(d)["properties"].update(weight={"type": "number"}),
            widget(d)["required"].append("weight"),
        ),
        "required_added",
        "additive",
    ),
    "new optional request field": (
        lambda d: payload(d)["properties"].update(owner_id={"type": "string"}),
        "field_added",
        "additive",
    ),
    "new enum value in a response": (
        lambda d: widget(d)["properties"]["colour"]["enum"].append("green"),
        "enum_value_added",
        "additive",
    ),
    "new enum value in a request": (
        lambda d: payload(d)["properties"]["colour"]["enum"].append("green"),
        "enum_value_added",
        "additive",
    ),
    "new schema": (
        lambda d: schemas(d).update(Gadget={"type": "object", "properties": {}}),
        "schema_added",
        "additive",
    ),
    "new error response": (
        lambda d: d["paths"]["/v1/widgets"]["post"]["responses"].update({"422": ok("Error")}),
        "response_added",
        "additive",
    ),
    "request field made optional": (
        lambda d: payload(d).pop("required"),
        "required_removed",
        "additive",
    ),
    "request field made nullable": (
        lambda d: payload(d)["properties"]["size"].update(nullable=True),
        "changed",
        "additive",
    ),
    "request bound loosened": (
        lambda d: payload(d)["properties"]["name"].update(maxLength=200),
        "changed",
        "additive",
    ),
    "query bound loosened": (
        lambda d: listing(d)["parameters"][0]["schema"].update(maximum=500),
        "parameter_changed",
        "additive",
    ),
    # Breaking: what existing callers rely on.
    "operation removed": (delete_show, "operation_removed", "breaking"),
    "response field removed": (
        lambda d: widget(d)["properties"].pop("size"),
        "field_removed",
        "breaking",
    ),
    "request field removed": (
        lambda d: payload(d)["properties"].pop("size"),
        "field_removed",
        "breaking",
    ),
    "type changed": (
        lambda d: widget(d)["properties"]["size"].update(type="string"),
        "changed",
        "breaking",
    ),
    "reference changed": (
        lambda d: widget(d)["properties"].update(owner=ref("Tag")),
        "changed",
        "breaking",
    ),
    "new required request field": (
        lambda d: (
            payload(d)["properties"].update(owner_id={"type": "string"}),
            payload(d)["required"].append("owner_id"),
        ),
        "required_added",
        "breaking",
    ),
    "new required query parameter": (add_query(True), "parameter_added", "breaking"),
    "query parameter made required": (
        lambda d: listing(d)["parameters"][1].update(required=True),
        "parameter_changed",
        "breaking",
    ),
    "query parameter removed": (
        lambda d: listing(d)["parameters"].pop(1),
        "parameter_removed",
        "breaking",
    ),
    "enum value removed from a response": (
        lambda d: widget(d)["properties"]["colour"]["enum"].remove("blue"),
        "enum_value_removed",
        "breaking",
    ),
    "enum value removed from a query parameter": (
        lambda d: listing(d)["parameters"][1]["schema"]["enum"].remove("blue"),
        "enum_value_removed",
        "breaking",
    ),
    "deprecation announced": (
        lambda d: listing(d).update(deprecated=True),
        "deprecated_added",
        "breaking",
    ),
    "response field may now be absent": (
        lambda d: widget(d)["required"].remove("name"),
        "required_removed",
        "breaking",
    ),
    "response field may now be null": (
        lambda d: widget(d)["properties"]["name"].update(nullable=True),
        "changed",
        "breaking",
    ),
    "request bound tightened": (
        lambda d: payload(d)["properties"]["name"].update(maxLength=50),
        "changed",
        "breaking",
    ),
    "query bound tightened": (
        lambda d: listing(d)["parameters"][0]["schema"].update(maximum=100),
        "parameter_changed",
        "breaking",
    ),
    "success response removed": (
        lambda d: (
            d["paths"]["/v1/widgets"]["post"]["responses"].update({"200": ok("WidgetResult")})
            or d["paths"]["/v1/widgets"]["post"]["responses"].pop("201")
        ),
        "response_removed",
        "breaking",
    ),
    "a field of a schema on both sides made required": (
        lambda d: (
            schemas(d)["Tag"]["properties"].update(colour={"type": "string"})
            or schemas(d)["Tag"]["required"].append("colour")
        ),
        "required_added",
        "breaking",
    ),
    # Other: no call changes.
    "extension changed": (
        lambda d: listing(d).update({"x-rbac-scopes": ["widgets.list"]}),
        "changed",
        "other",
    ),
    "default changed": (
        lambda d: listing(d)["parameters"][0]["schema"].update(default=25),
        "parameter_changed",
        "other",
    ),
    "document version": (
        lambda d: d["info"].update(version="1.1.0"),
        "changed",
        "other",
    ),
    "error response removed": (
        lambda d: d["paths"]["/v1/widgets/{id}"]["get"]["responses"].pop("404"),
        "response_removed",
        "other",
    ),
    # Documentation: counted, never failing.
    "description reworded": (
        lambda d: listing(d).update(description="List every widget."),
        "documentation_changed",
        "documentation",
    ),
}


@pytest.mark.parametrize("label", TABLE)
def test_each_change_gets_its_verdict(label: str) -> None:
    mutate, kind, verdict = TABLE[label]
    old = base()
    new = copy.deepcopy(old)
    mutate(new)
    changes = diff_documents("widgets.yaml", old, new)
    assert kind in {change.kind for change in changes}, changes
    worst = max(changes, key=lambda change: RANK[change.severity])
    assert worst.severity == verdict, changes
    assert all(change.reason for change in changes)
    report = Report("upstream.json", "openapi", {"widgets.yaml": "changed"}, changes)
    assert report.breaking is (verdict == "breaking")


def test_schemas_are_placed_on_the_side_they_travel() -> None:
    sides = schema_sides(base())
    assert sides["WidgetCreatePayload"] == {"request"}
    assert sides["Widget"] == sides["Owner"] == {"response"}
    assert sides["Tag"] == {"request", "response"}
    classifier = Classifier(base(), base())
    assert classifier.side("schema Widget.owner") == {"response"}
    assert classifier.side("GET /v1/widgets parameter query colour") == {"request"}
    assert classifier.side("schema Unknown") == {"request", "response"}


def save(document: dict[str, Any], path: Path) -> str:
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_check_exits_1_only_on_breaking_drift_unless_asked_for_any(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "vendor" / "config.yaml"
    config.parent.mkdir()
    config.write_text(
        "tags: {Widgets: widgets.yaml}\n"
        "servers: [{url: 'https://api.example'}]\n"
        "security: [{BearerAuth: []}]\n"
        "drop_extensions: []\n"
        "patches: patches.yaml\n",
        encoding="utf-8",
    )
    (config.parent / "patches.yaml").write_text("patches: []\n", encoding="utf-8")
    old = base()
    old["components"]["securitySchemes"] = {"BearerAuth": {"type": "http", "scheme": "bearer"}}
    for operation in (op for item in old["paths"].values() for op in item.values()):
        operation["tags"] = ["Widgets"]
    spec_dir = tmp_path / "openapi"
    common = ["--spec-dir", str(spec_dir), "--config", str(config)]
    assert refresh_specs.main([save(old, tmp_path / "old.json"), *common]) == 0

    additive = copy.deepcopy(old)
    add_delete(additive)
    additive["paths"]["/v1/widgets/{id}"]["delete"]["tags"] = ["Widgets"]
    source = save(additive, tmp_path / "additive.json")
    capsys.readouterr()
    assert refresh_specs.main([source, "--check", *common]) == 0
    assert "Verdict: additive only." in capsys.readouterr().out
    assert refresh_specs.main([source, "--check", "--fail-on", "any", *common]) == 1

    breaking = copy.deepcopy(old)
    widget(breaking)["properties"].pop("size")
    source = save(breaking, tmp_path / "breaking.json")
    capsys.readouterr()
    assert refresh_specs.main([source, "--check", *common]) == 1
    out = capsys.readouterr().out
    assert "Verdict: BREAKING." in out
    assert "  - field         schema Widget.size  [field removed]" in out.splitlines()
