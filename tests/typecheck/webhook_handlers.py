"""Webhook handlers a user writes; `make typecheck` runs mypy --strict on them (not run).

It proves receiving events is pleasant under mypy --strict: handlers typed on the generated
payload models, a router that checks a handler against its event type, narrowing with
``matches``, and ``refetch`` returning the models it can return.
"""

from __future__ import annotations

import os
from typing import Any, assert_type

from incidentio_api.models import (
    FollowUpV2,
    FollowUpV3,
    IncidentUpdateV2,
    IncidentWithStatusChangeV2,
    WebhookPrivateResourceV2,
)
from incidentio_async import IncidentIO
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.webhooks import (
    RedisDeliveryStore,
    WebhookApp,
    WebhookEvent,
    WebhookPayloadError,
    WebhookRouter,
    WebhookVerificationError,
    events,
    sign,
    verify,
)

router = WebhookRouter()


@router.on(events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2, events.PUBLIC_INCIDENT_FOLLOW_UP_UPDATED_V2)
async def follow_up_changed(event: WebhookEvent[FollowUpV2]) -> None:
    title: str = event.data.title
    labels: list[str] = event.data.labels
    print(event.id, event.timestamp.isoformat(), title, labels, event.data.status.is_known)


@router.on(events.PRIVATE_INCIDENT_FOLLOW_UP_UPDATED_V2)
async def private_follow_up(event: WebhookEvent[WebhookPrivateResourceV2]) -> None:
    async with IncidentIO() as client:
        current = await client.webhooks.refetch(event)
        assert_type(current, FollowUpV3 | IncidentUpdateV2 | None)
        if isinstance(current, FollowUpV3):
            print(event.data.id, current.title)


@router.on(events.PUBLIC_INCIDENT_INCIDENT_STATUS_UPDATED_V2)
async def status_changed(event: WebhookEvent[IncidentWithStatusChangeV2]) -> None:
    print(event.data.incident.name, event.data.previous_status.name, event.data.new_status.name)


@router.on("public_alert.alert_created_v1")
async def not_in_our_specs(event: WebhookEvent[Any]) -> None:
    print(event.type, event.known, event.payload)


async def handle_any(event: WebhookEvent[Any]) -> None:
    if events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2.matches(event):
        assert_type(event, WebhookEvent[FollowUpV2])
        print(event.data.incident_id)
    await router(event)


app = WebhookApp(secret=os.environ["INCIDENT_WEBHOOK_SECRET"], handler=router)
shared = WebhookApp(
    secret=[os.environ["NEW_SECRET"], os.environ["OLD_SECRET"]],
    handler=handle_any,
    store=RedisDeliveryStore("redis://localhost:6379/0"),
    max_body_size=64 * 1024,
)


def verify_by_hand(body: bytes, headers: dict[str, str]) -> str | None:
    try:
        event = verify(body, headers, os.environ["INCIDENT_WEBHOOK_SECRET"], tolerance=60)
    except WebhookVerificationError as error:
        print(error.check)
        return None
    except WebhookPayloadError:
        return None
    return event.type


async def test_with_the_fake() -> None:
    fake = FakeIncidentIO()
    received: list[WebhookEvent[Any]] = []

    async def record(event: WebhookEvent[Any]) -> None:
        received.append(event)

    secret = "whsec_aW5jaWRlbnQtaW8td2ViaG9vay10ZXN0LWtleS0zMmI="
    endpoint = fake.add_webhook_endpoint(
        WebhookApp(secret=secret, handler=record), secret, duplicates=0.5, out_of_order=True
    )
    print(endpoint.secret)
    async with fake.client() as client:
        await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="Typed")
    await fake.webhooks.drain()
    headers: dict[str, str] = sign(b"{}", secret, msg_id="msg_1", timestamp=1_750_000_000)
    print(headers["webhook-signature"], [event.type for event in received])
