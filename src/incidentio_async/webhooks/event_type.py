"""What the generated event types tell the core: a name, the payload's model, and how to fetch
the current state of what an event is about. ``incidentio_api.events`` holds one per event type
of the vendored specs; nothing here names an event or an endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, TypeGuard, TypeVar, cast

if TYPE_CHECKING:
    from .envelope import WebhookEvent

P = TypeVar("P")

MODELS_PACKAGE = "incidentio_api.models"
"""Where the payload models are: each is imported when an event of its type first arrives."""


@dataclass(frozen=True, slots=True)
class Refetch:
    """The operation whose result is the current state of an event's subject (a declared
    override of ``scripts/codegen-overrides.yaml``)."""

    resource: str
    """The client's attribute holding the operation (``follow_ups_v3``)."""
    method: str
    """The method to call (``get``)."""
    arguments: tuple[tuple[str, tuple[str, ...]], ...]
    """Each argument of the method and the payload field giving it, as a path into objects
    (``("incident", "id")``)."""
    latest_by: str | None = None
    """The operation lists: the record whose field of this name (a date-time) is greatest is
    the answer (``None`` when there is none). The whole list of the subject is read, since
    the list promises no order."""


@dataclass(frozen=True, slots=True, eq=False)
class EventType(Generic[P]):
    """One webhook event type: ``public_incident.follow_up_created_v2`` and its payload model.

    ``events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2.matches(event)`` narrows ``event`` to a
    ``WebhookEvent[FollowUpV2]`` for type checkers.
    """

    name: str
    """The event type, as the body's ``event_type`` says it."""
    model_name: str
    """The name of the payload's class in ``incidentio_api.models``."""
    description: str = ""
    private: bool = False
    """An event of a private incident: its payload is only the subject's ID."""
    refetch: Refetch | None = None
    """How ``client.webhooks.refetch(event)`` gets the subject's current state."""
    _model: type[P] | None = field(default=None, init=False, repr=False)

    @property
    def model(self) -> type[P]:
        """The payload's class (its module is imported on first use)."""
        model = self._model
        if model is None:
            model = getattr(import_module(MODELS_PACKAGE), self.model_name)
            object.__setattr__(self, "_model", model)
        return cast("type[P]", model)

    def parse(self, data: Mapping[str, Any]) -> P:
        """The payload's model built from its JSON (``ModelParseError`` if it does not fit)."""
        return cast("P", cast(Any, self.model).from_dict(data))

    def matches(self, event: WebhookEvent[Any]) -> TypeGuard[WebhookEvent[P]]:
        """Whether ``event`` is of this type (then its ``data`` is this type's model)."""
        return event.kind is self

    def __repr__(self) -> str:
        return f"<EventType {self.name}>"
