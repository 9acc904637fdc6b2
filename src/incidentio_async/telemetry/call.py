"""One call as the consumers see it: its state (:class:`Call`) and the events they may
override (:class:`CallConsumer`). The pipeline's side is in ``instrument``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import httpx

from .._printable import one_line
from .._secret import REDACTED, Secret
from .._status_errors import request_id_of
from ..clock import Clock
from ..errors import APIStatusError, IncidentIOError
from ..ratelimit.protocol import KEY_SCOPE
from . import naming

if TYPE_CHECKING:
    from .._pipeline import ApiRequest


class Call:
    """What is known about one call so far; every consumer of the call reads it.

    What only some consumers need (the URL, the request id, the span's name) is worked out
    when first read, once."""

    __slots__ = (
        "_request_id",
        "_span_name",
        "_template",
        "_url",
        "attempt",
        "attempt_wait_s",
        "clock",
        "error",
        "error_type",
        "key",
        "method",
        "operation",
        "queued_at",
        "rate_limit_wait_s",
        "request",
        "response",
        "scope",
        "server_address",
        "server_port",
        "started",
        "status_code",
        "throttled",
        "url_of_attempt",
    )

    def __init__(
        self,
        request: ApiRequest,
        clock: Clock,
        server_address: str,
        server_port: int,
        key: Secret,
    ) -> None:
        now = clock.monotonic()
        self.request = request
        self.clock = clock
        """The pipeline's clock: durations and waits are measured on it."""
        self.key = key
        """The API key the call sends: what must never reach a consumer."""
        self.method = request.method
        self.operation = naming.operation_name(request)
        """``Follow-ups V3#List``, or ``GET /v2/incidents/{id}`` for ``client.request``."""
        self.server_address = server_address
        self.server_port = server_port
        self.started = now
        self.attempt = 0
        """The current attempt: 1 for the first, 2 for the first resend, ..."""
        self.url_of_attempt: httpx.URL | None = None
        self.queued_at = now
        """When the current attempt began to wait for the rate limiter."""
        self.attempt_wait_s = 0.0
        """How long the current attempt waited for the rate limiter."""
        self.rate_limit_wait_s = 0.0
        """Everything the rate limit cost the call so far: waits for the limiter, and waits
        the API asked for (``Retry-After``)."""
        self.scope = KEY_SCOPE
        self.throttled = False
        """Whether the API rate limited the current attempt (429, or 503 with Retry-After)."""
        self.response: httpx.Response | None = None
        """The last attempt's response (None before it, or after a connection failure)."""
        self.error: IncidentIOError | None = None
        """The last attempt's error (None after a 2xx)."""
        self.status_code: int | None = None
        """The last response's status."""
        self.error_type: str | None = None
        """The last attempt's failure in the HTTP conventions' terms (``503``,
        ``httpx.ConnectError``), None after a success."""
        self._url: str | None = None
        self._request_id: str | object | None = _UNKNOWN
        self._span_name: str | None = None
        self._template: str | None = None

    def attempt_answered(
        self, response: httpx.Response | None, error: IncidentIOError | None
    ) -> None:
        """Note the outcome of the current attempt."""
        self.response, self.error = response, error
        self.status_code = None if response is None else response.status_code
        self.error_type = naming.attempt_error_type(response, error)
        self._request_id = _UNKNOWN

    @property
    def url(self) -> str:
        """The absolute URL (no credentials: the key travels in a header; redacted all the
        same). Every attempt of a call has the same."""
        if self._url is None:
            url = "" if self.url_of_attempt is None else str(self.url_of_attempt)
            self._url = self.hide_key(url)
        return self._url

    @property
    def request_id(self) -> str | None:
        """The API's id of the last response, if it sent one."""
        if self._request_id is _UNKNOWN:
            found = None
            if isinstance(self.error, APIStatusError):
                found = self.error.request_id
            if found is None and self.response is not None:
                found = request_id_of(self.response)
            self._request_id = None if found is None else _server_text(found, self.hide_key)
        return self._request_id  # type: ignore[return-value]

    def hide_key(self, text: str) -> str:
        """``text`` with the call's API key redacted. Only this key was sent, so only it can
        come back in what the server says, or be in the URL if the caller put it there."""
        key = self.key.reveal()
        return text.replace(key, REDACTED) if key in text else text

    @property
    def span_name(self) -> str:
        """A readable name for the call's span: ``Follow-ups V3 List``."""
        if self._span_name is None:
            self._span_name = naming.span_name(self.request)
        return self._span_name

    @property
    def template(self) -> str:
        """The path template (``/v3/follow_ups/{id}``): low cardinality, unlike the path."""
        if self._template is None:
            self._template = naming.url_template(self.request)
        return self._template


_UNKNOWN: object = object()


def _server_text(text: str, hide_key: Callable[[str], str]) -> str:
    """``text``, which the server sent, safe to show: the usual request id (printable
    ASCII with no escape in it) can hold the key only as itself, so one substring test
    does; anything else gets the full treatment of a message (every spelling of the key,
    control characters escaped)."""
    if text.isascii() and text.isprintable() and "%" not in text and "\\" not in text:
        return hide_key(text)
    return one_line(text)


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
