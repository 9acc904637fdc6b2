"""The generated resources follow the rules of the public API: names, arguments, results."""

from __future__ import annotations

import collections.abc
import importlib
import inspect
import pkgutil
import typing
from typing import Any

import pytest

import incidentio_api
from incidentio_api.models import (
    FollowUpsConnectExternalIssuePayloadV2Provider,
    FollowUpsUpdatePayloadV2Status,
    FollowUpsV2ListIncidentMode,
    FollowUpV2,
    IncidentUpdateV2,
)
from incidentio_api.resources import ALIASES, TAGS
from incidentio_async import AsyncPager, IncidentIO
from incidentio_async._catalog import operations, resources
from incidentio_async._not_given import NotGiven

from spec_data import merged_spec


def spec_operations() -> dict[tuple[str, str], dict[str, Any]]:
    """The specs' operations; the webhook events (``/x-webhooks/``) are event types instead
    (tests/test_webhook_events.py)."""
    return {
        (method.upper(), path): operation
        for path, item in merged_spec()["paths"].items()
        for method, operation in item.items()
        if not path.startswith("/x-webhooks/")
    }


def test_every_operation_of_the_specs_is_a_method_and_nothing_else() -> None:
    generated = {(op.method, op.path): op for op in operations()}
    assert generated.keys() == spec_operations().keys()
    client = IncidentIO("key")
    for (method, path), operation in generated.items():
        assert spec_operations()[(method, path)]["operationId"] == operation.id
        assert callable(getattr(getattr(client, operation.resource), operation.name))


def test_resources_are_named_from_their_tags() -> None:
    assert {attribute: tag for attribute, tag, _ in TAGS} == {
        "follow_ups_v2": "Follow-ups V2",
        "follow_ups_v3": "Follow-ups V3",
        "incident_updates_v2": "Incident Updates V2",
    }
    assert ALIASES == {"follow_ups": "follow_ups_v2", "incident_updates": "incident_updates_v2"}
    client = IncidentIO("key")
    assert client.follow_ups is client.follow_ups_v2
    assert client.incident_updates is client.incident_updates_v2


def test_methods_are_named_from_the_operation_action() -> None:
    names = {op.id: op.name for op in operations()}
    assert names["Follow-ups V2#List"] == "list"
    assert names["Follow-ups V2#Show"] == "get"
    assert names["Follow-ups V2#Create"] == "create"
    assert names["Follow-ups V2#Update"] == "update"
    assert names["Follow-ups V2#Delete"] == "delete"
    assert names["Follow-ups V2#ConnectExternalIssue"] == "connect_external_issue"
    assert names["Follow-ups V3#CreateFromLink"] == "create_from_link"


def test_path_ids_are_positional_and_everything_else_keyword_only() -> None:
    signature = inspect.signature(IncidentIO("key").follow_ups_v2.update)
    kinds = {name: p.kind for name, p in signature.parameters.items()}
    assert kinds["follow_up_id"] is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert next(iter(signature.parameters)) == "follow_up_id"
    assert all(
        kind is inspect.Parameter.KEYWORD_ONLY
        for name, kind in kinds.items()
        if name != "follow_up_id"
    )


def hints(method: Any) -> dict[str, Any]:
    return typing.get_type_hints(method)


def test_query_parameters_and_enums_are_typed_from_the_spec() -> None:
    found = hints(IncidentIO("key").follow_ups_v2.list)
    assert found["incident_id"] == str | NotGiven | None
    modes = typing.Literal["standard", "retrospective", "test", "tutorial", "stream"]
    assert found["incident_mode"] == FollowUpsV2ListIncidentMode | modes | NotGiven | None
    assert found["return"] == list[FollowUpV2]


def test_body_fields_are_typed_required_ones_have_no_default() -> None:
    method = IncidentIO("key").follow_ups_v2.update
    found = hints(method)
    parameters = inspect.signature(method).parameters
    assert found["title"] is str and parameters["title"].default is inspect.Parameter.empty
    # The strings the spec lists, but not "deleted", which update() refuses (use delete()).
    statuses = typing.Literal["outstanding", "completed", "not_doing"]
    assert found["status"] == FollowUpsUpdatePayloadV2Status | statuses
    assert found["assignee_id"] == str | NotGiven | None
    assert found["labels"] == collections.abc.Sequence[str] | NotGiven | None
    assert found["return"] is FollowUpV2
    connect = hints(IncidentIO("key").follow_ups_v2.connect_external_issue)
    provider = connect["provider"]
    assert typing.get_args(provider)[0] is FollowUpsConnectExternalIssuePayloadV2Provider
    assert set(typing.get_args(typing.get_args(provider)[1])) == {
        member.value for member in FollowUpsConnectExternalIssuePayloadV2Provider
    }


def test_every_enum_argument_is_typed_as_its_enum_or_the_strings_the_spec_lists() -> None:
    client = IncidentIO("key")
    checked = 0
    for resource in resources():
        for operation in resource.operations:
            found = hints(getattr(getattr(client, resource.attribute), operation.name))
            for param in operation.params:
                if param.kind != "enum":
                    continue
                assert param.enum is not None
                members = typing.get_args(found[param.name])
                assert members[0] is param.enum, (operation.id, param.name)
                assert typing.get_origin(members[1]) is typing.Literal
                refused = {value for value, _ in param.refused}
                listed = {member.value for member in param.enum} - refused
                assert set(typing.get_args(members[1])) == listed, (operation.id, param.name)
                assert str not in members  # a misspelt value is a type error
                checked += 1
    assert checked >= 6


def test_every_method_takes_the_per_call_options() -> None:
    client = IncidentIO("key")
    for resource in resources():
        for operation in resource.operations:
            method = getattr(getattr(client, resource.attribute), operation.name)
            parameters = inspect.signature(method).parameters
            for option in ("extra_headers", "extra_query", "extra_body", "timeout", "max_retries"):
                assert option in parameters, (operation.id, option)


def test_the_exported_option_types_are_exactly_what_every_method_takes() -> None:
    from incidentio_async import ListOptions, RequestOptions

    request_options = typing.get_type_hints(RequestOptions)
    list_options = typing.get_type_hints(ListOptions)
    assert set(request_options) == {
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
    }
    assert RequestOptions.__required_keys__ == ListOptions.__required_keys__ == frozenset()
    client = IncidentIO("key")
    for resource in resources():
        for operation in resource.operations:
            method = getattr(getattr(client, resource.attribute), operation.name)
            found = hints(method)
            expected = list_options if operation.pagination else request_options
            for name, hint in expected.items():
                assert found[name] == hint, (operation.id, name)
                default = inspect.signature(method).parameters[name].default
                assert default is not inspect.Parameter.empty, (operation.id, name)


def test_a_list_with_a_cursor_and_pagination_meta_returns_a_pager() -> None:
    client = IncidentIO("key")
    assert hints(client.incident_updates_v2.list)["return"] == AsyncPager[IncidentUpdateV2]
    assert isinstance(client.incident_updates_v2.list(), AsyncPager)
    # Follow-ups V2 list has no cursor: the whole list comes back in one response.
    assert inspect.iscoroutinefunction(client.follow_ups_v2.list)
    parameters = inspect.signature(client.incident_updates_v2.list).parameters
    assert {"after", "page_size", "max_items", "lookahead"} <= parameters.keys()


def test_results_are_unwrapped_from_their_envelope_and_204_is_none() -> None:
    client = IncidentIO("key")
    assert hints(client.follow_ups_v2.get)["return"] is FollowUpV2
    assert hints(client.follow_ups_v2.delete)["return"] is type(None)


def test_the_generated_package_has_no_client_of_its_own() -> None:
    """Nothing generated can send a request outside the client's pipeline: no second client,
    no endpoint functions, nothing that imports httpx."""
    names = {
        info.name for info in pkgutil.walk_packages(incidentio_api.__path__, "incidentio_api.")
    }
    assert "incidentio_api.client" not in names
    assert not any(name.startswith("incidentio_api.api") for name in names)
    for name in names:
        source = inspect.getsource(importlib.import_module(name))
        assert "import httpx" not in source, name


@pytest.mark.parametrize("attribute", [attribute for attribute, _, _ in TAGS])
def test_resource_modules_are_imported_only_when_used(attribute: str) -> None:
    client = IncidentIO("key")
    assert attribute not in vars(client)
    getattr(client, attribute)
    assert attribute in vars(client)
