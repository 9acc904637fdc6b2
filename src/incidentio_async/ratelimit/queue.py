"""The order in which waiting requests are served: by the start of the call they belong to.

A fresh request's call starts when it arrives, so for fresh requests this is first come,
first served. A retry (after a 429 or a failure) keeps the place of its call: it goes before
the requests of calls that started after its own, instead of queueing behind every call
that arrived while it slept. Nobody starves: only calls that started earlier can pass a
waiter, and there are finitely many.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field

import anyio


@dataclass(order=True)
class _Waiter:
    priority: float
    sequence: int
    event: anyio.Event = field(compare=False)
    granted: bool = field(default=False, compare=False)
    abandoned: bool = field(default=False, compare=False)


class OrderedLock:
    """A lock handed to its waiters in order of ``priority`` (then arrival), never barged.

    Cancellation-safe: a waiter cancelled while waiting leaves the queue; one cancelled just
    as the lock was handed to it passes the lock on. One per event loop (see
    :class:`~.perloop.PerLoop`)."""

    def __init__(self) -> None:
        self._held = False
        self._waiters: list[_Waiter] = []
        self._sequence = itertools.count()
        self.queued = 0
        """Waiters in the queue now."""

    def locked(self) -> bool:
        """Whether a newcomer would have to wait."""
        return self._held or self.queued > 0

    async def acquire(self, priority: float) -> bool:
        """Wait for the lock; waiters with a lower ``priority`` go first. True if it waited."""
        if not self.locked():
            self._held = True
            return False
        waiter = _Waiter(priority, next(self._sequence), anyio.Event())
        heapq.heappush(self._waiters, waiter)
        self.queued += 1
        try:
            await waiter.event.wait()
        except BaseException:
            if waiter.granted:
                self.release()  # handed over as we were cancelled: pass it on
            else:
                waiter.abandoned = True  # skipped when its turn comes
                self.queued -= 1
            raise
        return True

    def release(self) -> None:
        """Hand the lock to the first waiter, or free it."""
        while self._waiters:
            waiter = heapq.heappop(self._waiters)
            if waiter.abandoned:
                continue
            self.queued -= 1
            waiter.granted = True
            waiter.event.set()
            return
        self._held = False
