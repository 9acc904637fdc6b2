"""Time as the client sees it: a small interface so that tests can control it.

Everything in the client that waits (retry backoff, rate-limit pauses, token refills) reads
time and sleeps through a :class:`Clock`. Production code uses :data:`SYSTEM_CLOCK`; tests use
:class:`VirtualClock`, whose time only moves when every task is waiting on it.
"""

from __future__ import annotations

import heapq
import itertools
import math
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager
from typing import Protocol

import anyio


class Clock(Protocol):
    """A source of time and a way to wait for it."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards; only differences are meaningful."""
        ...

    def time(self) -> float:
        """Wall-clock seconds since the Unix epoch (for HTTP dates and reset timestamps)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time (return at once for zero or less)."""
        ...

    def fail_after(self, seconds: float) -> AbstractContextManager[anyio.CancelScope]:
        """A block that is cancelled, raising ``TimeoutError``, once ``seconds`` of this
        clock's time have passed."""
        ...


class SystemClock:
    """The real clocks of the process, and anyio's sleep (works under asyncio and trio)."""

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def time(self) -> float:
        """``time.time()``."""
        return time.time()

    async def sleep(self, seconds: float) -> None:
        """``anyio.sleep(seconds)``."""
        await anyio.sleep(max(0.0, seconds))

    def fail_after(self, seconds: float) -> AbstractContextManager[anyio.CancelScope]:
        """``anyio.fail_after(seconds)``."""
        return anyio.fail_after(seconds)


SYSTEM_CLOCK = SystemClock()


async def _checkpoint() -> None:
    # anyio.lowlevel is imported here, not with this module: only the virtual clock needs it,
    # and the client imports this module (for SYSTEM_CLOCK) when it is itself imported.
    from anyio.lowlevel import checkpoint

    await checkpoint()


class VirtualClock:
    """Deterministic time for tests: it stands still until every task is waiting on it.

    Use it inside :meth:`running`, which starts the task that moves time forward::

        clock = VirtualClock()
        async with clock.running():
            await clock.sleep(30)      # returns at once, clock.monotonic() is 30 later

    When all other work has settled, time jumps to the earliest pending ``sleep`` deadline and
    wakes the tasks due then. Nothing really sleeps, so tests of timing run in milliseconds and
    give the same result every time. ``advance`` moves time by hand (without ``running``).
    """

    #: Scheduler passes given to other tasks before time jumps; enough for a woken task to
    #: reach its next wait through a few locks and events.
    settle_rounds = 25

    def __init__(self, start: float = 0.0, wall_start: float = 1_750_000_000.0) -> None:
        self._now = start
        self._wall_offset = wall_start - start
        self._sleepers: list[tuple[float, int, _Waker]] = []
        self._sequence = itertools.count()
        self._new_sleeper: anyio.Event | None = None
        self.sleeps: list[float] = []
        """Every duration passed to :meth:`sleep`, in order (for assertions)."""

    def monotonic(self) -> float:
        """The virtual time."""
        return self._now

    def time(self) -> float:
        """Virtual wall-clock time: ``wall_start`` plus the virtual time elapsed."""
        return self._wall_offset + self._now

    async def sleep(self, seconds: float) -> None:
        """Wait until the virtual time has moved ``seconds`` forward."""
        self.sleeps.append(seconds)
        if seconds <= 0 or math.isnan(seconds):
            await _checkpoint()
            return
        entry = (self._now + seconds, next(self._sequence), anyio.Event())
        heapq.heappush(self._sleepers, entry)
        if self._new_sleeper is not None:
            self._new_sleeper.set()
        try:
            await entry[2].wait()
        finally:
            if not entry[2].is_set():  # cancelled: forget the deadline
                self._sleepers.remove(entry)
                heapq.heapify(self._sleepers)

    @contextmanager
    def fail_after(self, seconds: float) -> Iterator[anyio.CancelScope]:
        """Cancel the block once the virtual time has moved ``seconds`` forward, then raise
        ``TimeoutError`` (as ``anyio.fail_after`` does in real time)."""
        with anyio.CancelScope() as scope:
            alarm = _Alarm(scope)
            entry = (self._now + seconds, next(self._sequence), alarm)
            heapq.heappush(self._sleepers, entry)
            if self._new_sleeper is not None:
                self._new_sleeper.set()
            try:
                yield scope
            finally:
                if not alarm.is_set():
                    self._sleepers.remove(entry)
                    heapq.heapify(self._sleepers)
        if scope.cancelled_caught and alarm.is_set():
            raise TimeoutError

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` and wake every sleeper that is due."""
        self._now += seconds
        self._wake_due()

    @property
    def pending_sleepers(self) -> int:
        """How many tasks are sleeping on this clock (deadlines of ``fail_after`` aside)."""
        return sum(1 for _, _, waker in self._sleepers if not isinstance(waker, _Alarm))

    def _wake_due(self) -> None:
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, event = heapq.heappop(self._sleepers)
            event.set()

    async def settle(self) -> None:
        """Give every runnable task a chance to run until it waits again."""
        for _ in range(self.settle_rounds):
            await _checkpoint()

    async def _drive(self) -> None:
        while True:
            await self.settle()
            # A deadline alone does not move time: a task waiting on real I/O (a socket)
            # must not time out because virtual time jumped past its deadline. Time moves
            # when some task sleeps on this clock, and then deadlines fire in order.
            if not any(not isinstance(waker, _Alarm) for _, _, waker in self._sleepers):
                self._new_sleeper = anyio.Event()
                await self._new_sleeper.wait()
                self._new_sleeper = None
                continue
            self._now = max(self._now, self._sleepers[0][0])
            self._wake_due()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[VirtualClock]:
        """Let time move by itself while the block runs."""
        async with anyio.create_task_group() as group:
            group.start_soon(self._drive)
            try:
                yield self
            finally:
                group.cancel_scope.cancel()


class _Waker(Protocol):
    def set(self) -> None: ...

    def is_set(self) -> bool: ...


class _Alarm:
    """A timer of :meth:`VirtualClock.fail_after`: going off cancels its scope."""

    def __init__(self, scope: anyio.CancelScope) -> None:
        self._scope = scope
        self._set = False

    def set(self) -> None:
        self._set = True
        self._scope.cancel()

    def is_set(self) -> bool:
        return self._set
