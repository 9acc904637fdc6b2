"""How the client calls a limiter, whichever of the two protocols it implements.

A :class:`~.protocol.ScopedLimiter` (this package's limiters) takes the request in ``acquire``
and ``record_response``. A plain :class:`~.protocol.Limiter` (``acquire()``,
``record_response(status_code, headers, retry_after)``: the protocol's first form) is called
that way, and the budget its ``acquire`` does not know of is enforced around it here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, cast

from incidentio_async.clock import Clock
from incidentio_async.ratelimit.protocol import (
    KEY_SCOPE,
    LimitedRequest,
    Limiter,
    RateLimitBudgetExceeded,
    ScopedLimiter,
)

_SLACK = 0.01


def takes_request(method: Callable[..., Any], known: int) -> bool:
    """Whether ``method`` accepts an argument after its ``known`` positional ones."""
    try:
        parameters = list(inspect.signature(method).parameters.values())
    except (TypeError, ValueError):  # no signature to read: call it the first way, which works
        return False
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return True
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) > known


class LimiterCalls:
    """The calls the client makes on ``limiter``, in the form the limiter understands."""

    def __init__(self, limiter: Limiter, clock: Clock) -> None:
        self.limiter = limiter
        self._clock = clock
        self._acquire_takes_request = takes_request(limiter.acquire, 0)
        self._record_takes_request = takes_request(limiter.record_response, 3)

    async def acquire(self, request: LimitedRequest) -> None:
        """``limiter.acquire``, never waiting beyond ``request.budget``."""
        if self._acquire_takes_request:
            await cast(ScopedLimiter, self.limiter).acquire(request)
            return
        if request.budget is None:
            await self.limiter.acquire()
            return
        try:
            with self._clock.fail_after(max(0.0, request.budget) + _SLACK):
                await self.limiter.acquire()
        except TimeoutError:
            raise RateLimitBudgetExceeded(KEY_SCOPE, None, request.budget) from None

    def release(self) -> None:
        """``limiter.release()``."""
        self.limiter.release()

    async def record_response(
        self,
        status_code: int,
        headers: Mapping[str, str],
        retry_after: float | None,
        request: LimitedRequest,
    ) -> None:
        """``limiter.record_response``, with the request if the limiter takes it."""
        if self._record_takes_request:
            scoped = cast(ScopedLimiter, self.limiter)
            await scoped.record_response(status_code, headers, retry_after, request)
        else:
            await self.limiter.record_response(status_code, headers, retry_after)

    def record_retry(self) -> None:
        """``limiter.record_retry()``."""
        self.limiter.record_retry()
