"""The fake delivers signed webhook events of the changes made to it, and a WebhookApp
handles them: follow-ups (V2 and V3) and incident updates, public and private, with
redeliveries, duplicates and reordering for users' tests."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from incidentio_api.models import FollowUpV3, IncidentUpdateV2
from incidentio_async import IncidentIO, NotFoundError
from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.webhooks import DEFAULT_EVENT_TYPES
from incidentio_async.webhooks import WebhookApp, WebhookEvent, events, verify

from asgi_server import serve_in_thread

SECRET = "whsec_" + base64.b64encode(b"incident-io-webhook-test-key-32b").decode()
pytestmark = pytest.mark.filterwarnings("ignore::incidentio_async.IncidentIODeprecationWarning")


class Receiver:
    """A WebhookApp's handler that records events, and can fail a few times."""

    def __init__(self) -> None:
        self.events: list[WebhookEvent[Any]] = []
        self.failures = 0

    async def __call__(self, event: WebhookEvent[Any]) -> None:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("not now")
        self.events.append(event)

    @property
    def types(self) -> list[str]:
        return [event.type for event in self.events]


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def fake(clock: VirtualClock) -> FakeIncidentIO:
    return FakeIncidentIO(seed=3, clock=clock)


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def app(fake: FakeIncidentIO, receiver: Receiver) -> WebhookApp:
    return WebhookApp(secret=SECRET, handler=receiver, clock=fake.clock)


@pytest.fixture
async def client(fake: FakeIncidentIO, clock: VirtualClock) -> AsyncIterator[IncidentIO]:
    async with clock.running(), fake.client() as client:
        yield client


@pytest.mark.anyio
async def test_follow_up_changes_through_v3_arrive_as_signed_typed_events(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET)
    incident_id = fake.add_incident()
    created = await client.follow_ups_v3.create(incident_id=incident_id, title="Rotate keys")
    # Delivered before the call returned.
    assert receiver.types == ["public_incident.follow_up_created_v2"]
    await client.follow_ups_v3.update(created.id, title="Rotate keys", status="completed")
    await client.follow_ups_v3.connect_external_issue(
        created.id, provider="github", url="https://github.com/acme/api/issues/7"
    )
    await client.follow_ups_v3.delete(created.id)
    assert receiver.types == [
        "public_incident.follow_up_created_v2",
        *["public_incident.follow_up_updated_v2"] * 3,
    ]
    statuses = [event.data.status for event in receiver.events]
    assert statuses == ["outstanding", "completed", "completed", "deleted"]
    connected = receiver.events[2]
    assert events.PUBLIC_INCIDENT_FOLLOW_UP_UPDATED_V2.matches(connected)
    assert connected.data.external_issue_reference is not None
    assert connected.data.external_issue_reference.issue_permalink.endswith("/issues/7")
    assert {event.data.id for event in receiver.events} == {created.id}
    assert len({event.id for event in receiver.events}) == 4  # one message each
    assert all(attempt.status == 200 for attempt in fake.webhooks.attempts)


@pytest.mark.anyio
async def test_v2_changes_send_the_same_events(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET)
    incident_id = fake.add_incident()
    created = await client.follow_ups_v2.create(incident_id=incident_id, title="Add alerts")
    await client.follow_ups_v2.update(created.id, title="Add alerts", status="not_doing")
    await client.follow_ups_v2.connect_external_issue(
        created.id, provider="linear", url="https://linear.app/acme/issue/ENG-1/x"
    )
    await client.follow_ups_v2.delete(created.id)
    assert [(e.type.rsplit(".", 1)[1], e.data.status) for e in receiver.events] == [
        ("follow_up_created_v2", "outstanding"),
        ("follow_up_updated_v2", "not_doing"),
        ("follow_up_updated_v2", "not_doing"),
        ("follow_up_updated_v2", "deleted"),
    ]


@pytest.mark.anyio
async def test_what_the_fake_sends_verifies_with_the_endpoint_secret(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    bodies: list[tuple[bytes, dict[str, str]]] = []

    async def raw_app(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        bodies.append((message["body"], headers))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    endpoint = fake.add_webhook_endpoint(raw_app)  # a seeded secret of its own
    assert endpoint.secret.startswith("whsec_")
    await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="Check")
    [(body, headers)] = bodies
    event = verify(body, headers, endpoint.secret, now=fake.clock.time())
    assert event.type == "public_incident.follow_up_created_v2"
    assert headers["content-type"] == "application/json"
    assert event.id == fake.webhooks.attempts[0].message.id


@pytest.mark.anyio
async def test_events_of_a_private_incident_carry_only_the_id_and_refetch_gives_the_rest(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET)
    incident_id = fake.add_incident("Secret migration")
    fake.webhooks.set_private(incident_id)
    created = await client.follow_ups_v3.create(incident_id=incident_id, title="Hidden")
    await client.follow_ups_v3.update(created.id, title="Still hidden", status="completed")
    assert receiver.types == [
        "private_incident.follow_up_created_v2",
        "private_incident.follow_up_updated_v2",
    ]
    assert [event.raw[event.type] for event in receiver.events] == [{"id": created.id}] * 2
    assert all(event.private for event in receiver.events)
    current = await client.webhooks.refetch(receiver.events[0])
    assert isinstance(current, FollowUpV3)
    assert (current.id, current.title, current.status) == (created.id, "Still hidden", "completed")


@pytest.mark.anyio
async def test_refetch_of_a_deleted_follow_up_is_not_found(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET)
    created = await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="Gone")
    await client.follow_ups_v3.delete(created.id)
    with pytest.raises(NotFoundError):
        await client.webhooks.refetch(receiver.events[0])


@pytest.mark.anyio
async def test_an_incident_update_sends_the_incident_and_its_status_change(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET)
    incident_id = fake.add_incident("Database is sad")
    statuses = {status.name: status for status in fake.state.statuses.values()}
    before = fake.state.current_status(incident_id)
    fixing = next(s for s in statuses.values() if s.id != before.id and s.category == "live")
    update = await client.incident_updates_v2.create(
        incident_id=incident_id, message="Fix deployed", to_incident_status_id=fixing.id
    )
    assert receiver.types == [
        "public_incident.incident_updated_v2",
        "public_incident.incident_status_updated_v2",
    ]
    incident_event, status_event = receiver.events
    assert events.PUBLIC_INCIDENT_INCIDENT_UPDATED_V2.matches(incident_event)
    assert incident_event.data.name == "Database is sad"
    assert incident_event.data.most_recent_update_message == "Fix deployed"
    assert events.PUBLIC_INCIDENT_INCIDENT_STATUS_UPDATED_V2.matches(status_event)
    change = status_event.data
    assert (change.previous_status.id, change.new_status.id) == (before.id, fixing.id)
    assert (change.incident.id, change.message) == (incident_id, "Fix deployed")
    # A message alone changes the incident, not its status.
    await client.incident_updates_v2.create(incident_id=incident_id, message="Monitoring")
    assert receiver.types[2:] == ["public_incident.incident_updated_v2"]
    latest = await client.webhooks.refetch(status_event)
    assert isinstance(latest, IncidentUpdateV2)
    assert latest.message == "Monitoring"  # the current state, not the event's
    assert latest.id != update.id


@pytest.mark.anyio
async def test_a_private_incident_update_sends_only_its_id(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET)
    incident_id = fake.add_incident()
    fake.webhooks.set_private(incident_id)
    await client.incident_updates_v2.create(incident_id=incident_id, message="Quiet")
    assert receiver.types == ["private_incident.incident_updated_v2"]
    assert receiver.events[0].data.id == incident_id
    refetched = await client.webhooks.refetch(receiver.events[0])
    assert isinstance(refetched, IncidentUpdateV2)
    assert refetched.message == "Quiet"


@pytest.mark.anyio
async def test_an_endpoint_gets_the_event_types_it_subscribed_to(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    everything, only_v1 = Receiver(), Receiver()
    fake.add_webhook_endpoint(
        WebhookApp(secret=SECRET, handler=everything, clock=fake.clock), SECRET, event_types="*"
    )
    fake.add_webhook_endpoint(
        WebhookApp(secret=SECRET, handler=only_v1, clock=fake.clock),
        SECRET,
        event_types=["public_incident.follow_up_created_v1"],
    )
    created = await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="T")
    assert everything.types == [
        "public_incident.follow_up_created_v2",
        "public_incident.follow_up_created_v1",
        "public_incident.action_created_v1",
    ]
    assert only_v1.types == ["public_incident.follow_up_created_v1"]
    action = only_v1.events[0]
    assert events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V1.matches(action)
    assert (action.data.id, action.data.follow_up, action.data.status) == (
        created.id,
        True,
        "outstanding",
    )
    assert "public_incident.follow_up_created_v1" not in DEFAULT_EVENT_TYPES


@pytest.mark.anyio
async def test_a_failed_delivery_is_delivered_again_on_the_retry_schedule(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET)
    receiver.failures = 2
    await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="Flaky receiver")
    assert receiver.events == []
    assert fake.webhooks.pending == 1
    start = fake.clock.monotonic()
    await fake.webhooks.drain()
    attempts = fake.webhooks.attempts
    assert [(a.attempt, a.status) for a in attempts] == [(1, 500), (2, 500), (3, 200)]
    assert len({a.message.id for a in attempts}) == 1  # the same webhook-id every time
    assert fake.clock.monotonic() - start == pytest.approx(5 + 300)  # Svix's first two delays
    assert receiver.types == ["public_incident.follow_up_created_v2"]
    assert fake.webhooks.pending == 0


@pytest.mark.anyio
async def test_a_receiver_that_never_answers_2xx_is_given_up_on(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET, retry_schedule=[1, 1])
    receiver.failures = 99
    await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="Down")
    await fake.webhooks.drain()
    assert [a.status for a in fake.webhooks.attempts] == [500, 500, 500]
    assert [m.event_type for _, m in fake.webhooks.failed] == [
        "public_incident.follow_up_created_v2"
    ]


@pytest.mark.anyio
async def test_injected_duplicates_are_absorbed_by_the_receiver(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET, duplicates=1.0)
    created = await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="Twice")
    await client.follow_ups_v3.update(created.id, title="Twice", status="completed")
    await fake.webhooks.drain()
    attempts = fake.webhooks.attempts
    assert len(attempts) == 4
    assert [a.message.id for a in attempts[:2]] == [attempts[0].message.id] * 2
    assert receiver.types == [
        "public_incident.follow_up_created_v2",
        "public_incident.follow_up_updated_v2",
    ]


@pytest.mark.anyio
async def test_out_of_order_delivery_and_refetch_give_the_latest_state(
    fake: FakeIncidentIO, app: WebhookApp, receiver: Receiver, client: IncidentIO
) -> None:
    fake.add_webhook_endpoint(app, SECRET, out_of_order=True)
    created = await client.follow_ups_v3.create(incident_id=fake.add_incident(), title="Order")
    assert receiver.events == []  # held until the next message overtakes it
    await client.follow_ups_v3.update(created.id, title="Order", status="completed")
    assert [e.data.status for e in receiver.events] == ["completed", "outstanding"]
    # A handler acting on the late "created" event refetches and sees the truth.
    current = await client.webhooks.refetch(receiver.events[1])
    assert isinstance(current, FollowUpV3)
    assert current.status == "completed"
    await client.follow_ups_v3.update(created.id, title="Order", status="outstanding")
    assert len(receiver.events) == 2
    await fake.webhooks.drain()  # nothing came to overtake the last one: it goes out as is
    assert [e.data.status for e in receiver.events][-1] == "outstanding"


@pytest.mark.anyio
async def test_changes_made_on_the_state_and_events_sent_by_hand_go_out_on_drain(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    receiver = Receiver()
    app = WebhookApp(secret=SECRET, handler=receiver, clock=fake.clock)
    fake.add_webhook_endpoint(app, SECRET, event_types="*")
    incident_id = fake.add_incident()
    fake.add_follow_up(incident_id, "Made in Slack")  # not through the API
    fake.webhooks.send("public_alert.alert_created_v1", {"id": "01ALERT", "title": "Disk"})
    assert receiver.events == []
    await fake.webhooks.drain()
    assert receiver.types[0] == "public_incident.follow_up_created_v2"
    assert receiver.events[0].data.title == "Made in Slack"
    alert = receiver.events[-1]
    assert (alert.type, alert.known, alert.data) == (
        "public_alert.alert_created_v1",
        False,
        {"id": "01ALERT", "title": "Disk"},
    )


def test_add_endpoint_refuses_what_could_never_be_delivered(fake: FakeIncidentIO) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        return None

    with pytest.raises(ValueError, match="http"):
        fake.add_webhook_endpoint("ftp://example.com/hook")
    with pytest.raises(TypeError, match="ASGI app or a URL"):
        fake.add_webhook_endpoint(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="probability"):
        fake.add_webhook_endpoint(app, duplicates=2)
    with pytest.raises(Exception, match="base64"):
        fake.add_webhook_endpoint(app, "whsec_***")
    assert fake.webhooks.endpoints == []


# -- over real sockets: the served fake delivers to a URL ----------------------------------------


@pytest.fixture
def served_receiver() -> Iterator[tuple[str, list[WebhookEvent[Any]]]]:
    """A WebhookApp under uvicorn in a thread (real clock); its URL and what it handled."""
    handled: list[WebhookEvent[Any]] = []

    async def handle(event: WebhookEvent[Any]) -> None:
        handled.append(event)

    with serve_in_thread(WebhookApp(secret=SECRET, handler=handle)) as url:
        yield url + "/", handled


def test_the_fake_server_delivers_to_a_webhook_url(
    served_receiver: tuple[str, list[WebhookEvent[Any]]],
) -> None:
    from incidentio_async.testing.server import run_in_subprocess

    url, handled = served_receiver
    extra = ["--webhook", url, "--webhook-secret", SECRET]
    with (
        run_in_subprocess(seed=4, extra_args=extra) as server,
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {server.api_key}"}
        ) as http,
    ):
        incident_id = http.get("/v3/follow_ups").json()["follow_ups"][0]["incident_id"]
        created = http.post(
            "/v3/follow_ups", json={"incident_id": incident_id, "title": "Over the wire"}
        )
        assert created.status_code == 201
    assert [(e.type, e.data.title) for e in handled] == [
        ("public_incident.follow_up_created_v2", "Over the wire")
    ]


def test_the_fake_server_refuses_a_malformed_webhook_secret() -> None:
    from incidentio_async.testing.__main__ import main

    assert (
        main(["--webhook", "http://127.0.0.1:9/", "--webhook-secret", "nope", "--port", "0"]) == 2
    )


@pytest.mark.anyio
async def test_a_url_endpoint_that_is_down_is_retried(fake: FakeIncidentIO) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused.
    fake.add_webhook_endpoint("http://127.0.0.1:9/hook", SECRET, retry_schedule=[0])
    fake.add_follow_up(fake.add_incident(), "Nobody listens")
    await fake.webhooks.deliver_due()
    assert len(fake.webhooks.attempts) == 2
    assert fake.webhooks.attempts[0].status is None
    assert "ConnectError" in (fake.webhooks.attempts[0].error or "")
    assert len(fake.webhooks.failed) == 1
