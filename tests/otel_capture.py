"""The OpenTelemetry SDK's in-memory exporter and metric reader behind an ``OpenTelemetry``
setting, and readable views of what they caught: the span tree, metric points."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Tracer

from incidentio_async.telemetry import OpenTelemetry


class Captured:
    """Spans and metrics of the clients given :attr:`telemetry`."""

    def __init__(self, **options: Any) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider(**options)
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.telemetry = OpenTelemetry(
            tracer_provider=self.tracer_provider, meter_provider=self.meter_provider
        )

    @property
    def tracer(self) -> Tracer:
        """A tracer of the same provider, for the caller's own spans."""
        return self.tracer_provider.get_tracer("the caller")

    @property
    def spans(self) -> list[ReadableSpan]:
        """Every finished span, in the order they ended."""
        return list(self.exporter.get_finished_spans())

    def named(self, name: str) -> list[ReadableSpan]:
        """The finished spans called ``name``, in the order they started."""
        return sorted((s for s in self.spans if s.name == name), key=lambda s: s.start_time or 0)

    def children(self, parent: ReadableSpan) -> list[ReadableSpan]:
        """The spans whose parent is ``parent``, in the order they started."""
        found = [
            span
            for span in self.spans
            if span.parent is not None and span.parent.span_id == parent.context.span_id
        ]
        return sorted(found, key=lambda s: s.start_time or 0)

    def tree(self) -> list[str]:
        """The span tree, one line per span (indented under its parent), in the order spans
        started: ``name [kind] status_code``."""
        ids = {span.context.span_id for span in self.spans}
        roots = [s for s in self.spans if s.parent is None or s.parent.span_id not in ids]
        lines: list[str] = []

        def walk(span: ReadableSpan, depth: int) -> None:
            status = (
                span.attributes.get("http.response.status_code", "-") if span.attributes else "-"
            )
            error = " ERROR" if span.status.status_code.name == "ERROR" else ""
            lines.append(f"{'  ' * depth}{span.name} [{span.kind.name}] {status}{error}")
            for child in self.children(span):
                walk(child, depth + 1)

        for root in sorted(roots, key=lambda s: s.start_time or 0):
            walk(root, 0)
        return lines

    def texts(self) -> Iterator[str]:
        """Every string the spans hold: names, attribute and event values."""
        for span in self.spans:
            yield span.name
            for value in (span.attributes or {}).values():
                yield str(value)
            for event in span.events:
                yield event.name
                for value in (event.attributes or {}).values():
                    yield str(value)

    def points(self, name: str) -> list[Any]:
        """The data points of metric ``name`` (empty if it recorded nothing)."""
        data = self.reader.get_metrics_data()
        found: list[Any] = []
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        found += metric.data.data_points
        return found

    def counts(self, name: str, *keys: str) -> dict[tuple[Any, ...], int]:
        """A counter's values (or a histogram's counts) by the values of ``keys``."""
        totals: dict[tuple[Any, ...], int] = {}
        for point in self.points(name):
            attributes = dict(point.attributes)
            key = tuple(attributes.get(k) for k in keys)
            value = point.count if hasattr(point, "count") else point.value
            totals[key] = totals.get(key, 0) + value
        return totals
