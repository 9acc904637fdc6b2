"""Fault, cancellation and security suites, run against the fake with its fault injection.

Time is virtual throughout: backoffs, Retry-After pauses and the fake's latency take no
real time, and every run is the same.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

import anyio
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidentio_async import (
    APIConnectionError,
    APIStatusError,
    IncidentIO,
    InvalidArgumentError,
    NotFoundError,
    RateLimiter,
)
from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO, error_body

from client_factory import CALLS_FOLLOW_UPS_V2

pytestmark = [
    pytest.mark.anyio,
    CALLS_FOLLOW_UPS_V2,
]


async def all_update_ids(client: IncidentIO, incident_id: str) -> list[str]:
    pager = client.incident_updates.list(incident_id=incident_id, page_size=100)
    return [update.id async for update in pager]


async def test_every_record_arrives_once_and_in_order_through_5xx_429_storms_and_drops() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=11, clock=clock, sample_data=False)
    incident_id = fake.add_incident_updates(5000)
    storm = error_body(429, "too_many_requests", "too_many_requests", "Too many requests")

    async def storms_every_15_requests() -> None:
        # Our limiter keeps within the fake's bucket (it reads X-RateLimit-Remaining), so the
        # 429 storms are injected: 4 in a row, with Retry-After, every 15 requests.
        next_storm = 5
        while True:
            await clock.sleep(0.25)
            if len(fake.requests) >= next_storm:
                fake.faults.script(status=429, body=storm, headers={"Retry-After": "2"}, times=4)
                next_storm = len(fake.requests) + 15

    async with clock.running():
        async with fake.client() as client:
            expected = await all_update_ids(client, incident_id)
        fake.reset_requests()
        fake.faults.error_rate = 0.10
        fake.faults.drop_before_rate = 0.03
        fake.faults.drop_after_rate = 0.03
        limiter = RateLimiter(clock=clock)
        async with (
            anyio.create_task_group() as group,
            fake.client(rate_limiter=limiter, max_retries=25) as client,
        ):
            group.start_soon(storms_every_15_requests)
            received = await all_update_ids(client, incident_id)
            group.cancel_scope.cancel()

    assert len(expected) == 5000 and len(set(expected)) == 5000
    assert received == expected
    statuses = [r.status for r in fake.requests]
    assert statuses.count(429) >= 12, "the 429 storms did not happen"
    assert sum(1 for s in statuses if s is not None and s >= 500) >= 5
    assert sum(1 for r in fake.requests if r.dropped) >= 3
    assert limiter.stats.rate_limited == statuses.count(429)
    assert limiter.stats.retries == len(fake.requests) - 50  # 50 pages, every other a retry


async def test_a_create_that_fails_after_the_server_acted_is_not_retried() -> None:
    fake = FakeIncidentIO(seed=12)
    incident_id = fake.add_incident()
    fake.faults.drop(when="after", method="POST", path="/v2/follow_ups")
    async with fake.client() as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.follow_ups.create(incident_id=incident_id, title="Exactly once")
        follow_ups = await client.follow_ups.list(incident_id=incident_id)
    assert caught.value.request_sent
    assert "outcome is unknown" in str(caught.value)
    assert [f.title for f in follow_ups] == ["Exactly once"]  # created once, not duplicated
    assert [r.method for r in fake.requests].count("POST") == 1


async def test_a_create_whose_connection_failed_before_sending_is_retried_once() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=13, clock=clock)
    incident_id = fake.add_incident()
    fake.faults.drop(when="before", method="POST", path="/v2/follow_ups")
    async with clock.running(), fake.client() as client:
        created = await client.follow_ups.create(incident_id=incident_id, title="Exactly once")
        follow_ups = await client.follow_ups.list(incident_id=incident_id)
    assert [f.id for f in follow_ups] == [created.id]
    assert [r.method for r in fake.requests].count("POST") == 2


async def test_a_thousand_tasks_cancelled_mid_flight_leave_nothing_behind() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=14, clock=clock, latency=5.0)
    follow_up_id = next(iter(fake.state.follow_ups))
    limiter = RateLimiter(capacity=1200, refill_rate=20.0, max_concurrency=32, clock=clock)
    started: list[int] = []
    async with fake.client(rate_limiter=limiter) as client:

        async def fetch(index: int) -> None:
            started.append(index)
            await client.follow_ups.get(follow_up_id)

        async with anyio.create_task_group() as group:
            for index in range(1000):
                group.start_soon(fetch, index)
            for _ in range(20):  # let every task reach where it waits (time stands still)
                await clock.settle()
            assert len(started) == 1000
            assert limiter.free_slots == 0  # 32 requests inside the fake, waiting out latency
            assert limiter.waiting == 1000 - 32
            group.cancel_scope.cancel()

        assert limiter.free_slots == limiter.max_concurrency
        assert limiter.waiting == 0
        assert clock.pending_sleepers == 0  # no request, retry or fake handler still waiting
        clock.advance(limiter.capacity / limiter.refill_rate)
        assert limiter.available_tokens == limiter.capacity - limiter.reserve  # full again
        async with clock.running():
            assert (await client.follow_ups.get(follow_up_id)).id == follow_up_id


async def test_the_key_never_appears_in_logs_reprs_or_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = "inc_live_SuperSecretKeyValue_0123456789"
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=15, clock=clock, api_keys=[key], capacity=3, refill_rate=1.0)
    fake.faults.error_rate = 0.2
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore, anyio
    texts: list[str] = []
    async with clock.running():
        client = fake.client(rate_limiter=RateLimiter(capacity=1000, refill_rate=1000, clock=clock))
        texts += [repr(client), str(client), repr(client.rate_limiter), repr(vars(client))]
        for call in (
            client.follow_ups.list(),
            client.follow_ups.get("01NOTTHERE"),
            client.follow_ups.create(incident_id="01NOTTHERE", title=""),
            client.incident_updates.list(page_size=5).to_list(),
            client.follow_ups.update("..", title="t", status="completed"),
        ):
            try:
                await call
            except Exception as error:
                texts += [str(error), repr(error), repr(getattr(error, "response", None))]
        await client.aclose()
        wrong = fake.client(api_key="inc_wrong_key_should_not_leak_987654")
        with pytest.raises(APIStatusError) as caught:
            await wrong.follow_ups.list()
        texts += [str(caught.value), repr(caught.value)]
        await wrong.aclose()
    texts.append(caplog.text)
    assert any("429" in text or "Retrying" in text for text in texts)
    for text in texts:
        assert key not in text
        assert "inc_wrong_key_should_not_leak_987654" not in text
    assert sum(1 for r in fake.requests if r.status == 429) > 0


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_the_authorization_header_never_follows_a_redirect(status: int) -> None:
    fake = FakeIncidentIO(seed=16)
    fake.faults.script(status=status, headers={"Location": "https://collector.example/steal"})
    sent_elsewhere: list[httpx.Request] = []

    def elsewhere(request: httpx.Request) -> httpx.Response:
        sent_elsewhere.append(request)
        return httpx.Response(200, json={"follow_ups": []})

    # Even a user-supplied httpx client that follows redirects must not take the key along.
    mounts = {"https://collector.example": httpx.MockTransport(elsewhere)}
    user_client = httpx.AsyncClient(
        transport=fake.transport(), mounts=mounts, follow_redirects=True
    )
    client = IncidentIO(
        fake.api_key, http_client=user_client, rate_limiter=RateLimiter(), max_retries=0
    )
    with pytest.raises(APIStatusError) as caught:
        await client.follow_ups.list()
    await user_client.aclose()
    assert caught.value.status_code == status
    assert sent_elsewhere == []


ids = st.text(min_size=1, max_size=40).filter(
    lambda s: s not in (".", "..") and all(ord(c) >= 0x20 and ord(c) != 0x7F for c in s)
)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(follow_up_id=ids)
async def test_no_id_can_change_the_request_path(follow_up_id: str) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"type": "not_found", "status": 404, "errors": []})

    client = IncidentIO("k", transport=httpx.MockTransport(answer), rate_limiter=RateLimiter())
    for call in (
        client.follow_ups.get(follow_up_id),
        client.follow_ups.delete(follow_up_id),
        client.follow_ups.connect_external_issue(follow_up_id, provider="linear", url="u"),
    ):
        with pytest.raises(NotFoundError):
            await call
    await client.aclose()
    segment = quote(follow_up_id, safe="").encode()
    assert [r.url.raw_path for r in seen] == [
        b"/v2/follow_ups/" + segment,
        b"/v2/follow_ups/" + segment,
        b"/v2/follow_ups/" + segment + b"/actions/connect_external_issue",
    ]
    assert all(r.url.host == "api.incident.io" and not r.url.query for r in seen)


@pytest.mark.parametrize("follow_up_id", ["", ".", "..", "a\x00b", "\r\nX-Injected: 1"])
async def test_ids_that_would_change_the_path_are_refused(follow_up_id: str) -> None:
    async with IncidentIO(
        "k",
        transport=httpx.MockTransport(lambda r: httpx.Response(500)),
        rate_limiter=RateLimiter(),
    ) as client:
        with pytest.raises(InvalidArgumentError):
            await client.follow_ups.delete(follow_up_id)


async def test_a_v3_list_of_many_pages_arrives_once_and_in_order_through_faults() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=21, clock=clock, sample_data=False)
    incident = fake.add_incident()
    for n in range(300):
        fake.add_follow_up(incident, f"Follow-up {n}")
    async with clock.running():
        async with fake.client() as client:
            expected = [f.id async for f in client.follow_ups_v3.list(page_size=20)]
        fake.reset_requests()
        fake.faults.error_rate = 0.2  # 500, 502, 503
        fake.faults.drop_before_rate = 0.1
        fake.faults.drop_after_rate = 0.1
        storm = error_body(429, "too_many_requests", "too_many_requests", "Too many requests")
        fake.faults.script(status=429, body=storm, headers={"Retry-After": "3"}, times=5)
        async with fake.client(max_retries=10) as client:
            received = [f.id async for f in client.follow_ups_v3.list(page_size=20)]
    assert len(expected) == 300 and received == expected
    statuses = [r.status for r in fake.requests]
    assert statuses.count(429) == 5
    assert sum(1 for s in statuses if s is not None and s >= 500) >= 2
    assert sum(1 for r in fake.requests if r.dropped) >= 1
