"""Checks shared by the fake API's tests: bodies against the specs, and error shapes."""

from __future__ import annotations

import copy
import functools
import uuid
from typing import Any

import httpx
import jsonschema

from spec_data import model_class, schemas


def _closed(schema: Any) -> Any:
    """The schema with every object closed to undeclared properties, recursively."""
    if isinstance(schema, dict):
        schema = {key: _closed(value) for key, value in schema.items() if key != "example"}
        if schema.get("type") == "object" and "properties" in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [_closed(item) for item in schema]
    return schema


@functools.cache
def _validator(schema_name: str) -> jsonschema.protocols.Validator:
    root = {"components": {"schemas": _closed(copy.deepcopy(schemas()))}}
    return jsonschema.Draft202012Validator({**root, "$ref": f"#/components/schemas/{schema_name}"})


def assert_matches(schema_name: str, body: Any) -> Any:
    """``body`` follows the spec's schema exactly (no undeclared fields, types, enums,
    required fields) and parses with the generated model; returns the parsed model."""
    _validator(schema_name).validate(body)
    parsed = model_class(schema_name).from_dict(body)
    assert parsed.to_dict() == body
    return parsed


def assert_error(
    response: httpx.Response,
    status: int,
    type: str,
    *,
    field: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """An error response in the documented shape; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["type"] == type
    assert body["status"] == status
    assert uuid.UUID(body["request_id"]).version == 4
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) <= {"code", "message", "source"}
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
        if "source" in error:
            assert set(error["source"]) == {"field"}
    if field is not None:
        fields = [e.get("source", {}).get("field") for e in body["errors"]]
        assert field in fields, body
    if code is not None:
        assert code in [e["code"] for e in body["errors"]], body
    return dict(body)
