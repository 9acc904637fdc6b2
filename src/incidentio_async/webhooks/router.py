"""A handler per event type: ``WebhookRouter`` is itself a handler for :class:`WebhookApp`."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, overload

from .envelope import WebhookEvent
from .event_type import EventType

P = TypeVar("P")

Handler = Callable[[WebhookEvent[P]], Awaitable[object]]
"""An async function called with each event (its return value is ignored)."""


async def call_handler(
    handler: Callable[[WebhookEvent[Any]], object], event: WebhookEvent[Any]
) -> None:
    """Call ``handler`` with ``event``, awaiting what it returns if it must be awaited (a plain
    function has done its work when it returns: awaiting its ``None`` would fail after it)."""
    result = handler(event)
    if inspect.isawaitable(result):
        await result


logger = logging.getLogger("incidentio_async.webhooks")


class WebhookRouter:
    """Calls the handler registered for each event's type::

        router = WebhookRouter()

        @router.on(events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2)
        async def created(event: WebhookEvent[FollowUpV2]) -> None:
            print(event.data.title)

        app = WebhookApp(secret=..., handler=router)

    A type is given as its generated :class:`EventType` (the handler's event is then typed
    with its payload model) or as a string (any type, known or not). Events of a type with no
    handler go to ``default`` if given, else are acknowledged and ignored.
    """

    def __init__(self, *, default: Handler[Any] | None = None) -> None:
        self._routes: dict[str, Handler[Any]] = {}
        self.default = default

    @overload
    def on(
        self, kind: EventType[P], /, *more: EventType[P]
    ) -> Callable[[Handler[P]], Handler[P]]: ...

    @overload
    def on(
        self, kind: str, /, *more: str | EventType[Any]
    ) -> Callable[[Handler[Any]], Handler[Any]]: ...

    def on(
        self, kind: str | EventType[Any], /, *more: str | EventType[Any]
    ) -> Callable[[Handler[Any]], Handler[Any]]:
        """A decorator registering its function for these event types."""

        def register(handler: Handler[Any]) -> Handler[Any]:
            for each in (kind, *more):
                self.add(each, handler)
            return handler

        return register

    def add(self, kind: str | EventType[Any], handler: Handler[Any]) -> None:
        """Register ``handler`` for events of ``kind`` (one handler per type)."""
        name = kind if isinstance(kind, str) else kind.name
        if not isinstance(name, str) or not name:
            raise TypeError(f"an event type is an EventType or a non-empty string, not {kind!r}")
        if not callable(handler):
            raise TypeError(f"handler must be an async function, not {handler!r}")
        if name in self._routes:
            raise ValueError(f"{name} already has a handler")
        self._routes[name] = handler

    @property
    def types(self) -> tuple[str, ...]:
        """The event types with a handler."""
        return tuple(self._routes)

    async def __call__(self, event: WebhookEvent[Any]) -> None:
        """Hand ``event`` to its type's handler."""
        handler = self._routes.get(event.type, self.default)
        if handler is None:
            logger.debug("no handler for %s events: delivery %s acknowledged", event.type, event.id)
            return
        await call_handler(handler, event)

    def __repr__(self) -> str:
        return f"<WebhookRouter {len(self._routes)} event types>"
