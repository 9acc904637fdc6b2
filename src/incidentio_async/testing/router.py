"""Routes from the generated operations: each path template, and a handler per method.

Routing works on the raw, percent-encoded path, as the API's does: ``%2F`` inside an id stays
inside that id, so an id containing ``/`` can never reach another route. Path parameters are
decoded after the path has been split.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from incidentio_async._operation import Operation
from incidentio_async.testing.errors import method_not_allowed, not_found
from incidentio_async.testing.messages import Request, Response

Handler = Callable[[Request], Response]


@dataclass
class Route:
    """A path template and, for each method it takes, the operation and its handler."""

    template: str
    handlers: dict[str, tuple[Operation[Any], Handler]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._segments = self.template.strip("/").split("/")

    def match(self, raw_path: str) -> dict[str, str] | None:
        """The decoded path parameters if ``raw_path`` fits this template, else ``None``."""
        segments = raw_path.strip("/").split("/") if raw_path != "/" else [""]
        if (raw_path.endswith("/") and raw_path != "/") or len(segments) != len(self._segments):
            return None
        params = {}
        for pattern, segment in zip(self._segments, segments, strict=True):
            if pattern.startswith("{") and pattern.endswith("}"):
                if not segment:
                    return None
                params[pattern[1:-1]] = unquote(segment)
            elif pattern != unquote(segment):
                return None
        return params


@dataclass(frozen=True)
class Match:
    """The outcome of routing a request."""

    route: Route
    params: dict[str, str]

    @property
    def template(self) -> str:
        """The template of the route that matched."""
        return self.route.template


class Router:
    """Finds the route for a request: 404 for an unknown path, 405 for a wrong method."""

    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(self, operation: Operation[Any], handler: Handler) -> None:
        """Send requests for ``operation`` (its method, paths fitting its template) to
        ``handler``."""
        entry = (operation, handler)
        for route in self.routes:
            if route.template == operation.path:
                route.handlers[operation.method] = entry
                return
        self.routes.append(Route(operation.path, {operation.method: entry}))

    def find(self, raw_path: str) -> Match | None:
        """The route whose template ``raw_path`` fits, whatever the method."""
        for route in self.routes:
            params = route.match(raw_path)
            if params is not None:
                return Match(route, params)
        return None

    def resolve(self, method: str, raw_path: str) -> tuple[Match, Operation[Any], Handler]:
        """The route, operation and handler for a request.

        Raises:
            ApiError: 404 ``not_found`` or 405 ``method_not_allowed``.
        """
        found = self.find(raw_path)
        if found is None:
            raise not_found(f"No route for {unquote(raw_path)}")
        entry = found.route.handlers.get(method.upper())
        if entry is None:
            raise method_not_allowed(method, sorted(found.route.handlers))
        return found, entry[0], entry[1]
