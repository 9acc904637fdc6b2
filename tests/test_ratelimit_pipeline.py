"""What the client tells its limiter, and what it does with the limiter's answers: the
operation of each request, the call's budget, the call's start; limiters of the first
protocol; dated retry times read on the server's clock."""

from __future__ import annotations

import email.utils
from collections.abc import Mapping
from datetime import UTC, datetime

import anyio
import httpx
import pytest

from incidentio_async import IncidentIO, RateLimitError, RetryPolicy
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import (
    KEY_SCOPE,
    LimitedRequest,
    LimiterStats,
    RateLimiter,
)

from client_factory import FOLLOW_UP, Recorder, json_response, mock_client

pytestmark = pytest.mark.anyio

OK = {"follow_up": FOLLOW_UP}
SHOW = "GET /v3/follow_ups/{id}"
CONNECT = "POST /v3/follow_ups/{id}/actions/connect_external_issue"


class Spy(RateLimiter):
    """A RateLimiter that remembers what the client told it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.acquired: list[LimitedRequest | None] = []
        self.recorded: list[tuple[int, LimitedRequest | None]] = []

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        self.acquired.append(request)
        await super().acquire(request)

    async def record_response(
        self,
        status_code: int,
        headers: Mapping[str, str],
        retry_after: float | None,
        request: LimitedRequest | None = None,
    ) -> None:
        self.recorded.append((status_code, request))
        await super().record_response(status_code, headers, retry_after, request)


async def test_each_request_names_its_operation_and_a_raw_call_none() -> None:
    clock = VirtualClock()
    spy = Spy(clock=clock)
    recorder = Recorder(
        json_response(200, OK),
        json_response(200, OK),
        json_response(200, {"incidents": []}),
    )
    async with clock.running(), mock_client(recorder, clock=clock, limiter=spy) as client:
        await client.follow_ups_v3.get("01FU")
        await client.follow_ups_v3.connect_external_issue(
            "01FU", provider="jira", url="https://example.atlassian.net/browse/X-1"
        )
        await client.request("GET", "/v2/incidents")
    operations = [request.operation for request in spy.acquired if request is not None]
    assert operations == [SHOW, CONNECT, None]
    assert [request for _, request in spy.recorded] == spy.acquired


async def test_a_pagers_pages_name_the_list_operation() -> None:
    clock = VirtualClock()
    spy = Spy(clock=clock)
    page = {"follow_ups": [FOLLOW_UP], "pagination_meta": {"page_size": 1}}
    recorder = Recorder(json_response(200, page))
    async with clock.running(), mock_client(recorder, clock=clock, limiter=spy) as client:
        await client.follow_ups_v3.list(page_size=1).to_list()
    assert [request.operation for request in spy.acquired if request] == ["GET /v3/follow_ups"]


async def test_a_retry_keeps_its_calls_start_and_spends_the_budget() -> None:
    clock = VirtualClock(start=50.0)
    spy = Spy(clock=clock)
    limited = json_response(429, {"type": "too_many_requests"}, **{"Retry-After": "7"})
    recorder = Recorder(limited, json_response(200, OK))
    policy = RetryPolicy(max_rate_limit_wait=100)
    async with (
        clock.running(),
        mock_client(recorder, clock=clock, limiter=spy, retry_policy=policy) as client,
    ):
        await client.follow_ups_v3.get("01FU")
    first, second = spy.acquired
    assert first is not None and second is not None
    assert first.call_started == second.call_started == 50.0
    assert (first.budget, second.budget) == (100.0, 93.0)  # 7 s of the budget were waited


async def test_a_limiter_wait_beyond_the_budget_raises_rate_limit_error_without_a_request() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    own = httpx.Headers({"X-RateLimit-Limit": "2, 100;window=5, 2;window=10"})
    await limiter.record_response(429, own, 120.0, LimitedRequest(operation=CONNECT))
    recorder = Recorder(json_response(200, OK))
    policy = RetryPolicy(max_rate_limit_wait=30)
    async with (
        clock.running(),
        mock_client(recorder, clock=clock, limiter=limiter, retry_policy=policy) as client,
    ):
        with pytest.raises(RateLimitError) as caught:
            await client.follow_ups_v3.connect_external_issue(
                "01FU", provider="jira", url="https://example.atlassian.net/browse/X-1"
            )
        assert clock.monotonic() == 0.0  # at once: the wait was known
        await client.follow_ups_v3.get("01FU")  # other operations are not held
    error = caught.value
    assert recorder.requests[0].method == "GET"  # the connect was never sent
    assert error.retry_after == 120.0
    assert error.rate_limit is not None and error.rate_limit.name == CONNECT
    assert error.type is None  # made by the client, not the API's
    assert "would hold this request 120s" in str(error)
    assert "Bearer" not in repr(error.response.request.headers)


async def test_waits_in_the_limiter_count_against_max_rate_limit_wait() -> None:
    # The limiter holds the call 20 s (a key pause); the 429 that follows asks for 15 s
    # more: 35 s in all, beyond the 30 s budget, so the call raises at once.
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(429, {}, 20.0)
    limited = json_response(429, {"type": "too_many_requests"}, **{"Retry-After": "15"})
    recorder = Recorder(limited, json_response(200, OK))
    policy = RetryPolicy(max_rate_limit_wait=30)
    async with (
        clock.running(),
        mock_client(recorder, clock=clock, limiter=limiter, retry_policy=policy) as client,
    ):
        with pytest.raises(RateLimitError) as caught:
            await client.follow_ups_v3.get("01FU")
    assert caught.value.retry_after == 15.0
    assert clock.monotonic() == pytest.approx(20.0)
    assert len(recorder.requests) == 1


# -- limiters of the first protocol --------------------------------------------------------


class FirstProtocolLimiter:
    """A user's limiter written against the first protocol: no request anywhere."""

    def __init__(self, clock: VirtualClock, hold: float = 0.0) -> None:
        self.stats = LimiterStats()
        self.clock = clock
        self.hold = hold
        self.calls: list[str] = []

    async def acquire(self) -> None:
        self.calls.append("acquire")
        await self.clock.sleep(self.hold)

    def release(self) -> None:
        self.calls.append("release")

    async def record_response(
        self, status_code: int, headers: Mapping[str, str], retry_after: float | None
    ) -> None:
        self.calls.append(f"record {status_code}")

    def record_retry(self) -> None:
        self.calls.append("retry")


async def test_a_limiter_of_the_first_protocol_still_works() -> None:
    clock = VirtualClock()
    limiter = FirstProtocolLimiter(clock)
    recorder = Recorder(json_response(503, {"type": "unavailable"}), json_response(200, OK))
    async with (
        clock.running(),
        IncidentIO(
            "sk_test_first_protocol",
            transport=httpx.MockTransport(recorder),
            rate_limiter=limiter,
            clock=clock,
        ) as client,
    ):
        await client.follow_ups_v3.get("01FU")
    assert limiter.calls == [
        "acquire",
        "release",
        "record 503",
        "retry",
        "acquire",
        "release",
        "record 200",
    ]


async def test_a_first_protocol_limiter_is_bounded_by_the_budget_too() -> None:
    clock = VirtualClock()
    limiter = FirstProtocolLimiter(clock, hold=1000.0)
    recorder = Recorder(json_response(200, OK))
    async with (
        clock.running(),
        IncidentIO(
            "sk_test_first_protocol",
            transport=httpx.MockTransport(recorder),
            rate_limiter=limiter,
            clock=clock,
            retry_policy=RetryPolicy(max_rate_limit_wait=60),
        ) as client,
    ):
        with pytest.raises(RateLimitError) as caught:
            await client.follow_ups_v3.get("01FU")
    assert clock.monotonic() == pytest.approx(60.0, abs=0.05)
    assert caught.value.rate_limit is not None and caught.value.rate_limit.name == KEY_SCOPE
    assert recorder.requests == []


# -- dated retry times on the server's clock ------------------------------------------------


def http_date(unix: float) -> str:
    return email.utils.format_datetime(datetime.fromtimestamp(unix, UTC), usegmt=True)


def rfc3339(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("where", ["header-http-date", "body-rfc3339", "body-http-date"])
@pytest.mark.parametrize("skew", [-600.0, 0.0, 600.0])
async def test_a_dated_retry_time_is_read_on_the_servers_clock(where: str, skew: float) -> None:
    server_now = 1_800_000_000.0
    # This host's clock is `skew` seconds off the server's (10 minutes slow or fast).
    clock = VirtualClock(wall_start=server_now + skew)
    limiter = RateLimiter(100, 20.0, clock=clock)
    retry_at = server_now + 5
    headers = {"Date": http_date(server_now)}
    body: dict[str, object] = {"type": "too_many_requests"}
    if where == "header-http-date":
        headers["Retry-After"] = http_date(retry_at)
    else:
        stamp = rfc3339(retry_at) if where == "body-rfc3339" else http_date(retry_at)
        body["rate_limit"] = {"name": "key", "limit": 100, "remaining": 0, "retry_after": stamp}
    recorder = Recorder(json_response(429, body, **headers), json_response(200, OK))
    async with (
        clock.running(),
        mock_client(recorder, clock=clock, limiter=limiter) as client,
        anyio.create_task_group() as group,
    ):
        group.start_soon(client.follow_ups_v3.get, "01FU")
        await clock.sleep(1.0)
        assert limiter.paused_until == pytest.approx(5.0)  # not 5 -/+ 600
    assert clock.monotonic() == pytest.approx(5.0)  # the call waited 5 s, then succeeded
    assert len(recorder.requests) == 2
