"""Redis losing the bucket or coming back after an outage must not cause a burst of 429s.

Three RedisRateLimiters (three "processes") keep eight requests each in flight against a
simulated API that enforces the real bucket and answers ``X-RateLimit-Remaining``. Everything
runs on one VirtualClock, the Lua script included (its ``now`` argument, which production
leaves to Redis ``TIME``), so the runs are deterministic while Redis itself is real.
"""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import pytest
import redis.asyncio
from redis_server import RedisProcess

from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import RedisRateLimiter
from incidentio_async.ratelimit import redis as redis_module
from incidentio_async.ratelimit.redis_lua import script_args
from incidentio_async.testing.bucket import TokenBucket as ServerBucket

pytestmark = pytest.mark.redis

API_KEY = "sk_live_redis_recovery_test_key"
CAPACITY = 20
RATE = 10.0
PROCESSES = 3
IN_FLIGHT = 8
LATENCY = 0.05
"""Virtual seconds from sending a request to reading its response; the server acts halfway."""
STEADY = 5.0
"""Long enough for the initial burst to be spent: the fleet then runs at the refill rate."""
AFTER = 5.0
"""How long the fleet runs after the event under test."""
OUTAGE = 6.0


@pytest.fixture
def anyio_backend() -> str:
    """redis.asyncio runs on asyncio only."""
    return "asyncio"


@pytest.fixture
def server() -> Iterator[RedisProcess]:
    """A redis-server of this test's own, which it may stop and start."""
    process = RedisProcess()
    process.start()
    try:
        yield process
    finally:
        process.stop()


class RedisAwareClock(VirtualClock):
    """A VirtualClock that stands still while a Redis call is in flight.

    VirtualClock moves on once every task has settled, but a task awaiting a reply from the
    real Redis is busy, not waiting for time: jumping then would skip the steady state.
    """

    def __init__(self, start: float) -> None:
        super().__init__(start)
        self.redis_calls = 0

    @contextmanager
    def calling_redis(self) -> Iterator[None]:
        """Hold time still for the duration of the block."""
        self.redis_calls += 1
        try:
            yield
        finally:
            self.redis_calls -= 1

    async def settle(self) -> None:
        """Settle, waiting (in real time) for Redis replies to arrive and be acted on."""
        await super().settle()
        while self.redis_calls:
            await anyio.sleep(0.0005)
            await super().settle()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> RedisAwareClock:
    """Virtual time for the limiters, the simulated API and the Lua script alike."""
    virtual = RedisAwareClock(start=1_750_000_000.0)  # the magnitude of Redis TIME
    real_run = redis_module._run_script

    def at_virtual_time(*args: Any, **kwargs: Any) -> list[str]:
        kwargs["now"] = virtual.monotonic()
        return script_args(*args, **kwargs)

    async def run_holding_time(*args: Any) -> Any:
        with virtual.calling_redis():
            return await real_run(*args)

    monkeypatch.setattr(redis_module, "script_args", at_virtual_time)
    monkeypatch.setattr(redis_module, "_run_script", run_holding_time)
    return virtual


class Partition:
    """Makes Redis unreachable for the limiters while it keeps its data."""

    def __init__(self) -> None:
        self.cut = False


@pytest.fixture
def partition(monkeypatch: pytest.MonkeyPatch, clock: RedisAwareClock) -> Partition:
    """Set ``cut`` to make every limiter's call to Redis fail, as a network partition would."""
    state = Partition()
    run_script = redis_module._run_script

    async def maybe_cut(*args: Any) -> Any:
        if state.cut:
            raise ConnectionError("partitioned")
        return await run_script(*args)

    monkeypatch.setattr(redis_module, "_run_script", maybe_cut)
    return state


@pytest.fixture
async def admin(server: RedisProcess) -> AsyncIterator[redis.asyncio.Redis]:
    """A connection of the test's own, to do to Redis what operators do."""
    connection = redis.asyncio.Redis.from_url(server.url)
    try:
        yield connection
    finally:
        await connection.aclose()


class Api:
    """The API's bucket for one key on the virtual clock; remembers when it answered 429."""

    def __init__(self, clock: RedisAwareClock) -> None:
        self.clock = clock
        self.bucket = ServerBucket(CAPACITY, RATE, clock.monotonic())
        self.admitted: list[float] = []
        self.rejected: list[float] = []

    async def call(self, limiter: RedisRateLimiter) -> None:
        """One request as the client sends it: limiter, network, server, network, limiter."""
        await limiter.acquire()
        try:
            await self.clock.sleep(LATENCY / 2)
            now = self.clock.monotonic()
            ok = self.bucket.try_take(now)
            (self.admitted if ok else self.rejected).append(now)
            remaining = math.floor(self.bucket.tokens)
            await self.clock.sleep(LATENCY / 2)
        finally:
            limiter.release()
        headers = {"X-RateLimit-Remaining": str(remaining)}
        await limiter.record_response(200 if ok else 429, headers, None if ok else 1.0)

    async def run(self, limiters: list[RedisRateLimiter], until: float) -> None:
        """Keep IN_FLIGHT requests going through each limiter until ``until``."""

        async def worker(limiter: RedisRateLimiter) -> None:
            while self.clock.monotonic() < until:
                await self.call(limiter)

        async with anyio.create_task_group() as group:
            for limiter in limiters:
                for _ in range(IN_FLIGHT):
                    group.start_soon(worker, limiter)

    def rejected_since(self, start: float) -> list[float]:
        """When the API answered 429 from ``start`` on, relative to ``start``."""
        return [round(t - start, 3) for t in self.rejected if t >= start]

    def admitted_since(self, start: float) -> int:
        """Requests the API admitted from ``start`` on."""
        return sum(1 for t in self.admitted if t >= start)


def fleet(url: str, clock: RedisAwareClock) -> list[RedisRateLimiter]:
    return [
        RedisRateLimiter(
            url,
            CAPACITY,
            RATE,
            IN_FLIGHT,
            api_key=API_KEY,
            clock=clock,
            fallback_share=1 / PROCESSES,  # as documented: about 1/number of processes
            backend_retry_interval=0.25,  # back on Redis within AFTER of its return
        )
        for _ in range(PROCESSES)
    ]


async def close(limiters: list[RedisRateLimiter]) -> None:
    for limiter in limiters:
        await limiter.aclose()


def assert_no_burst(api: Api, since: float, limiters: list[RedisRateLimiter]) -> None:
    assert api.rejected_since(since) == []
    # Not by stalling: from an empty bucket the fleet is back at the refill rate at once.
    assert api.admitted_since(since) >= (AFTER - 1) * RATE
    assert all(limiter.backend_available for limiter in limiters)


@pytest.mark.anyio
async def test_flushall_while_in_use_causes_no_429s(
    server: RedisProcess, clock: RedisAwareClock, admin: redis.asyncio.Redis
) -> None:
    api = Api(clock)
    limiters = fleet(server.url, clock)
    async with clock.running(), anyio.create_task_group() as group:
        start = clock.monotonic()
        group.start_soon(api.run, limiters, start + STEADY + AFTER)
        await clock.sleep(STEADY)
        assert api.rejected == []  # the harness is sound: steady use is clean
        with clock.calling_redis():
            await admin.flushall()
        flushed = clock.monotonic()
    assert_no_burst(api, flushed, limiters)
    await close(limiters)


@pytest.mark.anyio
async def test_evicted_bucket_while_in_use_causes_no_429s(
    server: RedisProcess, clock: RedisAwareClock, admin: redis.asyncio.Redis
) -> None:
    api = Api(clock)
    limiters = fleet(server.url, clock)
    async with clock.running(), anyio.create_task_group() as group:
        start = clock.monotonic()
        group.start_soon(api.run, limiters, start + STEADY + AFTER)
        await clock.sleep(STEADY)
        key = limiters[0].bucket_key
        assert key is not None
        with clock.calling_redis():
            assert await admin.delete(key) == 1  # as maxmemory eviction would
        deleted = clock.monotonic()
    assert_no_burst(api, deleted, limiters)
    await close(limiters)


@pytest.mark.anyio
async def test_redis_restarting_empty_causes_no_429s(
    server: RedisProcess, clock: RedisAwareClock
) -> None:
    api = Api(clock)
    limiters = fleet(server.url, clock)
    async with clock.running(), anyio.create_task_group() as group:
        start = clock.monotonic()
        group.start_soon(api.run, limiters, start + STEADY + OUTAGE + AFTER)
        await clock.sleep(STEADY)
        server.stop()
        await clock.sleep(OUTAGE)
        assert not any(limiter.backend_available for limiter in limiters)
        server.start()  # same port, no data
        back = clock.monotonic()
    assert_no_burst(api, back, limiters)
    await close(limiters)


@pytest.mark.anyio
async def test_redis_unreachable_then_back_with_a_stale_bucket_causes_no_429s(
    server: RedisProcess, clock: RedisAwareClock, partition: Partition
) -> None:
    # Redis keeps the bucket but nobody can reach it: on the way back its refill arithmetic
    # says "full" although the fleet went on spending on its local shares.
    api = Api(clock)
    limiters = fleet(server.url, clock)
    async with clock.running(), anyio.create_task_group() as group:
        start = clock.monotonic()
        group.start_soon(api.run, limiters, start + STEADY + OUTAGE + AFTER)
        await clock.sleep(STEADY)
        partition.cut = True
        await clock.sleep(OUTAGE)
        assert not any(limiter.backend_available for limiter in limiters)
        partition.cut = False
        back = clock.monotonic()
    assert_no_burst(api, back, limiters)
    await close(limiters)


@pytest.mark.anyio
async def test_remaining_header_still_lowers_the_bucket_after_recovery(
    server: RedisProcess, clock: RedisAwareClock, partition: Partition
) -> None:
    limiter = fleet(server.url, clock)[0]
    async with clock.running():
        partition.cut = True
        await limiter.acquire()  # on the local share
        limiter.release()
        partition.cut = False
        await clock.sleep(1.0)
        assert await limiter.peek_tokens() == 0  # back: drained
        await clock.sleep(CAPACITY / RATE)  # refilled
        await limiter.acquire()
        limiter.release()
        await limiter.record_response(200, {"X-RateLimit-Remaining": "4"}, None)
        assert await limiter.peek_tokens() == pytest.approx(4)
    await limiter.aclose()
