"""The client's ``telemetry=`` setting: spans and metrics of every call through OpenTelemetry.

::

    pip install "incidentio-async[otel]"

    from incidentio_async.telemetry import OpenTelemetry
    client = IncidentIO(telemetry=OpenTelemetry())

Importing this module imports no OpenTelemetry package; making an :class:`OpenTelemetry` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._version import __version__
from ..errors import ConfigurationError
from .instrument import Consumer

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import TracerProvider

    from .metrics import Metrics
    from .tracing import Tracing

INSTRUMENTATION_NAME = "incidentio_async"
"""The name of the tracer and the meter (the instrumentation scope)."""


class OpenTelemetry:
    """Spans (see ``telemetry.tracing``) and metrics (see ``telemetry.metrics``) of every
    call of the clients given it, through the OpenTelemetry API.

    Args:
        tracer_provider: where spans go; by default the global provider (what
            ``opentelemetry.trace.set_tracer_provider`` set, now or later).
        meter_provider: where metrics go; by default the global one.
        tracing: ``False`` for metrics only.
        metrics: ``False`` for spans only.

    Needs ``opentelemetry-api`` (``pip install "incidentio-async[otel]"``), and an
    OpenTelemetry SDK configured by the application to export anything. One instance may
    serve several clients: their metrics share its instruments.

    Raises:
        ConfigurationError: ``opentelemetry-api`` is not installed.
    """

    def __init__(
        self,
        *,
        tracer_provider: TracerProvider | None = None,
        meter_provider: MeterProvider | None = None,
        tracing: bool = True,
        metrics: bool = True,
    ) -> None:
        try:
            from .metrics import Metrics
            from .tracing import Tracing
        except ImportError as exc:
            raise ConfigurationError(
                "OpenTelemetry needs the opentelemetry-api package: "
                'pip install "incidentio-async[otel]"'
            ) from exc
        from opentelemetry import metrics as otel_metrics
        from opentelemetry import trace

        self._tracing: Tracing | None = None
        self._metrics: Metrics | None = None
        if tracing:
            tracer = trace.get_tracer(INSTRUMENTATION_NAME, __version__, tracer_provider)
            self._tracing = Tracing(tracer)
        if metrics:
            meter = otel_metrics.get_meter(INSTRUMENTATION_NAME, __version__, meter_provider)
            self._metrics = Metrics(meter)

    def __repr__(self) -> str:
        parts = [
            name for name, on in (("tracing", self._tracing), ("metrics", self._metrics)) if on
        ]
        return f"OpenTelemetry({', '.join(parts) or 'off'})"

    def consumers(self, limiter: object) -> list[Consumer]:
        """The consumers of a client's calls; its ``limiter``'s tokens join the gauge."""
        found: list[Consumer] = []
        if self._tracing is not None:
            found.append(self._tracing)
        if self._metrics is not None:
            self._metrics.watch(limiter)
            found.append(self._metrics)
        return found
