"""Defects found in review, each pinned by a test that failed before its fix."""

from __future__ import annotations

import copy
import gzip
import pickle
from typing import Any

import anyio
import httpx
import pytest

from incidentio_api.types import format_datetime, parse_datetime
from incidentio_async import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
    IncidentIO,
    InvalidArgumentError,
    NotFoundError,
    RateLimiter,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
)
from incidentio_async.clock import VirtualClock

from client_factory import (
    CALLS_FOLLOW_UPS_V2,
    FOLLOW_UP,
    TEST_KEY,
    Recorder,
    json_response,
    mock_client,
)

pytestmark = [
    pytest.mark.anyio,
    CALLS_FOLLOW_UPS_V2,
]

OK = {"follow_up": FOLLOW_UP}


async def test_a_long_retry_after_does_not_freeze_later_calls_for_that_long() -> None:
    clock = VirtualClock()
    limited = json_response(
        429, {"type": "too_many_requests", "status": 429, "errors": []}, **{"Retry-After": "3600"}
    )
    async with mock_client(Recorder(limited), clock=clock) as client:
        with pytest.raises(RateLimitError):
            await client.follow_ups.get("01FU")
        paused_until = client.rate_limiter.paused_until  # type: ignore[attr-defined]
    assert paused_until is not None
    # 3600 s is beyond what a call waits (max_rate_limit_wait): it raises at once, and the
    # limiter shared with other calls is paused no longer than a call would wait.
    assert paused_until - clock.monotonic() <= RetryPolicy().max_rate_limit_wait


async def test_errors_pickle_without_the_key() -> None:
    body = {"type": "not_found", "status": 404, "request_id": "r-1", "errors": []}
    recorder = Recorder(
        json_response(404, body), httpx.ReadError("reset"), httpx.Response(200, text="<html>")
    )
    errors: list[Exception] = []
    async with mock_client(recorder, max_retries=0) as client:
        for _ in range(3):
            try:
                await client.follow_ups.get("01FU")
            except Exception as error:
                errors.append(error)
    assert [type(e) for e in errors] == [NotFoundError, APIConnectionError, ResponseValidationError]
    for error in errors:
        data = pickle.dumps(error)
        assert TEST_KEY.encode() not in data
        restored = pickle.loads(data)
        assert type(restored) is type(error) and str(restored) == str(error)
    assert pickle.loads(pickle.dumps(errors[0])).request_id == "r-1"
    assert errors[0].response.request.headers["authorization"] == "Bearer [redacted]"  # type: ignore[attr-defined]


async def test_a_body_that_cannot_be_decoded_is_a_connection_error_and_retried() -> None:
    clock = VirtualClock()

    def gzipped(body: bytes) -> httpx.Response:
        # A stream, so that httpx decodes it while receiving, as with a real server.
        headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
        return httpx.Response(200, headers=headers, stream=httpx.ByteStream(body))

    broken = gzipped(b"not gzip at all")
    good = gzipped(gzip.compress(httpx.Response(200, json=OK).content))
    recorder = Recorder(broken, good)
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        follow_up = await client.follow_ups.get("01FU")
    assert follow_up.id == FOLLOW_UP["id"] and len(recorder.requests) == 2
    async with mock_client(Recorder(gzipped(b"still not gzip")), max_retries=0) as client:
        with pytest.raises(APIConnectionError, match="could not be decoded"):
            await client.follow_ups.get("01FU")


async def test_closing_the_client_while_requests_wait_for_the_limiter() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(capacity=1, refill_rate=0.01, safety_margin=0.0, clock=clock)
    recorder = Recorder(json_response(200, OK))
    client = mock_client(recorder, clock=clock, limiter=limiter)
    outcomes: list[str] = []

    async def call() -> None:
        try:
            await client.follow_ups.get("01FU")
            outcomes.append("ok")
        except ClientClosedError:
            outcomes.append("closed")

    async with anyio.create_task_group() as group:
        group.start_soon(call)
        group.start_soon(call)  # waits for a token that comes in ~100 s (within its budget)
        await clock.settle()
        await client.aclose()
        clock.advance(200)
    assert sorted(outcomes) == ["closed", "ok"]


async def test_a_delete_whose_first_answer_was_lost_succeeds_on_a_404_retry() -> None:
    clock = VirtualClock()
    not_found = json_response(404, {"type": "not_found", "status": 404, "errors": []})
    recorder = Recorder(httpx.ReadTimeout("answer lost"), not_found)
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        assert await client.follow_ups.delete("01FU") is None
    assert [r.method for r in recorder.requests] == ["DELETE", "DELETE"]
    async with mock_client(Recorder(not_found)) as client:
        with pytest.raises(NotFoundError):
            await client.follow_ups.delete("01FU")  # a first-attempt 404 is still an error


async def test_an_answer_that_trickles_forever_times_out() -> None:
    async def trickle(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(30)
        raise AssertionError("unreachable")

    client = IncidentIO(
        TEST_KEY,
        transport=httpx.MockTransport(trickle),
        timeout=0.05,
        max_retries=0,
        rate_limiter=RateLimiter(),
    )
    with anyio.fail_after(5):
        # A number bounds the whole attempt (not each of its four phases, 0.2 s in all).
        with pytest.raises(APITimeoutError, match=r"no complete response within 0\.05s"):
            await client.follow_ups.get("01FU")
    await client.aclose()


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.follow_ups.get("\ud800"),
        lambda c: c.follow_ups.list(incident_id="a\udcff"),
        lambda c: c.incident_updates.list(incident_id="\udcff").to_list(),
        lambda c: c.follow_ups.create(incident_id="01", title="t", labels=["\ud800"]),
    ],
)
async def test_text_that_is_not_utf8_is_refused_clearly(call: Any) -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError, match="not valid text"):
            await call(client)
    assert recorder.requests == []


def test_a_key_that_is_not_ascii_is_refused_without_echoing_it() -> None:
    key = "sk_live_abc\udcffdef"
    with pytest.raises(ConfigurationError) as caught:
        IncidentIO(key, rate_limiter=RateLimiter())
    assert "sk_live" not in str(caught.value) and caught.value.__cause__ is None
    assert caught.value.__context__ is None


async def test_a_deeply_nested_body_is_a_response_validation_error() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    async with mock_client(Recorder(httpx.Response(200, content=deep))) as client:
        with pytest.raises(ResponseValidationError, match="not JSON"):
            await client.follow_ups.get("01FU")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"headers": {"X-Team": 42}}, "headers must map strings to strings"),
        ({"retry_policy": {"max_retries": 5}}, "retry_policy must be a RetryPolicy"),
        ({"retry_policy": RetryPolicy(), "max_retries": 0}, "not both"),
        ({"rate_limiter": "default"}, "rate_limiter must be"),
        ({"timeout": float("inf")}, "timeout"),
        ({"timeout": httpx.Timeout(5.0, read=float("inf"))}, "timeout"),
    ],
)
def test_constructor_mistakes_are_configuration_errors(
    kwargs: dict[str, Any], message: str
) -> None:
    kwargs.setdefault("rate_limiter", RateLimiter())
    with pytest.raises(ConfigurationError, match=message):
        IncidentIO("k", **kwargs)


def test_a_retry_policy_alone_sets_the_retries() -> None:
    client = IncidentIO("k", retry_policy=RetryPolicy(max_retries=7), rate_limiter=RateLimiter())
    assert client._pipeline.policy.max_retries == 7


def test_timestamps_keep_their_text_through_copies_and_pickling() -> None:
    value = parse_datetime("2025-01-04T00:12:04.8Z")
    for copied in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
        assert copied == value
        assert format_datetime(copied) == "2025-01-04T00:12:04.8Z"
