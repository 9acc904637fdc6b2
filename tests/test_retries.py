"""Retries: what is retried, how long the client waits, when it gives up. Time is virtual."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from incidentio_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    IncidentIO,
    RateLimitError,
    RetryPolicy,
    ServerError,
)
from incidentio_async.clock import VirtualClock

from client_factory import CALLS_FOLLOW_UPS_V2, FOLLOW_UP, TEST_KEY, json_response, mock_client

pytestmark = [pytest.mark.anyio, CALLS_FOLLOW_UPS_V2]

OK = {"follow_up": FOLLOW_UP}


class Script:
    """Answers requests from a list, noting the virtual time of each."""

    def __init__(self, clock: VirtualClock, *answers: httpx.Response | Exception) -> None:
        self.clock = clock
        self.answers = list(answers)
        self.times: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.times.append(self.clock.monotonic())
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def gaps(self) -> list[float]:
        return [round(b - a, 6) for a, b in zip(self.times, self.times[1:], strict=False)]


def status(code: int, **headers: str) -> httpx.Response:
    return json_response(
        code, {"type": "x", "status": code, "request_id": "r", "errors": []}, **headers
    )


Call = Callable[[IncidentIO], Any]
GET: Call = lambda c: c.follow_ups.get("01FU")  # noqa: E731
PUT: Call = lambda c: c.follow_ups.update("01FU", title="t", status="completed")  # noqa: E731
DELETE: Call = lambda c: c.follow_ups.delete("01FU")  # noqa: E731
POST: Call = lambda c: c.follow_ups.create(incident_id="01INC", title="t")  # noqa: E731
CONNECT: Call = lambda c: c.follow_ups.connect_external_issue(  # noqa: E731
    "01FU", provider="linear", url="https://linear.app/x"
)


def success_for(call: Call) -> httpx.Response:
    return httpx.Response(204) if call is DELETE else json_response(200, OK)


@pytest.mark.parametrize("call", [GET, PUT, DELETE], ids=["GET", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "failure",
    [
        lambda: status(408),
        lambda: status(429),
        lambda: status(500),
        lambda: status(502),
        lambda: status(503),
        lambda: status(504),
        lambda: httpx.ConnectError("refused"),
        lambda: httpx.ReadTimeout("slow"),
        lambda: httpx.RemoteProtocolError("dropped"),
    ],
    ids=["408", "429", "500", "502", "503", "504", "connect", "read-timeout", "dropped"],
)
async def test_idempotent_calls_retry_transient_failures(call: Call, failure: Any) -> None:
    clock = VirtualClock()
    script = Script(clock, failure(), failure(), success_for(call))
    async with clock.running(), mock_client(script, clock=clock) as client:
        await call(client)
    assert len(script.times) == 3


@pytest.mark.parametrize("code", [400, 401, 403, 404, 409, 422])
async def test_client_errors_are_not_retried(code: int) -> None:
    clock = VirtualClock()
    script = Script(clock, status(code))
    async with clock.running(), mock_client(script, clock=clock) as client:
        with pytest.raises(Exception) as caught:
            await GET(client)
    assert getattr(caught.value, "status_code", None) == code
    assert len(script.times) == 1


async def test_backoff_grows_exponentially_with_jitter_and_gives_up() -> None:
    clock = VirtualClock()
    script = Script(clock, *(status(503) for _ in range(4)))
    async with clock.running(), mock_client(script, clock=clock, max_retries=3) as client:
        with pytest.raises(ServerError):
            await GET(client)
    assert len(script.times) == 4
    first, second, third = script.gaps
    assert 0.25 <= first <= 0.5
    assert 0.5 <= second <= 1.0
    assert 1.0 <= third <= 2.0


def test_backoff_is_capped_and_jittered_between_half_and_full() -> None:
    policy = RetryPolicy(max_retries=10, initial_delay=0.5, max_delay=8.0)
    rng = random.Random(7)
    for retry in range(10):
        nominal = min(8.0, 0.5 * 2**retry)
        delays = {policy.backoff(retry, rng) for _ in range(50)}
        assert all(d is not None and nominal / 2 <= d <= nominal for d in delays)
        assert len(delays) > 1  # jittered


async def test_retry_after_is_honoured_exactly() -> None:
    clock = VirtualClock()
    script = Script(
        clock,
        status(429, **{"Retry-After": "7"}),
        status(503, **{"Retry-After": "3"}),
        json_response(200, OK),
    )
    async with clock.running(), mock_client(script, clock=clock) as client:
        await GET(client)
    assert script.gaps == [7.0, 3.0]


async def test_retry_after_beyond_the_cap_raises_at_once() -> None:
    clock = VirtualClock()
    script = Script(clock, status(429, **{"Retry-After": "3600"}))
    policy = RetryPolicy(max_retries=3, max_retry_after=60)
    async with clock.running(), mock_client(script, clock=clock, retry_policy=policy) as client:
        with pytest.raises(RateLimitError) as caught:
            await GET(client)
    assert caught.value.retry_after == 3600
    assert len(script.times) == 1
    assert clock.monotonic() == 0


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "attempts"),
    [(3, None, 4), (3, 0, 1), (1, 4, 5), (0, None, 1)],
)
async def test_max_retries_per_client_and_per_call(
    client_retries: int, call_retries: int | None, attempts: int
) -> None:
    clock = VirtualClock()
    script = Script(clock, *(status(500) for _ in range(attempts)))
    async with (
        clock.running(),
        mock_client(script, clock=clock, max_retries=client_retries) as client,
    ):
        with pytest.raises(ServerError):
            await client.follow_ups.get("01FU", max_retries=call_retries)
    assert len(script.times) == attempts


@pytest.mark.parametrize("call", [POST, CONNECT], ids=["create", "connect"])
@pytest.mark.parametrize(
    "failure",
    [
        lambda: status(500),
        lambda: status(503),
        lambda: status(408),
        lambda: httpx.ReadTimeout("slow"),
        lambda: httpx.WriteTimeout("slow"),
        lambda: httpx.ReadError("reset"),
        lambda: httpx.RemoteProtocolError("dropped"),
    ],
    ids=["500", "503", "408", "read-timeout", "write-timeout", "read-error", "dropped"],
)
async def test_posts_are_not_retried_when_the_server_may_have_acted(
    call: Call, failure: Any
) -> None:
    clock = VirtualClock()
    script = Script(clock, failure(), json_response(201, OK))
    async with clock.running(), mock_client(script, clock=clock) as client:
        with pytest.raises((APIStatusError, APIConnectionError)) as caught:
            await call(client)
    assert len(script.times) == 1
    if isinstance(caught.value, APIConnectionError):
        assert caught.value.request_sent
        assert "outcome is unknown" in str(caught.value)


@pytest.mark.parametrize("call", [POST, CONNECT], ids=["create", "connect"])
@pytest.mark.parametrize(
    "failure",
    [
        lambda: status(429, **{"Retry-After": "1"}),
        lambda: httpx.ConnectError("refused"),
        lambda: httpx.ConnectTimeout("no route"),
        lambda: httpx.PoolTimeout("pool"),
    ],
    ids=["429", "connect-error", "connect-timeout", "pool-timeout"],
)
async def test_posts_are_retried_when_the_server_surely_did_not_act(
    call: Call, failure: Any
) -> None:
    clock = VirtualClock()
    script = Script(clock, failure(), json_response(201, OK))
    async with clock.running(), mock_client(script, clock=clock) as client:
        follow_up = await call(client)
    assert follow_up.id == FOLLOW_UP["id"]
    assert len(script.times) == 2


async def test_exhausted_retries_raise_the_last_error() -> None:
    clock = VirtualClock()
    script = Script(clock, httpx.ConnectError("refused"), httpx.ReadTimeout("slow"))
    async with clock.running(), mock_client(script, clock=clock, max_retries=1) as client:
        with pytest.raises(APITimeoutError, match="ReadTimeout: slow"):
            await GET(client)


async def test_a_timeout_is_a_builtin_timeout_error_that_counts_attempts_and_time() -> None:
    clock = VirtualClock()

    async def silent(request: httpx.Request) -> httpx.Response:
        await clock.sleep(60)
        raise AssertionError("unreachable")

    policy = RetryPolicy(max_retries=3, initial_delay=0.5, max_delay=0.5)
    async with clock.running(), mock_client(silent, clock=clock, retry_policy=policy) as client:
        with pytest.raises(TimeoutError) as caught:  # the builtin: ``except TimeoutError`` works
            await client.follow_ups_v3.get("01FU", timeout=0.1)
        total = clock.monotonic()
    error = caught.value
    assert isinstance(error, APITimeoutError)
    assert error.attempts == 4
    assert error.elapsed == pytest.approx(total)
    # Four attempts of 0.1 s and three backoffs of 0.25-0.5 s.
    assert 0.4 + 3 * 0.25 <= total <= 0.4 + 3 * 0.5
    message = str(error)
    assert "no complete response within 0.1s" in message
    assert message.endswith(f"gave up after 4 attempts in {total:.3g}s")
    assert "\n" not in message


async def test_a_timeout_without_retries_says_one_attempt() -> None:
    clock = VirtualClock()
    script = Script(clock, httpx.ReadTimeout("slow"))
    async with clock.running(), mock_client(script, clock=clock, max_retries=0) as client:
        with pytest.raises(APITimeoutError, match=r"gave up after 1 attempt in 0s$") as caught:
            await client.follow_ups_v3.get("01FU")
    assert caught.value.attempts == 1


async def test_a_timeout_survives_pickling_with_its_attempts() -> None:
    import pickle

    clock = VirtualClock()
    script = Script(clock, httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))
    async with clock.running(), mock_client(script, clock=clock, max_retries=1) as client:
        with pytest.raises(APITimeoutError) as caught:
            await client.follow_ups_v3.get("01FU")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is APITimeoutError
    assert isinstance(copy, TimeoutError)
    assert str(copy) == str(caught.value)
    assert "gave up after 2 attempts" in str(copy)
    assert (copy.attempts, copy.elapsed, copy.request_sent) == (2, caught.value.elapsed, True)
    assert copy.method == "GET"


async def test_retries_are_logged_without_the_key(caplog: pytest.LogCaptureFixture) -> None:
    clock = VirtualClock()
    script = Script(clock, status(503), json_response(200, OK))
    caplog.set_level(logging.DEBUG)
    async with clock.running(), mock_client(script, clock=clock) as client:
        await GET(client)
    retries = [
        r for r in caplog.records if r.name == "incidentio_async" and r.levelno == logging.INFO
    ]
    assert len(retries) == 1
    assert retries[0].getMessage().startswith("Retrying GET /v2/follow_ups/01FU in ")
    assert "after 503 x (retry 1 of 3)" in retries[0].getMessage()
    assert TEST_KEY not in caplog.text


async def test_retries_are_counted_by_the_limiter() -> None:
    clock = VirtualClock()
    script = Script(clock, status(500), status(500), json_response(200, OK))
    async with clock.running(), mock_client(script, clock=clock) as client:
        await GET(client)
        assert client.rate_limiter.stats.retries == 2
        assert client.rate_limiter.stats.acquired == 3
