"""The fake's Follow-ups V2 operations: happy paths, state, and every documented error."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.issues import issue_name_from_url

from fake_checks import assert_error, assert_matches

pytestmark = pytest.mark.anyio


@pytest.fixture
def fake() -> FakeIncidentIO:
    return FakeIncidentIO(seed=7, clock=VirtualClock())


@pytest.fixture
async def http(fake: FakeIncidentIO) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake),
        base_url="https://api.incident.io",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        yield client


def _incident(fake: FakeIncidentIO, mode: str = "standard") -> str:
    return fake.add_incident(f"A {mode} incident", mode=mode)


async def _create(http: httpx.AsyncClient, **fields: object) -> dict[str, object]:
    response = await http.post("/v2/follow_ups", json=fields)
    assert response.status_code == 201, response.text
    return dict(assert_matches("FollowUpsCreateResultV2", response.json()).to_dict()["follow_up"])


# -- list ------------------------------------------------------------------------------------


async def test_list_returns_follow_ups_of_standard_and_retrospective_incidents(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    response = await http.get("/v2/follow_ups")
    assert response.status_code == 200
    body = response.json()
    assert_matches("FollowUpsListResultV2", body)
    incidents = fake.state.incidents
    expected = [
        f.id
        for f in fake.state.follow_ups.values()
        if incidents[f.incident_id].mode in ("standard", "retrospective")
    ]
    assert [f["id"] for f in body["follow_ups"]] == expected
    assert expected, "the sample data has follow-ups"
    assert "pagination_meta" not in body


async def test_list_filters_by_mode_incident_and_team(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    test_incident = _incident(fake, "test")
    standard = _incident(fake)
    team = next(iter(fake.state.teams.values()))
    in_test = fake.add_follow_up(test_incident, "Only in test mode")
    mine = fake.add_follow_up(standard, "Assigned to a team", assignee_team=team)

    default = (await http.get("/v2/follow_ups")).json()["follow_ups"]
    assert in_test.id not in [f["id"] for f in default]

    by_mode = (await http.get("/v2/follow_ups", params={"incident_mode": "test"})).json()
    assert in_test.id in [f["id"] for f in by_mode["follow_ups"]]
    assert {fake.state.incidents[f["incident_id"]].mode for f in by_mode["follow_ups"]} == {"test"}

    # The mode default applies with incident_id too, as the parameter's description says.
    by_incident = await http.get("/v2/follow_ups", params={"incident_id": test_incident})
    assert by_incident.json()["follow_ups"] == []
    both = await http.get(
        "/v2/follow_ups", params={"incident_id": test_incident, "incident_mode": "test"}
    )
    assert [f["id"] for f in both.json()["follow_ups"]] == [in_test.id]

    by_team = (await http.get("/v2/follow_ups", params={"assignee_team_id": team.id})).json()
    ids = [f["id"] for f in by_team["follow_ups"]]
    assert mine.id in ids
    assert all(f["assignee_team"]["id"] == team.id for f in by_team["follow_ups"])
    assert_matches("FollowUpsListResultV2", by_team)


async def test_list_treats_empty_parameters_as_absent(http: httpx.AsyncClient) -> None:
    plain = await http.get("/v2/follow_ups")
    empty = await http.get("/v2/follow_ups?incident_id=&incident_mode=&assignee_team_id=")
    assert empty.json() == plain.json()


async def test_list_rejects_an_unknown_incident_mode(http: httpx.AsyncClient) -> None:
    response = await http.get("/v2/follow_ups", params={"incident_mode": "drill"})
    assert_error(response, 422, "validation_error", field="incident_mode", code="invalid_value")


# -- create and show -------------------------------------------------------------------------


async def test_create_returns_201_and_the_follow_up_then_shows_and_lists_it(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    incident_id = _incident(fake)
    created = await _create(http, incident_id=incident_id, title="Add alerting on replica lag")
    assert created["title"] == "Add alerting on replica lag"
    assert created["incident_id"] == incident_id
    assert created["status"] == "outstanding"
    assert created["labels"] == []
    api_key = fake.state.api_keys[fake.api_key]
    assert created["creator"] == {"api_key": {"id": api_key.id, "name": "Fake API key"}}
    assert created["id"] in fake.state.follow_ups

    shown = await http.get(f"/v2/follow_ups/{created['id']}")
    assert shown.status_code == 200
    assert assert_matches("FollowUpsShowResultV2", shown.json()).to_dict()["follow_up"] == created
    listed = (await http.get("/v2/follow_ups", params={"incident_id": incident_id})).json()
    assert listed["follow_ups"] == [created]


async def test_create_with_every_field(fake: FakeIncidentIO, http: httpx.AsyncClient) -> None:
    incident_id = _incident(fake)
    user = next(iter(fake.state.users.values()))
    team = next(iter(fake.state.teams.values()))
    priority = next(iter(fake.state.priorities.values()))
    created = await _create(
        http,
        incident_id=incident_id,
        title="Upgrade the driver",
        description="Call the fire brigade",
        assignee_id=user.id,
        assignee_team_id=team.id,
        follow_up_priority_option_id=priority.id,
        follow_up_category_id="01GNW4BAQ7XRMFF6FHKNXDFPRW",
        external_issue_reference_id="01FCNDV6P870EA6S7TK1DSYDG0",
        labels=["bug", "urgent"],
    )
    assert created["description"] == "Call the fire brigade"
    assert created["assignee"] == user.to_dict()
    assert created["assignee_team"] == {"id": team.id, "name": team.name}
    assert created["priority"] == priority.to_dict()
    assert created["labels"] == ["bug", "urgent"]
    assert "completed_at" not in created


async def test_create_stamps_times_from_the_clock(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    incident_id = _incident(fake)
    created = await _create(http, incident_id=incident_id, title="A")
    assert created["created_at"] == "2025-06-15T15:06:40.000000Z"  # VirtualClock's wall start
    assert created["updated_at"] == created["created_at"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"incident_id": "X"}, "title", "is_required"),
        ({"incident_id": "X", "title": "   "}, "title", "is_required"),
        ({"incident_id": "X", "title": None}, "title", "is_required"),
        ({"title": "A title"}, "incident_id", "is_required"),
        ({"incident_id": "X", "title": 12}, "title", "invalid_type"),
        ({"incident_id": "X", "title": "A", "labels": "bug"}, "labels", "invalid_type"),
        ({"incident_id": "X", "title": "A", "labels": [1]}, "labels", "invalid_type"),
        ({"incident_id": "X", "title": "A", "description": 3}, "description", "invalid_type"),
    ],
)
async def test_create_rejects_invalid_bodies(
    fake: FakeIncidentIO,
    http: httpx.AsyncClient,
    body: dict[str, object],
    field: str,
    code: str,
) -> None:
    if body.get("incident_id") == "X":
        body = {**body, "incident_id": _incident(fake)}
    before = len(fake.state.follow_ups)
    response = await http.post("/v2/follow_ups", json=body)
    assert_error(response, 422, "validation_error", field=field, code=code)
    assert len(fake.state.follow_ups) == before


async def test_create_reports_every_missing_field_at_once(http: httpx.AsyncClient) -> None:
    body = assert_error(await http.post("/v2/follow_ups", json={}), 422, "validation_error")
    assert sorted(e["source"]["field"] for e in body["errors"]) == ["incident_id", "title"]


@pytest.mark.parametrize(
    "field", ["incident_id", "assignee_id", "assignee_team_id", "follow_up_priority_option_id"]
)
async def test_create_rejects_unknown_ids(
    fake: FakeIncidentIO, http: httpx.AsyncClient, field: str
) -> None:
    body = {"incident_id": _incident(fake), "title": "A", field: "01FCNDV6P870EA6S7TK1DSYDG0"}
    response = await http.post("/v2/follow_ups", json=body)
    assert_error(response, 422, "validation_error", field=field, code="not_found")


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"{not json", "invalid_json"), (b"[1, 2]", "invalid_body"), (b"", "missing_body")],
)
async def test_create_rejects_bodies_that_are_not_json_objects(
    http: httpx.AsyncClient, content: bytes, code: str
) -> None:
    response = await http.post(
        "/v2/follow_ups", content=content, headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400, "bad_request", code=code)


async def test_show_unknown_follow_up_is_404(http: httpx.AsyncClient) -> None:
    response = await http.get("/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0")
    assert_error(response, 404, "not_found", code="not_found")


async def test_sample_follow_ups_parse_with_the_generated_models(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    for follow_up in list(fake.state.follow_ups.values()):
        response = await http.get(f"/v2/follow_ups/{follow_up.id}")
        assert_matches("FollowUpsShowResultV2", response.json())


# -- update ------------------------------------------------------------------------------------


async def test_update_changes_given_fields_clears_nulls_and_keeps_absent_ones(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    user = next(iter(fake.state.users.values()))
    team = next(iter(fake.state.teams.values()))
    created = await _create(
        http,
        incident_id=_incident(fake),
        title="Old",
        description="Keep me",
        assignee_id=user.id,
        assignee_team_id=team.id,
        labels=["bug"],
    )
    clock.advance(90)
    response = await http.put(
        f"/v2/follow_ups/{created['id']}",
        json={"title": "New", "status": "completed", "assignee_id": None, "labels": ["docs"]},
    )
    assert response.status_code == 200
    updated = assert_matches("FollowUpsUpdateResultV2", response.json()).to_dict()["follow_up"]
    assert updated["title"] == "New"
    assert updated["status"] == "completed"
    assert updated["completed_at"] == "2025-06-15T15:08:10.000000Z"
    assert updated["updated_at"] == updated["completed_at"]
    assert updated["created_at"] == created["created_at"]
    assert "assignee" not in updated
    assert updated["assignee_team"] == created["assignee_team"]
    assert updated["description"] == "Keep me"
    assert updated["labels"] == ["docs"]
    shown = (await http.get(f"/v2/follow_ups/{created['id']}")).json()["follow_up"]
    assert shown == updated

    reopened = await http.put(
        f"/v2/follow_ups/{created['id']}",
        json={"title": "New", "status": "outstanding", "description": None},
    )
    body = reopened.json()["follow_up"]
    assert "completed_at" not in body
    assert "description" not in body


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"status": "outstanding"}, "title", "is_required"),
        ({"title": "T"}, "status", "is_required"),
        ({"title": "T", "status": "finished"}, "status", "invalid_value"),
        ({"title": "T", "status": "outstanding", "assignee_id": "nobody"}, "assignee_id", None),
        ({"title": "T", "status": "outstanding", "labels": {"a": 1}}, "labels", "invalid_type"),
    ],
)
async def test_update_rejects_invalid_bodies(
    fake: FakeIncidentIO,
    http: httpx.AsyncClient,
    body: dict[str, object],
    field: str,
    code: str | None,
) -> None:
    follow_up = next(iter(fake.state.follow_ups.values()))
    before = follow_up.to_dict()
    response = await http.put(f"/v2/follow_ups/{follow_up.id}", json=body)
    assert_error(response, 422, "validation_error", field=field, code=code)
    assert follow_up.to_dict() == before


async def test_update_to_deleted_points_to_the_delete_endpoint(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    follow_up = next(iter(fake.state.follow_ups.values()))
    response = await http.put(
        f"/v2/follow_ups/{follow_up.id}", json={"title": "T", "status": "deleted"}
    )
    body = assert_error(response, 422, "validation_error", field="status", code="invalid_value")
    assert "delete endpoint" in body["errors"][0]["message"]
    assert follow_up.status != "deleted"


async def test_update_unknown_follow_up_is_404(http: httpx.AsyncClient) -> None:
    response = await http.put(
        "/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0", json={"title": "T", "status": "completed"}
    )
    assert_error(response, 404, "not_found")


# -- delete ------------------------------------------------------------------------------------


async def test_delete_answers_204_then_the_follow_up_is_gone(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    created = await _create(http, incident_id=_incident(fake), title="Short-lived")
    response = await http.delete(f"/v2/follow_ups/{created['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers
    assert_error(await http.get(f"/v2/follow_ups/{created['id']}"), 404, "not_found")
    assert_error(await http.delete(f"/v2/follow_ups/{created['id']}"), 404, "not_found")
    listed = (await http.get("/v2/follow_ups")).json()["follow_ups"]
    assert created["id"] not in [f["id"] for f in listed]


# -- connect external issue ------------------------------------------------------------------


async def test_connect_external_issue_sets_the_reference_once(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    created = await _create(http, incident_id=_incident(fake), title="Track me")
    path = f"/v2/follow_ups/{created['id']}/actions/connect_external_issue"
    url = "https://linear.app/incident/issue/INC-123"
    response = await http.post(path, json={"provider": "linear", "url": url})
    assert response.status_code == 200
    connected = assert_matches("FollowUpsConnectExternalIssueResultV2", response.json())
    assert connected.to_dict()["follow_up"]["external_issue_reference"] == {
        "provider": "linear",
        "issue_name": "INC-123",
        "issue_permalink": url,
    }
    shown = (await http.get(f"/v2/follow_ups/{created['id']}")).json()["follow_up"]
    assert shown["external_issue_reference"]["issue_name"] == "INC-123"

    again = await http.post(
        path, json={"provider": "jira", "url": "https://acme.atlassian.net/browse/OPS-1"}
    )
    assert_error(again, 422, "validation_error", code="already_connected")
    shown = (await http.get(f"/v2/follow_ups/{created['id']}")).json()["follow_up"]
    assert shown["external_issue_reference"]["provider"] == "linear"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"provider": "trello", "url": "https://trello.com/c/abc"}, "provider"),
        ({"url": "https://linear.app/incident/issue/INC-1"}, "provider"),
        ({"provider": "linear"}, "url"),
        ({"provider": "linear", "url": "not a url"}, "url"),
        ({"provider": "linear", "url": "ftp://example.com/INC-1"}, "url"),
    ],
)
async def test_connect_external_issue_rejects_invalid_bodies(
    fake: FakeIncidentIO, http: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    created = await _create(http, incident_id=_incident(fake), title="Track me")
    path = f"/v2/follow_ups/{created['id']}/actions/connect_external_issue"
    assert_error(await http.post(path, json=body), 422, "validation_error", field=field)
    assert fake.state.follow_ups[str(created["id"])].external_issue is None


async def test_connect_external_issue_of_unknown_follow_up_is_404(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0/actions/connect_external_issue",
        json={"provider": "linear", "url": "https://linear.app/incident/issue/INC-123"},
    )
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("provider", "url", "name"),
    [
        ("linear", "https://linear.app/incident-io/issue/INC-1609/find-copywriter", "INC-1609"),
        ("jira", "https://acme.atlassian.net/browse/ops-12", "OPS-12"),
        (
            "jira_server",
            "https://jira.acme.com/secure/RapidBoard.jspa?selectedIssue=PAY-3",
            "PAY-3",
        ),
        ("github", "https://github.com/acme/api/issues/42", "acme/api#42"),
        ("gitlab", "https://gitlab.com/acme/api/-/issues/7", "acme/api#7"),
        ("shortcut", "https://app.shortcut.com/acme/story/123/some-title", "sc-123"),
        ("azure_devops", "https://dev.azure.com/acme/web/_workitems/edit/991", "991"),
        ("click_up", "https://app.clickup.com/t/86b1x", "86b1x"),
        ("asana", "https://app.asana.com/0/1200/1201", "1201"),
        ("notion", "https://www.notion.so/acme/Fix-the-thing-0123abcd", "Fix-the-thing-0123abcd"),
        ("service_now", "https://acme.service-now.com/", "acme.service-now.com"),
    ],
)
def test_issue_names_are_read_from_urls(provider: str, url: str, name: str) -> None:
    assert issue_name_from_url(provider, url) == name
