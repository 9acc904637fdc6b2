"""Receiving incident.io's webhooks: verified, typed, deduplicated events.

::

    from incidentio_async.webhooks import WebhookApp, WebhookEvent, events, verify

    event = verify(body, headers, "whsec_...")       # or raises WebhookVerificationError
    if events.PUBLIC_INCIDENT_FOLLOW_UP_UPDATED_V2.matches(event):
        print(event.data.status)                      # a FollowUpV2

    app = WebhookApp(secret="whsec_...", handler=handle)   # an ASGI app: mount it anywhere

What is here, one job per module: ``signature`` (Standard Webhooks signing and checking, no
I/O), ``envelope`` (a body to a :class:`WebhookEvent` over the generated payload models),
``verify``, ``app`` (the ASGI receiver), ``router`` (a handler per event type), ``store`` and
``redis_store`` (which deliveries were handled), ``refetch`` (``client.webhooks``), ``errors``
and ``events`` (the generated event types). They import the client's core and the generated
models, never the fake. Every name is imported when first read, so ``import incidentio_async``
loads none of this.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import events
    from .app import WebhookApp
    from .envelope import WebhookEvent
    from .errors import WebhookError, WebhookPayloadError, WebhookVerificationError
    from .event_type import EventType
    from .redis_store import RedisDeliveryStore
    from .refetch import Webhooks
    from .router import Handler, WebhookRouter
    from .signature import sign
    from .store import Claim, DeliveryStore, InMemoryDeliveryStore
    from .verify import verify
else:
    from .._lazy import lazy_exports

    # ``events`` is a submodule: ``from incidentio_async.webhooks import events`` imports it.
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "WebhookApp": ".app",
            "WebhookEvent": ".envelope",
            "WebhookError": ".errors",
            "WebhookPayloadError": ".errors",
            "WebhookVerificationError": ".errors",
            "EventType": ".event_type",
            "RedisDeliveryStore": ".redis_store",
            "Webhooks": ".refetch",
            "Handler": ".router",
            "WebhookRouter": ".router",
            "sign": ".signature",
            "Claim": ".store",
            "DeliveryStore": ".store",
            "InMemoryDeliveryStore": ".store",
            "verify": ".verify",
        },
    )

__all__ = [
    "Claim",
    "DeliveryStore",
    "EventType",
    "Handler",
    "InMemoryDeliveryStore",
    "RedisDeliveryStore",
    "WebhookApp",
    "WebhookError",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookRouter",
    "WebhookVerificationError",
    "Webhooks",
    "events",
    "sign",
    "verify",
]
