"""Per-key sharing of limiters, and one limiter serving several event loops in turn."""

from __future__ import annotations

import asyncio
import gc
import threading
import types

import anyio
import pytest

from incidentio_async.ratelimit import RateLimiter, shared_rate_limiter
from incidentio_async.ratelimit import registry as registry_module

KEY = "sk_live_registry_test_key_0123456789"


def test_same_key_same_limiter_different_keys_different_limiters() -> None:
    first = shared_rate_limiter(KEY)
    assert shared_rate_limiter(KEY) is first
    other = shared_rate_limiter(KEY + "-other")
    assert other is not first
    assert (first.capacity, first.refill_rate) == (1200, 20)


def test_shared_limiters_are_independent() -> None:
    one = shared_rate_limiter(KEY + "-one")
    two = shared_rate_limiter(KEY + "-two")

    async def main() -> None:
        for _ in range(100):
            await one.acquire()
            one.release()

    anyio.run(main)
    assert one.tokens < 1101
    assert two.tokens == 1200


def test_registry_does_not_keep_the_key_in_clear() -> None:
    limiter = shared_rate_limiter(KEY)
    assert all(KEY not in name for name in registry_module._limiters)
    # No data reachable from the registry holds the key (code objects lead to every module,
    # this test's included, so the walk stops at them).
    seen: set[int] = set()
    pending: list[object] = [registry_module._limiters, limiter]
    while pending:
        item = pending.pop()
        if id(item) in seen or callable(item) or isinstance(item, types.ModuleType):
            continue
        seen.add(id(item))
        if isinstance(item, str | bytes):
            assert KEY not in str(item)
            continue
        pending.extend(gc.get_referents(item))
    assert len(seen) > 10  # the walk did reach the limiter's state


def test_registry_is_thread_safe() -> None:
    found: list[RateLimiter] = []
    barrier = threading.Barrier(8)

    def grab() -> None:
        barrier.wait()
        found.append(shared_rate_limiter(KEY + "-threads"))

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(limiter) for limiter in found}) == 1


@pytest.mark.parametrize(
    "backends", [("asyncio", "asyncio"), ("trio", "trio"), ("asyncio", "trio", "asyncio")]
)
def test_one_limiter_serves_consecutive_event_loops(backends: tuple[str, ...]) -> None:
    limiter = RateLimiter(1000, 1000.0, max_concurrency=4)

    async def abandon_a_slot() -> None:
        # A loop that ends with a slot still taken must not cost the next loop that slot.
        await limiter.acquire()

    async def busy() -> None:
        most = 0
        holders = 0

        async def request() -> None:
            nonlocal most, holders
            await limiter.acquire()
            holders += 1
            most = max(most, holders)
            await anyio.sleep(0.001)
            holders -= 1
            limiter.release()

        async with anyio.create_task_group() as group:
            for _ in range(20):
                group.start_soon(request)
        assert most == 4
        assert limiter.free_slots == 4

    for backend in backends:
        anyio.run(abandon_a_slot, backend=backend)
        anyio.run(busy, backend=backend)
    assert limiter.stats.acquired == 21 * len(backends)


def test_shared_limiter_across_two_asyncio_runs() -> None:
    limiter = shared_rate_limiter(KEY + "-runs")

    async def main() -> float:
        for _ in range(10):
            await limiter.acquire()
            limiter.release()
        return limiter.tokens

    first = asyncio.run(main())
    second = asyncio.run(main())
    assert second < first  # the bucket carried over from one loop to the next
