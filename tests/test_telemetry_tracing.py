"""OpenTelemetry spans: one per call, named after the operation, a CLIENT child per attempt,
read back from the SDK's in-memory exporter. Time is virtual; the fake answers."""

from __future__ import annotations

from typing import Any

import anyio
import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import SpanKind, StatusCode

from incidentio_async import (
    ClientClosedError,
    IncidentIO,
    InvalidArgumentError,
    NotFoundError,
    ServerError,
)
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import RateLimiter
from incidentio_async.testing import FakeIncidentIO

from otel_capture import Captured

pytestmark = pytest.mark.anyio

KEY = "inc_live_telemetry_0123456789SECRET"


def error_body(status: int, request_id: str = "req-1", message: str = "no") -> dict[str, Any]:
    return {
        "type": "x",
        "status": status,
        "request_id": request_id,
        "errors": [{"code": "x", "message": message}],
    }


@pytest.fixture
def fake() -> FakeIncidentIO:
    fake = FakeIncidentIO(seed=3, clock=VirtualClock(), sample_data=False, api_keys=[KEY])
    return fake


@pytest.fixture
def captured() -> Captured:
    return Captured()


def client_of(fake: FakeIncidentIO, captured: Captured, **options: Any) -> IncidentIO:
    return fake.client(telemetry=captured.telemetry, **options)


def assert_no_key(captured: Captured) -> None:
    for text in captured.texts():
        assert KEY not in text


async def test_a_plain_call_is_one_span_named_after_its_operation_with_an_attempt_child(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Rotate the key")
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        with captured.tracer.start_as_current_span("caller") as caller:
            await client.follow_ups_v3.get(follow_up.id)
            # The call's span was current only while the call ran.
            assert trace.get_current_span() is caller

    assert captured.tree() == [
        "caller [INTERNAL] -",
        "  Follow-ups V3 Show [INTERNAL] 200",
        "    GET /v3/follow_ups/{id} [CLIENT] 200",
    ]
    (call,) = captured.named("Follow-ups V3 Show")
    assert call.kind is SpanKind.INTERNAL
    assert call.status.status_code is StatusCode.UNSET
    assert dict(call.attributes or {}) == {
        "incidentio.operation": "Follow-ups V3#Show",
        "http.request.method": "GET",
        "url.template": "/v3/follow_ups/{id}",
        "url.full": f"https://api.incident.io/v3/follow_ups/{follow_up.id}",
        "server.address": "api.incident.io",
        "server.port": 443,
        "http.response.status_code": 200,
        "incidentio.attempts": 1,
        "incidentio.rate_limit.wait_s": 0.0,
        "incidentio.rate_limit.scope": "key",
    }
    (attempt,) = captured.children(call)
    assert attempt.kind is SpanKind.CLIENT
    assert "http.request.resend_count" not in (attempt.attributes or {})
    assert (attempt.attributes or {})["url.full"] == call.attributes["url.full"]  # type: ignore[index]
    assert_no_key(captured)


async def test_a_call_that_waited_for_the_rate_limiter_says_how_long(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    # An empty bucket refilled at 2/s, one token held back: the first request waits 1 s.
    limiter = RateLimiter(capacity=10, refill_rate=2.0, initial_tokens=0, clock=clock)
    async with clock.running(), client_of(fake, captured, rate_limiter=limiter) as client:
        started = clock.monotonic()
        await client.follow_ups_v3.list(page_size=5).to_list()
        waited = clock.monotonic() - started

    (call,) = captured.named("Follow-ups V3 List")
    (attempt,) = captured.children(call)
    assert waited == 1.0
    assert call.attributes["incidentio.rate_limit.wait_s"] == 1.0  # type: ignore[index]
    assert call.attributes["incidentio.rate_limit.scope"] == "key"  # type: ignore[index]
    assert attempt.attributes["incidentio.rate_limit.wait_s"] == 1.0  # type: ignore[index]
    # The attempt starts once the limiter lets it through: the wait is the gap before it.
    assert (attempt.start_time or 0) > (call.start_time or 0)


async def test_retries_after_503s_are_children_of_one_span_with_retry_events(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Flaky")
    fake.faults.script(503, error_body(503), times=2)
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        await client.follow_ups_v3.get(follow_up.id)

    assert captured.tree() == [
        "Follow-ups V3 Show [INTERNAL] 200",
        "  GET /v3/follow_ups/{id} [CLIENT] 503 ERROR",
        "  GET /v3/follow_ups/{id} [CLIENT] 503 ERROR",
        "  GET /v3/follow_ups/{id} [CLIENT] 200",
    ]
    (call,) = captured.named("Follow-ups V3 Show")
    attempts = captured.children(call)
    assert [(a.attributes or {}).get("http.request.resend_count") for a in attempts] == [
        None,
        1,
        2,
    ]
    assert [(a.attributes or {}).get("error.type") for a in attempts] == ["503", "503", None]
    assert attempts[0].attributes["incidentio.request_id"] == "req-1"  # type: ignore[index]
    assert call.attributes["incidentio.attempts"] == 3  # type: ignore[index]
    assert call.status.status_code is StatusCode.UNSET
    retries = [event for event in call.events if event.name == "incidentio.retry"]
    assert [dict(event.attributes or {})["incidentio.attempt"] for event in retries] == [1, 2]
    assert {dict(event.attributes or {})["incidentio.retry.reason"] for event in retries} == {"503"}
    assert all(0 < (event.attributes or {})["incidentio.wait_s"] <= 1 for event in retries)  # type: ignore[operator]


async def test_a_rate_limited_call_records_the_wait_the_api_asked_for(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Busy")
    fake.faults.script(429, error_body(429), headers={"Retry-After": "3"})
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        await client.follow_ups_v3.get(follow_up.id)

    (call,) = captured.named("Follow-ups V3 Show")
    assert [event.name for event in call.events] == ["incidentio.rate_limited", "incidentio.retry"]
    limited = dict(call.events[0].attributes or {})
    assert limited["http.response.status_code"] == 429
    assert limited["incidentio.retry_after_s"] == 3.0
    assert limited["incidentio.wait_s"] == 3.0
    assert dict(call.events[1].attributes or {})["incidentio.rate_limited"] is True
    # The API's 3 s, and the limiter's own wait after the pause it took from the 429.
    assert call.attributes["incidentio.rate_limit.wait_s"] >= 3.0  # type: ignore[index,operator]
    assert call.attributes["incidentio.attempts"] == 2  # type: ignore[index]


async def test_a_failure_marks_the_span_with_the_error_type_and_exception(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    # A server that echoes the key in its message: the span must not carry it.
    fake.faults.script(503, error_body(503, "req-9", f"bad key {KEY}"), times=4)
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured, max_retries=3) as client:
        with pytest.raises(ServerError):
            await client.follow_ups_v3.get("01FOLLOWUP")

    assert captured.tree() == [
        "Follow-ups V3 Show [INTERNAL] 503 ERROR",
        *["  GET /v3/follow_ups/{id} [CLIENT] 503 ERROR"] * 4,
    ]
    (call,) = captured.named("Follow-ups V3 Show")
    attributes = dict(call.attributes or {})
    assert attributes["error.type"] == "incidentio_async.errors.ServerError"
    assert attributes["incidentio.request_id"] == "req-9"
    assert attributes["incidentio.attempts"] == 4
    (exception,) = [event for event in call.events if event.name == "exception"]
    assert (exception.attributes or {})["exception.type"] == "incidentio_async.errors.ServerError"
    assert "[redacted]" in str((exception.attributes or {})["exception.message"])
    assert_no_key(captured)


async def test_a_connection_failure_names_the_transport_error(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    fake.faults.drop("before", times=2)
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured, max_retries=1) as client:
        with pytest.raises(Exception, match="dropped the connection"):
            await client.follow_ups_v3.get("01FOLLOWUP")

    (call,) = captured.named("Follow-ups V3 Show")
    attempts = captured.children(call)
    assert [(a.attributes or {}).get("error.type") for a in attempts] == ["httpx.ConnectError"] * 2
    assert all("http.response.status_code" not in (a.attributes or {}) for a in attempts)
    assert (call.attributes or {})["error.type"] == "incidentio_async.errors.APIConnectionError"


async def test_a_not_found_is_an_error_on_the_attempt_and_the_call(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        with pytest.raises(NotFoundError):
            await client.follow_ups_v3.get("01NOSUCHTHING")
    assert captured.tree() == [
        "Follow-ups V3 Show [INTERNAL] 404 ERROR",
        "  GET /v3/follow_ups/{id} [CLIENT] 404 ERROR",
    ]


async def test_a_three_page_iteration_is_three_spans_under_the_callers_span(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    incident = fake.add_incident()
    for number in range(5):
        fake.add_follow_up(incident, f"Follow-up {number}")
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        with captured.tracer.start_as_current_span("export"):
            pages = [page async for page in client.follow_ups_v3.list(page_size=2).pages()]

    assert [len(page.items) for page in pages] == [2, 2, 1]
    assert captured.tree() == [
        "export [INTERNAL] -",
        *["  Follow-ups V3 List [INTERNAL] 200", "    GET /v3/follow_ups [CLIENT] 200"] * 3,
    ]
    (export,) = captured.named("export")
    calls = captured.children(export)
    urls = [(call.attributes or {})["url.full"] for call in calls]
    assert urls[0] == "https://api.incident.io/v3/follow_ups?page_size=2"
    assert all(f"after={page.after}" in url for page, url in zip(pages, urls[1:], strict=False))


async def test_raw_requests_are_named_by_method_and_path_template(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Raw")
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        await client.request("GET", f"/v3/follow_ups/{follow_up.id}")
    assert captured.tree() == [
        "GET /v3/follow_ups/{id} [INTERNAL] 200",
        "  GET /v3/follow_ups/{id} [CLIENT] 200",
    ]
    (call, _) = captured.named("GET /v3/follow_ups/{id}")
    assert (call.attributes or {})["incidentio.operation"] == "GET /v3/follow_ups/{id}"


async def test_a_request_id_that_echoes_the_key_is_redacted(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    fake.faults.script(200, {"follow_up": None}, headers={"X-Request-Id": f"id-{KEY}"})
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        with pytest.raises(Exception):  # noqa: B017  (the body does not fit: beside the point)
            await client.follow_ups_v3.get("01FOLLOWUP")
    (call,) = captured.named("Follow-ups V3 Show")
    assert (call.attributes or {})["incidentio.request_id"] == "id-[redacted]"
    assert_no_key(captured)


async def test_a_cancelled_call_ends_its_span_without_an_error(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    fake.faults.latency = 10.0
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), client_of(fake, captured) as client:
        with captured.tracer.start_as_current_span("caller") as caller:
            with pytest.raises(TimeoutError), clock.fail_after(1):
                await client.follow_ups_v3.get("01FOLLOWUP")
            assert trace.get_current_span() is caller
    (call,) = captured.named("Follow-ups V3 Show")
    assert call.status.status_code is StatusCode.UNSET
    assert "error.type" not in (call.attributes or {})
    assert call.end_time is not None


async def test_unsampled_calls_record_nothing_and_still_work(fake: FakeIncidentIO) -> None:
    captured = Captured(sampler=ALWAYS_OFF)
    follow_up = fake.add_follow_up(fake.add_incident(), "Quiet")
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        assert (await client.follow_ups_v3.get(follow_up.id)).id == follow_up.id
    assert captured.spans == []


async def test_a_call_refused_before_any_attempt_is_a_failed_span_without_attempts(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), client_of(fake, captured) as client:
        with pytest.raises(InvalidArgumentError, match="URL would be"):
            query = {f"q{number}": "x" * 2_000 for number in range(10)}
            await client.follow_ups_v3.get("01FOLLOWUP", extra_query=query)
    assert captured.tree() == ["Follow-ups V3 Show [INTERNAL] - ERROR"]
    (call,) = captured.spans
    attributes = dict(call.attributes or {})
    assert attributes["incidentio.attempts"] == 0
    assert attributes["error.type"] == "incidentio_async.errors.InvalidArgumentError"
    assert "url.full" not in attributes


async def test_closing_the_client_mid_attempt_ends_the_attempt_span_too(
    fake: FakeIncidentIO, captured: Captured
) -> None:
    fake.faults.latency = 5.0
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), client_of(fake, captured) as client:

        async def close_soon() -> None:
            await clock.sleep(1.0)
            await client.aclose()

        async with anyio.create_task_group() as group:
            group.start_soon(close_soon)
            with pytest.raises(ClientClosedError):
                await client.follow_ups_v3.get("01FOLLOWUP")
    assert captured.tree() == [
        "Follow-ups V3 Show [INTERNAL] - ERROR",
        "  GET /v3/follow_ups/{id} [CLIENT] - ERROR",
    ]
    (call,) = captured.named("Follow-ups V3 Show")
    (attempt,) = captured.children(call)
    assert (attempt.attributes or {})["error.type"] == "incidentio_async.errors.ClientClosedError"
