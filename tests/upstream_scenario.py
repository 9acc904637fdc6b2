"""A newer published document, built from the vendored specs the way incident.io evolves them.

:func:`newer_document` is what the round-trip test feeds to the real refresh tool: the vendored
specs merged back into one document, plus the additions the compatibility promise allows and
that the API has made before:

* two fields on ``FollowUpV3``: ``due_at`` (a timestamp, which a create can now set) and
  ``effort`` (a new component whose fields are all optional);
* a new enum value, ``in_progress``, for a V3 follow-up's status (in responses and updates);
* a new query parameter on ``GET /v3/follow_ups``: ``status``;
* a new action, ``POST /v3/follow_ups/{id}/actions/reschedule``;
* a new paginated list, ``GET /v3/follow_up_categories``.

:func:`breaking_document` removes and narrows things instead, for the other half of the check.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from spec_data import ROOT, merged_spec

TAG = "Follow-ups V3"
NEW_STATUS = "in_progress"
DUE_AT_EXAMPLE = "2021-08-24T09:00:00.000000Z"

SCHEMA = "#/components/schemas/"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": SCHEMA + name}


def _errors(document: dict[str, Any]) -> dict[str, Any]:
    """The error responses an existing V3 action declares (every operation has them)."""
    existing = document["paths"]["/v3/follow_ups/{id}/actions/connect_external_issue"]["post"]
    return {code: r for code, r in existing["responses"].items() if not code.startswith("2")}


def _json(schema: str, description: str = "OK response.") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def published() -> dict[str, Any]:
    """The vendored specs as one document, as incident.io publishes it: without the
    deviations of our patch list (``openapi/vendor/patches.yaml``)."""
    document = copy.deepcopy(merged_spec())
    patches = yaml.safe_load((ROOT / "openapi" / "vendor" / "patches.yaml").read_text())
    for patch in patches["patches"]:
        node: Any = document
        for part in patch["target"].split("#", 1)[1].strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        for key in patch["set"]:
            node.pop(key, None)
    return document


def newer_document() -> dict[str, Any]:
    """The published document with the additions listed above."""
    document = published()
    schemas = document["components"]["schemas"]
    errors = _errors(document)

    follow_up = schemas["FollowUpV3"]
    follow_up["properties"]["due_at"] = {
        "description": "When the follow-up is due",
        "example": DUE_AT_EXAMPLE,
        "format": "date-time",
        "type": "string",
    }
    follow_up["properties"]["effort"] = _ref("FollowUpEffortV3")
    follow_up["example"]["due_at"] = DUE_AT_EXAMPLE
    schemas["FollowUpEffortV3"] = {
        "description": "How much work the follow-up is expected to take",
        "example": {"confidence": "medium", "estimate_minutes": 90},
        "properties": {
            "confidence": {
                "description": "How sure the assignee is of the estimate",
                "enum": ["low", "medium", "high"],
                "example": "medium",
                "type": "string",
            },
            "estimate_minutes": {
                "description": "Estimated minutes of work",
                "example": 90,
                "format": "int64",
                "type": "integer",
            },
        },
        "type": "object",
    }
    schemas["FollowUpsCreatePayloadV3"]["properties"]["due_at"] = {
        "description": "When the follow-up is due",
        "example": DUE_AT_EXAMPLE,
        "format": "date-time",
        "type": "string",
    }
    follow_up["properties"]["status"]["enum"].append(NEW_STATUS)
    schemas["FollowUpsUpdatePayloadV3"]["properties"]["status"]["enum"].append(NEW_STATUS)

    listing = document["paths"]["/v3/follow_ups"]["get"]
    listing["parameters"].append(
        {
            "allowEmptyValue": True,
            "description": "Filter to follow-ups with this status",
            "example": "outstanding",
            "in": "query",
            "name": "status",
            "schema": {
                "description": "Filter to follow-ups with this status",
                "enum": list(follow_up["properties"]["status"]["enum"]),
                "example": "outstanding",
                "type": "string",
            },
        }
    )

    schemas["FollowUpsReschedulePayloadV3"] = {
        "example": {"due_at": DUE_AT_EXAMPLE, "reason": "Waiting on the vendor"},
        "properties": {
            "due_at": {
                "description": "When the follow-up is now due",
                "example": DUE_AT_EXAMPLE,
                "format": "date-time",
                "type": "string",
            },
            "reason": {
                "description": "Why the date moved",
                "example": "Waiting on the vendor",
                "type": "string",
            },
        },
        "required": ["due_at"],
        "type": "object",
    }
    schemas["FollowUpsRescheduleResultV3"] = {
        "properties": {"follow_up": _ref("FollowUpV3")},
        "required": ["follow_up"],
        "type": "object",
    }
    id_parameter = copy.deepcopy(
        document["paths"]["/v3/follow_ups/{id}/actions/connect_external_issue"]["post"][
            "parameters"
        ][0]
    )
    document["paths"]["/v3/follow_ups/{id}/actions/reschedule"] = {
        "post": {
            "description": "Move a follow-up's due date.",
            "operationId": f"{TAG}#Reschedule",
            "parameters": [id_parameter],
            "requestBody": {
                "content": {"application/json": {"schema": _ref("FollowUpsReschedulePayloadV3")}},
                "required": True,
            },
            "responses": {"200": _json("FollowUpsRescheduleResultV3"), **errors},
            "summary": f"Reschedule {TAG}",
            "tags": [TAG],
            "x-rbac-scopes": ["follow_ups.edit"],
        }
    }

    page_size = copy.deepcopy(listing["parameters"][0])
    after = copy.deepcopy(listing["parameters"][1])
    after["description"] = after["schema"]["description"] = "A category's ID."
    schemas["FollowUpsListCategoriesResultV3"] = {
        "properties": {
            "follow_up_categories": {"items": _ref("FollowUpCategoryV3"), "type": "array"},
            "pagination_meta": _ref("PaginationMetaResultV3"),
        },
        "required": ["follow_up_categories", "pagination_meta"],
        "type": "object",
    }
    document["paths"]["/v3/follow_up_categories"] = {
        "get": {
            "description": "List the categories follow-ups can be given, in rank order.",
            "operationId": f"{TAG}#ListCategories",
            "parameters": [page_size, after],
            "responses": {"200": _json("FollowUpsListCategoriesResultV3"), **errors},
            "summary": f"ListCategories {TAG}",
            "tags": [TAG],
            "x-rbac-scopes": ["follow_ups.read"],
        }
    }
    return document


def breaking_document() -> dict[str, Any]:
    """The vendored specs with changes that break callers: an operation removed, a response
    field removed, an enum value removed, a type changed, a request field made required, a
    new required query parameter and a deprecation."""
    document = published()
    schemas = document["components"]["schemas"]
    del document["paths"]["/v3/follow_ups/actions/create_from_link"]
    del schemas["FollowUpV3"]["properties"]["completed_at"]
    schemas["FollowUpV3"]["properties"]["status"]["enum"].remove("not_doing")
    schemas["FollowUpCategoryV3"]["properties"]["rank"]["type"] = "string"
    schemas["FollowUpsCreatePayloadV3"]["required"].append("description")
    document["paths"]["/v3/follow_ups"]["get"]["parameters"].append(
        {"in": "query", "name": "workspace_id", "required": True, "schema": {"type": "string"}}
    )
    document["paths"]["/v2/incident_updates"]["get"]["deprecated"] = True
    return document
