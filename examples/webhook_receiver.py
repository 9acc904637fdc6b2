"""Receive incident.io's webhooks: verified, typed, deduplicated, acting on the current state.

Try it against the embedded fake incident.io (no network, no key)::

    python examples/webhook_receiver.py

Serve it for real (incident.io → Settings → Webhooks → your endpoint's signing secret)::

    export INCIDENT_WEBHOOK_SECRET=whsec_... INCIDENT_API_KEY=...
    uvicorn webhook_receiver:create_app --factory --app-dir examples --port 8000

Follow-up events of public incidents carry the follow-up; those of private incidents only its
ID, and any delivery can be late or repeated: the handlers below refetch the follow-up from the
API and act on what it is now.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import anyio

from incidentio_api.models import FollowUpV2, FollowUpV3, IncidentWithStatusChangeV2
from incidentio_async import IncidentIO
from incidentio_async.webhooks import WebhookApp, WebhookEvent, WebhookRouter, events


def create_app(
    secret: str | None = None, client: IncidentIO | None = None, out: Any = None
) -> WebhookApp:
    """The receiver: a handler per event type, the API client for refetching."""
    api = client or IncidentIO()  # key from INCIDENT_API_KEY
    write = (out or sys.stdout).write
    router = WebhookRouter()

    @router.on(
        events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2,
        events.PUBLIC_INCIDENT_FOLLOW_UP_UPDATED_V2,
    )
    async def follow_up(event: WebhookEvent[FollowUpV2]) -> None:
        # Out of order? The event's copy may be stale: ask for the current one.
        current = await api.webhooks.refetch(event)
        assert isinstance(current, FollowUpV3)
        write(f"{event.type}: {event.data.title!r} is {current.status} now\n")

    @router.on(
        events.PRIVATE_INCIDENT_FOLLOW_UP_CREATED_V2,
        events.PRIVATE_INCIDENT_FOLLOW_UP_UPDATED_V2,
    )
    async def private_follow_up(event: WebhookEvent[Any]) -> None:
        current = await api.webhooks.refetch(event)  # the payload is only the ID
        assert isinstance(current, FollowUpV3)
        write(f"{event.type}: {current.title!r} (private) is {current.status} now\n")

    @router.on(events.PUBLIC_INCIDENT_INCIDENT_STATUS_UPDATED_V2)
    async def status(event: WebhookEvent[IncidentWithStatusChangeV2]) -> None:
        change = event.data
        write(
            f"{event.type}: {change.incident.name} went from {change.previous_status.name} "
            f"to {change.new_status.name}\n"
        )

    return WebhookApp(secret=secret or os.environ["INCIDENT_WEBHOOK_SECRET"], handler=router)


async def demo(out: Any = None) -> None:
    """Changes made to a fake incident.io, delivered to the receiver as they happen."""
    from incidentio_async.testing import FakeIncidentIO

    out = out or sys.stdout
    fake = FakeIncidentIO(seed=1)
    secret = "whsec_ZXhhbXBsZS13ZWJob29rLXNpZ25pbmcta2V5IQ=="
    async with fake.client() as client:
        app = create_app(secret, client, out)
        # Every delivery twice, as incident.io's retries can: the receiver handles each once.
        fake.add_webhook_endpoint(app, secret, duplicates=1.0)

        incident_id = fake.add_incident("The database is sad")
        follow_up = await client.follow_ups_v3.create(incident_id=incident_id, title="Add alerts")
        await client.follow_ups_v3.update(follow_up.id, title="Add alerts", status="completed")

        secret_incident = fake.add_incident("Credentials leaked")
        fake.webhooks.set_private(secret_incident)
        await client.follow_ups_v3.create(incident_id=secret_incident, title="Rotate the keys")

        fixed = next(s for s in fake.state.statuses.values() if s.category == "closed")
        await client.incident_updates_v2.create(
            incident_id=incident_id, message="Resolved", to_incident_status_id=fixed.id
        )
        await fake.webhooks.drain()
    handled = sum(a.status == 200 for a in fake.webhooks.attempts)
    out.write(f"{len(fake.webhooks.attempts)} deliveries, {handled} answered 200\n")


if __name__ == "__main__":
    anyio.run(demo)
