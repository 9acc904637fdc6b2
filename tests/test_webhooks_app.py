"""``WebhookApp`` over real ASGI: httpx's ASGITransport, Starlette's mount, and uvicorn."""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import pytest

from incidentio_api.models import FollowUpV2
from incidentio_async.clock import VirtualClock
from incidentio_async.webhooks import (
    Claim,
    InMemoryDeliveryStore,
    WebhookApp,
    WebhookEvent,
    WebhookRouter,
    WebhookVerificationError,
    events,
    sign,
)

from asgi_server import serve_in_thread

SECRET = "whsec_" + base64.b64encode(b"incident-io-webhook-test-key-32b").decode()
CREATED = "public_incident.follow_up_created_v2"
FOLLOW_UP = {
    "id": "01HZXQ0000000000000000000A",
    "incident_id": "01HZXQ0000000000000000000B",
    "title": "Rotate the credentials",
    "status": "outstanding",
    "labels": [],
    "creator": {"api_key": {"id": "01KEY", "name": "CI"}},
    "created_at": "2025-06-15T15:00:00Z",
    "updated_at": "2025-06-15T15:00:00Z",
}


def body_of(event_type: str = CREATED, payload: Any = None) -> bytes:
    payload = FOLLOW_UP if payload is None else payload
    return json.dumps({"event_type": event_type, event_type: payload}).encode()


class Recorder:
    """A handler that records the events it gets, and can be told to fail or to wait."""

    def __init__(self) -> None:
        self.events: list[WebhookEvent[Any]] = []
        self.fail = 0
        self.gate: anyio.Event | None = None
        self.entered = anyio.Event()

    async def __call__(self, event: WebhookEvent[Any]) -> None:
        self.events.append(event)
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.fail:
            self.fail -= 1
            raise RuntimeError("the handler's database is down")


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def handler() -> Recorder:
    return Recorder()


@pytest.fixture
def app(clock: VirtualClock, handler: Recorder) -> WebhookApp:
    return WebhookApp(secret=SECRET, handler=handler, clock=clock)


@pytest.fixture
async def http(app: WebhookApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://receiver") as client:
        yield client


async def post(
    http: httpx.AsyncClient,
    clock: VirtualClock,
    body: bytes,
    msg_id: str = "msg_1",
    *,
    secret: str = SECRET,
    skew: float = 0.0,
    drop: str | None = None,
) -> httpx.Response:
    headers = sign(body, secret, msg_id=msg_id, timestamp=clock.time() + skew)
    if drop is not None:
        del headers[drop]
    return await http.post("/", content=body, headers=headers)


@pytest.mark.anyio
async def test_a_verified_delivery_is_handled_once_with_its_typed_event(
    http: httpx.AsyncClient, clock: VirtualClock, handler: Recorder
) -> None:
    first = await post(http, clock, body_of())
    assert (first.status_code, first.json()) == (200, {"status": "handled"})
    [event] = handler.events
    assert events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2.matches(event)
    assert isinstance(event.data, FollowUpV2)
    assert event.data.title == "Rotate the credentials"
    # incident.io's retry of the same message: signed again later, the same webhook-id.
    clock.advance(60)
    again = await post(http, clock, body_of())
    assert (again.status_code, again.json()) == (200, {"status": "duplicate"})
    assert len(handler.events) == 1
    other = await post(http, clock, body_of(), msg_id="msg_2")
    assert other.json() == {"status": "handled"}
    assert [e.id for e in handler.events] == ["msg_1", "msg_2"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("kwargs", "status", "check"),
    [
        ({"secret": "whsec_" + base64.b64encode(b"somebody-else-s-signing-key-32b!").decode()},
         401, "signature"),
        ({"skew": -3600}, 401, "timestamp"),
        ({"drop": "webhook-signature"}, 400, "missing_header"),
        ({"drop": "webhook-timestamp"}, 400, "missing_header"),
    ],
)  # fmt: skip
async def test_an_unverified_delivery_is_refused_and_never_handled(
    http: httpx.AsyncClient,
    clock: VirtualClock,
    handler: Recorder,
    kwargs: dict[str, Any],
    status: int,
    check: str,
) -> None:
    response = await post(http, clock, body_of(), **kwargs)
    assert response.status_code == status
    assert response.json()["check"] == check
    assert SECRET.removeprefix("whsec_") not in response.text
    assert handler.events == []
    # Refusing it did not mark it: the genuine delivery is still handled.
    assert (await post(http, clock, body_of())).json() == {"status": "handled"}


@pytest.mark.anyio
async def test_a_signed_body_that_is_no_event_is_a_400(
    http: httpx.AsyncClient, clock: VirtualClock, handler: Recorder
) -> None:
    response = await post(http, clock, b"<html>not json</html>")
    assert (response.status_code, response.json()["check"]) == (400, "payload")
    assert handler.events == []


@pytest.mark.anyio
async def test_an_unknown_event_type_is_handled_as_generic_json(
    http: httpx.AsyncClient, clock: VirtualClock, handler: Recorder
) -> None:
    response = await post(http, clock, body_of("public_alert.alert_created_v1", {"id": "a"}))
    assert response.json() == {"status": "handled"}
    assert (handler.events[0].known, handler.events[0].data) == (False, {"id": "a"})


@pytest.mark.anyio
async def test_a_failing_handler_answers_500_and_its_redelivery_is_handled(
    http: httpx.AsyncClient,
    clock: VirtualClock,
    handler: Recorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    handler.fail = 1
    with caplog.at_level(logging.ERROR, logger="incidentio_async.webhooks"):
        failed = await post(http, clock, body_of())
    assert failed.status_code == 500
    assert "handler failed" in failed.json()["error"]
    assert "database is down" not in failed.text  # the traceback is logged, not sent
    assert "the handler's database is down" in caplog.text
    clock.advance(5)  # incident.io's first retry
    retried = await post(http, clock, body_of())
    assert retried.json() == {"status": "handled"}
    assert [e.id for e in handler.events] == ["msg_1", "msg_1"]
    assert (await post(http, clock, body_of())).json() == {"status": "duplicate"}


@pytest.mark.anyio
async def test_a_delivery_being_handled_is_not_handled_twice_at_once(
    http: httpx.AsyncClient, clock: VirtualClock, handler: Recorder
) -> None:
    handler.gate = anyio.Event()
    answers: list[httpx.Response] = []

    async def first() -> None:
        answers.append(await post(http, clock, body_of()))

    async with anyio.create_task_group() as group:
        group.start_soon(first)
        await handler.entered.wait()
        concurrent = await post(http, clock, body_of())
        assert concurrent.status_code == 409  # not 2xx: incident.io will deliver it again
        handler.gate.set()
    assert answers[0].json() == {"status": "handled"}
    assert len(handler.events) == 1


@pytest.mark.anyio
async def test_a_claim_lapses_after_its_lease(clock: VirtualClock) -> None:
    store = InMemoryDeliveryStore(clock=clock, lease=60, ttl=3600)
    assert await store.claim("msg_1", "t") is Claim.NEW
    assert await store.claim("msg_1", "t") is Claim.IN_PROGRESS
    clock.advance(61)  # the worker holding it died
    assert await store.claim("msg_1", "t") is Claim.NEW
    await store.complete("msg_1")
    await store.release("msg_1", "t")  # a late release does not undo a completion
    assert await store.claim("msg_1", "t") is Claim.DONE
    clock.advance(3601)
    assert await store.claim("msg_1", "t") is Claim.NEW


@pytest.mark.anyio
async def test_the_memory_store_stays_within_max_entries(clock: VirtualClock) -> None:
    store = InMemoryDeliveryStore(clock=clock, max_entries=3)
    for n in range(5):
        await store.claim(f"msg_{n}", "t")
        await store.complete(f"msg_{n}")
    assert len(store) == 3
    assert await store.claim("msg_4", "t") is Claim.DONE
    assert await store.claim("msg_0", "t") is Claim.NEW  # the oldest went first
    for bad in ({"ttl": 0}, {"lease": -1}, {"max_entries": 0}):
        with pytest.raises(ValueError):
            InMemoryDeliveryStore(**bad)  # type: ignore[arg-type]


class BrokenStore:
    async def claim(self, delivery_id: str, token: str) -> Claim:
        raise ConnectionError("redis is down")

    async def complete(self, delivery_id: str) -> None:
        raise AssertionError("not reached")

    async def release(self, delivery_id: str, token: str) -> None:
        raise AssertionError("not reached")


@pytest.mark.anyio
async def test_a_store_that_cannot_be_reached_answers_503_without_handling(
    clock: VirtualClock, handler: Recorder
) -> None:
    app = WebhookApp(secret=SECRET, handler=handler, clock=clock, store=BrokenStore())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as h:
        response = await post(h, clock, body_of())
    assert response.status_code == 503
    assert handler.events == []


@pytest.mark.anyio
async def test_bodies_larger_than_the_bound_are_413_read_or_not(clock: VirtualClock) -> None:
    handler = Recorder()
    app = WebhookApp(secret=SECRET, handler=handler, clock=clock, max_body_size=1000)
    big = body_of(payload={**FOLLOW_UP, "description": "x" * 2000})

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 100):
            yield big[start : start + 100]

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as h:
        declared = await post(h, clock, big)
        assert declared.status_code == 413
        headers = sign(big, SECRET, msg_id="msg_1", timestamp=clock.time())
        streamed = await h.post("/", content=chunks(), headers=headers)
        assert streamed.status_code == 413
        assert (await post(h, clock, body_of())).json() == {"status": "handled"}
    assert [e.id for e in handler.events] == ["msg_1"]


@pytest.mark.anyio
async def test_only_post_is_accepted(http: httpx.AsyncClient) -> None:
    response = await http.get("/")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.anyio
async def test_a_router_hands_each_type_to_its_handler(clock: VirtualClock) -> None:
    created: list[str] = []
    fallback: list[str] = []
    router = WebhookRouter()

    @router.on(events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2)
    async def on_created(event: WebhookEvent[FollowUpV2]) -> None:
        created.append(event.data.title)

    @router.on("public_alert.alert_created_v1", events.PUBLIC_INCIDENT_INCIDENT_UPDATED_V2)
    async def on_other(event: WebhookEvent[Any]) -> None:
        fallback.append(event.type)

    app = WebhookApp(secret=SECRET, handler=router, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as h:
        await post(h, clock, body_of(), "m1")
        await post(h, clock, body_of("public_alert.alert_created_v1", {}), "m2")
        unrouted = await post(h, clock, body_of("public_incident.follow_up_updated_v2"), "m3")
    assert created == ["Rotate the credentials"]
    assert fallback == ["public_alert.alert_created_v1"]
    assert unrouted.json() == {"status": "handled"}  # acknowledged, nothing to do
    assert set(router.types) == {
        CREATED,
        "public_alert.alert_created_v1",
        events.PUBLIC_INCIDENT_INCIDENT_UPDATED_V2.name,
    }
    with pytest.raises(ValueError, match="already has a handler"):
        router.add(CREATED, on_other)


def test_the_app_checks_its_configuration_and_hides_its_secret() -> None:
    async def handle(event: WebhookEvent[Any]) -> None:
        return None

    with pytest.raises(WebhookVerificationError) as caught:
        WebhookApp(secret="whsec_???", handler=handle)
    assert caught.value.check == "secret"
    with pytest.raises(ValueError, match="max_body_size"):
        WebhookApp(secret=SECRET, handler=handle, max_body_size=0)
    with pytest.raises(TypeError, match="tolerance"):
        WebhookApp(secret=SECRET, handler=handle, tolerance="300")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="tolerance"):
        WebhookApp(secret=SECRET, handler=handle, tolerance=float("nan"))
    with pytest.raises(TypeError, match="handler"):
        WebhookApp(secret=SECRET, handler="print")  # type: ignore[arg-type]
    app = WebhookApp(secret=[SECRET, SECRET], handler=handle)
    assert SECRET.removeprefix("whsec_") not in repr(app) + repr(vars(app))


@pytest.mark.anyio
async def test_mounted_in_starlette_it_receives_at_its_path(
    clock: VirtualClock, handler: Recorder
) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    webhook_app = WebhookApp(secret=SECRET, handler=handler, clock=clock)
    site = Starlette(routes=[Mount("/webhooks/incident-io", app=webhook_app)])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=site), base_url="http://s") as h:
        body = body_of()
        headers = sign(body, SECRET, msg_id="msg_1", timestamp=clock.time())
        response = await h.post("/webhooks/incident-io/", content=body, headers=headers)
    assert response.json() == {"status": "handled"}
    assert handler.events[0].data.title == "Rotate the credentials"


# -- under a real server -------------------------------------------------------------------------


@pytest.fixture
def served() -> Iterator[tuple[str, list[WebhookEvent[Any]]]]:
    """A WebhookApp served by uvicorn from a thread; its URL and the events it handled."""
    handled: list[WebhookEvent[Any]] = []

    async def handle(event: WebhookEvent[Any]) -> None:
        handled.append(event)

    with serve_in_thread(WebhookApp(secret=SECRET, handler=handle)) as url:
        yield url, handled


def test_under_uvicorn_deliveries_are_verified_deduplicated_and_refused(
    served: tuple[str, list[WebhookEvent[Any]]],
) -> None:
    url, handled = served
    body = body_of()
    with httpx.Client(base_url=url) as http:
        headers = sign(body, SECRET, msg_id="msg_real", timestamp=time.time())
        assert http.post("/", content=body, headers=headers).json() == {"status": "handled"}
        assert http.post("/", content=body, headers=headers).json() == {"status": "duplicate"}
        tampered = http.post("/", content=body + b" ", headers=headers)
        assert tampered.status_code == 401
        too_big = http.post("/", content=b"x" * (1024 * 1024 + 1), headers=headers)
        assert too_big.status_code == 413
    assert [(e.id, e.type) for e in handled] == [("msg_real", CREATED)]
