"""client.follow_ups: what each method sends, what it returns, and what it refuses."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
import pytest

from incidentio_async import (
    IncidentIODeprecationWarning,
    InvalidArgumentError,
    NotFoundError,
    _deprecation,
)
from incidentio_async.models import (
    ExternalIssueProvider,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdateStatus,
    IncidentMode,
)

from client_factory import (
    CALLS_FOLLOW_UPS_V2,
    FOLLOW_UP,
    TEST_KEY,
    Recorder,
    json_response,
    mock_client,
)

pytestmark = [pytest.mark.anyio, CALLS_FOLLOW_UPS_V2]


def body(request: httpx.Request) -> Any:
    return json.loads(request.content)


def result(**changes: Any) -> dict[str, Any]:
    return {"follow_up": {**FOLLOW_UP, **changes}}


async def test_list_sends_filters_and_returns_models() -> None:
    recorder = Recorder(json_response(200, {"follow_ups": [FOLLOW_UP, FOLLOW_UP]}))
    async with mock_client(recorder) as client:
        follow_ups = await client.follow_ups.list(
            incident_id="01INC", incident_mode="test", assignee_team_id="01TEAM"
        )
    (request,) = recorder.requests
    assert request.method == "GET"
    assert request.url.path == "/v2/follow_ups"
    assert dict(request.url.params) == {
        "incident_id": "01INC",
        "incident_mode": "test",
        "assignee_team_id": "01TEAM",
    }
    assert recorder.sent_headers[0]["authorization"] == f"Bearer {TEST_KEY}"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("incidentio-async/")
    assert [f.id for f in follow_ups] == [FOLLOW_UP["id"]] * 2
    assert all(isinstance(f, FollowUp) for f in follow_ups)


async def test_list_without_filters_sends_no_query_and_accepts_enum_members() -> None:
    recorder = Recorder(
        json_response(200, {"follow_ups": []}), json_response(200, {"follow_ups": []})
    )
    async with mock_client(recorder) as client:
        assert await client.follow_ups.list() == []
        await client.follow_ups.list(incident_mode=IncidentMode.RETROSPECTIVE)
    assert recorder.requests[0].url.query == b""
    assert recorder.requests[1].url.params["incident_mode"] == "retrospective"


async def test_get_returns_the_follow_up() -> None:
    recorder = Recorder(json_response(200, result(status="completed")))
    async with mock_client(recorder) as client:
        follow_up = await client.follow_ups.get("01FCNDV6P870EA6S7TK1DSYDG0")
    assert recorder.requests[0].method == "GET"
    assert recorder.requests[0].url.path == "/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0"
    assert follow_up.status is FollowUpStatus.COMPLETED
    assert follow_up.assignee is None


async def test_get_raises_not_found() -> None:
    error_body = {
        "type": "not_found",
        "status": 404,
        "request_id": "req-1",
        "errors": [{"code": "not_found", "message": "Follow-up not found"}],
    }
    async with mock_client(Recorder(json_response(404, error_body))) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.follow_ups.get("01MISSING")
    assert caught.value.request_id == "req-1"
    assert str(caught.value) == "404 not_found: Follow-up not found (request_id req-1)"


async def test_create_sends_only_what_was_given() -> None:
    recorder = Recorder(json_response(201, result()))
    async with mock_client(recorder) as client:
        follow_up = await client.follow_ups.create(
            incident_id="01INC", title="Fix it", labels=("bug", "urgent"), assignee_id="01U"
        )
    (request,) = recorder.requests
    assert (request.method, request.url.path) == ("POST", "/v2/follow_ups")
    assert request.headers["content-type"] == "application/json"
    assert body(request) == {
        "incident_id": "01INC",
        "title": "Fix it",
        "labels": ["bug", "urgent"],
        "assignee_id": "01U",
    }
    assert follow_up.id == FOLLOW_UP["id"]


async def test_create_with_every_field() -> None:
    recorder = Recorder(json_response(201, result()))
    fields = {
        "incident_id": "01INC",
        "title": "t",
        "description": "d",
        "assignee_id": "01U",
        "assignee_team_id": "01T",
        "external_issue_reference_id": "01E",
        "follow_up_category_id": "01C",
        "follow_up_priority_option_id": "01P",
        "labels": ["a"],
    }
    async with mock_client(recorder) as client:
        await client.follow_ups.create(**fields)
    assert body(recorder.requests[0]) == fields


async def test_update_sends_required_fields_and_only_given_optional_ones() -> None:
    recorder = Recorder(json_response(200, result(status="completed")))
    async with mock_client(recorder) as client:
        follow_up = await client.follow_ups.update(
            "01FU", title="New title", status="completed", labels=[]
        )
    (request,) = recorder.requests
    assert (request.method, request.url.path) == ("PUT", "/v2/follow_ups/01FU")
    assert body(request) == {"title": "New title", "status": "completed", "labels": []}
    assert follow_up.status == "completed"


async def test_update_none_unassigns_with_an_explicit_null() -> None:
    recorder = Recorder(json_response(200, result()))
    async with mock_client(recorder) as client:
        await client.follow_ups.update(
            "01FU",
            title="t",
            status=FollowUpUpdateStatus.OUTSTANDING,
            assignee_id=None,
            assignee_team_id=None,
            description="why",
            follow_up_category_id="01C",
            follow_up_priority_option_id="01P",
        )
    assert body(recorder.requests[0]) == {
        "title": "t",
        "status": "outstanding",
        "assignee_id": None,
        "assignee_team_id": None,
        "description": "why",
        "follow_up_category_id": "01C",
        "follow_up_priority_option_id": "01P",
    }


async def test_update_assigns_when_given_an_id() -> None:
    recorder = Recorder(json_response(200, result()))
    async with mock_client(recorder) as client:
        await client.follow_ups.update("01FU", title="t", status="not_doing", assignee_id="01U")
    assert body(recorder.requests[0]) == {
        "title": "t",
        "status": "not_doing",
        "assignee_id": "01U",
    }


@pytest.mark.parametrize(
    "status", ["deleted", FollowUpUpdateStatus.DELETED, FollowUpStatus.DELETED]
)
async def test_update_refuses_deleted_status_and_points_to_delete(status: Any) -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError, match=r"delete\(follow_up_id\)"):
            await client.follow_ups.update("01FU", title="t", status=status)
    assert recorder.requests == []


async def test_update_passes_status_values_added_by_the_api() -> None:
    recorder = Recorder(json_response(200, result(status="archived")))
    async with mock_client(recorder) as client:
        follow_up = await client.follow_ups.update("01FU", title="t", status="archived")
    assert body(recorder.requests[0])["status"] == "archived"
    assert follow_up.status == "archived" and not follow_up.status.is_known


async def test_delete_sends_delete_and_returns_none() -> None:
    recorder = Recorder(httpx.Response(204))
    async with mock_client(recorder) as client:
        assert await client.follow_ups.delete("01FU") is None
    assert (recorder.requests[0].method, recorder.requests[0].url.path) == (
        "DELETE",
        "/v2/follow_ups/01FU",
    )


async def test_connect_external_issue() -> None:
    reference = {
        "provider": "linear",
        "issue_name": "INC-123",
        "issue_permalink": "https://linear.app/x/issue/INC-123",
    }
    recorder = Recorder(json_response(200, result(external_issue_reference=reference)))
    async with mock_client(recorder) as client:
        follow_up = await client.follow_ups.connect_external_issue(
            "01FU", provider=ExternalIssueProvider.LINEAR, url="https://linear.app/x/issue/INC-123"
        )
    request = recorder.requests[0]
    assert request.method == "POST"
    assert request.url.path == "/v2/follow_ups/01FU/actions/connect_external_issue"
    assert body(request) == {"provider": "linear", "url": "https://linear.app/x/issue/INC-123"}
    assert follow_up.external_issue_reference is not None
    assert follow_up.external_issue_reference.issue_name == "INC-123"


@pytest.mark.parametrize("bad_id", ["", ".", "..", "a\nb", "tab\there", "nul\x00", "del\x7f"])
async def test_unsafe_ids_are_refused_before_any_request(bad_id: str) -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        for call in (
            client.follow_ups.get(bad_id),
            client.follow_ups.delete(bad_id),
            client.follow_ups.update(bad_id, title="t", status="completed"),
            client.follow_ups.connect_external_issue(bad_id, provider="linear", url="u"),
        ):
            with pytest.raises(InvalidArgumentError, match="follow_up_id"):
                await call
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("follow_up_id", "raw_path"),
    [
        ("a/b", b"/v2/follow_ups/a%2Fb"),
        ("../../v1/incidents", b"/v2/follow_ups/..%2F..%2Fv1%2Fincidents"),
        ("x?y=1#z", b"/v2/follow_ups/x%3Fy%3D1%23z"),
        ("%2e%2e", b"/v2/follow_ups/%252e%252e"),
        ("...", b"/v2/follow_ups/..."),
        ("id with space", b"/v2/follow_ups/id%20with%20space"),
    ],
)
async def test_ids_cannot_change_the_request_path(follow_up_id: str, raw_path: bytes) -> None:
    recorder = Recorder(httpx.Response(204))
    async with mock_client(recorder) as client:
        await client.follow_ups.delete(follow_up_id)
    assert recorder.requests[0].url.raw_path == raw_path


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.follow_ups.get(123), "follow_up_id must be a string, not int"),
        (lambda c: c.follow_ups.create(incident_id="01", title=None), "title must be a string"),
        (lambda c: c.follow_ups.create(incident_id="", title="t"), "incident_id must be"),
        (
            lambda c: c.follow_ups.create(incident_id="01", title="t", labels="bug"),
            "labels must be a list of strings, not str",
        ),
        (
            lambda c: c.follow_ups.create(incident_id="01", title="t", labels=["a", 1]),
            "labels must contain only strings",
        ),
        (lambda c: c.follow_ups.list(incident_mode=3), "incident_mode must be a string"),
        (lambda c: c.follow_ups.update("01", title="t", status=None), "status must be a string"),
        (
            lambda c: c.follow_ups.connect_external_issue("01", provider="linear", url=None),
            "url must be a string",
        ),
        (lambda c: c.follow_ups.get("01", max_retries=-1), "max_retries must be"),
    ],
)
async def test_bad_arguments_raise_clear_errors_before_any_request(call: Any, message: str) -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            await call(client)
    assert recorder.requests == []


async def test_follow_up_methods_warn_of_the_upstream_deprecation_once() -> None:
    _deprecation._warned.discard("Follow-ups V2#List")
    recorder = Recorder(*(json_response(200, {"follow_ups": []}) for _ in range(3)))
    async with mock_client(recorder) as client:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(3):
                await client.follow_ups.list()
    deprecations = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert len(deprecations) == 1
    message = str(deprecations[0].message)
    assert "31 December 2026" in message and "/v3/follow_ups" in message
    assert "client.follow_ups_v3.list()" in message
    assert deprecations[0].category is IncidentIODeprecationWarning
    assert deprecations[0].filename == __file__
