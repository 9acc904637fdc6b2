"""Run one coroutine beside the caller, without a task group, under asyncio or trio.

Pagination lookahead needs a request in flight while the caller's ``async for`` body runs.
A task group cannot span the yields of an iterator the caller may abandon with ``break``
(its cancel scope would be exited from another task), so the prefetch is a detached task
that the pager cancels when it is closed, cancelled or garbage-collected.
"""

from __future__ import annotations

import contextvars
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import anyio

from ._event_loop import running_asyncio_loop

T = TypeVar("T")


class BackgroundTask(Generic[T]):
    """The running call of ``function``; :meth:`result` waits for it, :meth:`cancel` stops it."""

    def __init__(self, function: Callable[[], Awaitable[T]]) -> None:
        self._function = function
        self._done = anyio.Event()
        self._value: T | None = None
        self._error: BaseException | None = None
        self._cancelled = False
        self._cancel: Callable[[], Any] = lambda: None
        loop = running_asyncio_loop()
        if loop is not None:
            task = loop.create_task(self._run())
            # A task cancelled before its first step never runs ``_run`` (not even its
            # ``finally``), so completion is also signalled from outside.
            task.add_done_callback(lambda _: self._done.set())
            self._cancel = task.cancel
        else:  # anyio runs on asyncio or trio; without an asyncio loop this is trio
            trio = sys.modules["trio"]
            self._scope = trio.CancelScope()
            self._cancel = self._scope.cancel
            # System tasks start with an empty context: carry the caller's (tracing spans,
            # log correlation ids), as asyncio's create_task does.
            trio.lowlevel.spawn_system_task(self._run_in_scope, context=contextvars.copy_context())

    async def _run_in_scope(self) -> None:
        with self._scope:
            await self._run()

    async def _run(self) -> None:
        try:
            self._value = await self._function()
        except BaseException as exc:  # handed to whoever awaits result()
            self._error = exc
            if not isinstance(exc, Exception):
                raise  # cancellation and the like end the task as they should
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        """Whether the call has finished (returned, raised or been cancelled)."""
        return self._done.is_set()

    async def result(self) -> T:
        """Wait for the call and return its value or raise its exception."""
        await self._done.wait()
        if self._cancelled and self._error is None:
            raise RuntimeError("the background request was cancelled before it started")
        if self._error is not None:
            if not isinstance(self._error, Exception):
                raise RuntimeError("the background request was cancelled") from self._error
            raise self._error
        return self._value  # type: ignore[return-value]

    def cancel(self) -> None:
        """Ask the call to stop; it finishes at its next await."""
        self._cancelled = True
        self._cancel()

    async def aclose(self) -> None:
        """Cancel the call and wait until it has stopped."""
        self.cancel()
        await self._done.wait()
