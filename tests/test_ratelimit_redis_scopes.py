"""Scopes through Redis, against a real redis-server: an operation's own limit learned by one
process paces every process, its 429 pauses only its callers, and a key's buckets stay in one
Redis Cluster slot."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio
from redis.crc import key_slot
from redis_server import RedisProcess, free_port

from incidentio_async.ratelimit import (
    KEY_SCOPE,
    LimitedRequest,
    RateLimitBudgetExceeded,
    RedisRateLimiter,
)
from incidentio_async.ratelimit.keys import api_key_id
from incidentio_async.ratelimit.redis_lua import registry_key, scope_key

pytestmark = pytest.mark.redis


@pytest.fixture
def anyio_backend() -> str:
    """redis.asyncio runs on asyncio only."""
    return "asyncio"


API_KEY = "sk_live_redis_scopes_test_key_0123"
SLOW = "POST /v3/follow_ups/{id}/actions/connect_external_issue"
READ = "GET /v3/follow_ups/{id}"
OWN_EMPTY = {"X-RateLimit-Limit": "2, 100;window=5, 2;window=10", "X-RateLimit-Remaining": "0"}


def limiter(url: str, **kwargs: object) -> RedisRateLimiter:
    return RedisRateLimiter(url, 100, 20.0, api_key=API_KEY, **kwargs)  # type: ignore[arg-type]


def slow(budget: float | None = None) -> LimitedRequest:
    return LimitedRequest(operation=SLOW, budget=budget)


def read(budget: float | None = None) -> LimitedRequest:
    return LimitedRequest(operation=READ, budget=budget)


@pytest.mark.anyio
async def test_a_scope_learned_by_one_process_paces_the_others(redis_url: str) -> None:
    one, two = limiter(redis_url), limiter(redis_url)
    await one.acquire(slow())
    one.release()
    await one.record_response(200, OWN_EMPTY, None, slow())  # its own limit: 0 left
    assert list(one.scope_stats()) == [KEY_SCOPE, SLOW]

    await two.acquire(read())  # any request tells the other process of the new scope
    two.release()
    learned = two.scope_stats()[SLOW]
    assert (learned.capacity, learned.refill_rate) == (2, 0.2)
    # The operation's shared bucket is empty: about 5 s to the next token, beyond a budget
    # of 1 s, so this process refuses at once instead of sending a request bound to fail.
    began = time.monotonic()
    with pytest.raises(RateLimitBudgetExceeded) as caught:
        await two.acquire(slow(budget=1.0))
    assert time.monotonic() - began < 0.5
    assert caught.value.scope == SLOW
    assert caught.value.wait is not None and 4.9 < caught.value.wait <= 5.5
    # The key's bucket was untouched by all this: reads go at once.
    began = time.monotonic()
    for _ in range(20):
        await two.acquire(read(budget=0.1))
        two.release()
    assert time.monotonic() - began < 1.0
    assert (await two.peek_tokens() or 0) > 70
    for each in (one, two):
        await each.aclose()


@pytest.mark.anyio
async def test_an_operations_429_pauses_only_its_callers_in_every_process(redis_url: str) -> None:
    one, two = limiter(redis_url), limiter(redis_url)
    await one.record_response(200, {**OWN_EMPTY, "X-RateLimit-Remaining": "1"}, None, slow())
    await one.record_response(429, OWN_EMPTY, 30.0, slow())
    await two.acquire(read())  # learns the scope
    two.release()
    with pytest.raises(RateLimitBudgetExceeded) as caught:
        await two.acquire(slow(budget=5.0))
    assert caught.value.wait is not None and 29 < caught.value.wait <= 30.1
    await two.acquire(read(budget=0.5))  # the key is not paused
    two.release()
    assert one.scope_stats()[SLOW].rate_limited == 1
    assert one.scope_stats()[KEY_SCOPE].rate_limited == 0
    # The key's own 429 still pauses everyone.
    await one.record_response(429, {"X-RateLimit-Limit": "100, 100;window=5"}, 20.0, read())
    with pytest.raises(RateLimitBudgetExceeded, match="'key'"):
        await two.acquire(read(budget=5.0))
    for each in (one, two):
        await each.aclose()


@pytest.mark.anyio
async def test_the_keys_and_their_slot(redis_url: str, admin: redis.asyncio.Redis) -> None:
    one = limiter(redis_url)
    await one.record_response(200, OWN_EMPTY, None, slow())
    await one.acquire(read())
    one.release()
    bucket = f"incidentio_async:ratelimit:{api_key_id(API_KEY)}"
    keys = sorted(key.decode() for key in await admin.keys("*"))
    assert keys == sorted([bucket, registry_key(bucket), scope_key(bucket, SLOW)])
    assert registry_key(bucket) == "{" + bucket + "}:scopes"
    assert scope_key(bucket, SLOW).startswith("{" + bucket + "}:scope:")
    assert one.redis_keys(SLOW) == (scope_key(bucket, SLOW), registry_key(bucket))
    assert len({key_slot(key.encode()) for key in keys}) == 1  # one Cluster slot
    assert all(API_KEY not in key for key in keys)
    assert await admin.hgetall(registry_key(bucket)) == {SLOW.encode(): b"2 0.20000000000000001"}
    for key in keys:
        assert await admin.pttl(key) > 0  # idle keys go away by themselves
    await one.aclose()


def test_a_prefix_with_a_hash_tag_keeps_it_and_stray_braces_are_refused() -> None:
    tagged = RedisRateLimiter("redis://localhost:1/0", api_key=API_KEY, key_prefix="{app}:rl")
    keys = [tagged.redis_keys(KEY_SCOPE)[0], *tagged.redis_keys(SLOW)]
    assert keys[1].startswith("{app}:rl:") and keys[2] == f"{keys[0]}:scopes"
    assert len({key_slot(key.encode()) for key in keys}) == 1
    for bad in ("app{", "a}b", "{}x"):
        with pytest.raises(ValueError, match="hash tag"):
            RedisRateLimiter("redis://localhost:1/0", api_key=API_KEY, key_prefix=bad)
    with pytest.raises(ValueError, match="hash tag"):
        RedisRateLimiter("redis://localhost:1/0", namespace="a{b")


# -- Redis Cluster -----------------------------------------------------------------------------


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[RedisProcess]:
    """A one-node Redis Cluster: it serves every slot, and refuses a script whose keys are
    in different slots (CROSSSLOT), as a larger cluster does."""
    server = RedisProcess(
        "--cluster-enabled",
        "yes",
        # The bus port defaults to the port + 10000, which may be taken or beyond 65535.
        "--cluster-port",
        str(free_port()),
        "--cluster-config-file",
        str(tmp_path / "nodes.conf"),
        "--dir",
        str(tmp_path),
    )
    server.start()
    try:
        server.command("CLUSTER", "ADDSLOTSRANGE", "0", "16383")
        deadline = time.monotonic() + 10
        while True:
            info = redis.Redis(port=server.port).cluster("INFO")
            if info.get("cluster_state") == "ok":
                break
            if time.monotonic() > deadline:
                raise RuntimeError("the cluster did not come up")
            time.sleep(0.05)
        yield server
    finally:
        server.stop()


@pytest.mark.anyio
async def test_it_works_on_redis_cluster(cluster: RedisProcess) -> None:
    from redis.asyncio.cluster import RedisCluster

    client = RedisCluster(host="127.0.0.1", port=cluster.port)
    try:
        one = RedisRateLimiter(client, 100, 20.0, api_key=API_KEY)
        two = RedisRateLimiter(client, 100, 20.0, api_key=API_KEY)
        await one.acquire(read())
        one.release()
        await one.record_response(200, OWN_EMPTY, None, slow())
        await two.acquire(read())
        two.release()
        assert SLOW in two.scope_stats()
        with pytest.raises(RateLimitBudgetExceeded):
            await two.acquire(slow(budget=1.0))
        assert one.backend_available and two.backend_available
        assert one.stats.backend_errors == two.stats.backend_errors == 0
    finally:
        await client.aclose()


@pytest.mark.anyio
async def test_cluster_refuses_keys_of_two_slots(cluster: RedisProcess) -> None:
    """The control: without the hash tag the same script is refused, so the test above has
    teeth."""
    from redis.asyncio import Redis

    client = Redis(port=cluster.port)
    try:
        with pytest.raises(redis.exceptions.ResponseError, match="same slot"):
            await client.eval("return 1", 2, "a", "b")
    finally:
        await client.aclose()
