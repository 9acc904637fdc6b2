"""Scopes in the local RateLimiter, in virtual time: an operation with a limit of its own is
paced apart, and never slows the rest of the key."""

from __future__ import annotations

import itertools
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import anyio
import httpx
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import (
    KEY_SCOPE,
    LimitedRequest,
    RateLimitBudgetExceeded,
    RateLimiter,
    ScopeStats,
)
from incidentio_async.ratelimit.queue import OrderedLock
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.bucket import KeyStats
from incidentio_async.testing.bucket import TokenBucket as ServerBucket

pytestmark = pytest.mark.anyio

SLOW = "POST /v3/follow_ups/{id}/actions/connect_external_issue"
READ = "GET /v3/follow_ups/{id}"
SLOW_LIMIT = "2;window=10"


def slow(**kwargs: float) -> LimitedRequest:
    return LimitedRequest(operation=SLOW, **kwargs)  # type: ignore[arg-type]


def read(**kwargs: float) -> LimitedRequest:
    return LimitedRequest(operation=READ, **kwargs)  # type: ignore[arg-type]


def own_limit(remaining: int) -> httpx.Headers:
    """A response of the slow operation whose own limit binds."""
    return httpx.Headers(
        {
            "X-RateLimit-Limit": f"2, 100;window=5, {SLOW_LIMIT}",
            "X-RateLimit-Remaining": str(remaining),
        }
    )


def key_limit(remaining: int) -> httpx.Headers:
    return httpx.Headers(
        {"X-RateLimit-Limit": "100, 100;window=5", "X-RateLimit-Remaining": str(remaining)}
    )


class Server:
    """The API's buckets on the virtual clock: the key's (100 at 20/s) and the slow
    operation's own (2, refilled 1 per 5 s), with the documented headers."""

    def __init__(self, clock: VirtualClock) -> None:
        self.clock = clock
        self.key = ServerBucket(100, 20.0, clock.monotonic())
        self.own = ServerBucket(2, 0.2, clock.monotonic())
        self.rejected: dict[str, int] = {SLOW: 0, READ: 0}
        self.admitted: dict[str, int] = {SLOW: 0, READ: 0}

    def serve(self, operation: str) -> tuple[int, httpx.Headers, float | None]:
        now = self.clock.monotonic()
        buckets = [self.key] + ([self.own] if operation == SLOW else [])
        for bucket in buckets:
            bucket.refill(now)
        limits = "100;window=5" + (f", {SLOW_LIMIT}" if operation == SLOW else "")
        binding = min(buckets, key=lambda b: math.floor(b.tokens))
        if any(bucket.tokens < 1 for bucket in buckets):
            self.rejected[operation] += 1
            empty = [bucket for bucket in buckets if bucket.tokens < 1]
            wait = max(bucket.seconds_until(1) for bucket in empty)
            binding = empty[-1]
            headers = {
                "X-RateLimit-Limit": f"{binding.capacity}, {limits}",
                "X-RateLimit-Remaining": "0",
            }
            return 429, httpx.Headers(headers), math.ceil(wait)
        for bucket in buckets:
            bucket.tokens -= 1
        self.admitted[operation] += 1
        headers = {
            "X-RateLimit-Limit": f"{binding.capacity}, {limits}",
            "X-RateLimit-Remaining": str(math.floor(binding.tokens)),
        }
        return 200, httpx.Headers(headers), None


async def call(
    limiter: RateLimiter, server: Server, operation: str, clock: VirtualClock, latency: float
) -> int:
    """One call as the client makes it: a 429 waits Retry-After and tries again."""
    started = clock.monotonic()
    while True:
        request = LimitedRequest(operation=operation, call_started=started)
        await limiter.acquire(request)
        try:
            await clock.sleep(latency / 2)
            status, headers, retry_after = server.serve(operation)
            await clock.sleep(latency / 2)
        finally:
            limiter.release()
        await limiter.record_response(status, headers, retry_after, request)
        if status != 429:
            return status
        assert retry_after is not None
        await clock.sleep(retry_after)


async def bulk_reads(
    with_slow_callers: int, reads: int = 300, concurrency: int = 24
) -> tuple[float, Server, RateLimiter]:
    """``reads`` GETs from ``concurrency`` workers, beside callers looping on the slow
    operation for as long as the reads last; returns when the last read ended."""
    clock = VirtualClock()
    server = Server(clock)
    limiter = RateLimiter(100, 20.0, max_concurrency=32, clock=clock)
    pending = iter(range(reads))
    finished = anyio.Event()
    done_at = 0.0

    async def reader() -> None:
        for _ in pending:
            assert await call(limiter, server, READ, clock, 0.02) == 200

    async def readers() -> None:
        nonlocal done_at
        async with anyio.create_task_group() as group:
            for _ in range(concurrency):
                group.start_soon(reader)
        done_at = clock.monotonic()
        finished.set()

    async def slow_caller() -> None:
        while not finished.is_set():
            assert await call(limiter, server, SLOW, clock, 0.02) == 200

    async with clock.running(), anyio.create_task_group() as group:
        group.start_soon(readers)
        for _ in range(with_slow_callers):
            group.start_soon(slow_caller)
    return done_at, server, limiter


async def test_a_saturated_slow_operation_never_paces_bulk_reads() -> None:
    alone, _, _ = await bulk_reads(with_slow_callers=0)
    mixed, server, limiter = await bulk_reads(with_slow_callers=5)
    assert alone / mixed >= 0.97  # the few tokens the slow calls take of the key's bucket
    assert server.rejected[READ] == 0
    # The slow operation was saturated: paced at its own rate once learned (at most the
    # first burst, sent before any answer told of its limit, met 429s).
    assert server.admitted[SLOW] >= math.floor(mixed * 0.2)
    assert server.rejected[SLOW] <= 5
    stats = limiter.scope_stats()
    assert list(stats) == [KEY_SCOPE, SLOW]
    assert (stats[SLOW].capacity, stats[SLOW].refill_rate) == (2, 0.2)
    assert stats[KEY_SCOPE].rate_limited == 0


async def test_a_slow_operation_alone_is_paced_at_its_own_rate() -> None:
    clock = VirtualClock()
    server = Server(clock)
    limiter = RateLimiter(100, 20.0, clock=clock)
    ends: list[float] = []

    async def one() -> None:
        await call(limiter, server, SLOW, clock, 0.02)
        ends.append(clock.monotonic())

    async with clock.running():
        await one()  # learns the scope; nothing is known before the first answer
        async with anyio.create_task_group() as group:
            for _ in range(6):
                group.start_soon(one)
    assert server.rejected[SLOW] == 0
    # Its own bucket held 1 token after the first call, which the second takes at once;
    # then one call per refill of 5 s (the first a little later: the reserve).
    assert ends[1] == pytest.approx(0.04)
    gaps = [b - a for a, b in itertools.pairwise(ends[1:])]
    assert 5.0 <= gaps[0] <= 5.4
    assert gaps[1:] == pytest.approx([5.0] * 4, abs=1e-6)


async def test_remaining_of_the_operations_own_limit_lowers_only_its_scope() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(200, own_limit(0), None, slow())
    stats = limiter.scope_stats()
    assert stats[KEY_SCOPE].tokens == 100  # the key's bucket is untouched
    assert stats[SLOW].tokens == 0
    await limiter.record_response(200, key_limit(40), None, slow())
    assert limiter.tokens == 40  # the key's own Remaining lowers the key's bucket
    assert limiter.scope_stats()[SLOW].tokens == 0


async def test_an_operations_429_pauses_only_its_callers() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(429, own_limit(0), 8.0, slow())
    assert limiter.paused_until is None
    assert limiter.scope_stats()[SLOW].paused_until == 8.0
    admitted: dict[str, float] = {}

    async def go(name: str, request: LimitedRequest) -> None:
        await limiter.acquire(request)
        admitted[name] = clock.monotonic()
        limiter.release()

    async with clock.running(), anyio.create_task_group() as group:
        group.start_soon(go, "slow", slow())
        group.start_soon(go, "read", read())
        group.start_soon(go, "raw", LimitedRequest())
    assert admitted == {"slow": 8.0, "read": 0.0, "raw": 0.0}
    stats = limiter.scope_stats()
    assert (stats[SLOW].rate_limited, stats[SLOW].paused_seconds) == (1, 8.0)
    assert (stats[KEY_SCOPE].rate_limited, stats[KEY_SCOPE].paused_seconds) == (0, 0.0)


@pytest.mark.parametrize(
    "headers",
    [
        key_limit(0),  # the key's own limit
        httpx.Headers({}),  # nothing to attribute it by
        httpx.Headers({"X-RateLimit-Limit": "what"}),
        httpx.Headers({"X-RateLimit-Limit": "1200"}),  # the old single number
        # A binding quota that could be either limit.
        httpx.Headers({"X-RateLimit-Limit": "100, 100;window=5, 100;window=3600"}),
    ],
)
async def test_the_keys_own_or_an_unattributable_429_pauses_everyone(
    headers: httpx.Headers,
) -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(200, own_limit(1), None, slow())  # the slow scope exists
    await limiter.record_response(429, headers, 3.0, slow())
    assert limiter.paused_until == 3.0
    admitted: list[float] = []

    async def go(request: LimitedRequest) -> None:
        await limiter.acquire(request)
        admitted.append(clock.monotonic())
        limiter.release()

    async with clock.running(), anyio.create_task_group() as group:
        group.start_soon(go, read())
        group.start_soon(go, LimitedRequest())
    assert min(admitted) >= 3.0


async def test_a_raw_requests_own_429_pauses_nobody() -> None:
    # client.request(...) has no operation: its own limit has no scope to pause. The call
    # itself waits Retry-After before trying again; nobody else does.
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(429, own_limit(0), 9.0, LimitedRequest())
    assert limiter.paused_until is None
    assert list(limiter.scope_stats()) == [KEY_SCOPE]
    assert limiter.stats.rate_limited == 1
    await limiter.record_response(200, own_limit(0), None, LimitedRequest())
    assert limiter.tokens == 100  # nor does its Remaining drain the key's bucket


async def test_waiting_for_its_own_scope_holds_nothing_of_the_keys() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(3, 1.0, max_concurrency=2, clock=clock)  # reserve 1: 2 usable
    await limiter.record_response(429, own_limit(0), 30.0, slow())
    async with anyio.create_task_group() as group:
        for _ in range(10):
            group.start_soon(limiter.acquire, slow())
        await clock.settle()
        assert limiter.scope_stats()[SLOW].waiting == 10
        assert limiter.available_tokens == 2  # no key token held
        assert limiter.free_slots == 2  # no slot held
        assert limiter.scope_stats()[KEY_SCOPE].waiting == 0
        await limiter.acquire(read())  # the rest of the key goes on
        await limiter.acquire(read())
        group.cancel_scope.cancel()
    assert limiter.scope_stats()[SLOW].waiting == 0


async def test_a_learned_scope_serves_every_later_call_and_client() -> None:
    from incidentio_async.ratelimit import shared_rate_limiter

    limiter = shared_rate_limiter("sk_test_scopes_survive")
    await limiter.record_response(200, own_limit(1), None, slow())
    again = shared_rate_limiter("sk_test_scopes_survive")
    assert SLOW in again.scope_stats()


async def test_a_changed_limit_resizes_the_scope() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(200, own_limit(0), None, slow())
    changed = httpx.Headers({"X-RateLimit-Limit": "5, 100;window=5, 5;window=10"})
    await limiter.record_response(200, changed, None, slow())
    stats = limiter.scope_stats()[SLOW]
    assert (stats.capacity, stats.refill_rate) == (5, 0.5)
    assert stats.tokens == 0  # the level is kept


# -- budgets ------------------------------------------------------------------------------


async def test_a_wait_beyond_the_budget_raises_at_once_and_takes_nothing() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, max_concurrency=4, clock=clock)
    await limiter.record_response(429, own_limit(0), 30.0, slow())
    async with clock.running():
        with pytest.raises(RateLimitBudgetExceeded) as caught:
            await limiter.acquire(slow(budget=5.0))
    assert clock.monotonic() == 0.0  # at once: the wait was known
    assert (caught.value.scope, caught.value.wait, caught.value.budget) == (SLOW, 30.0, 5.0)
    assert limiter.free_slots == 4
    assert limiter.scope_stats()[SLOW].waiting == 0
    await limiter.record_response(429, key_limit(0), 30.0, read())
    with pytest.raises(RateLimitBudgetExceeded, match="'key'"):
        await limiter.acquire(read(budget=29.0))
    async with clock.running():
        await limiter.acquire(read(budget=30.0))  # exactly enough
    assert clock.monotonic() == 30.0


async def test_queued_waiters_give_up_when_their_budget_runs_out() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(2, 1.0, clock=clock, initial_tokens=0)  # reserve 1: 1/s from 2 s
    outcomes: dict[int, object] = {}

    async def go(index: int, budget: float) -> None:
        try:
            await limiter.acquire(LimitedRequest(budget=budget))
        except RateLimitBudgetExceeded as error:
            outcomes[index] = ("gave up", clock.monotonic(), error.wait)
        else:
            outcomes[index] = ("admitted", clock.monotonic())
            limiter.release()

    async with anyio.create_task_group() as group:
        for index, budget in enumerate([10.0, 10.0, 1.5, 10.0]):
            group.start_soon(go, index, budget)
            await clock.settle()  # time stands still: the queue forms in this order
        async with clock.running():
            await clock.sleep(60)
    assert outcomes == {
        0: ("admitted", 2.0),
        1: ("admitted", 3.0),
        2: ("gave up", 1.51, None),  # third in line, due at 4 s: out of budget at 1.5 s
        3: ("admitted", 4.0),  # and the one behind it moved up
    }
    assert limiter.free_slots == limiter.max_concurrency


async def test_an_operation_token_is_taken_only_with_the_keys() -> None:
    # Taken before the key's, it would be lost when the key step gives up (and spent long
    # before the request leaves, bunching requests at the server).
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(200, own_limit(2), None, slow())
    await limiter.record_response(429, key_limit(0), 30.0, read())  # the key is paused
    before = limiter.scope_stats()[SLOW].tokens
    with pytest.raises(RateLimitBudgetExceeded, match="'key'"):
        await limiter.acquire(slow(budget=1.0))
    assert limiter.scope_stats()[SLOW].tokens == before


# -- order ----------------------------------------------------------------------------------


async def test_a_retry_keeps_the_place_of_its_call() -> None:
    clock = VirtualClock(start=100.0)
    limiter = RateLimiter(2, 1.0, clock=clock, initial_tokens=0)
    order: list[str] = []

    async def go(name: str, started: float | None) -> None:
        await limiter.acquire(LimitedRequest(call_started=started))
        order.append(name)
        limiter.release()

    async with anyio.create_task_group() as group:
        for name in ("a", "b", "c"):
            group.start_soon(go, name, None)
            await clock.settle()
        group.start_soon(go, "retry of a call started at 50", 50.0)
        await clock.settle()
        async with clock.running():
            await clock.sleep(10)
    # "a" was already at the head, asleep; the retry goes before the calls started later.
    assert order == ["a", "retry of a call started at 50", "b", "c"]


async def test_without_call_start_times_the_order_is_arrival() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(2, 1.0, clock=clock, initial_tokens=0)
    order: list[int] = []

    async def go(index: int) -> None:
        await limiter.acquire()
        order.append(index)
        limiter.release()

    async with anyio.create_task_group() as group:
        for index in range(20):
            group.start_soon(go, index)
            await clock.settle()
        async with clock.running():
            await clock.sleep(60)
    assert order == list(range(20))


def test_scope_stats_of_a_fresh_limiter() -> None:
    stats = RateLimiter(1200, 20.0).scope_stats()
    assert list(stats) == [KEY_SCOPE]
    key = stats[KEY_SCOPE]
    assert (key.capacity, key.refill_rate, key.tokens, key.waiting) == (1200, 20, 1200, 0)
    assert (key.rate_limited, key.paused_seconds, key.paused_until) == (0, 0.0, None)


# -- end to end: the client against the fake ---------------------------------------------------

FAKE_CONNECT = "Follow-ups V3#ConnectExternalIssue"
FAKE_SHOW = "Follow-ups V3#Show"


@dataclass
class Run:
    """What a run through the fake came to."""

    reads_done_at: float
    fake: KeyStats
    scopes: dict[str, ScopeStats]
    connected: int


async def reads_through_the_fake(slow_callers: int) -> Run:
    """300 GETs from 24 tasks through a client of the fake (bucket 100 at 20/s, 20 ms per
    request), beside callers connecting follow-ups (limit 2, refilled 1 per 5 s) for as long
    as the reads last."""
    clock = VirtualClock()
    fake = FakeIncidentIO(
        clock=clock,
        capacity=100,
        refill_rate=20,
        latency=0.02,
        endpoint_limits={FAKE_CONNECT: (2, 0.2)},
        record_requests=False,
    )
    incident = fake.add_incident()
    unconnected = [fake.add_follow_up(incident, f"Follow-up {n}").id for n in range(40)]
    shown = unconnected[0]
    pending = iter(range(300))
    finished = anyio.Event()
    done_at = 0.0
    connected = 0
    limiter = RateLimiter(100, 20.0, clock=clock)
    async with clock.running(), fake.client(rate_limiter=limiter) as client:

        async def reader() -> None:
            for _ in pending:
                await client.follow_ups_v3.get(shown)

        async def readers() -> None:
            nonlocal done_at
            async with anyio.create_task_group() as group:
                for _ in range(24):
                    group.start_soon(reader)
            done_at = clock.monotonic()
            finished.set()

        async def connector() -> None:
            nonlocal connected
            while not finished.is_set():
                follow_up = unconnected.pop()
                await client.follow_ups_v3.connect_external_issue(
                    follow_up, provider="jira", url=f"https://x.atlassian.net/browse/A-{follow_up}"
                )
                connected += 1

        async with anyio.create_task_group() as group:
            group.start_soon(readers)
            for _ in range(slow_callers):
                group.start_soon(connector)
    return Run(done_at, fake.key_stats(), limiter.scope_stats(), connected)


async def test_through_the_fake_a_saturated_operation_never_paces_bulk_reads() -> None:
    alone = await reads_through_the_fake(slow_callers=0)
    mixed = await reads_through_the_fake(slow_callers=5)
    assert alone.reads_done_at / mixed.reads_done_at >= 0.97
    assert mixed.fake.rejected_by_operation.get(FAKE_SHOW, 0) == 0
    assert mixed.fake.admitted_by_operation[FAKE_SHOW] == 300
    # Every connect call succeeded (the 429s of the first burst, sent before any answer told
    # of the limit, were waited out, not raised).
    assert mixed.connected >= 5
    assert mixed.fake.admitted_by_operation[FAKE_CONNECT] == mixed.connected
    assert list(mixed.scopes) == [KEY_SCOPE, SLOW]
    assert mixed.scopes[KEY_SCOPE].rate_limited == 0


# -- the ordered queue itself ---------------------------------------------------------------


async def test_the_ordered_lock_serves_by_priority_then_arrival_and_survives_cancellation() -> None:
    lock = OrderedLock()
    assert not await lock.acquire(5.0)  # free: taken at once
    got: list[str] = []
    scopes = {name: anyio.CancelScope() for name in "abcde"}

    async def waiter(name: str, priority: float) -> None:
        with scopes[name]:
            assert await lock.acquire(priority)
            got.append(name)
            lock.release()

    # A lost lock would leave the others waiting for ever: fail instead.
    with anyio.fail_after(10):
        await serve_in_order(lock, waiter, scopes)
    assert got == ["b", "d", "a"]  # then priority, ties by arrival
    assert not lock.locked() and lock.queued == 0


async def serve_in_order(
    lock: OrderedLock,
    waiter: Callable[[str, float], Awaitable[None]],
    scopes: dict[str, anyio.CancelScope],
) -> None:
    async with anyio.create_task_group() as group:
        for name, priority in [("a", 3.0), ("b", 1.0), ("c", 2.0), ("d", 1.0), ("e", 0.5)]:
            group.start_soon(waiter, name, priority)
            for _ in range(5):  # trio shuffles tasks started together: queue one at a time
                await anyio.lowlevel.checkpoint()
        assert lock.queued == 5
        scopes["c"].cancel()  # leaves the queue
        # "e", first in line, is cancelled just as the lock is handed to it: whichever comes
        # first, it passes the lock on rather than losing it.
        scopes["e"].cancel()
        lock.release()


def test_a_log_handler_may_read_the_limiters_stats_when_it_learns_a_scope() -> None:
    """The limiter logs what it learned after letting go of its lock: a handler that reads
    scope_stats() (a metrics exporter, say) would otherwise wait on that lock for ever."""
    import logging
    import threading

    limiter = RateLimiter(100, 20.0, clock=VirtualClock())
    seen: list[set[str]] = []

    class ReadsStats(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(set(limiter.scope_stats()))

    handler = ReadsStats(level=logging.INFO)
    logger = logging.getLogger("incidentio_async")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        worker = threading.Thread(
            target=anyio.run,
            args=(limiter.record_response, 200, own_limit(1), None, slow()),
            daemon=True,
        )
        worker.start()
        worker.join(timeout=10)
        assert not worker.is_alive(), "record_response deadlocked on its own lock"
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert {"key", SLOW} in seen
