"""Metrics through OpenTelemetry (the ``otel`` extra).

Per attempt (each HTTP request sent):

- ``http.client.request.duration`` (histogram, s), named and attributed as the HTTP
  conventions say: ``http.request.method``, ``server.address``, ``server.port``,
  ``url.template``, ``http.response.status_code``, ``error.type``; plus
  ``incidentio.operation``.
- ``incidentio.client.attempts`` (counter): ``incidentio.operation``, ``incidentio.outcome``
  (``success``, ``failure``), ``http.response.status_code``, ``error.type``.
- ``incidentio.client.rate_limited`` (counter): 429 answers, by ``incidentio.operation``.
- ``incidentio.client.retries`` (counter): ``incidentio.operation``,
  ``incidentio.retry.reason`` (``503``, ``429``, ``httpx.ConnectError``),
  ``incidentio.rate_limited``.
- ``incidentio.rate_limit.wait.duration`` (histogram, s): each attempt's wait for the rate
  limiter, zero included: ``incidentio.operation``, ``incidentio.rate_limit.scope``.

Per call (a method call, or one page of a list):

- ``incidentio.client.requests`` (counter) and ``incidentio.client.request.duration``
  (histogram, s; waits and retries included): ``incidentio.operation``,
  ``incidentio.outcome`` (``success``, ``failure``, ``cancelled``), ``error.type``.

And ``incidentio.rate_limit.tokens`` (observable gauge): the tokens each watched limiter
believes the API would accept now, by ``incidentio.rate_limit.scope``.

An attempt's ``error.type`` is its status code (``503``) or the class of its connection
failure; a call's is the class of the error it raised
(``incidentio_async.errors.ServerError``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Awaitable, Iterable

import httpx
from opentelemetry import metrics
from opentelemetry.metrics import CallbackOptions, Observation

from ..errors import IncidentIOError
from ..ratelimit.protocol import KEY_SCOPE
from . import naming
from .call import Call, CallConsumer

HTTP_DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10)
"""The HTTP conventions' advice for ``http.client.request.duration``."""

WAIT_BUCKETS = (0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
"""For waits and whole calls: a rate-limited call may wait up to five minutes."""


class Metrics(CallConsumer):
    """The instruments, made once per meter; its own view of every call (it keeps no state
    per call)."""

    def __init__(self, meter: metrics.Meter) -> None:
        self._http_duration = meter.create_histogram(
            "http.client.request.duration",
            unit="s",
            description="Duration of HTTP client requests (each attempt).",
            explicit_bucket_boundaries_advisory=HTTP_DURATION_BUCKETS,
        )
        self._requests = meter.create_counter(
            "incidentio.client.requests",
            unit="{request}",
            description="Calls to the incident.io API (a method call or a page), retries aside.",
        )
        self._request_duration = meter.create_histogram(
            "incidentio.client.request.duration",
            unit="s",
            description="Duration of calls to the incident.io API, waits and retries included.",
            explicit_bucket_boundaries_advisory=WAIT_BUCKETS,
        )
        self._attempts = meter.create_counter(
            "incidentio.client.attempts",
            unit="{attempt}",
            description="HTTP requests sent to the incident.io API, retries included.",
        )
        self._rate_limited = meter.create_counter(
            "incidentio.client.rate_limited",
            unit="{response}",
            description="429 answers from the incident.io API.",
        )
        self._retries = meter.create_counter(
            "incidentio.client.retries",
            unit="{retry}",
            description="Requests sent again after a failure or a rate limit.",
        )
        self._wait = meter.create_histogram(
            "incidentio.rate_limit.wait.duration",
            unit="s",
            description="Time each request waited for the client's rate limiter.",
            explicit_bucket_boundaries_advisory=WAIT_BUCKETS,
        )
        meter.create_observable_gauge(
            "incidentio.rate_limit.tokens",
            callbacks=[self._observe_tokens],
            unit="{token}",
            description="Requests the rate limiter believes the API would accept now.",
        )
        self._limiters: weakref.WeakSet[object] = weakref.WeakSet()
        self._lock = threading.Lock()  # the gauge is read from the metric reader's thread

    def watch(self, limiter: object) -> None:
        """Report the tokens of ``limiter`` (one with a ``tokens`` property)."""
        with self._lock:
            self._limiters.add(limiter)

    def _observe_tokens(self, options: CallbackOptions) -> Iterable[Observation]:
        with self._lock:
            limiters = list(self._limiters)
        observations = []
        for limiter in limiters:
            scope_stats = getattr(limiter, "scope_stats", None)
            if callable(scope_stats):  # ours, local or Redis: every scope, the key's first
                for scope, stats in scope_stats().items():
                    observations.append(
                        Observation(stats.tokens, {"incidentio.rate_limit.scope": scope})
                    )
                continue
            tokens = getattr(limiter, "tokens", None)  # a user's limiter may say only this
            if isinstance(tokens, int | float):
                observations.append(Observation(tokens, {"incidentio.rate_limit.scope": KEY_SCOPE}))
        return observations

    def start(self, call: Call) -> CallConsumer:
        """Its view of a call: itself."""
        return self

    def attempt_sending(self, call: Call) -> None:
        self._wait.record(
            call.attempt_wait_s,
            {"incidentio.operation": call.operation, "incidentio.rate_limit.scope": call.scope},
        )

    def attempt_ended(
        self,
        call: Call,
        response: httpx.Response | None,
        error: IncidentIOError | None,
        took: float,
    ) -> Awaitable[None] | None:
        attributes: dict[str, str | int] = {
            "incidentio.operation": call.operation,
            "http.request.method": call.method,
            "server.address": call.server_address,
            "server.port": call.server_port,
            "url.template": call.template,
        }
        if call.status_code is not None:
            attributes["http.response.status_code"] = call.status_code
        if call.error_type is not None:
            attributes["error.type"] = call.error_type
        self._http_duration.record(took, attributes)
        counted: dict[str, str | int] = {
            "incidentio.operation": call.operation,
            "incidentio.outcome": "failure" if call.error_type else "success",
        }
        if call.status_code is not None:
            counted["http.response.status_code"] = call.status_code
        if call.error_type is not None:
            counted["error.type"] = call.error_type
        self._attempts.add(1, counted)
        if call.status_code == 429:
            self._rate_limited.add(1, {"incidentio.operation": call.operation})
        return None

    def retrying(
        self,
        call: Call,
        wait: float,
        response: httpx.Response | None,
        error: IncidentIOError,
        detail: str,
    ) -> Awaitable[None] | None:
        self._retries.add(
            1,
            {
                "incidentio.operation": call.operation,
                "incidentio.retry.reason": call.error_type or "",
                "incidentio.rate_limited": call.throttled,
            },
        )
        return None

    def ended(
        self, call: Call, response: httpx.Response | None, error: BaseException | None
    ) -> None:
        attributes = {"incidentio.operation": call.operation}
        if error is None:
            attributes["incidentio.outcome"] = "success"
        elif isinstance(error, Exception):
            attributes["incidentio.outcome"] = "failure"
            attributes["error.type"] = naming.error_type(error)
        else:
            attributes["incidentio.outcome"] = "cancelled"
        self._requests.add(1, attributes)
        self._request_duration.record(call.clock.monotonic() - call.started, attributes)
