"""Defects found reviewing the CPU-per-request short cuts (issue 22), each pinned by a test
that failed before its fix."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import outcome
import trio

from incidentio_async.ratelimit import RateLimiter
from incidentio_async.ratelimit.perloop import PerLoop

T = TypeVar("T")

# -- trio in guest mode on an asyncio loop -----------------------------------------------------


def _run_trio_guest(function: Callable[[], Awaitable[T]]) -> Awaitable[outcome.Outcome[T]]:
    """Run ``function`` under trio in guest mode on the running asyncio loop (trio's tasks
    then run inside the loop's callbacks, so asyncio names that loop as running)."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[outcome.Outcome[T]] = loop.create_future()
    trio.lowlevel.start_guest_run(
        function,
        run_sync_soon_threadsafe=loop.call_soon_threadsafe,
        done_callback=done.set_result,
        host_uses_signal_set_wakeup_fd=True,
    )
    return done


def test_trio_in_guest_mode_gets_primitives_of_its_own_not_the_host_loops() -> None:
    per_loop: PerLoop[object] = PerLoop("review", object)

    async def guest() -> object:
        return per_loop.get()

    async def host() -> tuple[object, object, object]:
        mine = per_loop.get()
        theirs = (await _run_trio_guest(guest)).unwrap()
        return mine, theirs, per_loop.get()

    mine, theirs, mine_again = asyncio.run(host())
    assert theirs is not mine
    assert mine_again is mine


def test_a_limiter_shared_by_asyncio_and_a_trio_guest_admits_both() -> None:
    """The concurrency cap is per event loop: the trio guest's request has slots of its own,
    and never awaits asyncio's semaphore (which trio cannot)."""
    limiter = RateLimiter(100, 10.0, max_concurrency=1)

    async def guest() -> str:
        await limiter.acquire()
        limiter.release()
        return "admitted"

    async def host() -> str:
        await limiter.acquire()  # the asyncio loop's only slot
        try:
            return (await _run_trio_guest(guest)).unwrap()
        finally:
            limiter.release()

    assert asyncio.run(host()) == "admitted"
