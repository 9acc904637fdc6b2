"""Structured logs: every record of the SDK's logger carries ``operation``, ``attempt``,
``request_id`` and ``wait_s``; the key stays out. And a call nobody watches costs nothing."""

from __future__ import annotations

import json
import logging
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from incidentio_async._pipeline import ApiRequest
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import RateLimiter
from incidentio_async.telemetry import naming
from incidentio_async.telemetry.instrument import QUIET, ObservedCall
from incidentio_async.testing import FakeIncidentIO

from client_factory import TEST_KEY

pytestmark = pytest.mark.anyio

FIELDS = ("operation", "attempt", "request_id", "wait_s")


class JsonFormatter(logging.Formatter):
    """What a JSON log formatter does: the message and the record's extra attributes."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {"message": record.getMessage(), **{name: getattr(record, name) for name in FIELDS}}
        )


@pytest.fixture
def fake() -> FakeIncidentIO:
    return FakeIncidentIO(seed=9, clock=VirtualClock(), sample_data=False, api_keys=[TEST_KEY])


@pytest.fixture
def sdk_log() -> Iterator[list[str]]:
    """The SDK's records at DEBUG, formatted as JSON."""
    logger = logging.getLogger("incidentio_async")
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonFormatter())
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


async def test_records_about_a_call_carry_its_fields(
    fake: FakeIncidentIO, sdk_log: list[str]
) -> None:
    follow_up = fake.add_follow_up(fake.add_incident(), "Logged")
    body = {"type": "x", "status": 503, "request_id": "req-7", "errors": []}
    fake.faults.script(503, body)
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    limiter = RateLimiter(capacity=10, refill_rate=4.0, initial_tokens=0, clock=clock)
    async with clock.running(), fake.client(rate_limiter=limiter) as client:
        await client.follow_ups_v3.get(follow_up.id)

    records: list[dict[str, Any]] = [json.loads(line) for line in sdk_log]
    path = f"/v3/follow_ups/{follow_up.id}"
    first, retry, second = records
    assert first == {
        "message": f"GET {path} -> 503 (0.000s)",
        "operation": "Follow-ups V3#Show",
        "attempt": 1,
        "request_id": "req-7",
        "wait_s": 0.5,  # for the limiter: two tokens (one held back) at 4 per second
    }
    assert retry["message"].startswith(f"Retrying GET {path} in ")
    assert retry["message"].endswith(" after 503 x (retry 1 of 3)")
    assert (retry["operation"], retry["attempt"], retry["request_id"]) == (
        "Follow-ups V3#Show",
        1,
        "req-7",
    )
    assert 0.25 <= retry["wait_s"] <= 0.5  # the backoff the record is about
    assert (second["message"], second["attempt"], second["request_id"]) == (
        f"GET {path} -> 200 (0.000s)",
        2,
        None,
    )
    assert TEST_KEY not in "".join(sdk_log)


async def test_a_connection_failure_is_logged_with_the_calls_fields(
    fake: FakeIncidentIO, sdk_log: list[str]
) -> None:
    fake.faults.drop("before")
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), fake.client() as client:
        await client.request("GET", "/v3/follow_ups")
    failed = json.loads(sdk_log[0])
    assert failed["message"] == "GET /v3/follow_ups failed: ConnectError"
    assert (failed["operation"], failed["attempt"]) == ("GET /v3/follow_ups", 1)


def test_records_not_about_a_call_carry_the_fields_as_none(sdk_log: list[str]) -> None:
    from incidentio_async import IncidentIO

    IncidentIO(TEST_KEY)  # installs the fields (with the key's redaction)
    logging.getLogger("incidentio_async").warning("the Redis limiter says hello")
    assert json.loads(sdk_log[-1]) == {
        "message": "the Redis limiter says hello",
        **dict.fromkeys(FIELDS),
    }


async def test_a_call_nobody_watches_gets_the_shared_quiet_observer(fake: FakeIncidentIO) -> None:
    request = ApiRequest("GET", "/v3/follow_ups")
    logger = logging.getLogger("incidentio_async")
    previous = logger.level
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), fake.client() as client:
        instrument = client._pipeline._instrument
        try:
            logger.setLevel(logging.WARNING)
            assert instrument.start(request) is QUIET
            assert instrument.start(request) is QUIET
            logger.setLevel(logging.INFO)  # retries are logged: someone listens
            assert isinstance(instrument.start(request), ObservedCall)
        finally:
            logger.setLevel(previous)
    async with clock.running(), fake.client(on_retry=print) as client:
        logger.setLevel(logging.WARNING)
        try:
            assert isinstance(client._pipeline._instrument.start(request), ObservedCall)
        finally:
            logger.setLevel(previous)


async def test_nothing_is_formatted_for_a_quiet_log(
    fake: FakeIncidentIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> str:
        raise AssertionError("formatted a record nobody reads")

    monkeypatch.setattr(naming, "reason", refuse)
    logger = logging.getLogger("incidentio_async")
    previous = logger.level
    fake.faults.script(503, {"type": "x", "status": 503, "request_id": "r", "errors": []})
    fake.faults.drop("before")
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    logger.setLevel(logging.WARNING)
    try:
        async with clock.running(), fake.client(on_response=lambda event: None) as client:
            response = await client.request("GET", "/v3/follow_ups")
    finally:
        logger.setLevel(previous)
    assert isinstance(response, httpx.Response) and response.status_code == 200


def test_the_quiet_path_allocates_nothing() -> None:
    """What a one-attempt call does when nothing listens makes no object: the peak of traced
    memory over many calls is that of an empty loop (an observer per call would show)."""
    from incidentio_async import IncidentIO

    logger = logging.getLogger("incidentio_async")
    previous = logger.level
    instrument = IncidentIO(TEST_KEY)._pipeline._instrument
    request = ApiRequest("GET", "/v3/follow_ups/01FOLLOWUP")
    attempt = httpx.Request("GET", "https://api.incident.io/v3/follow_ups/01FOLLOWUP")
    response = httpx.Response(200)

    def quiet_calls(count: int) -> None:
        for _ in range(count):
            call = instrument.start(request)
            call.attempt_queued(attempt)
            call.attempt_sending()
            call.attempt_ended(response, None, 0.5)
            call.ended(response, None)

    def empty_loop(count: int) -> None:
        for _ in range(count):
            pass

    def peak(run: Callable[[int], None]) -> int:
        run(10)
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run(500)
        return tracemalloc.get_traced_memory()[1] - before

    logger.setLevel(logging.WARNING)
    tracemalloc.start()
    try:
        assert peak(quiet_calls) == peak(empty_loop)
    finally:
        tracemalloc.stop()
        logger.setLevel(previous)
