"""The client's hooks (``on_request``, ``on_response``, ``on_retry``, ``on_rate_limited``):
the user's functions, sync or async, called with a small event per attempt, retry and rate
limit. A hook that raises is logged and the call goes on."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import Any

import httpx

from ..errors import IncidentIOError, RateLimitError
from . import logs
from .call import Call, CallConsumer
from .events import Hook, RateLimitedEvent, RequestEvent, ResponseEvent, RetryEvent


class Hooks(CallConsumer):
    """Calls the hooks that are set; keeps no state per call (it is its own view of every
    call)."""

    __slots__ = ("on_rate_limited", "on_request", "on_response", "on_retry")

    def __init__(
        self,
        on_request: Hook[RequestEvent] | None = None,
        on_response: Hook[ResponseEvent] | None = None,
        on_retry: Hook[RetryEvent] | None = None,
        on_rate_limited: Hook[RateLimitedEvent] | None = None,
    ) -> None:
        self.on_request = on_request
        self.on_response = on_response
        self.on_retry = on_retry
        self.on_rate_limited = on_rate_limited

    def start(self, call: Call) -> CallConsumer:
        """Its view of a call: itself."""
        return self

    def attempt_queued(self, call: Call) -> Awaitable[None] | None:
        if self.on_request is None:
            return None
        return _run(self.on_request, RequestEvent(*_about(call)), "on_request", call)

    def attempt_ended(
        self,
        call: Call,
        response: httpx.Response | None,
        error: IncidentIOError | None,
        took: float,
    ) -> Awaitable[None] | None:
        if self.on_response is None:
            return None
        event = ResponseEvent(
            *_about(call),
            status_code=call.status_code,
            request_id=call.request_id,
            elapsed_s=took,
            wait_s=call.attempt_wait_s,
            error_type=call.error_type,
        )
        return _run(self.on_response, event, "on_response", call)

    def rate_limited(
        self,
        call: Call,
        response: httpx.Response,
        error: IncidentIOError,
        retry_after: float | None,
        wait: float,
    ) -> Awaitable[None] | None:
        if self.on_rate_limited is None:
            return None
        event = RateLimitedEvent(
            *_about(call),
            status_code=response.status_code,
            retry_after_s=retry_after,
            wait_s=wait,
            rate_limit=error.rate_limit if isinstance(error, RateLimitError) else None,
        )
        return _run(self.on_rate_limited, event, "on_rate_limited", call)

    def retrying(
        self,
        call: Call,
        wait: float,
        response: httpx.Response | None,
        error: IncidentIOError,
        detail: str,
    ) -> Awaitable[None] | None:
        if self.on_retry is None:
            return None
        event = RetryEvent(
            *_about(call), wait_s=wait, reason=call.error_type or "", rate_limited=call.throttled
        )
        return _run(self.on_retry, event, "on_retry", call)


def _about(call: Call) -> tuple[str, str, str, int]:
    """The fields every event starts with (:class:`~.events.CallEvent`)."""
    return call.operation, call.method, call.url, call.attempt


def _run(hook: Hook[Any], event: object, name: str, call: Call) -> Awaitable[None] | None:
    """Call ``hook``; an awaitable it returns comes back guarded, to be awaited."""
    try:
        result = hook(event)
    except Exception:
        logs.hook_failed(name, call)
        return None
    if result is None or not inspect.isawaitable(result):
        return None
    return _guarded(result, name, call)


async def _guarded(pending: Awaitable[object], name: str, call: Call) -> None:
    try:
        await pending
    except Exception:
        logs.hook_failed(name, call)
