"""A small router: path templates such as ``/v2/follow_ups/{id}`` and a handler per method."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from incidentio_async.testing.errors import method_not_allowed, not_found
from incidentio_async.testing.messages import Request, Response

Handler = Callable[[Request], Response]


@dataclass
class Route:
    """A path template and the handler of each method it takes."""

    template: str
    handlers: dict[str, Handler] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._segments = self.template.strip("/").split("/")

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters if ``path`` fits this template, else ``None``."""
        segments = path.strip("/").split("/") if path != "/" else [""]
        if (path.endswith("/") and path != "/") or len(segments) != len(self._segments):
            return None
        params = {}
        for pattern, segment in zip(self._segments, segments, strict=True):
            if pattern.startswith("{") and pattern.endswith("}"):
                if not segment:
                    return None
                params[pattern[1:-1]] = segment
            elif pattern != segment:
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

    def add(self, method: str, template: str, handler: Handler) -> None:
        """Send ``method`` requests for paths that fit ``template`` to ``handler``."""
        for route in self.routes:
            if route.template == template:
                route.handlers[method.upper()] = handler
                return
        self.routes.append(Route(template, {method.upper(): handler}))

    def find(self, path: str) -> Match | None:
        """The route whose template ``path`` fits, whatever the method."""
        for route in self.routes:
            params = route.match(path)
            if params is not None:
                return Match(route, params)
        return None

    def resolve(self, method: str, path: str) -> tuple[Match, Handler]:
        """The route and handler for a request.

        Raises:
            ApiError: 404 ``not_found`` or 405 ``method_not_allowed``.
        """
        found = self.find(path)
        if found is None:
            raise not_found(f"No route for {path}")
        handler = found.route.handlers.get(method.upper())
        if handler is None:
            raise method_not_allowed(method, sorted(found.route.handlers))
        return found, handler
