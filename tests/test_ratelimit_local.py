"""RateLimiter in virtual time: exact, fast and the same on every run, under asyncio and trio."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence

import anyio
import httpx
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import Limiter, LimiterEvent, RateLimiter

pytestmark = pytest.mark.anyio


def window_excess(times: Sequence[float], capacity: float, rate: float) -> float:
    """The most by which any interval [t_i, t_j] of admissions exceeds capacity + rate * T.

    count(i..j) = j - i + 1 <= capacity + rate (t_j - t_i) for all i <= j is equivalent to
    (j - rate t_j) - min over i <= j of (i - rate t_i) + 1 <= capacity: one pass, every window.
    """
    ordered = sorted(times)
    worst = -math.inf
    lowest = math.inf
    for j, t in enumerate(ordered):
        lowest = min(lowest, j - rate * t)
        worst = max(worst, (j - rate * t) - lowest + 1 - capacity)
    return worst


def test_window_excess_helper() -> None:
    assert window_excess([0, 0, 0], 3, 1) == 0
    assert window_excess([0, 0, 0, 0], 3, 1) == 1
    assert window_excess([0, 0, 0, 1], 3, 1) == 0
    assert window_excess([0, 0, 0, 0.5], 3, 1) == pytest.approx(0.5)


def test_rate_limiter_implements_limiter_protocol() -> None:
    limiter: Limiter = RateLimiter()
    assert isinstance(limiter, RateLimiter)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"capacity": 0},
        {"refill_rate": 0},
        {"refill_rate": -1.0},
        {"max_concurrency": 0},
        {"safety_margin": 1.0},
        {"safety_margin": -0.1},
    ],
)
def test_constructor_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RateLimiter(**kwargs)  # type: ignore[arg-type]


def test_defaults_match_the_api() -> None:
    limiter = RateLimiter()
    assert (limiter.capacity, limiter.refill_rate) == (1200, 20)
    assert limiter.max_concurrency == 32
    assert limiter.reserve == 6
    assert limiter.available_tokens == 1194
    assert limiter.paused_until is None
    assert limiter.free_slots == 32


async def admit_all(
    limiter: RateLimiter, clock: VirtualClock, count: int, hold: float = 0.0
) -> list[float]:
    """Run ``count`` tasks through the limiter; return admission times, in admission order."""
    times: list[float] = []

    async def request() -> None:
        await limiter.acquire()
        times.append(clock.monotonic())
        try:
            await clock.sleep(hold)
        finally:
            limiter.release()

    async with clock.running(), anyio.create_task_group() as group:
        for _ in range(count):
            group.start_soon(request)
    return times


async def test_fresh_limiter_bursts_then_runs_at_refill_rate() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(1200, 20.0, max_concurrency=2000, clock=clock)
    times = await admit_all(limiter, clock, 1500)
    assert times.count(0.0) == 1194  # the whole bucket but the reserve, immediately
    later = times[1194:]
    gaps = [b - a for a, b in itertools.pairwise([0.0, *later])]
    assert gaps[0] == pytest.approx(0.05)
    assert all(g == pytest.approx(0.05) for g in gaps)
    assert window_excess(times, 1200, 20.0) <= 1e-9


async def test_long_job_reaches_97_percent_of_ideal_throughput() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock)
    n = 2400
    times = await admit_all(limiter, clock, n, hold=0.2)
    ideal = (n - 1200) / 20.0
    assert ideal / max(times) >= 0.97
    assert window_excess(times, 1200, 20.0) <= 1e-9


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_no_window_ever_exceeds_capacity_plus_rate_times_length(seed: int) -> None:
    rng = random.Random(seed)
    clock = VirtualClock()
    limiter = RateLimiter(50, 5.0, max_concurrency=8, clock=clock)
    times: list[float] = []

    async def request(start: float) -> None:
        await clock.sleep(start)
        await limiter.acquire()
        times.append(clock.monotonic())
        try:
            await clock.sleep(rng.uniform(0, 0.5))
        finally:
            limiter.release()

    async def headers_now_and_then() -> None:
        for _ in range(20):
            await clock.sleep(rng.uniform(0, 3))
            # a report above the estimate must change nothing; one below lowers it
            remaining = limiter.tokens + rng.choice([-10, 5])
            await limiter.record_response(200, {"X-RateLimit-Remaining": f"{remaining:.0f}"}, None)

    async with clock.running(), anyio.create_task_group() as group:
        group.start_soon(headers_now_and_then)
        for _ in range(400):
            group.start_soon(request, rng.choice([0.0, rng.uniform(0, 60)]))
    assert len(times) == 400
    assert window_excess(times, 50, 5.0) <= 1e-9
    assert window_excess(times, 50 - limiter.reserve, 5.0) <= 1e-9  # the reserve is kept


async def test_concurrency_cap_holds() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(10_000, 1000.0, max_concurrency=5, clock=clock)
    rng = random.Random(7)
    holders = 0
    most = 0

    async def request() -> None:
        nonlocal holders, most
        await limiter.acquire()
        holders += 1
        most = max(most, holders)
        assert limiter.free_slots + holders <= 5
        try:
            await clock.sleep(rng.uniform(0.01, 1.0))
        finally:
            holders -= 1
            limiter.release()

    async with clock.running(), anyio.create_task_group() as group:
        for _ in range(100):
            group.start_soon(request)
    assert most == 5
    assert limiter.free_slots == 5


async def test_429_pauses_everyone_then_fifo_at_refill_rate() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(5, 2.0, clock=clock)  # reserve 1: four tokens to start with
    admitted: list[tuple[int, float]] = []

    async def request(index: int) -> None:
        await limiter.acquire()
        admitted.append((index, clock.monotonic()))
        limiter.release()

    async with anyio.create_task_group() as group:
        # Time stands still until the clock runs, so the queue forms in a known order.
        for index in range(3):
            group.start_soon(request, index)
            await clock.settle()  # trio shuffles tasks started together
        await limiter.record_response(429, {}, 5.0)
        assert limiter.paused_until == 5.0
        assert limiter.available_tokens == 0
        for index in range(3, 13):
            group.start_soon(request, index)
            await clock.settle()
        async with clock.running():
            await clock.sleep(1.0)
            await limiter.record_response(429, {}, 1.0)  # shorter: must not shorten the pause
            assert limiter.paused_until == 5.0
            await clock.sleep(60)
    assert admitted[:3] == [(0, 0.0), (1, 0.0), (2, 0.0)]
    assert [index for index, _ in admitted[3:]] == list(range(3, 13))  # FIFO
    times = [t for _, t in admitted[3:]]
    assert times[0] == pytest.approx(5.0)  # nobody before the pause ends
    assert all(b - a == pytest.approx(0.5) for a, b in itertools.pairwise(times))
    assert limiter.stats.rate_limited == 2


async def test_later_429_extends_pause_of_sleeping_waiters() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(2, 1.0, clock=clock, initial_tokens=0)
    admitted: list[float] = []

    async def request() -> None:
        await limiter.acquire()
        admitted.append(clock.monotonic())
        limiter.release()

    async with clock.running(), anyio.create_task_group() as group:
        for _ in range(3):
            group.start_soon(request)
        await clock.sleep(0.5)  # the head is asleep, waiting for a refill
        await limiter.record_response(429, {}, 3.0)
        await clock.sleep(1.0)
        await limiter.record_response(429, {}, 4.0)  # now ends at 5.5
    assert admitted == pytest.approx([5.5, 6.5, 7.5])


async def test_429_without_retry_after_pauses_one_second() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 20.0, clock=clock)
    await limiter.record_response(429, {}, None)
    assert limiter.paused_until == 1.0


async def test_header_sync_lowers_and_never_raises() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 1.0, clock=clock)
    assert limiter.tokens == 100
    await limiter.record_response(200, {"X-RateLimit-Remaining": "40"}, None)
    assert limiter.tokens == 40
    await limiter.record_response(200, httpx.Headers({"x-ratelimit-remaining": "90"}), None)
    assert limiter.tokens == 40
    for bad in ({}, {"X-RateLimit-Remaining": "soon"}, {"X-RateLimit-Remaining": "-2"}):
        await limiter.record_response(200, bad, None)
    assert limiter.tokens == 40
    await limiter.record_response(201, httpx.Headers({"X-RateLimit-Remaining": "3"}), None)
    assert limiter.tokens == 3
    clock.advance(2.0)
    assert limiter.tokens == 5  # and it refills from there


async def test_header_sync_slows_admissions() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(100, 10.0, clock=clock)  # reserve 1
    await limiter.record_response(200, {"X-RateLimit-Remaining": "1"}, None)
    times = await admit_all(limiter, clock, 3)
    assert times == pytest.approx([0.1, 0.2, 0.3])


@pytest.mark.parametrize("max_concurrency", [3, 2000])
async def test_cancelling_1000_waiters_leaves_the_limiter_as_it_was(max_concurrency: int) -> None:
    clock = VirtualClock()  # not running: time stands still while we look
    limiter = RateLimiter(10, 1.0, max_concurrency, clock=clock)
    for _ in range(8):  # spend every usable token but one...
        await limiter.acquire()
        limiter.release()
    await limiter.acquire()  # ...and the last while holding its slot; the next is due at t=1
    before = (limiter.tokens, limiter.free_slots, limiter.waiting, clock.pending_sleepers)

    async with anyio.create_task_group() as group:
        for _ in range(1000):
            group.start_soon(limiter.acquire)
        await clock.settle()
        assert limiter.waiting == 1000
        assert clock.pending_sleepers == 1  # only the head of the queue sleeps
        group.cancel_scope.cancel()

    assert (limiter.tokens, limiter.free_slots, limiter.waiting, clock.pending_sleepers) == before
    assert limiter.stats.acquired == 9
    limiter.release()
    async with clock.running():  # and it still works, on schedule
        await limiter.acquire()
        assert clock.monotonic() == pytest.approx(1.0)
        limiter.release()
    assert limiter.free_slots == max_concurrency


async def test_cancelled_waiter_in_the_middle_keeps_others_in_order() -> None:
    clock = VirtualClock()
    limiter = RateLimiter(3, 1.0, clock=clock, initial_tokens=1)  # reserve 1: next at t=1
    order: list[tuple[int, float]] = []
    scopes = [anyio.CancelScope() for _ in range(5)]

    async def request(index: int) -> None:
        with scopes[index]:
            await limiter.acquire()
            order.append((index, clock.monotonic()))
            limiter.release()

    async with anyio.create_task_group() as group:
        for index in range(5):
            group.start_soon(request, index)
            await clock.settle()
        scopes[0].cancel()  # the sleeping head
        scopes[2].cancel()  # one in the queue
        async with clock.running():
            await clock.sleep(60)
    assert order == [(1, 1.0), (3, 2.0), (4, 3.0)]  # the head's token was not lost


async def test_stats_and_events() -> None:
    clock = VirtualClock()
    events: list[LimiterEvent] = []
    limiter = RateLimiter(3, 1.0, clock=clock, on_event=events.append)  # reserve 1
    times = await admit_all(limiter, clock, 4)
    assert times == pytest.approx([0, 0, 1, 2])
    await limiter.record_response(429, {}, 2.5)
    limiter.record_retry()
    stats = limiter.stats
    assert (stats.acquired, stats.waits, stats.rate_limited, stats.retries) == (4, 2, 1, 1)
    assert stats.wait_seconds == pytest.approx(3.0)
    assert stats.backend_errors == 0
    assert [e.kind for e in events] == ["wait", "wait", "rate_limited", "retry"]
    assert [e.seconds for e in events[:3]] == pytest.approx([1.0, 2.0, 2.5])


async def test_failing_event_callback_does_not_break_requests(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(event: LimiterEvent) -> None:
        raise RuntimeError("metrics are down")

    clock = VirtualClock()
    limiter = RateLimiter(2, 1.0, clock=clock, on_event=broken)
    await admit_all(limiter, clock, 3)
    assert limiter.stats.acquired == 3
    assert "on_event callback failed" in caplog.text


async def test_release_without_acquire_is_an_error() -> None:
    limiter = RateLimiter()
    with pytest.raises(RuntimeError):
        limiter.release()
    await limiter.acquire()
    limiter.release()
    with pytest.raises(ValueError):
        limiter.release()


async def test_simulated_server_sees_no_429_and_near_ideal_throughput() -> None:
    """End to end in virtual time: uneven network delays (up to 0.25 s of jitter) between the
    limiter and a server enforcing the real bucket, which reports X-RateLimit-Remaining."""
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock)
    rng = random.Random(42)
    server = {"tokens": 1200.0, "at": 0.0, "rejected": 0, "admitted": 0}

    def serve() -> tuple[int, dict[str, str]]:
        now = clock.monotonic()
        server["tokens"] = min(1200.0, server["tokens"] + (now - server["at"]) * 20.0)
        server["at"] = now
        if server["tokens"] < 1:
            server["rejected"] += 1
            return 429, {"Retry-After": "1"}
        server["tokens"] -= 1
        server["admitted"] += 1
        return 200, {"X-RateLimit-Remaining": str(math.floor(server["tokens"]))}

    async def request() -> None:
        await limiter.acquire()
        try:
            await clock.sleep(rng.uniform(0.05, 0.30))
            status, headers = serve()
            await clock.sleep(rng.uniform(0.05, 0.30))
        finally:
            limiter.release()
        await limiter.record_response(status, headers, None)

    n = 2000
    async with clock.running(), anyio.create_task_group() as group:
        for _ in range(n):
            group.start_soon(request)
    assert server["rejected"] == 0
    assert server["admitted"] == n
    ideal = (n - 1200) / 20.0
    assert ideal / clock.monotonic() >= 0.97


async def test_a_burst_the_server_sees_late_earns_no_refill_while_its_bucket_is_full() -> None:
    # The server's bucket stays full (and earns nothing) until the burst reaches it; ours
    # must not count refill for those moments either. First requests held up on the way (a
    # slow start, a pause of the process) and later ones quick would otherwise land on a
    # bucket emptier than ours says: 429s for everyone.
    from incidentio_async.testing.bucket import TokenBucket as ServerBucket

    clock = VirtualClock()
    limiter = RateLimiter(10, 10.0, safety_margin=0.0, max_concurrency=100, clock=clock)
    server = ServerBucket(10, 10.0, clock.monotonic())
    refused = 0

    async def request(n: int) -> None:
        nonlocal refused
        await limiter.acquire()
        try:
            await clock.sleep(0.5 if n < 10 else 0.05)  # on the way to the server
            if not server.try_take(clock.monotonic()):
                refused += 1
            await clock.sleep(0.05)  # the answer on its way back
        finally:
            limiter.release()

    async with clock.running(), anyio.create_task_group() as group:
        for n in range(30):
            group.start_soon(request, n)
            await clock.sleep(0.01)
    assert refused == 0
