"""RedisRateLimiter without a Redis server: imports, naming, binding, errors and fallback."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys

import anyio
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import ApiKeyBindable, Limiter, LimiterEvent, RedisRateLimiter
from incidentio_async.ratelimit.keys import api_key_id
from incidentio_async.ratelimit.redis_lua import KEY_IDLE_LIFETIME, parse_reply, script_args

API_KEY = "sk_live_unit_test_key_abcdef"


def closed_port_url() -> str:
    """A redis:// URL nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def test_importing_the_package_does_not_import_redis() -> None:
    code = (
        "import sys\n"
        "from incidentio_async.ratelimit import RedisRateLimiter, RateLimiter\n"
        "import incidentio_async.ratelimit.redis\n"
        "assert 'redis' not in sys.modules, 'redis imported too early'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_missing_redis_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "redis", None)
    monkeypatch.setitem(sys.modules, "redis.asyncio", None)
    with pytest.raises(ImportError, match=r"incidentio-async\[redis\]"):
        RedisRateLimiter("redis://localhost:6379/0", api_key=API_KEY)


def test_implements_the_protocols() -> None:
    limiter: Limiter = RedisRateLimiter("redis://localhost:6379/0", api_key=API_KEY)
    assert isinstance(limiter, ApiKeyBindable)


def test_bucket_key_is_a_hash_of_the_api_key() -> None:
    limiter = RedisRateLimiter("redis://localhost:6379/0", api_key=API_KEY)
    assert limiter.bucket_key == f"incidentio_async:ratelimit:{api_key_id(API_KEY)}"
    assert API_KEY not in repr(limiter)
    assert API_KEY not in repr(vars(limiter))


def test_bind_api_key() -> None:
    limiter = RedisRateLimiter("redis://localhost:6379/0", key_prefix="app:rl")
    assert limiter.bucket_key is None
    limiter.bind_api_key(API_KEY)
    assert limiter.bucket_key == f"app:rl:{api_key_id(API_KEY)}"
    limiter.bind_api_key(API_KEY)  # again: fine
    with pytest.raises(ValueError, match="another API key"):
        limiter.bind_api_key(API_KEY + "2")
    named = RedisRateLimiter("redis://localhost:6379/0", namespace="org-wide")
    named.bind_api_key(API_KEY)
    assert named.bucket_key == "incidentio_async:ratelimit:org-wide"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"capacity": 0},
        {"refill_rate": 0.0},
        {"max_concurrency": 0},
        {"fallback_share": 0.0},
        {"fallback_share": 1.5},
        {"backend_timeout": 0.0},
        {"key_prefix": ""},
        {"namespace": ""},
        {"initial_tokens": -1.0},
        {"initial_tokens": float("nan")},
    ],
)
def test_constructor_rejects_nonsense(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        RedisRateLimiter("redis://localhost:6379/0", **kwargs)  # type: ignore[arg-type]


def test_malformed_url_or_wrong_type_is_rejected_at_once() -> None:
    with pytest.raises(ValueError):
        RedisRateLimiter("http://not-redis", api_key=API_KEY)
    with pytest.raises(TypeError, match=r"URL or a redis\.asyncio\.Redis"):
        RedisRateLimiter(6379, api_key=API_KEY)  # type: ignore[arg-type]


def test_script_args_never_carry_the_client_clock() -> None:
    args = script_args("take", 1200, 20.0, 6)
    # now ('' = Redis TIME), then a missing bucket's level (full), no drain, the key's scope.
    assert args == ["take", "1200.0", "20.0", "6.0", "0.0", "", "1200.0", "0", ""]
    assert script_args("peek", 10, 1.0, 0, missing=0, drain=True)[-3:] == ["0.0", "1", ""]
    assert script_args("learn", 2, 0.2, 0, scope="POST /x/{id}")[-1] == "POST /x/{id}"
    with pytest.raises(ValueError):
        script_args("steal", 1, 1, 0)


def test_parse_reply() -> None:
    reply = parse_reply([0, b"0.25", b"3.5"])
    assert (reply.ok, reply.seconds, reply.tokens) == (False, 0.25, 3.5)
    assert parse_reply([1, "0", "7"]).ok
    with pytest.raises(ValueError):
        parse_reply(b"OK")


@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.anyio
async def test_trio_gets_a_clear_error() -> None:
    limiter = RedisRateLimiter("redis://localhost:6379/0", api_key=API_KEY)
    with pytest.raises(RuntimeError, match="needs asyncio"):
        await limiter.acquire()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_unbound_limiter_says_so() -> None:
    limiter = RedisRateLimiter("redis://localhost:6379/0")
    with pytest.raises(RuntimeError, match="bind_api_key"):
        await limiter.acquire()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_unreachable_redis_falls_back_to_a_local_share(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = VirtualClock()
    events: list[LimiterEvent] = []
    limiter = RedisRateLimiter(
        closed_port_url(),
        capacity=100,
        refill_rate=10.0,
        api_key=API_KEY,
        clock=clock,
        on_event=events.append,
        fallback_share=0.5,
        backend_retry_interval=5.0,
    )
    times: list[float] = []
    with caplog.at_level(logging.WARNING, logger="incidentio_async"):
        async with clock.running():
            for _ in range(4):
                await limiter.acquire()
                times.append(clock.monotonic())
                limiter.release()
                await limiter.record_response(200, {"X-RateLimit-Remaining": "50"}, None)
            await limiter.record_response(429, {}, 2.0)  # must not raise either
    # One request at once, then half the rate: nothing shared is known, so no burst.
    assert times == pytest.approx([0.0, 0.2, 0.4, 0.6])
    assert not limiter.backend_available
    assert limiter.stats.backend_errors >= 1
    assert limiter.stats.acquired == 4
    assert limiter.stats.rate_limited == 1
    assert "backend_unavailable" in {event.kind for event in events}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per outage, not once per request
    assert "Redis is unreachable" in warnings[0].getMessage()
    assert API_KEY not in caplog.text
    assert api_key_id(API_KEY) not in caplog.text
    await limiter.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_fallback_retries_redis_only_after_the_interval() -> None:
    clock = VirtualClock()
    limiter = RedisRateLimiter(
        closed_port_url(),
        capacity=1000,
        refill_rate=1000.0,
        api_key=API_KEY,
        clock=clock,
        backend_retry_interval=10.0,
    )
    async with clock.running():
        for _ in range(50):  # 2.5 virtual seconds at the fallback's 250/s
            await limiter.acquire()
            limiter.release()
        assert limiter.stats.backend_errors == 1  # not hammered
        await clock.sleep(10.0)
        await limiter.acquire()
        limiter.release()
        assert limiter.stats.backend_errors == 2  # tried again, failed, backs off (20 s now)
        await clock.sleep(15.0)
        await limiter.acquire()
        limiter.release()
        assert limiter.stats.backend_errors == 2
    await limiter.aclose()


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_cancelling_waiters_leaks_no_slot_during_fallback() -> None:
    clock = VirtualClock()
    limiter = RedisRateLimiter(
        closed_port_url(),
        capacity=10,
        refill_rate=1.0,
        max_concurrency=3,
        api_key=API_KEY,
        clock=clock,
    )
    async with clock.running():
        await limiter.acquire()  # Redis fails: fallback, one request at once
        limiter.release()
    async with anyio.create_task_group() as group:
        for _ in range(100):
            group.start_soon(limiter.acquire)
        await clock.settle()
        assert limiter.waiting == 100
        group.cancel_scope.cancel()
    assert (limiter.waiting, limiter.free_slots) == (0, 3)
    await limiter.aclose()


class ScriptedRedis:
    """Stands in for redis.asyncio.Redis: records each script call's ARGV, fails on demand."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.down = False

    async def evalsha(self, sha: str, numkeys: int, *keys_and_args: str) -> list[str]:
        if self.down:
            raise ConnectionError("Redis is down")
        self.calls.append(list(keys_and_args[numkeys:]))
        return ["1", "0", "5"]

    def missing_levels(self) -> list[float]:
        """For each call, the level the script was told to give a bucket it does not hold."""
        return [float(args[6]) for args in self.calls]

    def drains(self) -> list[bool]:
        """For each call, whether the script was told to empty the bucket first."""
        return [args[7] == "1" for args in self.calls]


def scripted_limiter(
    redis: ScriptedRedis, clock: VirtualClock, **kwargs: float
) -> RedisRateLimiter:
    return RedisRateLimiter(
        redis,  # type: ignore[arg-type]
        capacity=100,
        refill_rate=10.0,
        api_key=API_KEY,
        clock=clock,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_a_missing_bucket_is_full_on_first_use_and_empty_once_used() -> None:
    clock = VirtualClock()
    redis = ScriptedRedis()
    limiter = scripted_limiter(redis, clock)
    await limiter.acquire()  # first use: nothing says the key was busy
    limiter.release()
    await limiter.acquire()  # used a moment ago: if Redis no longer has it, Redis lost it
    limiter.release()
    clock.advance(KEY_IDLE_LIFETIME - 1)
    assert await limiter.peek_tokens() == 5
    clock.advance(KEY_IDLE_LIFETIME)  # idle long enough for the key to expire by itself
    await limiter.acquire()
    limiter.release()
    assert redis.missing_levels() == [100, 0, 0, 100]
    assert redis.drains() == [False] * 4


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_initial_tokens_sets_the_first_use_level_only() -> None:
    clock = VirtualClock()
    redis = ScriptedRedis()
    limiter = scripted_limiter(redis, clock, initial_tokens=30.0)
    assert await limiter.peek_tokens() == 5
    assert await limiter.peek_tokens() == 5
    assert redis.missing_levels() == [30, 0]


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_the_first_call_after_an_outage_drains_the_bucket() -> None:
    clock = VirtualClock()
    redis = ScriptedRedis()
    limiter = scripted_limiter(redis, clock, backend_retry_interval=1.0)
    async with clock.running():
        await limiter.acquire()
        limiter.release()
        redis.down = True
        await limiter.acquire()  # on the local share
        limiter.release()
        assert not limiter.backend_available
        redis.down = False
        await clock.sleep(1.0)
        # Whichever call reaches Redis first drains, even one that only reports a response.
        await limiter.record_response(200, {"X-RateLimit-Remaining": "2"}, None)
        await limiter.acquire()
        limiter.release()
    assert limiter.backend_available
    assert [args[0] for args in redis.calls] == ["take", "lower", "take"]
    assert redis.drains() == [False, True, False]
    assert redis.missing_levels() == [100, 0, 0]


class SlowlyFailingRedis(ScriptedRedis):
    """Fails every call, after a real moment, so that calls made together fail together."""

    async def evalsha(self, sha: str, numkeys: int, *keys_and_args: str) -> list[str]:
        self.calls.append(list(keys_and_args[numkeys:]))
        await anyio.sleep(0.01)
        raise ConnectionError("Redis is down")


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_calls_failing_together_count_as_one_failure() -> None:
    clock = VirtualClock()
    redis = SlowlyFailingRedis()
    limiter = scripted_limiter(redis, clock, backend_retry_interval=2.0)
    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(limiter.peek_tokens)
    assert len(redis.calls) == 10  # all ten were under way when the first failed
    assert limiter.stats.backend_errors == 1
    # Redis is tried again after the first interval (2 s), not after one doubled per call.

    async def request() -> None:
        await limiter.acquire()
        limiter.release()

    clock.advance(1.9)
    await request()  # on the local share
    assert len(redis.calls) == 10
    clock.advance(0.1)
    await request()
    assert len(redis.calls) == 11
    assert limiter.stats.backend_errors == 2
    clock.advance(3.9)  # that failure doubled the interval once: 4 s
    await request()
    assert len(redis.calls) == 11
    clock.advance(0.1)
    await request()
    assert len(redis.calls) == 12


def test_a_registry_read_from_redis_keeps_only_what_the_api_could_have_sent() -> None:
    raw = [
        1, "0", "0", 6, 0, "", "",
        [
            b"POST /v3/follow_ups/{id}/actions/connect_external_issue", b"2 0.2",
            b"GET /v3/follow_ups", b"1e300 1",  # a capacity beyond any limit
            b"GET /x", b"2 1e-12",  # a window of 63,000 years
            b"GET /y", b"inf nan",
            b"GET /z\x1b[31m", b"2 0.2",  # a name with control characters (it reaches logs)
            b"not a scope", b"2 0.2",
        ],
    ]  # fmt: skip
    reply = parse_reply(raw)
    assert reply.registry is not None
    assert list(reply.registry) == ["POST /v3/follow_ups/{id}/actions/connect_external_issue"]
    assert reply.scopes == 6
