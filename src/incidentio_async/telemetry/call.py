"""One call as the consumers see it: its state (:class:`Call`) and the events they may
override (:class:`CallConsumer`). The pipeline's side is in ``instrument``."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

import httpx

from ..clock import Clock
from ..errors import IncidentIOError
from . import naming

if TYPE_CHECKING:
    from .._pipeline import ApiRequest

KEY_SCOPE = "key"
"""The rate-limit scope every call spends today: the API key's bucket. (When the limiter
reports per-operation scopes, the scope that made a request wait replaces it.)"""


class Call:
    """What is known about one call so far; every consumer of the call reads it."""

    __slots__ = (
        "attempt",
        "attempt_wait_s",
        "clock",
        "error_type",
        "method",
        "operation",
        "queued_at",
        "rate_limit_wait_s",
        "request",
        "request_id",
        "scope",
        "sent_at",
        "server_address",
        "server_port",
        "span_name",
        "started",
        "status_code",
        "template",
        "throttled",
        "url",
    )

    def __init__(self, request: ApiRequest, clock: Clock) -> None:
        now = clock.monotonic()
        self.request = request
        self.clock = clock
        """The pipeline's clock: durations and waits are measured on it."""
        self.method = request.method
        self.operation = naming.operation_name(request)
        """``Follow-ups V3#List``, or ``GET /v2/incidents/{id}`` for ``client.request``."""
        self.span_name = naming.span_name(request)
        self.template = naming.url_template(request)
        """The path template (``/v3/follow_ups/{id}``): low cardinality, unlike the path."""
        self.started = now
        self.attempt = 0
        """The current attempt: 1 for the first, 2 for the first resend, ..."""
        self.url: str | None = None
        """The current attempt's absolute URL (no credentials: the key travels in a header)."""
        self.server_address = ""
        self.server_port = 0
        self.queued_at = now
        self.sent_at = now
        self.attempt_wait_s = 0.0
        """How long the current attempt waited for the rate limiter."""
        self.rate_limit_wait_s = 0.0
        """Everything the rate limit cost the call so far: waits for the limiter, and waits
        the API asked for (``Retry-After``)."""
        self.scope = KEY_SCOPE
        self.throttled = False
        """Whether the API rate limited the current attempt (429, or 503 with Retry-After)."""
        self.status_code: int | None = None
        """The last response's status (None before it, or after a connection failure)."""
        self.request_id: str | None = None
        """The API's id of the last response, if it sent one."""
        self.error_type: str | None = None
        """The last attempt's failure in the HTTP conventions' terms (``503``,
        ``httpx.ConnectError``), None after a success."""


class CallConsumer:
    """A consumer's view of one call: subclasses override the events they need."""

    __slots__ = ()

    def attempt_queued(self, call: Call) -> Awaitable[None] | None:
        """An attempt is built and about to wait for the rate limiter (``call.attempt`` and
        ``call.url`` describe it)."""
        return None

    def attempt_sending(self, call: Call) -> None:
        """The limiter let the attempt through (after ``call.attempt_wait_s``); it is sent."""

    def attempt_ended(
        self,
        call: Call,
        response: httpx.Response | None,
        error: IncidentIOError | None,
        took: float,
    ) -> Awaitable[None] | None:
        """The attempt got ``response`` (with ``error`` unless 2xx) or failed with a
        connection ``error``, ``took`` seconds after it was sent."""
        return None

    def rate_limited(
        self,
        call: Call,
        response: httpx.Response,
        error: IncidentIOError,
        retry_after: float | None,
        wait: float,
    ) -> Awaitable[None] | None:
        """The API rate limited the attempt, asking for ``retry_after`` seconds if it said;
        the call waits ``wait`` seconds and resends."""
        return None

    def retrying(
        self,
        call: Call,
        wait: float,
        response: httpx.Response | None,
        error: IncidentIOError,
        detail: str,
    ) -> Awaitable[None] | None:
        """The call sends again after ``wait`` seconds (``detail``: "retry 1 of 3", ...)."""
        return None

    def ended(
        self, call: Call, response: httpx.Response | None, error: BaseException | None
    ) -> None:
        """The call returned ``response`` or raised ``error`` (cancellation included)."""
