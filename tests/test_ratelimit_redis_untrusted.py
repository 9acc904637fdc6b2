"""Redis is untrusted input and may refuse: against real redis-server processes holding state
they did not write, with clocks that step, passwords that are wrong and users that may not run
scripts. No wait outlasts the caller's budget; every refusal is named."""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import anyio
import httpx
import pytest
import redis.asyncio
from redis_server import RedisProcess

from incidentio_async import IncidentIO, RateLimitError, RetryPolicy
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import (
    LimitedRequest,
    RateLimitBudgetExceeded,
    RedisRateLimiter,
)
from incidentio_async.ratelimit.headers import MAX_PAUSE_SECONDS
from incidentio_async.ratelimit.keys import api_key_id
from incidentio_async.ratelimit.redis_lua import registry_key, scope_key

from client_factory import FOLLOW_UP

pytestmark = pytest.mark.redis


@pytest.fixture
def anyio_backend() -> str:
    """redis.asyncio runs on asyncio only."""
    return "asyncio"


API_KEY = "sk_live_untrusted_redis_key_0123456789"
PASSWORD = "s3cret-redis-password"
SLOW = "POST /v3/follow_ups/{id}/actions/connect_external_issue"
BUCKET = f"incidentio_async:ratelimit:{api_key_id(API_KEY)}"


async def server_time(admin: redis.asyncio.Redis) -> float:
    seconds, micros = await admin.time()
    return seconds + micros / 1e6


def limiter(url: str, **kwargs: object) -> RedisRateLimiter:
    kwargs.setdefault("capacity", 100)
    kwargs.setdefault("refill_rate", 100.0)  # reserve 1: an empty bucket has a token in 20 ms
    return RedisRateLimiter(url, api_key=API_KEY, **kwargs)  # type: ignore[arg-type]


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# -- values it did not write ------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("tokens", "updated"),
    [
        ("inf", "NOW"),
        ("1e18", "NOW"),
        ("-5", "NOW"),
        ("nan", "NOW"),
        ("lots", "NOW"),
        ("0", "inf"),
        ("0", "1e18"),
        ("0", "-1e18"),
        ("0", "soon"),
        ("0", ""),
    ],
)
async def test_foreign_values_never_stall_and_are_replaced(
    redis_url: str,
    admin: redis.asyncio.Redis,
    caplog: pytest.LogCaptureFixture,
    tokens: str,
    updated: str,
) -> None:
    now = await server_time(admin)
    await admin.hset(BUCKET, mapping={"t": tokens, "u": updated.replace("NOW", repr(now))})
    one = limiter(redis_url)
    began = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="incidentio_async"):
        for _ in range(3):
            await one.acquire(LimitedRequest(budget=2.0))
            one.release()
    assert time.monotonic() - began < 1.0
    assert one.backend_available
    stored = await admin.hgetall(BUCKET)
    level, moment = float(stored[b"t"]), float(stored[b"u"])
    assert 0 <= level <= 100
    assert abs(moment - await server_time(admin)) < MAX_PAUSE_SECONDS
    if (tokens, updated) != ("0", "-1e18"):  # a time long past is a full bucket, not an error
        assert any("not numbers in range" in w or "clock" in w for w in warnings_in(caplog))
    await one.aclose()


@pytest.mark.anyio
async def test_a_server_clock_stepped_back_moves_the_pause_instead_of_adding_the_step(
    redis_url: str, admin: redis.asyncio.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    # Written 40 s "later" than the server's clock now says, with a pause of 2 s from then:
    # what a bucket looks like after the clock stepped back 40 s (NTP, a VM restored, a
    # failover to a lagging replica).
    now = await server_time(admin)
    step = 40.0
    await admin.hset(
        BUCKET,
        mapping={
            "t": "2",
            "u": repr(now + step + 2),
            "n": repr(now + step),
            "c": "100",
            "r": "100",
        },
    )
    one = limiter(redis_url)
    with (
        caplog.at_level(logging.WARNING, logger="incidentio_async"),
        pytest.raises(RateLimitBudgetExceeded) as caught,
    ):
        await one.acquire(LimitedRequest(budget=1.0))
    assert caught.value.wait is not None and 1.5 < caught.value.wait < 2.5  # not 42
    assert any("clock stepped" in w for w in warnings_in(caplog))
    await one.aclose()


@pytest.mark.anyio
async def test_a_time_further_ahead_than_any_pause_starts_the_bucket_again(
    redis_url: str, admin: redis.asyncio.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    now = await server_time(admin)
    await admin.hset(BUCKET, mapping={"t": "50", "u": repr(now + MAX_PAUSE_SECONDS + 600)})
    one = limiter(redis_url)
    began = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="incidentio_async"):
        await one.acquire(LimitedRequest(budget=2.0))
    one.release()
    assert time.monotonic() - began < 1.0
    assert any("clock stepped" in w for w in warnings_in(caplog))
    await one.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize("which", ["bucket", "registry", "scope"])
async def test_a_key_of_another_type_in_our_namespace_is_repaired(
    redis_url: str, admin: redis.asyncio.Redis, caplog: pytest.LogCaptureFixture, which: str
) -> None:
    key = {
        "bucket": BUCKET,
        "registry": registry_key(BUCKET),
        "scope": scope_key(BUCKET, SLOW),
    }[which]
    await admin.rpush(key, "not", "a", "hash")
    one = limiter(redis_url)
    own = {"X-RateLimit-Limit": "2, 100;window=1, 2;window=10", "X-RateLimit-Remaining": "0"}
    with caplog.at_level(logging.WARNING, logger="incidentio_async"):
        await one.record_response(200, own, None, LimitedRequest(operation=SLOW))
        await one.acquire(LimitedRequest(operation="GET /other"))
        one.release()
        with pytest.raises(RateLimitBudgetExceeded):  # the scope's bucket works: it is empty
            await one.acquire(LimitedRequest(operation=SLOW, budget=0.5))
    assert await admin.type(key) == b"hash"
    assert one.backend_available
    assert any("another type" in w for w in warnings_in(caplog))
    await one.aclose()


@pytest.mark.anyio
async def test_processes_configured_differently_are_told(
    redis_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    one = limiter(redis_url, capacity=1200, refill_rate=20.0)
    two = limiter(redis_url, capacity=600, refill_rate=10.0)
    with caplog.at_level(logging.WARNING, logger="incidentio_async"):
        await one.acquire()
        one.release()
        await two.acquire()
        two.release()
    [warning] = [w for w in warnings_in(caplog) if "configure every process alike" in w]
    assert "capacity 1200 and refill_rate 20/s, this one with 600 and 10/s" in warning
    for each in (one, two):
        await each.aclose()


# -- budgets ------------------------------------------------------------------------------------


def answer(status: int, body: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.anyio
async def test_a_long_pause_written_by_one_client_holds_another_no_longer_than_its_budget(
    redis_url: str,
) -> None:
    limited = answer(429, {"type": "too_many_requests"}, **{"Retry-After": "800"})
    patient = IncidentIO(
        "sk_live_untrusted_redis_key_0123456789",
        transport=httpx.MockTransport(lambda request: limited),
        rate_limiter=limiter(redis_url),
        retry_policy=RetryPolicy(max_rate_limit_wait=900),
    )
    hasty = IncidentIO(
        "sk_live_untrusted_redis_key_0123456789",
        transport=httpx.MockTransport(lambda request: answer(200, {"follow_up": FOLLOW_UP})),
        rate_limiter=limiter(redis_url),
        retry_policy=RetryPolicy(max_rate_limit_wait=5),
    )
    async with patient, hasty:
        with anyio.move_on_after(1.0):  # it writes the 800 s pause, then would wait it out
            await patient.follow_ups_v3.get("01FU")
        began = time.monotonic()
        with pytest.raises(RateLimitError) as caught:
            await hasty.follow_ups_v3.get("01FU")
        assert time.monotonic() - began < 1.0  # at once, not after 5 s, let alone 800
    assert caught.value.retry_after is not None and 790 < caught.value.retry_after <= 800


@pytest.mark.anyio
async def test_a_dated_429_read_on_a_skewed_clock_pauses_the_fleet_for_what_the_server_said(
    redis_url: str,
) -> None:
    # This host's clock is 10 minutes fast. The API dates its retry time on its own clock,
    # and says so in Date; the pause written to Redis must be 5 s, not 0 (or 605 for a host
    # 10 minutes slow).
    server_now = time.time()
    clock = VirtualClock(wall_start=server_now + 600)
    retry_at = datetime.fromtimestamp(server_now + 5, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {
        "type": "too_many_requests",
        "rate_limit": {"name": "k", "limit": 100, "remaining": 0, "retry_after": retry_at},
    }
    date = email.utils.format_datetime(datetime.fromtimestamp(server_now, UTC), usegmt=True)
    limited = answer(429, body, Date=date)
    client = IncidentIO(
        "sk_live_untrusted_redis_key_0123456789",
        transport=httpx.MockTransport(lambda request: limited),
        rate_limiter=limiter(redis_url, clock=clock),
        clock=clock,
    )
    async with client:
        with anyio.move_on_after(1.0):  # it writes the pause, then waits it out
            await client.follow_ups_v3.get("01FU")
    other = limiter(redis_url)  # another host, with a good clock
    with pytest.raises(RateLimitBudgetExceeded) as held:
        await other.acquire(LimitedRequest(budget=0.5))
    assert held.value.wait is not None and 3 <= held.value.wait <= 6
    await other.aclose()


# -- refusals, each named -----------------------------------------------------------------------


@pytest.fixture
def guarded_server() -> Iterator[RedisProcess]:
    """A redis-server of the test's own, with a password."""
    server = RedisProcess("--requirepass", PASSWORD)
    server.start()
    try:
        yield server
    finally:
        server.stop()


async def fallback_round(one: RedisRateLimiter) -> None:
    await one.acquire(LimitedRequest(budget=5.0))
    one.release()


@pytest.mark.anyio
@pytest.mark.parametrize("credentials", [":wrong-password@", ""])
async def test_a_refused_password_is_named_and_the_warning_repeats_while_it_lasts(
    guarded_server: RedisProcess, caplog: pytest.LogCaptureFixture, credentials: str
) -> None:
    clock = VirtualClock()
    url = f"redis://{credentials}127.0.0.1:{guarded_server.port}/0"
    one = limiter(url, clock=clock, backend_retry_interval=1.0)
    with caplog.at_level(logging.DEBUG, logger="incidentio_async"):
        await fallback_round(one)  # fails, warns, goes on with the local share
        assert not one.backend_available
        clock.advance(30)
        await fallback_round(one)  # fails again: not worth another warning yet
        clock.advance(61)
        await fallback_round(one)  # still failing a minute on: said again
    warned = [w for w in warnings_in(caplog) if "authentication" in w]
    assert len(warned) == 2
    assert "Redis refused the credentials (authentication)" in warned[0]
    assert "for 91s" in warned[1]
    assert "unreachable" not in caplog.text
    for secret in (PASSWORD, "wrong-password", API_KEY, api_key_id(API_KEY)):
        assert secret not in caplog.text
    assert one.stats.acquired == 3
    await one.aclose()


@pytest.mark.anyio
async def test_a_user_without_eval_is_named(
    guarded_server: RedisProcess, caplog: pytest.LogCaptureFixture
) -> None:
    guarded_server_admin = redis.asyncio.Redis(port=guarded_server.port, password=PASSWORD)
    await guarded_server_admin.acl_setuser(
        "nolua",
        enabled=True,
        passwords=["+nolua-pw"],
        keys=["*"],
        commands=["+@all", "-eval", "-evalsha"],
    )
    await guarded_server_admin.aclose()
    one = limiter(f"redis://nolua:nolua-pw@127.0.0.1:{guarded_server.port}/0")
    with caplog.at_level(logging.WARNING, logger="incidentio_async"):
        await fallback_round(one)
    [warning] = warnings_in(caplog)
    assert "Redis refused the command (permission)" in warning
    assert "+evalsha +eval" in warning
    assert "nolua-pw" not in caplog.text
    await one.aclose()


@pytest.mark.anyio
async def test_out_of_memory_is_named_and_recovery_said(
    redis_url: str, admin: redis.asyncio.Redis, caplog: pytest.LogCaptureFixture
) -> None:
    clock = VirtualClock()
    one = limiter(redis_url, clock=clock, backend_retry_interval=1.0)
    await admin.config_set("maxmemory", "1")
    try:
        with caplog.at_level(logging.INFO, logger="incidentio_async"):
            await fallback_round(one)
            assert not one.backend_available
            await admin.config_set("maxmemory", "0")
            clock.advance(2)
            async with clock.running():  # the bucket starts again empty: a short wait
                await fallback_round(one)
    finally:
        await admin.config_set("maxmemory", "0")
    [warning] = warnings_in(caplog)
    assert "Redis is out of memory" in warning
    assert one.backend_available
    assert "reachable again" in caplog.text
    await one.aclose()
