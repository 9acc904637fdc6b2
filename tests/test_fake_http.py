"""The fake's HTTP behaviour around the operations: auth, routing, error bodies, ASGI."""

from __future__ import annotations

import httpx
import pytest

from incidentio_async import NotFoundError
from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.router import Route

from fake_checks import assert_error

pytestmark = pytest.mark.anyio

URL = "https://api.incident.io"


def _client(fake: FakeIncidentIO, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake), base_url=URL, headers=headers or {}
    )


async def test_missing_authorization_is_the_documented_401() -> None:
    fake = FakeIncidentIO(clock=VirtualClock())
    async with _client(fake) as http:
        response = await http.get("/v2/follow_ups")
    body = assert_error(response, 401, "authentication_error")
    assert body == {
        "type": "authentication_error",
        "status": 401,
        "request_id": body["request_id"],
        "errors": [
            {
                "code": "missing_authorization_material",
                "message": "No authorization material provided in request",
            }
        ],
    }
    assert "x-ratelimit-limit" not in response.headers
    assert fake.requests[-1].request_id == body["request_id"]


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer   ", "Basic abc", "fake-incident-io-api-key"]
)
async def test_malformed_authorization_is_missing_material(header: str) -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    async with _client(fake, {"Authorization": header}) as http:
        response = await http.get("/v2/incident_updates")
    assert_error(response, 401, "authentication_error", code="missing_authorization_material")


async def test_unknown_key_is_401_and_takes_no_token() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    async with _client(fake, {"Authorization": "Bearer not-a-key"}) as http:
        response = await http.post("/v2/follow_ups", json={"title": "x"})
    assert_error(response, 401, "authentication_error", code="invalid_authorization_material")
    assert fake.limits.stats == {}


async def test_bearer_scheme_is_case_insensitive() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    async with _client(fake, {"Authorization": f"bearer {fake.api_key}"}) as http:
        assert (await http.get("/v2/follow_ups")).status_code == 200


async def test_several_keys_are_accepted() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), api_keys={"key-a": "Alpha", "key-b": "Beta"})
    assert fake.api_key == "key-a"
    fake.add_api_key("key-c")
    for key in ("key-a", "key-b", "key-c"):
        async with _client(fake, {"Authorization": f"Bearer {key}"}) as http:
            assert (await http.get("/v2/follow_ups")).status_code == 200
    async with _client(fake, {"Authorization": "Bearer fake-incident-io-api-key"}) as http:
        assert (await http.get("/v2/follow_ups")).status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/v1/follow_ups",
        "/v2/follow_ups/",
        "/v2/follow_ups/abc/actions",
        "/v2/follow_ups/abc/actions/connect_external_issue/x",
        "/v2/incident_updates/01FCNDV6P870EA6S7TK1DSYDG0",
        "/v2//follow_ups",
    ],
)
async def test_unknown_routes_are_404(path: str) -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    async with fake.http_client() as http:
        response = await http.get(path)
    assert_error(response, 404, "not_found", code="not_found")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/v2/follow_ups", "GET, POST"),
        ("DELETE", "/v2/follow_ups", "GET, POST"),
        ("POST", "/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0", "DELETE, GET, PUT"),
        ("GET", "/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0/actions/connect_external_issue", "POST"),
        ("PUT", "/v2/incident_updates", "GET, POST"),
        ("HEAD", "/v2/incident_updates", "GET, POST"),
    ],
)
async def test_wrong_methods_are_405_with_allow(method: str, path: str, allow: str) -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    async with fake.http_client() as http:
        response = await http.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    if method != "HEAD":
        assert_error(response, 405, "method_not_allowed")


async def test_request_ids_are_uuids_and_deterministic_per_seed() -> None:
    async def ids(seed: int) -> list[str]:
        fake = FakeIncidentIO(seed=seed, clock=VirtualClock(), sample_data=False)
        async with _client(fake) as http:
            return [(await http.get("/v2/follow_ups")).json()["request_id"] for _ in range(3)]

    first = await ids(1)
    assert len(set(first)) == 3
    assert await ids(1) == first
    assert await ids(2) != first


async def test_json_responses_say_so_and_have_a_length() -> None:
    fake = FakeIncidentIO(clock=VirtualClock())
    async with fake.http_client() as http:
        response = await http.get("/v2/follow_ups")
    assert response.headers["content-type"] == "application/json"
    assert int(response.headers["content-length"]) == len(response.content)


async def test_lifespan_is_answered_and_switches_drops_to_aborts() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return messages.pop(0)

    async def send(message: dict[str, object]) -> None:
        sent.append(dict(message))

    assert not fake.served
    await fake({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert fake.served


def test_route_templates_match_whole_segments() -> None:
    route = Route("/v2/follow_ups/{id}")
    assert route.match("/v2/follow_ups/abc") == {"id": "abc"}
    assert route.match("/v2/follow_ups") is None
    assert route.match("/v2/follow_ups/abc/") is None
    assert route.match("/v2/follow_upsx/abc") is None


def test_routing_splits_the_raw_path_so_an_encoded_slash_stays_in_its_id() -> None:
    route = Route("/v2/follow_ups/{id}")
    assert route.match("/v2/follow_ups/a%2Factions") == {"id": "a/actions"}
    connect = Route("/v2/follow_ups/{id}/actions/connect_external_issue")
    assert connect.match("/v2/follow_ups/a%2Factions%2Fconnect_external_issue") is None


async def test_an_id_containing_a_slash_never_reaches_another_route() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    incident = fake.add_incident()
    follow_up = fake.add_follow_up(incident, "Kept")
    async with fake.http_client() as http:
        # Decoded, this path would be the connect route of an existing follow-up.
        response = await http.post(
            f"/v2/follow_ups/{follow_up.id}%2Factions%2Fconnect_external_issue",
            json={"provider": "linear", "url": "https://linear.app/a/issue/A-1"},
        )
    assert response.status_code == 405  # the {id} route, which takes no POST
    assert follow_up.external_issue is None
    async with fake.client() as client:
        with pytest.raises(NotFoundError):
            await client.follow_ups_v3.get(f"{follow_up.id}/actions/connect_external_issue")
    assert fake.requests[-1].path == f"/v3/follow_ups/{follow_up.id}/actions/connect_external_issue"
    assert fake.requests[-1].route == "/v3/follow_ups/{id}"
