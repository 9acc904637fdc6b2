"""The client's hooks: small frozen events before and after each attempt, on each retry and
rate limit, from sync or async functions; a hook that raises is logged and ignored."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest

from incidentio_async import ConfigurationError, IncidentIO
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import RateLimiter
from incidentio_async.telemetry import RateLimitedEvent, RequestEvent, ResponseEvent, RetryEvent
from incidentio_async.testing import FakeIncidentIO

from client_factory import TEST_KEY

pytestmark = pytest.mark.anyio

SHOW = "Follow-ups V3#Show"


def error_body(status: int, request_id: str = "req-1") -> dict[str, Any]:
    return {"type": "x", "status": status, "request_id": request_id, "errors": []}


@pytest.fixture
def fake() -> FakeIncidentIO:
    return FakeIncidentIO(seed=7, clock=VirtualClock(), sample_data=False)


def hooks_into(events: list[object]) -> dict[str, Any]:
    return {
        "on_request": events.append,
        "on_response": events.append,
        "on_retry": events.append,
        "on_rate_limited": events.append,
    }


async def test_sync_hooks_see_each_attempt_and_retry_in_order(fake: FakeIncidentIO) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Hooked")
    fake.faults.script(503, error_body(503))
    events: list[object] = []
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), fake.client(**hooks_into(events)) as client:
        await client.follow_ups_v3.get(follow_up.id)

    url = f"https://api.incident.io/v3/follow_ups/{follow_up.id}"
    request, failed, retry, again, answered = events
    assert request == RequestEvent(SHOW, "GET", url, 1)
    assert failed == ResponseEvent(
        operation=SHOW,
        method="GET",
        url=url,
        attempt=1,
        status_code=503,
        request_id="req-1",
        elapsed_s=0.0,
        wait_s=0.0,
        error_type="503",
    )
    assert isinstance(retry, RetryEvent)
    assert (retry.attempt, retry.reason, retry.rate_limited) == (1, "503", False)
    assert 0.25 <= retry.wait_s <= 0.5
    assert again == RequestEvent(SHOW, "GET", url, 2)
    assert isinstance(answered, ResponseEvent)
    assert (answered.attempt, answered.status_code, answered.error_type) == (2, 200, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        answered.attempt = 3  # type: ignore[misc]


async def test_async_hooks_are_awaited_before_the_call_goes_on(fake: FakeIncidentIO) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Awaited")
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    seen: list[tuple[str, int, float]] = []

    async def on_request(event: RequestEvent) -> None:
        await clock.sleep(2.0)  # the request leaves only once this is done
        seen.append(("request", len(fake.requests), clock.monotonic()))

    async def on_response(event: ResponseEvent) -> None:
        seen.append(("response", len(fake.requests), clock.monotonic()))

    async with clock.running(), fake.client(on_request=on_request, on_response=on_response) as c:
        started = clock.monotonic()
        await c.follow_ups_v3.get(follow_up.id)
    assert seen == [("request", 0, started + 2.0), ("response", 1, started + 2.0)]


async def test_a_rate_limit_is_told_with_the_wait_and_the_limit_that_was_hit(
    fake: FakeIncidentIO,
) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Limited")
    body = {
        **error_body(429),
        "rate_limit": {"name": "per-key", "limit": 1200, "remaining": 0, "retry_after": None},
    }
    fake.faults.script(429, body, headers={"Retry-After": "4"})
    events: list[object] = []
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), fake.client(**hooks_into(events)) as client:
        await client.follow_ups_v3.get(follow_up.id)

    kinds = [type(event).__name__ for event in events]
    assert kinds == [
        "RequestEvent",
        "ResponseEvent",
        "RateLimitedEvent",
        "RetryEvent",
        "RequestEvent",
        "ResponseEvent",
    ]
    limited = events[2]
    assert isinstance(limited, RateLimitedEvent)
    assert (limited.attempt, limited.status_code, limited.retry_after_s, limited.wait_s) == (
        1,
        429,
        4.0,
        4.0,
    )
    assert limited.rate_limit is not None and limited.rate_limit.name == "per-key"
    retry = events[3]
    assert isinstance(retry, RetryEvent)
    assert (retry.reason, retry.rate_limited, retry.wait_s) == ("429", True, 4.0)
    final = events[5]
    assert isinstance(final, ResponseEvent)
    assert (final.attempt, final.status_code) == (2, 200)


async def test_the_wait_for_the_limiter_is_in_the_response_event(fake: FakeIncidentIO) -> None:
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    limiter = RateLimiter(capacity=10, refill_rate=4.0, initial_tokens=0, clock=clock)
    events: list[ResponseEvent] = []
    async with clock.running(), fake.client(rate_limiter=limiter, on_response=events.append) as c:
        await c.follow_ups_v3.list().to_list()
    (event,) = events
    assert event.wait_s == 0.5  # two tokens (one held back) at 4 per second


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_a_hook_that_raises_is_logged_and_the_call_goes_on(
    fake: FakeIncidentIO, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Sturdy")

    def broken(event: object) -> None:
        raise RuntimeError("the hook's own bug")

    async def broken_async(event: object) -> None:
        raise RuntimeError("the hook's own bug")

    hook = broken if kind == "sync" else broken_async
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    caplog.set_level(logging.WARNING, logger="incidentio_async")
    async with clock.running(), fake.client(on_request=hook, on_response=hook) as client:
        assert (await client.follow_ups_v3.get(follow_up.id)).id == follow_up.id

    failures = [r for r in caplog.records if r.name == "incidentio_async"]
    assert [r.getMessage() for r in failures] == [
        "the on_request hook raised; the call goes on without it",
        "the on_response hook raised; the call goes on without it",
    ]
    assert all(r.exc_info and "the hook's own bug" in str(r.exc_info[1]) for r in failures)
    assert [(r.operation, r.attempt) for r in failures] == [(SHOW, 1), (SHOW, 1)]  # type: ignore[attr-defined]


async def test_hooks_must_be_functions_and_telemetry_an_opentelemetry() -> None:
    with pytest.raises(ConfigurationError, match="on_retry must be a function, not str"):
        IncidentIO(TEST_KEY, on_retry="print")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="telemetry must be an incidentio_async"):
        IncidentIO(TEST_KEY, telemetry=object())  # type: ignore[arg-type]
