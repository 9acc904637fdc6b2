"""What both limiters do to admit a request: a concurrency slot, then the token queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from incidentio_async.clock import Clock
from incidentio_async.ratelimit.observe import Recorder
from incidentio_async.ratelimit.perloop import Gates, PerLoop

if TYPE_CHECKING:
    # For the type checker only: reading anyio.Lock at import time would import anyio's
    # synchronization and task modules, which the first request imports anyway.
    import anyio

    TakeToken = Callable[[anyio.Lock], Awaitable[bool]]
    """Waits, holding the FIFO lock it is given, until a token is taken; True if it had to
    wait."""


class Admission:
    """The concurrency cap and the FIFO token queue, per event loop, with their counters.

    A limiter supplies only how a token is taken (from a local bucket, or from Redis).
    """

    def __init__(self, name: str, max_concurrency: int, clock: Clock, recorder: Recorder) -> None:
        self.max_concurrency = max_concurrency
        self._gates = PerLoop(name, lambda: Gates(max_concurrency))
        self._clock = clock
        self._recorder = recorder
        self.waiting = 0
        """Requests currently being admitted."""

    @property
    def free_slots(self) -> int:
        """Concurrency slots free in the running event loop (all of them outside a loop)."""
        gates = self._gates.peek()
        return self.max_concurrency if gates is None else gates.slots.value

    async def acquire(self, take_token: TakeToken) -> None:
        """Take a slot, then a token through ``take_token``; on cancellation or error, give the
        slot back (the token is only ever taken last, so nothing else is held)."""
        gates = self._gates.get()
        start = self._clock.monotonic()
        waited = gates.busy()
        self.waiting += 1
        try:
            await gates.slots.acquire()
            try:
                waited = await take_token(gates.queue) or waited
            except BaseException:
                gates.slots.release()
                raise
        finally:
            self.waiting -= 1
        self._recorder.acquired(waited, self._clock.monotonic() - start)

    def release(self) -> None:
        """Give back the slot taken by :meth:`acquire` (in the same event loop)."""
        gates = self._gates.peek()
        if gates is None:
            raise RuntimeError("release() called without acquire() in this event loop")
        gates.slots.release()
