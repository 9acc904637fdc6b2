"""A delivery's body as an event: ``{"event_type": T, T: payload}`` to a :class:`WebhookEvent`
holding the payload's generated model (or the JSON itself, for a type this release does not
know)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from incidentio_api.errors import ModelParseError
from incidentio_api.events import EVENT_TYPES

from .._redaction import redact_chain
from .errors import WebhookPayloadError
from .event_type import EventType

P = TypeVar("P")

EVENT_TYPE_KEY = "event_type"


@dataclass(frozen=True, slots=True)
class WebhookEvent(Generic[P]):
    """One verified delivery.

    Deliveries repeat (the same ``id``) and arrive out of order: make handlers idempotent, and
    where order matters act on the current state (``await client.webhooks.refetch(event)``).
    """

    id: str
    """The ``webhook-id``: the same on every delivery of one message (the deduplication key)."""
    type: str
    """The event type: ``public_incident.follow_up_created_v2``."""
    timestamp: datetime
    """When the delivery was signed (UTC)."""
    data: P
    """The payload: the event type's model, or the JSON as it came for a type not known."""
    kind: EventType[P] | None
    """The event type's description, ``None`` for a type this release does not know."""
    raw: Mapping[str, Any] = field(repr=False)
    """The whole body, decoded."""

    @property
    def known(self) -> bool:
        """Whether this release knows the event type (then ``data`` is its model)."""
        return self.kind is not None

    @property
    def private(self) -> bool:
        """An event of a private incident, whose payload is only an ID (``False`` when the
        type is not known)."""
        return self.kind is not None and self.kind.private

    @property
    def payload(self) -> Any:
        """The payload's JSON as received."""
        return self.raw[self.type]

    def to_json(self) -> dict[str, Any]:
        """The event as JSON: id, type, timestamp (RFC 3339) and the payload as received."""
        return {
            "id": self.id,
            "type": self.type,
            "timestamp": self.timestamp.isoformat().replace("+00:00", "Z"),
            "data": self.payload,
        }


def parse_event(body: bytes, msg_id: str, timestamp: int) -> WebhookEvent[Any]:
    """The event a verified ``body`` holds. Raises :class:`WebhookPayloadError` when it is not
    JSON, not an envelope, or does not fit its event type's schema."""
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        # ValueError covers bytes that are not UTF-8 as well as text that is not JSON.
        raise WebhookPayloadError("the signed body is not JSON") from None
    if not isinstance(raw, dict):
        raise WebhookPayloadError(
            f"the signed body is a JSON {_json_kind(raw)}, not an event envelope "
            '({"event_type": T, T: payload})'
        )
    event_type = raw.get(EVENT_TYPE_KEY)
    if not isinstance(event_type, str) or not event_type:
        raise WebhookPayloadError('the signed body has no "event_type" string: not an event')
    if event_type not in raw:
        raise WebhookPayloadError(
            f"the signed body has no {event_type!r} payload beside its event_type"
        )
    kind = EVENT_TYPES.get(event_type)
    payload = raw[event_type]
    data: Any = payload
    if kind is not None:
        if not isinstance(payload, dict):
            raise WebhookPayloadError(
                f"the {event_type} payload is a JSON {_json_kind(payload)}, not an object"
            )
        try:
            data = kind.parse(payload)
        except ModelParseError as exc:
            redact_chain(exc)
            raise WebhookPayloadError(
                f"the {event_type} payload does not fit its schema: {exc}"
            ) from exc
    when = datetime.fromtimestamp(timestamp, tz=UTC)
    return WebhookEvent(id=msg_id, type=event_type, timestamp=when, data=data, kind=kind, raw=raw)


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"
