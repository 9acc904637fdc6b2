"""Waiting primitives per event loop.

Limiters are shared process-wide and may serve several event loops one after another (each
``asyncio.run``, each pytest test). anyio's locks and semaphores belong to the loop that first
used them, so a limiter keeps its bucket figures itself but asks :class:`PerLoop` for the
primitives of the loop it is running in; they are created on first use and dropped with the
loop.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

import anyio
import anyio.lowlevel

from incidentio_async._event_loop import running_asyncio_loop
from incidentio_async.ratelimit.queue import OrderedLock

T = TypeVar("T")


class PerLoop(Generic[T]):
    """One lazily built value per running event loop."""

    def __init__(self, name: str, factory: Callable[[], T]) -> None:
        # A RunVar per owner: its value lives in the loop's own storage, so a finished loop
        # takes its primitives with it and nothing loop-bound is ever seen by another loop.
        self._var: anyio.lowlevel.RunVar[T | None] = anyio.lowlevel.RunVar(name, None)
        self._factory = factory
        # The asyncio loop last asked about (weakly: a finished loop must be free to go) and
        # its value. Every request asks twice; anyio finds the loop's storage through several
        # calls, asyncio names its running loop in one.
        self._last: tuple[weakref.ref[object], T] | None = None

    def get(self) -> T:
        """The value for the running loop, built on first use."""
        loop = running_asyncio_loop()
        last = self._last
        if loop is not None and last is not None and last[0]() is loop:
            return last[1]
        value = self._var.get()
        if value is None:
            value = self._factory()
            self._var.set(value)
        if loop is not None:
            self._last = (weakref.ref(loop), value)
        return value

    def peek(self) -> T | None:
        """The value for the running loop if it exists; ``None`` outside a loop."""
        loop = running_asyncio_loop()
        last = self._last
        if loop is not None and last is not None and last[0]() is loop:
            return last[1]
        try:
            return self._var.get()
        except RuntimeError:  # no event loop running
            return None


class Gates:
    """What requests waiting for the key scope queue on: an :class:`~.queue.OrderedLock` for
    the head of the token queue and a semaphore for the concurrency cap (only the head waits
    on it, so the queue's order is the order of admission)."""

    def __init__(self, max_concurrency: int) -> None:
        self.max_concurrency = max_concurrency
        self.slots = anyio.Semaphore(max_concurrency, max_value=max_concurrency)
        self.queue = OrderedLock()
