"""The deduplication store shared through Redis: workers never both handle a delivery."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio
import httpx
import pytest
import redis.asyncio
from redis_server import RedisProcess, free_port

from incidentio_async.webhooks import (
    Claim,
    RedisDeliveryStore,
    WebhookApp,
    WebhookEvent,
    sign,
)

pytestmark = pytest.mark.redis
SECRET = "whsec_" + base64.b64encode(b"incident-io-webhook-test-key-32b").decode()


@pytest.fixture
def anyio_backend() -> str:
    """redis.asyncio runs on asyncio only."""
    return "asyncio"


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisProcess]:
    server = RedisProcess()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisProcess) -> str:
    redis_server.command("FLUSHALL")
    return redis_server.url


@pytest.fixture
async def raw(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    connection = redis.asyncio.Redis.from_url(redis_url)
    try:
        yield connection
    finally:
        await connection.aclose()


@pytest.mark.anyio
async def test_two_workers_share_claims_and_completions(
    redis_url: str, raw: redis.asyncio.Redis
) -> None:
    one, two = RedisDeliveryStore(redis_url), RedisDeliveryStore(redis_url)
    try:
        assert await one.claim("msg_1", "a") is Claim.NEW
        assert await two.claim("msg_1", "b") is Claim.IN_PROGRESS
        await two.release("msg_1", "b")  # not its claim: nothing happens
        assert await two.claim("msg_1", "b") is Claim.IN_PROGRESS
        await one.complete("msg_1")
        assert await two.claim("msg_1", "b") is Claim.DONE
        ttl = await raw.pttl("incidentio_async:webhook:msg_1")
        assert 47 * 3600 * 1000 < ttl <= 48 * 3600 * 1000
        # A failed handler releases: the redelivery goes to whichever worker gets it.
        assert await one.claim("msg_2", "c") is Claim.NEW
        await one.release("msg_2", "c")
        assert await two.claim("msg_2", "d") is Claim.NEW
    finally:
        await one.aclose()
        await two.aclose()


@pytest.mark.anyio
async def test_a_claim_lapses_after_its_lease(raw: redis.asyncio.Redis) -> None:
    store = RedisDeliveryStore(raw, prefix="test", lease=0.05)
    assert await store.claim("msg_1", "a") is Claim.NEW
    assert 0 < await raw.pttl("test:msg_1") <= 50
    await raw.pexpire("test:msg_1", 1)  # as if the lease ran out: the worker died
    await anyio.sleep(0.01)
    other = RedisDeliveryStore(raw, prefix="test")
    assert await other.claim("msg_1", "b") is Claim.NEW
    await store.release("msg_1", "a")  # the first attempt fails at last: not its claim now
    assert await store.claim("msg_1", "c") is Claim.IN_PROGRESS


@pytest.mark.anyio
async def test_two_receivers_with_one_redis_handle_a_delivery_once(redis_url: str) -> None:
    handled: list[str] = []

    async def handle(event: WebhookEvent[Any]) -> None:
        handled.append(event.id)

    stores = [RedisDeliveryStore(redis_url), RedisDeliveryStore(redis_url)]
    apps = [WebhookApp(secret=SECRET, handler=handle, store=store) for store in stores]
    body = json.dumps({"event_type": "x.y_v1", "x.y_v1": {}}).encode()
    headers = sign(body, SECRET, msg_id="msg_shared", timestamp=time.time())
    answers = []
    try:
        for app in apps:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://w") as http:
                answers.append((await http.post("/", content=body, headers=headers)).json())
    finally:
        for store in stores:
            await store.aclose()
    assert answers == [{"status": "handled"}, {"status": "duplicate"}]
    assert handled == ["msg_shared"]


@pytest.mark.anyio
async def test_redis_down_is_a_503_and_the_handler_is_not_called() -> None:
    handled: list[str] = []

    async def handle(event: WebhookEvent[Any]) -> None:
        handled.append(event.id)

    store = RedisDeliveryStore(f"redis://127.0.0.1:{free_port()}/0", timeout=0.5)
    app = WebhookApp(secret=SECRET, handler=handle, store=store)
    body = json.dumps({"event_type": "x.y_v1", "x.y_v1": {}}).encode()
    headers = sign(body, SECRET, msg_id="msg_1", timestamp=time.time())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://w") as h:
        response = await h.post("/", content=body, headers=headers)
    assert response.status_code == 503
    assert handled == []
    assert "127.0.0.1" not in repr(store)


def test_the_store_checks_its_configuration() -> None:
    for bad in ({"ttl": 0}, {"lease": -1}, {"timeout": 0}, {"prefix": ""}):
        with pytest.raises(ValueError):
            RedisDeliveryStore("redis://localhost", **bad)  # type: ignore[arg-type]
