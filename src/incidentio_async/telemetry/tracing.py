"""Spans through OpenTelemetry (the ``otel`` extra): one per call, named after its
operation, with a child per attempt.

The call's span (kind INTERNAL, ``Follow-ups V3 List``) is the caller's current span's child,
and is current while the call runs. It ends with the final attempt's HTTP attributes
(``http.response.status_code``, ``url.full``, ...), ``incidentio.attempts``,
``incidentio.rate_limit.wait_s``, ``incidentio.rate_limit.scope`` and
``incidentio.request_id``; on failure ``error.type``, the recorded exception and an error
status. Retries and rate limits are events on it.

Each attempt is a child span (kind CLIENT, ``GET /v3/follow_ups/{id}``), not an event, because
the HTTP conventions ask for one client span per request sent over the wire, resends carrying
``http.request.resend_count``, and no encompassing HTTP client span (so the call's span is
INTERNAL). Child spans give each attempt its own duration and status, which shows the gaps
between them for what they are: waits for the rate limiter or a backoff.

The API key never reaches a span: it travels in a header, which is not recorded, and URLs,
request ids and exception messages are redacted.
"""

from __future__ import annotations

import traceback
from collections.abc import Awaitable
from contextvars import Token

import httpx
from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode

from ..errors import IncidentIOError
from . import naming
from .call import Call, CallConsumer


class Tracing:
    """Starts a span for each call, through ``tracer``."""

    def __init__(self, tracer: trace.Tracer) -> None:
        self._tracer = tracer

    def start(self, call: Call) -> CallConsumer:
        """The span of a new call, made current until the call ends."""
        span = self._tracer.start_span(
            call.span_name,
            kind=SpanKind.INTERNAL,
            attributes={
                "incidentio.operation": call.operation,
                "http.request.method": call.method,
                "url.template": call.template,
            },
        )
        context = trace.set_span_in_context(span)
        return _TracedCall(self._tracer, span, context, otel_context.attach(context))


class _TracedCall(CallConsumer):
    __slots__ = ("_attempt", "_context", "_span", "_token", "_tracer")

    def __init__(
        self,
        tracer: trace.Tracer,
        span: Span,
        context: otel_context.Context,
        token: Token[otel_context.Context],
    ) -> None:
        self._tracer = tracer
        self._span = span
        self._context = context
        self._token = token
        self._attempt: Span | None = None

    def attempt_sending(self, call: Call) -> None:
        if not self._span.is_recording():
            return  # not sampled: neither are its attempts
        attributes: dict[str, str | int | float] = {
            "http.request.method": call.method,
            "server.address": call.server_address,
            "server.port": call.server_port,
            "url.full": call.url,
            "url.template": call.template,
            "incidentio.operation": call.operation,
            "incidentio.rate_limit.wait_s": call.attempt_wait_s,
        }
        if call.attempt > 1:
            attributes["http.request.resend_count"] = call.attempt - 1
        self._attempt = self._tracer.start_span(
            f"{call.method} {call.template}",
            context=self._context,
            kind=SpanKind.CLIENT,
            attributes=attributes,
        )

    def attempt_ended(
        self,
        call: Call,
        response: httpx.Response | None,
        error: IncidentIOError | None,
        took: float,
    ) -> Awaitable[None] | None:
        span, self._attempt = self._attempt, None
        if span is not None:
            if call.status_code is not None:
                span.set_attribute("http.response.status_code", call.status_code)
            if call.request_id is not None:
                span.set_attribute("incidentio.request_id", call.request_id)
            if call.error_type is not None:
                span.set_attribute("error.type", call.error_type)
                span.set_status(Status(StatusCode.ERROR))
            span.end()
        return None

    def rate_limited(
        self,
        call: Call,
        response: httpx.Response,
        error: IncidentIOError,
        retry_after: float | None,
        wait: float,
    ) -> Awaitable[None] | None:
        attributes: dict[str, str | int | float] = {
            "incidentio.attempt": call.attempt,
            "http.response.status_code": response.status_code,
            "incidentio.wait_s": wait,
        }
        if retry_after is not None:
            attributes["incidentio.retry_after_s"] = retry_after
        self._span.add_event("incidentio.rate_limited", attributes)
        return None

    def retrying(
        self,
        call: Call,
        wait: float,
        response: httpx.Response | None,
        error: IncidentIOError,
        detail: str,
    ) -> Awaitable[None] | None:
        self._span.add_event(
            "incidentio.retry",
            {
                "incidentio.attempt": call.attempt,
                "incidentio.wait_s": wait,
                "incidentio.retry.reason": call.error_type or "",
                "incidentio.rate_limited": call.throttled,
            },
        )
        return None

    def ended(
        self, call: Call, response: httpx.Response | None, error: BaseException | None
    ) -> None:
        failed = isinstance(error, Exception)  # not cancelled: that is no failure
        try:
            attempt, self._attempt = self._attempt, None
            if attempt is not None:  # the attempt itself raised (a body over the limit, ...)
                if failed:
                    assert error is not None
                    attempt.set_attribute("error.type", naming.error_type(error))
                    attempt.set_status(Status(StatusCode.ERROR))
                attempt.end()
            span = self._span
            if span.is_recording():
                _finish(span, call, error if failed else None)
            span.end()
        finally:
            otel_context.detach(self._token)


def _finish(span: Span, call: Call, error: BaseException | None) -> None:
    """The call's final attributes, and its failure."""
    attributes: dict[str, str | int | float] = {
        "incidentio.attempts": call.attempt,
        "incidentio.rate_limit.wait_s": call.rate_limit_wait_s,
        "incidentio.rate_limit.scope": call.scope,
    }
    if call.attempt:
        attributes["url.full"] = call.url
        attributes["server.address"] = call.server_address
        attributes["server.port"] = call.server_port
    if call.status_code is not None:
        attributes["http.response.status_code"] = call.status_code
    if call.request_id is not None:
        attributes["incidentio.request_id"] = call.request_id
    span.set_attributes(attributes)
    if error is not None:
        kind = naming.error_type(error)
        span.set_attribute("error.type", kind)
        # What Span.record_exception records, with the key redacted from the text (the SDK's
        # errors are redacted already; anything else raised through a call may not be).
        stack = "".join(traceback.format_exception(error))
        span.add_event(
            "exception",
            {
                "exception.type": kind,
                "exception.message": call.hide_key(str(error)),
                "exception.stacktrace": call.hide_key(stack),
            },
        )
        span.set_status(Status(StatusCode.ERROR))
