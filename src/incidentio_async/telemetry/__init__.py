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
``events`` is imported with the hooks, or when one of its names is first read here.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .events import (
        CallEvent,
        Hook,
        RateLimitedEvent,
        RequestEvent,
        ResponseEvent,
        RetryEvent,
    )
    from .otel import OpenTelemetry
else:
    from .._lazy import lazy_exports

    # The events are imported with the hooks that send them (or when first read), so that a
    # client without hooks never builds their classes.
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "CallEvent": ".events",
            "Hook": ".events",
            "RateLimitedEvent": ".events",
            "RequestEvent": ".events",
            "ResponseEvent": ".events",
            "RetryEvent": ".events",
            "OpenTelemetry": ".otel",
        },
    )

__all__ = [
    "CallEvent",
    "Hook",
    "OpenTelemetry",
    "RateLimitedEvent",
    "RequestEvent",
    "ResponseEvent",
    "RetryEvent",
]
