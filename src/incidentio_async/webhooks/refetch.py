"""``client.webhooks``: what a handler needs the API for. Events of private incidents carry only
an ID, and deliveries arrive late and out of order: :meth:`Webhooks.refetch` gets the current
state of what an event is about, through the client's normal pipeline.

Which operation answers for which event type is generated data (``EventType.refetch``, from
the declared overrides of ``scripts/codegen-overrides.yaml``); nothing here names one.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidArgumentError
from .envelope import WebhookEvent
from .errors import WebhookPayloadError

if TYPE_CHECKING:
    from incidentio_api.events import Refetched

    from ..client import IncidentIO


class Webhooks:
    """Webhook helpers that call the API with a client: ``client.webhooks``."""

    def __init__(self, client: IncidentIO) -> None:
        self._client = client

    def __repr__(self) -> str:
        return "<Webhooks>"

    async def refetch(self, event: WebhookEvent[Any]) -> Refetched | None:
        """The current state of what ``event`` is about, from the API::

            follow_up = await client.webhooks.refetch(event)   # a FollowUpV3, as of now

        A follow-up event gives the follow-up (``Follow-ups V3`` show); an incident event
        gives the incident's latest update (``None`` if it has none). A follow-up deleted
        since raises ``NotFoundError``. An event type this client fetches nothing for (one it
        does not know, among them) raises ``InvalidArgumentError`` before any request.
        """
        refetch = event.kind.refetch if event.kind is not None else None
        if refetch is None:
            raise InvalidArgumentError(
                f"no operation of this client fetches what a {event.type} event is about"
            )
        arguments: dict[str, Any] = {name: _field(event, path) for name, path in refetch.arguments}
        resource = getattr(self._client, refetch.resource)
        method = getattr(resource, refetch.method)
        if refetch.latest_by is None:
            result: Refetched = await method(**arguments)
            return result
        operation = next(op for op in type(resource).OPERATIONS if op.name == refetch.method)
        size = operation.pagination.page_size if operation.pagination is not None else None
        largest = next((p.maximum for p in operation.params if p.name == size), None)
        if size is not None and largest is not None:
            arguments[size] = int(largest)  # the fewest requests
        latest: Refetched | None = None
        latest_key: tuple[datetime.datetime, str] | None = None
        async for record in method(**arguments):
            # Records made in the same instant: the greater id (ULIDs sort by creation).
            key = (getattr(record, refetch.latest_by), str(getattr(record, "id", "")))
            if latest_key is None or key > latest_key:
                latest, latest_key = record, key
        return latest


def _field(event: WebhookEvent[Any], path: tuple[str, ...]) -> str:
    value: Any = event.payload
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        raise WebhookPayloadError(
            f"the {event.type} payload has no {'.'.join(path)} string to fetch its subject by"
        )
    return value
