"""The hand-written stores seen as collections, for the operations served generically.

A newer spec may add an operation on a resource the fake already keeps (a new action on a
follow-up, a new list of incident updates). Served generically, it must see and change the
same records as the hand-written handlers: these adapters give
:class:`~incidentio_async.testing.stores.Collection` access to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from incidentio_async.testing.errors import ApiError, ErrorDetail, validation_error
from incidentio_async.testing.records import FollowUp, JsonObject, to_micros
from incidentio_async.testing.state import FakeState

FOLLOW_UP_FIELDS = frozenset(
    {
        "id",
        "incident_id",
        "title",
        "status",
        "labels",
        "creator",
        "created_at",
        "updated_at",
        "description",
        "assignee",
        "assignee_team",
        "priority",
        "completed_at",
        "external_issue_reference",
        "category",
    }
)
"""The follow-up fields the record keeps itself; any other is kept in ``FollowUp.extra``."""


class FollowUpCollection:
    """The follow-ups (one store for V2 and V3), rendered by ``render``."""

    def __init__(
        self, state: FakeState, render: Callable[[FollowUp], JsonObject], record_name: str
    ) -> None:
        self.state = state
        self.render = render
        self.record_name: str | None = record_name

    def get(self, record_id: str) -> JsonObject | None:
        """The follow-up's body, or None."""
        follow_up = self.state.follow_ups.get(record_id)
        return self.render(follow_up) if follow_up is not None else None

    def records(self) -> list[JsonObject]:
        """Every follow-up, oldest first."""
        return [self.render(f) for f in sorted(self.state.follow_ups.values(), key=_id)]

    def add(self, fields: Mapping[str, Any]) -> JsonObject:
        """A follow-up of the incident ``incident_id`` names (422 if there is none)."""
        title = fields.get("title")
        follow_up = self.state.add_follow_up(
            _incident_id(self.state, fields),
            title if isinstance(title, str) and title else "Follow-up",
            at=self.state.now(),
        )
        self._apply(follow_up, {k: v for k, v in fields.items() if k != "title"})
        return self.render(follow_up)

    def change(self, record_id: str, fields: Mapping[str, Any]) -> JsonObject | None:
        """Set the fields on the follow-up, as an update does."""
        follow_up = self.state.follow_ups.get(record_id)
        if follow_up is None:
            return None
        self._apply(follow_up, fields)
        return self.render(follow_up)

    def remove(self, record_id: str) -> bool:
        """Delete the follow-up."""
        if record_id not in self.state.follow_ups:
            return False
        self.state.delete_follow_up(record_id)
        return True

    def _apply(self, follow_up: FollowUp, fields: Mapping[str, Any]) -> None:
        now_us = max(to_micros(self.state.now()), follow_up.created_us)
        for name, value in fields.items():
            if name == "title" and isinstance(value, str):
                follow_up.title = value
            elif name == "description":
                follow_up.description = value if isinstance(value, str) else None
            elif name == "labels" and isinstance(value, list):
                follow_up.labels = [str(label) for label in value]
            elif name == "status" and isinstance(value, str):
                if value != follow_up.status:
                    follow_up.completed_us = now_us if value == "completed" else None
                follow_up.status = value
            elif name not in FOLLOW_UP_FIELDS:
                if value is None:
                    follow_up.extra.pop(name, None)
                else:
                    follow_up.extra[name] = value
        follow_up.updated_us = now_us


class IncidentUpdateCollection:
    """The incident updates. The API never edits or deletes one, and neither does this."""

    record_name: str | None = "IncidentUpdateV2"

    def __init__(self, state: FakeState) -> None:
        self.state = state

    def get(self, record_id: str) -> JsonObject | None:
        """The update's body, or None."""
        update = self.state.incident_updates.get(record_id)
        return update.to_dict() if update is not None else None

    def records(self) -> list[JsonObject]:
        """Every update, oldest first."""
        return [update.to_dict() for update in reversed(self.state.list_incident_updates())]

    def add(self, fields: Mapping[str, Any]) -> JsonObject:
        """A new update of the incident ``incident_id`` names (422 if there is none)."""
        incident_id = _incident_id(self.state, fields)
        message = fields.get("message")
        update = self.state.add_incident_update(
            incident_id,
            status=self.state.current_status(incident_id),
            message=message if isinstance(message, str) else None,
            at=self.state.now(),
        )
        return update.to_dict()

    def change(self, record_id: str, fields: Mapping[str, Any]) -> JsonObject | None:
        """The update as it is: updates are immutable."""
        return self.get(record_id)

    def remove(self, record_id: str) -> bool:
        """Refused: the fake keeps every incident update (501)."""
        raise ApiError(
            501,
            "not_implemented",
            [ErrorDetail("not_implemented", "The fake incident.io cannot delete incident updates")],
        )


def _incident_id(state: FakeState, fields: Mapping[str, Any]) -> str:
    """The ``incident_id`` of ``fields``, which must name an incident (else a 422)."""
    incident_id = fields.get("incident_id")
    if not isinstance(incident_id, str) or incident_id not in state.incidents:
        raise validation_error("incident_id", "not_found", "No incident exists with this ID")
    return incident_id


def _id(follow_up: FollowUp) -> str:
    return follow_up.id
