"""Fault injection and request recording: latency, 5xx, scripted answers, dropped connections."""

from __future__ import annotations

from collections.abc import AsyncIterator

import anyio
import httpx
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO, error_body

from fake_checks import assert_error, assert_matches

pytestmark = pytest.mark.anyio


@pytest.fixture
def fake() -> FakeIncidentIO:
    return FakeIncidentIO(seed=11, clock=VirtualClock())


@pytest.fixture
async def http(fake: FakeIncidentIO) -> AsyncIterator[httpx.AsyncClient]:
    async with fake.http_client() as client:
        yield client


def _create_body(fake: FakeIncidentIO) -> dict[str, str]:
    return {"incident_id": next(iter(fake.state.incidents)), "title": "Created once?"}


# -- latency -------------------------------------------------------------------------------


async def test_latency_is_waited_on_the_fake_clock(fake: FakeIncidentIO) -> None:
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    fake.faults.latency = 2.5
    async with clock.running(), fake.http_client() as http:
        before = clock.monotonic()
        response = await http.get("/v2/follow_ups")
        assert response.status_code == 200
        assert clock.monotonic() - before == 2.5

        # Concurrent requests wait side by side, not one after another.
        before = clock.monotonic()
        async with anyio.create_task_group() as group:
            for _ in range(5):
                group.start_soon(http.get, "/v2/follow_ups")
        assert clock.monotonic() - before == 2.5
    assert clock.sleeps == [2.5] * 6
    assert fake.requests[0].monotonic == 0.0


async def test_latency_jitter_is_seeded() -> None:
    async def delays(seed: int) -> list[float]:
        clock = VirtualClock()
        fake = FakeIncidentIO(seed=seed, clock=clock, sample_data=False)
        fake.faults.latency = 0.1
        fake.faults.latency_jitter = 0.2
        async with clock.running(), fake.http_client() as http:
            for _ in range(5):
                await http.get("/v2/follow_ups")
        return clock.sleeps

    first = await delays(1)
    assert all(0.1 <= d <= 0.3 for d in first)
    assert len(set(first)) == 5
    assert await delays(1) == first
    assert await delays(2) != first


# -- random 5xx ------------------------------------------------------------------------------


async def test_error_rate_is_deterministic_for_a_seed() -> None:
    async def statuses(seed: int) -> list[int]:
        fake = FakeIncidentIO(seed=seed, clock=VirtualClock(), sample_data=False, error_rate=0.3)
        async with fake.http_client() as http:
            return [(await http.get("/v2/follow_ups")).status_code for _ in range(60)]

    first = await statuses(5)
    errors = [s for s in first if s != 200]
    assert set(errors) <= {500, 502, 503}
    assert 8 <= len(errors) <= 30
    assert await statuses(5) == first
    assert await statuses(6) != first


async def test_injected_errors_change_nothing_and_take_no_token(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    fake.faults.error_rate = 1.0
    fake.faults.error_statuses = (503,)
    before = len(fake.state.follow_ups)
    response = await http.post("/v2/follow_ups", json=_create_body(fake))
    assert_error(response, 503, "service_unavailable")
    assert "x-ratelimit-remaining" not in response.headers
    assert len(fake.state.follow_ups) == before
    assert fake.key_stats().admitted == 0
    assert fake.requests[-1].scripted


# -- scripted responses ----------------------------------------------------------------------


async def test_scripted_responses_answer_the_next_requests(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    body = error_body(503, "service_unavailable", "maintenance", "Back soon")
    fake.faults.script(503, body, headers={"Retry-After": "7"}, times=2)
    assert fake.faults.pending == 2
    for _ in range(2):
        response = await http.get("/v2/follow_ups")
        assert response.status_code == 503
        assert response.json() == body
        assert response.headers["retry-after"] == "7"
        assert response.headers["content-type"] == "application/json"
    assert fake.faults.pending == 0
    assert (await http.get("/v2/follow_ups")).status_code == 200


async def test_scripted_responses_can_target_a_method_and_path(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    follow_up = next(iter(fake.state.follow_ups.values()))
    fake.faults.script(429, {"type": "too_many_requests"}, method="put", path="/v2/follow_ups/{id}")
    fake.faults.script(500, b"<html>oops</html>", headers={"Content-Type": "text/html"},
                       path="/v2/incident_updates")  # fmt: skip
    assert (await http.get(f"/v2/follow_ups/{follow_up.id}")).status_code == 200
    assert (await http.get("/v2/follow_ups")).status_code == 200
    html = await http.get("/v2/incident_updates")
    assert (html.status_code, html.text) == (500, "<html>oops</html>")
    assert html.headers["content-type"] == "text/html"
    put = await http.put(f"/v2/follow_ups/{follow_up.id}", json={"title": "x", "status": "bad"})
    assert put.status_code == 429
    assert fake.faults.pending == 0
    exact = f"/v2/follow_ups/{follow_up.id}"
    fake.faults.script(204, path=exact)
    assert (await http.get("/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0")).status_code == 404
    empty = await http.get(exact)
    assert (empty.status_code, empty.content) == (204, b"")


async def test_clear_removes_every_fault(fake: FakeIncidentIO, http: httpx.AsyncClient) -> None:
    fake.faults.script(500, times=3)
    fake.faults.drop("before")
    fake.faults.error_rate = 1.0
    fake.faults.latency = 3.0
    fake.faults.clear()
    assert fake.faults.pending == 0
    assert (await http.get("/v2/follow_ups")).status_code == 200


def test_script_arguments_are_checked(fake: FakeIncidentIO) -> None:
    with pytest.raises(ValueError, match="times"):
        fake.faults.script(500, times=0)
    with pytest.raises(ValueError, match="before"):
        fake.faults.drop("during")  # type: ignore[arg-type]


# -- dropped connections -----------------------------------------------------------------------


async def test_a_drop_before_processing_is_a_connect_error_and_changes_nothing(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    fake.faults.drop("before", method="POST")
    before = dict(fake.state.follow_ups)
    with pytest.raises(httpx.ConnectError, match="before processing") as caught:
        await http.post("/v2/follow_ups", json=_create_body(fake))
    assert caught.value.request.method == "POST"
    assert caught.value.request.url == "https://api.incident.io/v2/follow_ups"
    assert fake.state.follow_ups == before
    assert fake.requests[-1].dropped == "before"
    assert fake.requests[-1].status is None
    assert fake.key_stats().admitted == 0
    # The next request is answered normally.
    assert (await http.post("/v2/follow_ups", json=_create_body(fake))).status_code == 201


async def test_a_drop_after_processing_loses_the_response_but_keeps_the_change(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    fake.faults.drop("after", path="/v2/follow_ups")
    before = set(fake.state.follow_ups)
    with pytest.raises(httpx.RemoteProtocolError, match="processed the request") as caught:
        await http.post("/v2/follow_ups", json=_create_body(fake))
    assert caught.value.request.method == "POST"
    created = set(fake.state.follow_ups) - before
    assert len(created) == 1
    assert fake.state.follow_ups[created.pop()].title == "Created once?"
    assert fake.requests[-1].dropped == "after"
    assert fake.key_stats().admitted == 1


async def test_drop_rates_are_seeded(fake: FakeIncidentIO) -> None:
    async def outcomes(seed: int) -> list[str]:
        fake = FakeIncidentIO(seed=seed, clock=VirtualClock(), sample_data=False)
        fake.faults.drop_before_rate = 0.2
        fake.faults.drop_after_rate = 0.2
        seen = []
        async with fake.http_client() as http:
            for _ in range(40):
                try:
                    seen.append(str((await http.get("/v2/follow_ups")).status_code))
                except httpx.ConnectError:
                    seen.append("before")
                except httpx.RemoteProtocolError:
                    seen.append("after")
        assert [r.dropped or str(r.status) for r in fake.requests] == seen
        return seen

    first = await outcomes(3)
    assert {"before", "after", "200"} <= set(first)
    assert await outcomes(3) == first


async def test_drops_can_be_forced_to_abort_the_response(fake: FakeIncidentIO) -> None:
    fake.drop_mode = "abort"
    fake.faults.drop("after")
    messages: list[dict[str, object]] = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        messages.append(dict(message))

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/v2/follow_ups",
        "query_string": b"",
        "headers": [(b"authorization", f"Bearer {fake.api_key}".encode())],
    }
    await fake(scope, receive, send)
    start, body = messages
    assert start["type"] == "http.response.start"
    promised = int(dict(start["headers"])[b"content-length"])  # type: ignore[call-overload]
    assert body["more_body"] is True
    assert len(body["body"]) < promised  # type: ignore[arg-type]


# -- recording -----------------------------------------------------------------------------


async def test_every_request_is_recorded(fake: FakeIncidentIO, http: httpx.AsyncClient) -> None:
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    body = _create_body(fake)
    created = await http.post("/v2/follow_ups", json=body)
    clock.advance(5)
    listed = await http.get("/v2/incident_updates", params={"page_size": 3, "incident_id": "x"})
    clock.advance(1)
    missing = await http.get("/v2/follow_ups/nope")
    assert [r.status for r in fake.requests] == [201, 200, 404]
    post, get, show = fake.requests
    assert (post.method, post.path, post.route) == ("POST", "/v2/follow_ups", "/v2/follow_ups")
    assert post.json == body
    assert post.api_key == fake.api_key
    assert post.headers["authorization"] == f"Bearer {fake.api_key}"
    assert post.time == 1_750_000_000.0
    assert post.request_id is None
    assert get.query == {"page_size": "3", "incident_id": "x"}
    assert get.raw_query == "page_size=3&incident_id=x"
    assert get.json is None
    assert (get.time, get.monotonic) == (1_750_000_005.0, 5.0)
    assert show.route == "/v2/follow_ups/{id}"
    assert show.request_id == missing.json()["request_id"]
    assert_matches("FollowUpsCreateResultV2", created.json())
    assert listed.status_code == 200
    fake.reset_requests()
    assert fake.requests == []


async def test_recording_can_be_turned_off(fake: FakeIncidentIO, http: httpx.AsyncClient) -> None:
    fake.record_requests = False
    assert (await http.get("/v2/follow_ups")).status_code == 200
    assert fake.requests == []
    assert fake.key_stats().admitted == 1
