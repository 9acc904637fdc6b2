"""What both limiters do to admit a request: wait for its operation's scope first, then a
concurrency slot and a token of the key scope, then take the operation's token; every wait
bounded by the request's budget.

A limiter supplies only how a token is taken from a scope (from a local bucket, or from Redis),
how to see whether one is there without taking it, and how a key token is given back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import anyio

from incidentio_async.clock import Clock
from incidentio_async.ratelimit.observe import Recorder
from incidentio_async.ratelimit.perloop import Gates, PerLoop
from incidentio_async.ratelimit.protocol import KEY_SCOPE, LimitedRequest, RateLimitBudgetExceeded
from incidentio_async.ratelimit.scope_state import ScopeState

TryTake = Callable[[], Awaitable[float | None]]
"""Take a token now and return ``None`` (or 0), or return the seconds to wait first."""

Refund = Callable[[], Awaitable[None]]
"""Give back a key token taken for a request that will not be sent (yet)."""

TakeNow = Callable[[], float]
"""Take a token at once if one is there (return 0), else return the seconds to wait: for a
limiter whose buckets are in memory, where looking costs no I/O."""

MIN_BOUND = 1e-3
"""The least time a bounded wait is given: a budget of 0 still lets a free token be taken."""

OUTER_SLACK = 0.01
"""How long past the deadline the backstop fires: a wait known to end exactly at the deadline
(checked precisely before sleeping) must not lose the race against it."""

_SLACK = 1e-9


class Admission:
    """The concurrency cap and the key scope's queue, per event loop, with their counters."""

    def __init__(self, name: str, max_concurrency: int, clock: Clock, recorder: Recorder) -> None:
        self.max_concurrency = max_concurrency
        self._gates = PerLoop(name, lambda: Gates(max_concurrency))
        self._clock = clock
        self._recorder = recorder
        self.waiting = 0
        """Requests currently being admitted."""
        self.key_waiting = 0
        """Of those, the ones waiting for the key scope (a slot or a token)."""

    @property
    def free_slots(self) -> int:
        """Concurrency slots free in the running event loop (all of them outside a loop)."""
        gates = self._gates.peek()
        return self.max_concurrency if gates is None else gates.slots.value

    async def acquire(
        self,
        request: LimitedRequest | None,
        take_key: TryTake,
        refund_key: Refund,
        scope: tuple[ScopeState, TryTake, TryTake] | None = None,
        take_now: TakeNow | None = None,
    ) -> None:
        """Take a slot and a token of the key scope, and of ``scope`` (the operation's, if it
        has one: ``(state, check, take)``, where ``check`` says how long until a token is
        there without taking it). Waiters are served in order of their call's start. On
        cancellation, error or budget exceeded, whatever was taken is given back.

        An operation's waiter first waits, at the head of its scope's queue, until a token of
        its scope is there, holding nothing of the key's; then for a slot and a key token;
        and takes its scope's token last, so that it is spent when the request leaves (taken
        earlier, tokens of requests that then queue for the key would reach the server
        bunched). If another process took it meanwhile, the key's token and slot go back and
        the waiter waits again.

        ``take_now``, when given, takes a key token without I/O: with nobody queued ahead, a
        slot free and a token there, the request is admitted at once."""
        gates = self._gates.get()
        if scope is None and take_now is not None and self._admit_now(gates, take_now):
            return
        start = self._clock.monotonic()
        started = None if request is None else request.call_started
        priority = start if started is None else started
        budget = None if request is None else request.budget
        deadline = None if budget is None else start + max(0.0, budget)
        where = [KEY_SCOPE]
        self.waiting += 1
        try:
            with self._bounded(deadline, budget, where):
                if scope is None:
                    waited = await self._key_turn(gates, priority, take_key, deadline, budget)
                else:
                    waited = await self._scoped_turn(
                        gates, priority, take_key, refund_key, scope, deadline, budget, where
                    )
        finally:
            self.waiting -= 1
        self._recorder.acquired(waited, self._clock.monotonic() - start)

    def _admit_now(self, gates: Gates, take_now: TakeNow) -> bool:
        """Admit a request that nothing holds back, without waiting: nobody queued ahead of it
        (so the order by call start is kept), a slot free and a key token there. The path
        through the queue and the deadline's cancel scope would come to the same without
        yielding either; this one skips their cost, paid on every request otherwise."""
        if gates.queue.locked() or gates.slots.value == 0:
            return False
        gates.slots.acquire_nowait()
        if take_now() > 0:
            gates.slots.release()
            return False
        self._recorder.acquired(False, 0.0)
        return True

    async def _scoped_turn(
        self,
        gates: Gates,
        priority: float,
        take_key: TryTake,
        refund_key: Refund,
        scope: tuple[ScopeState, TryTake, TryTake],
        deadline: float | None,
        budget: float | None,
        where: list[str],
    ) -> bool:
        state, check_own, take_own = scope
        queue = state.queues.get()
        where[0] = state.name
        state.waiting += 1
        try:
            waited = await queue.acquire(priority)
        except BaseException:
            state.waiting -= 1
            raise
        try:
            while True:
                where[0] = state.name
                try:
                    waited = (
                        await self._until_taken(check_own, state.name, deadline, budget) or waited
                    )
                finally:
                    state.waiting -= 1
                where[0] = KEY_SCOPE
                waited = await self._key_turn(gates, priority, take_key, deadline, budget) or waited
                try:
                    wait = await take_own()
                except BaseException:
                    await self._give_back(gates, refund_key)
                    raise
                if wait is None or wait <= 0:
                    return waited
                # Another process took it first: give the key's back and wait again.
                await self._give_back(gates, refund_key)
                waited = True
                state.waiting += 1
        finally:
            queue.release()

    @staticmethod
    async def _give_back(gates: Gates, refund_key: Refund) -> None:
        gates.slots.release()
        with anyio.CancelScope(shield=True):
            await refund_key()

    async def _key_turn(
        self,
        gates: Gates,
        priority: float,
        take: TryTake,
        deadline: float | None,
        budget: float | None,
    ) -> bool:
        """Wait for a slot and a key token and take them; True if it had to wait."""
        # Only the head of the queue takes a slot, then a token: the queue's order is the
        # order of admission, and a cancelled waiter has taken nothing.
        self.key_waiting += 1
        try:
            waited = await gates.queue.acquire(priority)
            try:
                try:
                    gates.slots.acquire_nowait()
                except anyio.WouldBlock:
                    waited = True
                    await gates.slots.acquire()
                try:
                    return await self._until_taken(take, KEY_SCOPE, deadline, budget) or waited
                except BaseException:
                    gates.slots.release()
                    raise
            finally:
                gates.queue.release()
        finally:
            self.key_waiting -= 1

    async def _until_taken(
        self, take: TryTake, scope: str, deadline: float | None, budget: float | None
    ) -> bool:
        """Sleep until ``take`` succeeds; True if it had to. A wait that would end past the
        deadline raises at once."""
        waited = False
        while True:
            wait = await take()
            if wait is None or wait <= 0:
                return waited
            if deadline is not None and self._clock.monotonic() + wait > deadline + _SLACK:
                assert budget is not None
                raise RateLimitBudgetExceeded(scope, wait, budget)
            waited = True
            # Re-check after waking: a 429 or a header may have moved the goalposts.
            await self._clock.sleep(wait)

    @contextmanager
    def _bounded(
        self, deadline: float | None, budget: float | None, where: list[str]
    ) -> Iterator[None]:
        """Raise :class:`RateLimitBudgetExceeded` (naming the scope waited for) once the
        deadline passes."""
        if deadline is None:
            yield
            return
        assert budget is not None
        try:
            remaining = deadline - self._clock.monotonic()
            with self._clock.fail_after(max(MIN_BOUND, remaining + OUTER_SLACK)):
                yield
        except TimeoutError:
            raise RateLimitBudgetExceeded(where[0], None, budget) from None

    def release(self) -> None:
        """Give back the slot taken by :meth:`acquire` (in the same event loop)."""
        gates = self._gates.peek()
        if gates is None:
            raise RuntimeError("release() called without acquire() in this event loop")
        gates.slots.release()
