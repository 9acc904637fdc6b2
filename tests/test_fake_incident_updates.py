"""The fake's Incident Updates V2 list: order, cursor pagination, parameters, bulk loads."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO

from fake_checks import assert_error, assert_matches

pytestmark = pytest.mark.anyio


@pytest.fixture
def fake() -> FakeIncidentIO:
    fake = FakeIncidentIO(seed=3, clock=VirtualClock(), rate_limit=False)
    fake.add_incident_updates(300)
    return fake


@pytest.fixture
async def http(fake: FakeIncidentIO) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake),
        base_url="https://api.incident.io",
        headers={"Authorization": f"Bearer {fake.api_key}"},
    ) as client:
        yield client


async def _walk(
    http: httpx.AsyncClient, page_size: int, incident_id: str | None = None
) -> list[dict[str, Any]]:
    """Every page, following ``after``; checks each page on the way."""
    records: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"page_size": page_size}
        if after is not None:
            params["after"] = after
        if incident_id is not None:
            params["incident_id"] = incident_id
        response = await http.get("/v2/incident_updates", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        assert_matches("IncidentUpdatesListResultV2", body)
        meta = body["pagination_meta"]
        assert meta["page_size"] == page_size
        assert len(body["incident_updates"]) <= page_size
        records += body["incident_updates"]
        if "after" not in meta:
            return records
        assert len(body["incident_updates"]) == page_size
        assert meta["after"] == body["incident_updates"][-1]["id"]
        after = meta["after"]


async def test_default_page_is_25_newest_first(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    response = await http.get("/v2/incident_updates")
    assert response.status_code == 200
    body = response.json()
    assert_matches("IncidentUpdatesListResultV2", body)
    assert body["pagination_meta"]["page_size"] == 25
    updates = body["incident_updates"]
    assert len(updates) == 25
    assert body["pagination_meta"]["after"] == updates[-1]["id"]
    ids = [u["id"] for u in updates]
    assert ids == sorted(ids, reverse=True)
    times = [u["created_at"] for u in updates]
    assert times == sorted(times, reverse=True)
    newest = fake.state.list_incident_updates()[0]
    assert updates[0] == newest.to_dict()


@pytest.mark.parametrize("page_size", [1, 7, 250])
async def test_walking_pages_gives_every_record_once_in_order(
    fake: FakeIncidentIO, http: httpx.AsyncClient, page_size: int
) -> None:
    everything = [u.to_dict() for u in fake.state.list_incident_updates()]
    assert len(everything) == 340  # 40 sample updates and 300 bulk ones
    walked = await _walk(http, page_size)
    assert walked == everything
    assert len({u["id"] for u in walked}) == len(walked)


@pytest.mark.parametrize("page_size", [1, 7, 250])
async def test_walking_one_incidents_pages(
    fake: FakeIncidentIO, http: httpx.AsyncClient, page_size: int
) -> None:
    incidents = list(fake.state.incidents)
    for incident_id in [*incidents[:3], incidents[-1]]:
        expected = [u.to_dict() for u in fake.state.list_incident_updates(incident_id)]
        assert expected
        assert all(u["incident_id"] == incident_id for u in expected)
        assert await _walk(http, page_size, incident_id) == expected


async def test_an_exactly_full_last_page_has_no_after(
    fake: FakeIncidentIO, http: httpx.AsyncClient
) -> None:
    incident_id = fake.add_incident_updates(50)
    body = (
        await http.get("/v2/incident_updates", params={"incident_id": incident_id, "page_size": 50})
    ).json()
    assert len(body["incident_updates"]) == 50
    assert body["pagination_meta"] == {"page_size": 50}


async def test_unknown_incident_has_no_updates(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/v2/incident_updates", params={"incident_id": "01FCNDV6P870EA6S7TK1DSYDG0"}
    )
    assert response.json() == {"incident_updates": [], "pagination_meta": {"page_size": 25}}


async def test_empty_parameters_count_as_absent(http: httpx.AsyncClient) -> None:
    plain = await http.get("/v2/incident_updates")
    empty = await http.get("/v2/incident_updates?incident_id=&page_size=&after=")
    assert empty.json() == plain.json()


@pytest.mark.parametrize("page_size", ["0", "-1", "251", "1000", "abc", "1.5", "25x"])
async def test_invalid_page_size_is_422(http: httpx.AsyncClient, page_size: str) -> None:
    response = await http.get("/v2/incident_updates", params={"page_size": page_size})
    assert_error(response, 422, "validation_error", field="page_size", code="invalid_value")


async def test_unknown_after_is_422(http: httpx.AsyncClient) -> None:
    response = await http.get(
        "/v2/incident_updates", params={"after": "01FCNDV6P870EA6S7TK1DSYDG0"}
    )
    assert_error(response, 422, "validation_error", field="after")


async def test_every_sample_update_matches_the_schema(fake: FakeIncidentIO) -> None:
    for update in fake.state.list_incident_updates():
        assert json.loads(update.to_json()) == update.to_dict()
        assert_matches("IncidentUpdateV2", update.to_dict())
    kinds = {next(iter(u.updater.to_dict())) for u in fake.state.list_incident_updates()}
    assert "user" in kinds
    assert any(u.severity for u in fake.state.list_incident_updates())


async def test_bulk_loads_are_fast_and_pages_are_cheap() -> None:
    fake = FakeIncidentIO(seed=1, rate_limit=False)
    started = time.perf_counter()
    incident_id = fake.add_incident_updates(25_000)
    assert time.perf_counter() - started < 5  # about 0.2 s; generous for slow CI machines
    assert len(fake.state.list_incident_updates(incident_id)) == 25_000

    async with fake.http_client() as http:
        started = time.perf_counter()
        records = 0
        after = None
        for _ in range(20):
            params: dict[str, Any] = {"page_size": 250, "incident_id": incident_id}
            if after:
                params["after"] = after
            body = (await http.get("/v2/incident_updates", params=params)).json()
            records += len(body["incident_updates"])
            after = body["pagination_meta"]["after"]
        elapsed = time.perf_counter() - started
    assert records == 5000
    assert elapsed < 5  # about 0.1 s: the JSON is made once, at load time
