"""The fake delivers webhooks: signed events for the changes to its state, to ASGI apps or URLs.

:class:`FakeWebhooks` observes the state (``FakeState.observers``): a follow-up created,
updated, connected or deleted (through V2 or V3, or with ``add_follow_up``) and an incident
update created become events, in the shapes of the vendored specs, for every endpoint
subscribed to their type. Each delivery is signed as incident.io signs them (Standard
Webhooks) and POSTed; anything but a 2xx is delivered again later on the retry schedule, with
the same ``webhook-id``. For users' tests, an endpoint can also receive duplicates or
messages out of order.

Deliveries go out after each request the fake handles, before it answers, so an event of a
change made through the API has reached the endpoint when the call returns. Redeliveries,
held messages and changes made directly on the state go out on :meth:`FakeWebhooks.drain`
(or with the next request; a served fake also sends them in the background).
"""

from __future__ import annotations

import base64
import json
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx

from incidentio_async.clock import Clock
from incidentio_async.testing.asgi import Receive, Scope, Send
from incidentio_async.testing.records import (
    FollowUp,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    format_timestamp,
    to_micros,
)
from incidentio_async.testing.state import FakeState
from incidentio_async.testing.ulid import encode as ulid_encode
from incidentio_async.webhooks.signature import sign, signing_keys

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
"""Seconds before each redelivery after a failed attempt (Svix's schedule, about a day)."""

DEFAULT_EVENT_TYPES = frozenset(
    {
        "public_incident.follow_up_created_v2",
        "public_incident.follow_up_updated_v2",
        "private_incident.follow_up_created_v2",
        "private_incident.follow_up_updated_v2",
        "public_incident.incident_status_updated_v2",
        "public_incident.incident_updated_v2",
        "private_incident.incident_updated_v2",
    }
)
"""What an endpoint receives unless told otherwise: the current version of each event."""

ALL_EVENT_TYPES = "*"
"""``event_types="*"``: every event type the fake emits, older versions included."""

DELIVERY_TIMEOUT = 15.0
"""Seconds an endpoint has to answer a delivery (as Svix gives it)."""

# change -> (event type stem, visibility prefix applies)
_FOLLOW_UP_EVENTS = {
    "follow_up.created": ("follow_up_created", "action_created"),
    "follow_up.updated": ("follow_up_updated", "action_updated"),
    "follow_up.deleted": ("follow_up_updated", "action_updated"),
}
# ActionV1, the payload of the v1 follow-up and the "action" events: FollowUpV2's older shape.
_ACTION_V1_FIELDS = (
    "id",
    "incident_id",
    "status",
    "description",
    "assignee",
    "external_issue_reference",
    "completed_at",
    "created_at",
    "updated_at",
)
_NO_UPDATES = ""
"""An incident id with no updates: ``FakeState.current_status`` of it is an incident's first."""

logger = logging.getLogger("incidentio_async.testing.webhooks")


@dataclass
class WebhookEndpoint:
    """Where the fake delivers: an ASGI app (at ``path``) or a URL, and how."""

    target: ASGIApp | str
    secret: str
    """The signing secret (``whsec_...``) the receiver verifies with."""
    event_types: frozenset[str] | str = DEFAULT_EVENT_TYPES
    path: str = "/"
    duplicates: float = 0.0
    """Probability that a delivered message is delivered once more right away."""
    out_of_order: bool = False
    """Hold each message until the next one to this endpoint has gone out."""
    retry_schedule: tuple[float, ...] = RETRY_SCHEDULE

    def wants(self, event_type: str) -> bool:
        """Whether the endpoint is subscribed to ``event_type``."""
        return self.event_types == ALL_EVENT_TYPES or event_type in self.event_types

    def __repr__(self) -> str:
        target = self.target if isinstance(self.target, str) else type(self.target).__name__
        return (
            f"<WebhookEndpoint {target!r}{self.path if not isinstance(self.target, str) else ''}>"
        )


@dataclass(frozen=True)
class WebhookMessage:
    """One event, as every attempt delivers it (the same id, body and type)."""

    id: str
    event_type: str
    body: bytes

    @property
    def payload(self) -> Any:
        """The event's payload, decoded."""
        return json.loads(self.body)[self.event_type]


@dataclass
class DeliveryAttempt:
    """One POST of a message to an endpoint, and what came of it."""

    endpoint: WebhookEndpoint
    message: WebhookMessage
    attempt: int
    """1 for the first delivery, 2 for the first redelivery, ..."""
    time: float
    status: int | None = None
    """The HTTP status answered; ``None`` when no answer came (``error`` says why)."""
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the endpoint acknowledged it (a 2xx)."""
        return self.status is not None and 200 <= self.status < 300


@dataclass(order=True)
class _Pending:
    due: float
    sequence: int
    endpoint: WebhookEndpoint = field(compare=False)
    message: WebhookMessage = field(compare=False)
    attempt: int = field(compare=False, default=1)
    may_hold: bool = field(compare=False, default=True)
    """An out-of-order endpoint may hold it back (first deliveries only, once)."""
    duplicate: bool = field(compare=False, default=False)
    """An injected duplicate (which is not duplicated again)."""


class FakeWebhooks:
    """The fake's webhook endpoints and deliveries (``fake.webhooks``)."""

    def __init__(self, state: FakeState, clock: Clock, seed: int = 0) -> None:
        self.state = state
        self.clock = clock
        self.endpoints: list[WebhookEndpoint] = []
        self.attempts: list[DeliveryAttempt] = []
        """Every delivery attempt, in order."""
        self.failed: list[tuple[WebhookEndpoint, WebhookMessage]] = []
        """Messages given up on after the last retry."""
        self.private_incidents: set[str] = set()
        """Incidents whose events are private (their payload is only the subject's ID)."""
        self._rng = random.Random(f"incidentio-fake:webhooks:{seed}")
        self._pending: list[_Pending] = []
        self._held: dict[int, _Pending] = {}
        self._sequence = 0
        self._delivering = False

    # -- setup --------------------------------------------------------------------------------

    def add_endpoint(
        self,
        target: ASGIApp | str,
        secret: str | None = None,
        *,
        event_types: Iterable[str] | str | None = None,
        path: str = "/",
        duplicates: float = 0.0,
        out_of_order: bool = False,
        retry_schedule: Iterable[float] = RETRY_SCHEDULE,
    ) -> WebhookEndpoint:
        """Deliver events to ``target``: an ASGI app (POSTed at ``path``) or an http(s) URL.

        ``secret`` defaults to a new seeded one (read it from the endpoint); ``event_types``
        to :data:`DEFAULT_EVENT_TYPES` (``"*"``: all the fake emits, older versions too).
        """
        if isinstance(target, str):
            if not target.startswith(("http://", "https://")):
                raise ValueError(f"a webhook URL must be http(s), not {target!r}")
        elif not callable(target):
            raise TypeError(f"target must be an ASGI app or a URL, not {target!r}")
        if not 0.0 <= duplicates <= 1.0:
            raise ValueError("duplicates is a probability, between 0 and 1")
        secret = secret or self._new_secret()
        signing_keys(secret)  # a malformed secret fails here, not at the first delivery
        schedule = tuple(float(delay) for delay in retry_schedule)
        if any(delay < 0 for delay in schedule):
            raise ValueError("retry delays must be >= 0")
        types: frozenset[str] | str
        if event_types is None:
            types = DEFAULT_EVENT_TYPES
        elif event_types == ALL_EVENT_TYPES:
            types = ALL_EVENT_TYPES
        elif isinstance(event_types, str):
            types = frozenset({event_types})
        else:
            types = frozenset(event_types)
        endpoint = WebhookEndpoint(
            target=target,
            secret=secret,
            event_types=types,
            path=path,
            duplicates=duplicates,
            out_of_order=out_of_order,
            retry_schedule=schedule,
        )
        with self.state.lock:
            if not self.endpoints:
                self.state.observers.append(self.observe)
            self.endpoints.append(endpoint)
        return endpoint

    def set_private(self, incident_id: str, private: bool = True) -> None:
        """Make an incident's events private (``private_incident.*``, the payload only an ID)."""
        if private:
            self.private_incidents.add(incident_id)
        else:
            self.private_incidents.discard(incident_id)

    # -- events -------------------------------------------------------------------------------

    def observe(self, change: str, record: object) -> None:
        """The state's observer: queue the events of one change (called with its lock held)."""
        if isinstance(record, FollowUp) and change in _FOLLOW_UP_EVENTS:
            self._follow_up_events(change, record)
        elif isinstance(record, IncidentUpdate) and change == "incident_update.created":
            self._incident_update_events(record)

    def send(self, event_type: str, payload: Any) -> list[WebhookMessage]:
        """Queue an event of any type (one the fake does not emit, or not known at all) to
        every endpoint subscribed to it, or to every endpoint for ``"*"`` subscribers;
        delivered on :meth:`drain` or with the next request."""
        with self.state.lock:
            return self._emit(event_type, payload)

    def _follow_up_events(self, change: str, follow_up: FollowUp) -> None:
        private = follow_up.incident_id in self.private_incidents
        body = follow_up.to_dict()
        if change == "follow_up.deleted":
            # The API reports a deletion as an update to status "deleted".
            body["status"] = "deleted"
            body["updated_at"] = format_timestamp(
                max(to_micros(self.state.now()), follow_up.updated_us)
            )
        action = {name: body[name] for name in _ACTION_V1_FIELDS if name in body}
        action["follow_up"] = True
        current, older = _FOLLOW_UP_EVENTS[change]
        visibility = "private_incident" if private else "public_incident"
        only_id = {"id": follow_up.id}
        self._emit(f"{visibility}.{current}_v2", only_id if private else body)
        self._emit(f"{visibility}.{current}_v1", only_id if private else action)
        self._emit(f"{visibility}.{older}_v1", only_id if private else action)

    def _incident_update_events(self, update: IncidentUpdate) -> None:
        incident = self.state.incidents[update.incident_id]
        if update.incident_id in self.private_incidents:
            self._emit("private_incident.incident_updated_v2", {"id": incident.id})
            return
        updates = self.state.list_incident_updates(update.incident_id)  # newest first
        previous = updates[1].status if len(updates) > 1 else self.state.current_status(_NO_UPDATES)
        severity = next((u.severity for u in updates if u.severity is not None), None)
        body = self._incident_json(incident, update, severity)
        self._emit(
            "public_incident.incident_updated_v2",
            {**body, **({"most_recent_update_message": update.message} if update.message else {})},
        )
        if previous.id != update.status.id:
            status_change: dict[str, Any] = {
                "incident": body,
                "new_status": update.status.to_dict(),
                "previous_status": previous.to_dict(),
            }
            if update.message:
                status_change["message"] = update.message
            self._emit("public_incident.incident_status_updated_v2", status_change)

    def _incident_json(
        self, incident: Incident, update: IncidentUpdate, severity: Any
    ) -> dict[str, Any]:
        """The incident as the events show it (``IncidentV2``), as of ``update``."""
        status: IncidentStatus = update.status
        at = format_timestamp(update.created_us)
        body: dict[str, Any] = {
            "id": incident.id,
            "name": incident.name,
            "reference": incident.reference,
            "mode": incident.mode,
            "visibility": "public",
            "incident_status": status.to_dict(),
            "creator": update.updater.to_dict(),
            "created_at": format_timestamp(incident.created_us),
            "updated_at": at,
            "last_activity_at": at,
            "team_ids": [],
            "incident_role_assignments": [],
            "custom_field_entries": [],
            "slack_team_id": "T0FAKE0001",
            "slack_channel_id": "C" + incident.id[-10:],
            "permalink": f"https://app.incident.io/incidents/{incident.reference}",
        }
        if severity is not None:
            body["severity"] = severity.to_dict()
        return body

    def _emit(self, event_type: str, payload: Any) -> list[WebhookMessage]:
        targets = [endpoint for endpoint in self.endpoints if endpoint.wants(event_type)]
        if not targets:
            return []
        message = WebhookMessage(
            id=self._new_message_id(),
            event_type=event_type,
            body=json.dumps(
                {"event_type": event_type, event_type: payload}, separators=(",", ":")
            ).encode(),
        )
        now = self.clock.monotonic()
        for endpoint in targets:
            self._queue(_Pending(now, self._next(), endpoint, message))
        return [message]

    def _queue(self, pending: _Pending) -> None:
        # Under the state's lock: a served fake delivers from its own thread while a test
        # changes the state from another.
        with self.state.lock:
            self._pending.append(pending)
            self._pending.sort()

    # -- delivery -----------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Messages waiting to be delivered (redeliveries and held ones included)."""
        return len(self._pending) + len(self._held)

    async def deliver_due(self) -> None:
        """Deliver every message that is due now, in order. Re-entrant calls (a receiver
        calling the fake back) return at once: the outer call delivers what they queued."""
        if self._delivering or not self._pending:
            return
        self._delivering = True
        try:
            while True:
                with self.state.lock:
                    now = self.clock.monotonic()
                    if not self._pending or self._pending[0].due > now:
                        return
                    item = self._pending.pop(0)
                if item.endpoint.out_of_order and item.may_hold:
                    held = self._held.pop(id(item.endpoint), None)
                    if held is None:
                        self._held[id(item.endpoint)] = item  # until the next one has gone
                        continue
                    await self._attempt(item)
                    await self._attempt(held)
                    continue
                await self._attempt(item)
        finally:
            self._delivering = False

    async def drain(self, *, within: float | None = None) -> None:
        """Deliver everything: what is due, held messages, and redeliveries (sleeping on the
        fake's clock until each is due; a ``VirtualClock`` must be running), until nothing is
        left, or until the next is due more than ``within`` seconds of that clock from now."""
        deadline = None if within is None else self.clock.monotonic() + within
        while True:
            await self.deliver_due()
            if self._held:
                # Nothing newer came to overtake them: they go out as they are.
                for held in self._held.values():
                    held.may_hold = False
                    self._queue(held)
                self._held.clear()
                continue
            if not self._pending:
                return
            wake = self._pending[0].due
            if deadline is not None and wake > deadline:
                return
            await self.clock.sleep(max(0.0, wake - self.clock.monotonic()))

    async def run(self) -> None:
        """Deliver redeliveries as they fall due, until cancelled (for a served fake)."""
        while True:
            await self.deliver_due()
            wake = self._pending[0].due if self._pending else self.clock.monotonic() + 0.5
            await self.clock.sleep(min(max(wake - self.clock.monotonic(), 0.0), 0.5))

    async def _attempt(self, item: _Pending) -> None:
        endpoint, message = item.endpoint, item.message
        record = DeliveryAttempt(endpoint, message, item.attempt, self.clock.time())
        self.attempts.append(record)
        headers = sign(
            message.body, endpoint.secret, msg_id=message.id, timestamp=self.clock.time()
        )
        headers["content-type"] = "application/json"
        headers["user-agent"] = "incidentio-async fake webhooks"
        try:
            record.status = await _post(endpoint, message.body, headers)
        except (httpx.HTTPError, OSError) as exc:
            record.error = f"{type(exc).__name__}: {exc}"
        if record.ok:
            if (
                endpoint.duplicates
                and not item.duplicate
                and self._rng.random() < endpoint.duplicates
            ):
                duplicate = self._again(item, 0.0)
                duplicate.duplicate = True
                self._queue(duplicate)
            return
        if item.attempt > len(endpoint.retry_schedule):
            logger.info("webhook %s: given up after %d attempts", message.id, item.attempt)
            self.failed.append((endpoint, message))
            return
        self._queue(self._again(item, endpoint.retry_schedule[item.attempt - 1]))

    def _again(self, item: _Pending, delay: float) -> _Pending:
        """Another attempt at ``item``'s message, ``delay`` seconds from now."""
        return _Pending(
            self.clock.monotonic() + delay,
            self._next(),
            item.endpoint,
            item.message,
            attempt=item.attempt + 1,
            may_hold=False,
        )

    # -- ids ------------------------------------------------------------------------------------

    def _next(self) -> int:
        self._sequence += 1
        return self._sequence

    def _new_message_id(self) -> str:
        return "msg_" + ulid_encode(
            (to_micros(self.clock.time()) // 1000) << 80 | self._rng.getrandbits(80)
        )

    def _new_secret(self) -> str:
        return "whsec_" + base64.b64encode(self._rng.randbytes(24)).decode()


async def _post(endpoint: WebhookEndpoint, body: bytes, headers: dict[str, str]) -> int:
    """POST a delivery; the status answered."""
    if isinstance(endpoint.target, str):
        async with httpx.AsyncClient(timeout=DELIVERY_TIMEOUT) as http:
            response = await http.post(endpoint.target, content=body, headers=headers)
            return response.status_code
    transport = httpx.ASGITransport(app=endpoint.target, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://webhooks.invalid") as http:
        with anyio.fail_after(DELIVERY_TIMEOUT):
            response = await http.post(endpoint.path, content=body, headers=headers)
        return response.status_code
