"""Defects found reviewing the CPU-per-request short cuts (issue 22), each pinned by a test
that failed before its fix."""

from __future__ import annotations

import asyncio
import dis
import gc
import sys
import threading
from collections.abc import Awaitable, Callable
from types import FrameType
from typing import Any, TypeVar

import outcome
import trio

from incidentio_async import _secret
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


# -- the redaction matcher and threads ---------------------------------------------------------


def test_a_secret_born_while_another_thread_notes_a_change_is_still_redacted() -> None:
    """A thread noting that the live secrets changed (a client built there, a secret dying
    there) can be switched out between reading the change marker and writing it back; what
    it writes must never make a matcher built before a later secret look current."""
    store = next(
        instruction.offset
        for instruction in dis.get_instructions(_secret._live_changed)
        if instruction.opname == "STORE_GLOBAL"
    )
    paused, resume = threading.Event(), threading.Event()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "call" and frame.f_code is _secret._live_changed.__code__:
            frame.f_trace_opcodes = True
            return tracer
        if event == "opcode" and frame.f_lasti == store:
            paused.set()  # switched out just before the write
            resume.wait()
        return None

    held: list[_secret.Secret] = []

    def other_thread() -> None:
        sys.settrace(tracer)
        try:
            held.append(_secret.Secret("other-thread-key-0123456789"))
        finally:
            sys.settrace(None)

    gc.collect()
    gc.disable()  # no other secret may die meanwhile (its note would hide the defect)
    try:
        thread = threading.Thread(target=other_thread)
        thread.start()
        assert paused.wait(10)
        first = _secret.Secret("first-review-key-0123456789")
        assert _secret.redact("first-review-key-0123456789") == _secret.REDACTED
        second = _secret.Secret("second-review-key-0123456789")
        resume.set()
        thread.join()
        assert _secret.redact("a second-review-key-0123456789 b") == "a [redacted] b"
        assert _secret.redact("first-review-key-0123456789") == _secret.REDACTED
        assert _secret.redact("other-thread-key-0123456789") == _secret.REDACTED
        del first, second
    finally:
        resume.set()
        gc.enable()
