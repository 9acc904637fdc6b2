"""RedisRateLimiter against a real redis-server, started and stopped by these fixtures.

Real time is used only where real processes are involved, with generous bounds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import anyio
import pytest
import redis.asyncio
from redis_server import RedisProcess

from incidentio_async.ratelimit import LimitedRequest, RedisRateLimiter
from incidentio_async.ratelimit.bucket import TokenBucket
from incidentio_async.ratelimit.keys import api_key_id
from incidentio_async.ratelimit.redis import _run_script
from incidentio_async.ratelimit.redis_lua import (
    KEY_IDLE_LIFETIME,
    BucketReply,
    parse_reply,
    script_args,
)

pytestmark = pytest.mark.redis

API_KEY = "sk_live_redis_test_key_0123456789"
SLOW_CAPACITY = 2
SLOW_RATE = 4.0
"""The limit of its own of the test server's ``GET /slow``."""
OTHER_KEY = "sk_live_redis_test_key_other"
WORKER = Path(__file__).with_name("ratelimit_worker.py")


@pytest.fixture
def anyio_backend() -> str:
    """redis.asyncio runs on asyncio only."""
    return "asyncio"


@pytest.fixture
def client(admin: redis.asyncio.Redis) -> redis.asyncio.Redis:
    """A connection to the test's Redis (the suite's ``admin``)."""
    return admin


def limiter(url: str, api_key: str = API_KEY, **kwargs: object) -> RedisRateLimiter:
    return RedisRateLimiter(url, api_key=api_key, **kwargs)  # type: ignore[arg-type]


async def run(client: redis.asyncio.Redis, key: str, args: list[str]) -> BucketReply:
    """The script on bucket ``key`` (with a registry beside it), its reply parsed."""
    return parse_reply(await _run_script(client, [key, f"{key}:scopes"], args))


# -- the Lua script is the Python bucket ------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("seed", range(4))
async def test_lua_script_matches_token_bucket(client: redis.asyncio.Redis, seed: int) -> None:
    rng = random.Random(seed)
    capacity, rate = rng.choice([(20, 10.0), (1200, 20.0), (3, 0.5)])
    reserve = rng.choice([0, 1])
    missing = [capacity, 0.0, rng.uniform(0, capacity), capacity + 5][seed]
    now = 1_750_000_000.0 + rng.random()  # the magnitude of Redis TIME
    model: TokenBucket | None = None
    key = f"test:lua:{seed}"
    for _ in range(300):
        now += rng.choice([0.0, 0.0, rng.uniform(0, 0.2), rng.uniform(0, 5)])
        op = rng.choices(["take", "pause", "lower", "peek"], [8, 1, 2, 1])[0]
        argument = {"pause": rng.uniform(0, 3), "lower": rng.uniform(0, capacity)}.get(op, 0.0)
        drain = rng.random() < 0.1
        args = script_args(
            op, capacity, rate, reserve, argument, now=now, missing=missing, drain=drain
        )
        reply = await run(client, key, args)
        if model is None:  # the script creates the bucket on its first call
            model = TokenBucket(capacity, rate, reserve, now, missing)
        if drain:  # draining is lowering the estimate to nothing
            model.lower(now, 0.0)
        if op == "take":
            wait = model.try_take(now)
            assert reply.ok == (wait == 0)
            assert reply.seconds == pytest.approx(wait, abs=1e-6)
        elif op == "pause":
            assert reply.seconds == pytest.approx(model.pause(now, argument) - now, abs=1e-6)
        elif op == "lower":
            model.lower(now, argument)
        assert reply.tokens == pytest.approx(model.level(now), abs=1e-6)


@pytest.mark.anyio
async def test_a_bucket_created_empty_refills_from_its_creation(
    client: redis.asyncio.Redis,
) -> None:
    now = 1_750_000_000.0
    key = "test:created-empty"

    async def take(at: float) -> BucketReply:
        args = script_args("take", 10, 2.0, 1, now=at, missing=0.0)
        return await run(client, key, args)

    first = await take(now)
    assert (first.ok, first.seconds) == (False, 1.0)  # reserve + 1 tokens at 2/s
    assert (await take(now + 1.0)).ok  # stored when created, so it has refilled


@pytest.mark.anyio
async def test_a_key_outlives_its_full_bucket_by_a_day(client: redis.asyncio.Redis) -> None:
    key = "test:lifetime"
    lifetime_ms = KEY_IDLE_LIFETIME * 1000
    await run(client, key, script_args("peek", 10, 1.0, 0))  # creates it, full
    assert lifetime_ms - 5000 < await client.pttl(key) <= lifetime_ms
    await run(client, key, script_args("take", 10, 1.0, 0))  # full again in 1 s
    assert lifetime_ms - 5000 < await client.pttl(key) - 1000 <= lifetime_ms


# -- sharing between limiters (as if in different processes) --------------------------------


@pytest.mark.anyio
async def test_tokens_are_shared_between_limiters(redis_url: str) -> None:
    one = limiter(redis_url, capacity=10, refill_rate=0.01)  # reserve 1: 9 usable
    two = limiter(redis_url, capacity=10, refill_rate=0.01)
    other_key = limiter(redis_url, OTHER_KEY, capacity=10, refill_rate=0.01)
    for _ in range(5):
        await one.acquire()
        one.release()
    for _ in range(4):
        await two.acquire()
        two.release()
    assert await one.peek_tokens() == pytest.approx(1, abs=0.01)
    with anyio.move_on_after(0.3) as scope:
        await two.acquire()  # the next token is 90 s away
    assert scope.cancelled_caught
    assert (two.free_slots, two.waiting) == (two.max_concurrency, 0)
    await other_key.acquire()  # another key has its own bucket
    other_key.release()
    for each in (one, two, other_key):
        await each.aclose()


@pytest.mark.anyio
async def test_429_pause_is_shared(redis_url: str) -> None:
    one = limiter(redis_url, capacity=100, refill_rate=100.0)
    two = limiter(redis_url, capacity=100, refill_rate=100.0)
    other_key = limiter(redis_url, OTHER_KEY, capacity=100, refill_rate=100.0)
    await one.record_response(429, {}, 0.6)
    start = time.monotonic()
    await other_key.acquire()
    assert time.monotonic() - start < 0.3
    await two.acquire()
    assert time.monotonic() - start >= 0.5
    assert two.stats.waits == 1
    await one.record_response(429, {}, 0.1)  # a shorter pause does not cut a longer one
    await one.record_response(429, {}, 0.4)
    await one.record_response(429, {}, 0.1)
    start = time.monotonic()
    await two.acquire()
    assert time.monotonic() - start >= 0.3
    for each in (one, two, other_key):
        await each.aclose()


@pytest.mark.anyio
async def test_header_sync_is_shared_and_only_lowers(redis_url: str) -> None:
    one = limiter(redis_url, capacity=100, refill_rate=0.01)
    two = limiter(redis_url, capacity=100, refill_rate=0.01)
    await one.acquire()
    one.release()
    await one.record_response(200, {"X-RateLimit-Remaining": "30"}, None)
    assert await two.peek_tokens() == pytest.approx(30, abs=0.1)
    await two.record_response(200, {"x-ratelimit-remaining": "80"}, None)
    assert await two.peek_tokens() == pytest.approx(30, abs=0.1)
    for each in (one, two):
        await each.aclose()


@pytest.mark.anyio
async def test_redis_keys_never_contain_the_api_key(
    redis_url: str, client: redis.asyncio.Redis
) -> None:
    one = limiter(redis_url)
    await one.acquire()
    one.release()
    await one.record_response(429, {}, 0.01)
    keys = [key.decode() for key in await client.keys("*")]
    assert keys == [f"incidentio_async:ratelimit:{api_key_id(API_KEY)}"]
    assert all(API_KEY not in key for key in keys)
    values = await client.hgetall(keys[0])
    assert set(values) == {b"t", b"u", b"n", b"c", b"r"}
    assert await client.pttl(keys[0]) > 0  # an idle bucket goes away by itself
    await one.aclose()


@pytest.mark.anyio
async def test_accepts_a_client_instance(client: redis.asyncio.Redis) -> None:
    one = RedisRateLimiter(client, capacity=10, refill_rate=1.0, api_key=API_KEY)
    await one.acquire()
    one.release()
    assert await one.peek_tokens() == pytest.approx(9, abs=0.1)
    await one.aclose()  # leaves the caller's client open
    assert await client.ping()


def test_one_limiter_serves_consecutive_asyncio_runs(redis_url: str) -> None:
    shared = limiter(redis_url, capacity=100, refill_rate=0.01)

    async def main() -> float | None:
        for _ in range(10):
            await shared.acquire()
            shared.release()
        tokens = await shared.peek_tokens()
        await shared.aclose()
        return tokens

    assert asyncio.run(main()) == pytest.approx(90, abs=0.1)
    assert asyncio.run(main()) == pytest.approx(80, abs=0.1)
    assert shared.stats.backend_errors == 0


# -- Redis going away and coming back ---------------------------------------------------------


@pytest.mark.anyio
async def test_fallback_when_redis_stops_then_recovery(caplog: pytest.LogCaptureFixture) -> None:
    server = RedisProcess()
    server.start()
    try:
        one = RedisRateLimiter(
            server.url,
            capacity=100,
            refill_rate=40.0,
            api_key=API_KEY,
            backend_retry_interval=0.2,
        )
        for _ in range(5):
            await one.acquire()
            one.release()
        assert one.backend_available
        server.stop()
        with caplog.at_level(logging.INFO, logger="incidentio_async"):
            start = time.monotonic()
            for _ in range(5):  # at a quarter of the rate: 10/s
                await one.acquire()
                one.release()
            assert time.monotonic() - start < 3
            assert not one.backend_available
            assert one.stats.backend_errors >= 1
            assert "Redis is unreachable" in caplog.text
            server.start()  # same port, empty
            deadline = time.monotonic() + 5
            while not one.backend_available and time.monotonic() < deadline:
                await one.acquire()
                one.release()
                await anyio.sleep(0.05)
        assert one.backend_available
        assert "reachable again" in caplog.text
        for _ in range(20):
            await one.acquire()
            one.release()
        tokens = await one.peek_tokens()
        assert tokens is not None and tokens < 90  # back on the shared bucket
        assert one.stats.acquired >= 31
        await one.aclose()
    finally:
        server.stop()


# -- the headline: three OS processes, one bucket ---------------------------------------------


class BucketServer(ThreadingHTTPServer):
    """An HTTP server that enforces a token bucket, like the API, and counts what it did."""

    daemon_threads = True

    def __init__(self, capacity: float, rate: float) -> None:
        super().__init__(("127.0.0.1", 0), _BucketHandler)
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.updated = time.monotonic()
        self.admitted: list[float] = []
        self.rejected = 0
        self.slow_tokens = float(SLOW_CAPACITY)
        self.slow_updated = self.updated
        self.admitted_slow: list[float] = []
        self.rejected_slow = 0
        self.lock = threading.Lock()

    def admit(self) -> tuple[bool, int]:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens < 1:
                self.rejected += 1
                return False, 0
            self.tokens -= 1
            self.admitted.append(now)
            return True, math.floor(self.tokens)

    def admit_slow(self) -> tuple[bool, dict[str, str]]:
        """A request of the operation with a limit of its own (SLOW_CAPACITY at SLOW_RATE):
        it needs a token of both buckets; the headers are the documented ones."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            self.slow_tokens = min(
                SLOW_CAPACITY, self.slow_tokens + (now - self.slow_updated) * SLOW_RATE
            )
            self.slow_updated = now
            limits = (
                f"{self.capacity:g};window={self.capacity / self.rate:g}, "
                f"{SLOW_CAPACITY};window={SLOW_CAPACITY / SLOW_RATE:g}"
            )
            ok = self.tokens >= 1 and self.slow_tokens >= 1
            if ok:
                self.tokens -= 1
                self.slow_tokens -= 1
                self.admitted_slow.append(now)
            else:
                self.rejected_slow += 1
            own_binds = math.floor(self.slow_tokens) <= math.floor(self.tokens)
            binding = SLOW_CAPACITY if own_binds else int(self.capacity)
            remaining = math.floor(self.slow_tokens if own_binds else self.tokens)
            headers = {
                "X-RateLimit-Limit": f"{binding}, {limits}",
                "X-RateLimit-Remaining": str(max(0, remaining)),
            }
            if not ok:
                headers["Retry-After"] = "1"
            return ok, headers


class _BucketHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the API
    server: BucketServer

    def do_GET(self) -> None:
        headers = {}
        if self.path == "/ping":
            status = 200
        elif self.path == "/slow":
            ok, headers = self.server.admit_slow()
            status = 200 if ok else 429
        else:
            ok, remaining = self.server.admit()
            status = 200 if ok else 429
            headers = {"X-RateLimit-Remaining": str(remaining)}
            if not ok:
                headers["Retry-After"] = "1"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def run_workers(
    mode: str, redis_url: str, server_url: str, processes: int, tasks: int, slow: int = 0
) -> float:
    """Start the workers, release them together, wait; return seconds from release to end."""
    workers = [
        subprocess.Popen(
            [
                *(sys.executable, str(WORKER), mode, redis_url, server_url, API_KEY),
                *(str(tasks), str(slow)),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    try:
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
        start = time.monotonic()
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, _ = worker.communicate(timeout=60)
            assert worker.returncode == 0
            results.append(json.loads(out.strip().splitlines()[-1]))
        elapsed = time.monotonic() - start
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    if mode == "redis":
        for result in results:
            assert set(result["statuses"]) == {"200"}
            assert result["stats"]["backend_errors"] == 0
    return elapsed


@pytest.fixture
def bucket_server() -> Iterator[BucketServer]:
    server = BucketServer(capacity=20, rate=10.0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_three_processes_sharing_a_key_never_exceed_the_bucket(
    redis_url: str, bucket_server: BucketServer
) -> None:
    processes, tasks = 3, 16
    total = processes * tasks
    url = f"http://127.0.0.1:{bucket_server.server_address[1]}"
    elapsed = run_workers("redis", redis_url, url, processes, tasks)
    assert bucket_server.rejected == 0
    assert len(bucket_server.admitted) == total
    # The bucket allows `total` requests in (total - capacity) / rate = 2.8 s at the earliest;
    # the limiter should be close to that, not overly cautious.
    span = bucket_server.admitted[-1] - bucket_server.admitted[0]
    assert span >= 2.7
    assert elapsed < 2.8 * 2 + 1


def test_control_independent_local_limiters_do_overrun_the_bucket(
    redis_url: str, bucket_server: BucketServer
) -> None:
    """Without sharing, the same three processes get 429s: the test above has teeth."""
    url = f"http://127.0.0.1:{bucket_server.server_address[1]}"
    run_workers("local", redis_url, url, 3, 16)
    assert bucket_server.rejected > 0


@pytest.mark.anyio
async def test_three_processes_share_an_operations_own_limit_learned_by_a_fourth(
    redis_url: str, bucket_server: BucketServer
) -> None:
    # Some process learned the limit of GET /slow earlier (here: this one, from one answer).
    learner = limiter(redis_url, capacity=20, refill_rate=10.0)
    headers = {"X-RateLimit-Limit": f"20, 20;window=2, {SLOW_CAPACITY};window=0.5"}
    await learner.record_response(200, headers, None, LimitedRequest(operation="GET /slow"))
    await learner.aclose()
    url = f"http://127.0.0.1:{bucket_server.server_address[1]}"
    processes, tasks, slow = 3, 12, 4
    await anyio.to_thread.run_sync(run_workers, "redis", redis_url, url, processes, tasks, slow)
    assert (bucket_server.rejected, bucket_server.rejected_slow) == (0, 0)
    assert len(bucket_server.admitted_slow) == processes * slow
    # The slow operation went at its own pace across the three processes: 12 requests from a
    # bucket of 2 refilled at 4/s take at least (12 - 2) / 4 = 2.5 s.
    assert bucket_server.admitted_slow[-1] - bucket_server.admitted_slow[0] >= 2.4
