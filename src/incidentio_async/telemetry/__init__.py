"""Watching the client's calls: hooks, OpenTelemetry spans and metrics, structured logs.

- ``events``: what hooks receive (``on_request=`` ... of :class:`~incidentio_async.IncidentIO`).
- ``otel``: :class:`OpenTelemetry`, the client's ``telemetry=`` setting.
- ``instrument``: the one interface the request pipeline reports to, fanning out to the
  consumers; ``call``: one call as the consumers see it; ``naming``: names of calls and
  failures.
- The consumers, one module each: ``logs`` (the SDK's log records, always), ``hooks``,
  ``tracing`` and ``metrics``.

Only ``tracing`` and ``metrics`` import OpenTelemetry, and only making an
:class:`OpenTelemetry` imports them; everything else here needs nothing beyond the core.
"""

from typing import TYPE_CHECKING

from .events import (
    CallEvent,
    Hook,
    RateLimitedEvent,
    RequestEvent,
    ResponseEvent,
    RetryEvent,
)

if TYPE_CHECKING:
    from .otel import OpenTelemetry
else:
    from .._lazy import lazy_exports

    __getattr__, __dir__ = lazy_exports(__name__, {"OpenTelemetry": ".otel"})

__all__ = [
    "CallEvent",
    "Hook",
    "OpenTelemetry",
    "RateLimitedEvent",
    "RequestEvent",
    "ResponseEvent",
    "RetryEvent",
]
