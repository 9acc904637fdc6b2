"""A stateful, in-process fake of the incident.io API, for tests, benchmarks and demos.

::

    import httpx
    from incidentio_async.testing import FakeIncidentIO

    fake = FakeIncidentIO(seed=1)                       # seeded sample data
    incident_id = fake.add_incident_updates(25_000)     # plus many updates, for benchmarks
    async with fake.client() as client:                 # an IncidentIO wired to it
        ...
    async with fake.http_client() as http:              # or plain httpx
        response = await http.get("/v2/follow_ups")

It delivers signed webhook events of the changes made to it
(``fake.add_webhook_endpoint(app_or_url, secret)``; see :mod:`.webhooks`).

Over a socket: ``python -m incidentio_async.testing --port 8080`` or
:func:`~incidentio_async.testing.server.run_in_thread` /
:func:`~incidentio_async.testing.server.run_in_subprocess` (need uvicorn). pytest fixtures:
:mod:`incidentio_async.testing.pytest_plugin`.
"""

from __future__ import annotations

from incidentio_async.testing.app import (
    BASE_URL,
    DEFAULT_API_KEY,
    DropMode,
    FakeIncidentIO,
)
from incidentio_async.testing.bucket import KeyStats, RateLimits, RetryAfterFormat
from incidentio_async.testing.errors import error_body
from incidentio_async.testing.faults import DropWhen, Faults, ScriptedResponse
from incidentio_async.testing.recording import RecordedRequest
from incidentio_async.testing.samples import SampleSizes
from incidentio_async.testing.state import FakeState
from incidentio_async.testing.webhooks import DeliveryAttempt, FakeWebhooks, WebhookEndpoint

__all__ = [
    "BASE_URL",
    "DEFAULT_API_KEY",
    "DeliveryAttempt",
    "DropMode",
    "DropWhen",
    "FakeIncidentIO",
    "FakeState",
    "FakeWebhooks",
    "Faults",
    "KeyStats",
    "RateLimits",
    "RecordedRequest",
    "RetryAfterFormat",
    "SampleSizes",
    "ScriptedResponse",
    "WebhookEndpoint",
    "error_body",
]
