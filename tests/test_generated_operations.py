"""Every vendored operation and parameter exists in the generated package, with its types."""

from __future__ import annotations

import datetime
import importlib
import inspect
import typing
from typing import Any

import pytest

from incidentio_api.models import (
    FollowUpsConnectExternalIssuePayloadV2,
    FollowUpsConnectExternalIssuePayloadV2Provider,
    FollowUpsCreatePayloadV2,
    FollowUpsUpdatePayloadV2,
    FollowUpsUpdatePayloadV2Status,
    FollowUpsV2ListIncidentMode,
    FollowUpV2,
    IncidentUpdateV2,
    TeamSlimV2,
)

from spec_data import merged_spec

OPERATIONS = {
    # module: (method, path template, body model or None)
    "follow_ups_v2.follow_ups_v2_list": ("get", "/v2/follow_ups", None),
    "follow_ups_v2.follow_ups_v2_create": ("post", "/v2/follow_ups", FollowUpsCreatePayloadV2),
    "follow_ups_v2.follow_ups_v2_show": ("get", "/v2/follow_ups/{id}", None),
    "follow_ups_v2.follow_ups_v2_update": ("put", "/v2/follow_ups/{id}", FollowUpsUpdatePayloadV2),
    "follow_ups_v2.follow_ups_v2_delete": ("delete", "/v2/follow_ups/{id}", None),
    "follow_ups_v2.follow_ups_v2_connect_external_issue": (
        "post",
        "/v2/follow_ups/{id}/actions/connect_external_issue",
        FollowUpsConnectExternalIssuePayloadV2,
    ),
    "incident_updates_v2.incident_updates_v2_list": ("get", "/v2/incident_updates", None),
}


def endpoint(name: str) -> Any:
    return importlib.import_module(f"incidentio_api.api.{name}")


def test_the_specs_hold_exactly_these_seven_operations() -> None:
    found = {(method, path) for path, item in merged_spec()["paths"].items() for method in item}
    assert found == {(method, path) for method, path, _ in OPERATIONS.values()}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_operation_builds_its_method_and_path(name: str) -> None:
    method, path, body_model = OPERATIONS[name]
    module = endpoint(name)
    args: dict[str, Any] = {}
    if "{id}" in path:
        args["id"] = "01FCNDV6P870EA6S7TK1DSYDG0"
    if body_model is not None:
        args["body"] = body_model.from_dict(_minimal_body(body_model))
    kwargs = module._get_kwargs(**args)
    assert kwargs["method"] == method
    assert kwargs["url"] == path.replace("{id}", "01FCNDV6P870EA6S7TK1DSYDG0")
    assert inspect.iscoroutinefunction(module.asyncio_detailed)


def _minimal_body(model: Any) -> dict[str, Any]:
    return {
        FollowUpsCreatePayloadV2: {"incident_id": "01G0", "title": "t"},
        FollowUpsUpdatePayloadV2: {"title": "t", "status": "completed"},
        FollowUpsConnectExternalIssuePayloadV2: {"provider": "linear", "url": "https://x"},
    }[model]


def test_path_ids_are_percent_encoded_so_they_stay_one_segment() -> None:
    kwargs = endpoint("follow_ups_v2.follow_ups_v2_show")._get_kwargs(id="a/b?c#d")
    assert kwargs["url"] == "/v2/follow_ups/a%2Fb%3Fc%23d"


def hints(name: str) -> dict[str, Any]:
    return typing.get_type_hints(endpoint(name)._get_kwargs)


def test_follow_ups_list_filters_and_their_types() -> None:
    assert hints("follow_ups_v2.follow_ups_v2_list") == {
        "incident_id": str | None,
        "incident_mode": FollowUpsV2ListIncidentMode | None,
        "assignee_team_id": str | None,
        "return": dict[str, Any],
    }
    kwargs = endpoint("follow_ups_v2.follow_ups_v2_list")._get_kwargs(
        incident_id="I", incident_mode=FollowUpsV2ListIncidentMode.TEST, assignee_team_id="T"
    )
    assert kwargs["params"] == {
        "incident_id": "I",
        "incident_mode": "test",
        "assignee_team_id": "T",
    }
    assert endpoint("follow_ups_v2.follow_ups_v2_list")._get_kwargs()["params"] == {}


def test_incident_updates_list_parameters_and_page_size_bounds() -> None:
    assert hints("incident_updates_v2.incident_updates_v2_list") == {
        "incident_id": str | None,
        "page_size": int | None,
        "after": str | None,
        "return": dict[str, Any],
    }
    signature = inspect.signature(
        endpoint("incident_updates_v2.incident_updates_v2_list")._get_kwargs
    )
    assert signature.parameters["page_size"].default == 25
    (operation,) = merged_spec()["paths"]["/v2/incident_updates"].values()
    page_size = next(p for p in operation["parameters"] if p["name"] == "page_size")
    assert page_size["schema"]["maximum"] == 250
    assert page_size["schema"]["default"] == 25
    assert {p["name"] for p in operation["parameters"]} == {"incident_id", "page_size", "after"}


def test_path_id_parameter_is_a_required_string() -> None:
    for name, (_, path, _) in OPERATIONS.items():
        if "{id}" in path:
            parameter = inspect.signature(endpoint(name)._get_kwargs).parameters["id"]
            assert parameter.default is inspect.Parameter.empty
            assert typing.get_type_hints(endpoint(name)._get_kwargs)["id"] is str


def test_request_body_models_carry_every_documented_field() -> None:
    create = typing.get_type_hints(FollowUpsCreatePayloadV2)
    assert create["incident_id"] is str and create["title"] is str
    for optional in (
        "assignee_id",
        "assignee_team_id",
        "description",
        "external_issue_reference_id",
        "follow_up_category_id",
        "follow_up_priority_option_id",
    ):
        assert create[optional] == str | None
    assert create["labels"] == list[str] | None

    update = typing.get_type_hints(FollowUpsUpdatePayloadV2)
    assert update["status"] is FollowUpsUpdatePayloadV2Status
    assert update["title"] is str
    assert update["assignee_id"] == str | None
    assert update["assignee_team_id"] == str | None

    connect = typing.get_type_hints(FollowUpsConnectExternalIssuePayloadV2)
    assert connect == {
        "provider": FollowUpsConnectExternalIssuePayloadV2Provider,
        "url": str,
        "additional_properties": dict[str, Any],
    }
    assert FollowUpsConnectExternalIssuePayloadV2Provider("notion").is_known


def test_response_models_use_none_for_absent_fields_never_unset() -> None:
    follow_up = typing.get_type_hints(FollowUpV2)
    assert follow_up["assignee_team"] == TeamSlimV2 | None
    assert follow_up["completed_at"] == datetime.datetime | None
    assert follow_up["created_at"] is datetime.datetime
    update = typing.get_type_hints(IncidentUpdateV2)
    assert update["message"] == str | None
    for model in (FollowUpV2, IncidentUpdateV2):
        assert "Unset" not in str(typing.get_type_hints(model))
