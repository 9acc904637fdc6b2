"""The vendored spec as the fake reads it: operations, response envelopes, record schemas.

The generator writes ``incidentio_api/spec.json`` (the merged specs without their prose) beside
the generated package; the fake reads it, once, only when an operation needs it: one served
generically, or a query parameter a hand-written handler does not implement.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

JsonObject = dict[str, Any]

SPEC_FILE = "spec.json"
PAGINATION_META = "pagination_meta"
_REF_PREFIX = "#/components/"


@dataclass(frozen=True)
class Envelope:
    """What a successful response of an operation holds, read from its schema.

    ``kind`` is ``empty`` (no body), ``record`` (``{items: record}``), ``list`` (``{items:
    [records]}``), ``page`` (a list with ``pagination_meta``) or ``other`` (any other object:
    the fake builds it from the schema).
    """

    status: int
    kind: str
    schema: JsonObject | None = None
    """The whole response body's schema (``$ref`` resolved at the top)."""
    items: str | None = None
    """The property holding the record or records."""
    record: JsonObject | None = None
    """The schema of one record (``$ref`` resolved at the top)."""
    record_name: str | None = None
    """The record schema's component name (``FollowUpV3``), when it has one."""
    meta: JsonObject | None = None
    """The schema of ``pagination_meta``."""

    @property
    def holds_records(self) -> bool:
        """Whether the body carries records of one schema (one, a list or a page)."""
        return self.kind in ("record", "list", "page")


class OpenApi:
    """An OpenAPI document with the look-ups the fake needs."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._operations: dict[str, JsonObject] = {}
        for item in document.get("paths", {}).values():
            for operation in item.values():
                if isinstance(operation, dict) and "operationId" in operation:
                    self._operations[operation["operationId"]] = operation
        self._envelopes: dict[str, Envelope] = {}

    def resolve(self, node: Any) -> Any:
        """``node`` with ``$ref`` followed (repeatedly) to what it names."""
        while isinstance(node, Mapping) and "$ref" in node:
            node = self._target(node["$ref"])
        return node

    def component_name(self, node: Any) -> str | None:
        """The name of the component schema ``node`` refers to, if it is a ``$ref``."""
        if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            return str(node["$ref"]).rsplit("/", 1)[-1]
        return None

    def schema(self, name: str) -> JsonObject:
        """Component schema ``name``."""
        return dict(self.document["components"]["schemas"][name])

    def operation(self, operation_id: str) -> JsonObject:
        """The operation object of ``operation_id``.

        Raises:
            KeyError: the document has no such operation.
        """
        return self._operations[operation_id]

    def parameter(self, operation_id: str, name: str) -> JsonObject | None:
        """The query or path parameter ``name`` of an operation, resolved."""
        for raw in self.operation(operation_id).get("parameters", []):
            parameter = self.resolve(raw)
            if parameter.get("name") == name:
                return dict(parameter)
        return None

    def request_schema(self, operation_id: str) -> JsonObject | None:
        """The JSON request body's schema, resolved, or None."""
        body = self.resolve(self.operation(operation_id).get("requestBody"))
        if not body:
            return None
        content = body.get("content", {}).get("application/json")
        return self.resolve(content.get("schema")) if content else None

    def envelope(self, operation_id: str) -> Envelope:
        """What the operation's success response holds (see :class:`Envelope`)."""
        found = self._envelopes.get(operation_id)
        if found is None:
            found = self._envelopes[operation_id] = self._read_envelope(operation_id)
        return found

    def _read_envelope(self, operation_id: str) -> Envelope:
        responses = self.operation(operation_id).get("responses", {})
        successes = sorted(str(code) for code in responses if str(code).startswith("2"))
        if not successes:
            return Envelope(200, "empty")
        status = successes[0]
        content = self.resolve(responses[status]).get("content", {}).get("application/json")
        if not content or "schema" not in content:
            return Envelope(int(status), "empty")
        schema = self.resolve(content["schema"])
        properties = (
            schema.get("properties", {}) if schema.get("type", "object") == "object" else {}
        )
        meta = properties.get(PAGINATION_META)
        others = [name for name in properties if name != PAGINATION_META]
        if len(others) == 1:
            (items,) = others
            held = self.resolve(properties[items])
            if held.get("type") == "array":
                record_ref = held.get("items", {})
                return Envelope(
                    int(status),
                    "page" if meta is not None else "list",
                    schema,
                    items,
                    self.resolve(record_ref),
                    self.component_name(record_ref),
                    self.resolve(meta) if meta is not None else None,
                )
            if meta is None and held.get("type", "object") == "object":
                return Envelope(
                    int(status),
                    "record",
                    schema,
                    items,
                    held,
                    self.component_name(properties[items]),
                )
        return Envelope(int(status), "other", schema)

    def _target(self, reference: str) -> Any:
        if not reference.startswith(_REF_PREFIX):
            raise ValueError(f"only local component references are supported: {reference}")
        section, name = reference[len(_REF_PREFIX) :].split("/", 1)
        return self.document["components"][section][name]


@functools.cache
def packaged() -> OpenApi:
    """The spec the installed ``incidentio_api`` package was generated from (read once)."""
    text = resources.files("incidentio_api").joinpath(SPEC_FILE).read_text(encoding="utf-8")
    return OpenApi(json.loads(text))
