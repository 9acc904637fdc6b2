"""client.incident_updates_v2.create: an idempotency key makes the POST safe to retry."""

from __future__ import annotations

import json
from typing import Any

import pytest

from incidentio_async import (
    APIConnectionError,
    IncidentIO,
    InvalidArgumentError,
    RateLimiter,
    UnprocessableEntityError,
)
from incidentio_async.clock import VirtualClock
from incidentio_async.models import IncidentUpdateV2
from incidentio_async.testing import FakeIncidentIO

pytestmark = pytest.mark.anyio


def setup() -> tuple[FakeIncidentIO, VirtualClock, str]:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=8, clock=clock, sample_data=False)
    return fake, clock, fake.add_incident()


def sent_keys(fake: FakeIncidentIO) -> list[str]:
    return [json.loads(r.body)["idempotency_key"] for r in fake.requests if r.method == "POST"]


def status_id(fake: FakeIncidentIO, name: str) -> str:
    return next(s.id for s in fake.state.statuses.values() if s.name == name)


async def test_create_posts_an_update_that_the_list_then_shows() -> None:
    fake, clock, incident = setup()
    async with clock.running(), fake.client() as client:
        update = await client.incident_updates_v2.create(
            incident_id=incident,
            message="Fix deployed",
            to_incident_status_id=status_id(fake, "Monitoring"),
        )
        assert isinstance(update, IncidentUpdateV2)
        assert update.message == "Fix deployed"
        assert update.new_incident_status.name == "Monitoring"
        listed = await client.incident_updates_v2.list(incident_id=incident).to_list()
    assert [u.id for u in listed] == [update.id]
    (key,) = sent_keys(fake)
    assert len(key) == 32  # generated: a fresh random key


async def test_an_update_needs_a_message_a_status_or_a_severity() -> None:
    fake, _clock, incident = setup()
    async with fake.client() as client:
        with pytest.raises(InvalidArgumentError, match="at least one of message"):
            await client.incident_updates_v2.create(incident_id=incident)
        with pytest.raises(InvalidArgumentError, match="incident_id must be a string"):
            await client.incident_updates_v2.create(incident_id=None, message="m")  # type: ignore[arg-type]
    assert fake.requests == []


async def test_unknown_status_or_severity_is_a_422_naming_the_field() -> None:
    fake, _clock, incident = setup()
    async with fake.client() as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await client.incident_updates_v2.create(
                incident_id=incident, to_incident_status_id="01NOPE", to_severity_id="01NOPE"
            )
    assert caught.value.field_errors.keys() == {"to_incident_status_id", "to_severity_id"}


async def test_the_same_key_returns_the_first_update_and_creates_nothing() -> None:
    fake, _clock, incident = setup()
    async with fake.client() as client:
        first = await client.incident_updates_v2.create(
            incident_id=incident, message="one", idempotency_key="alert-123"
        )
        again = await client.incident_updates_v2.create(
            incident_id=incident, message="two", idempotency_key="alert-123"
        )
    assert again.id == first.id and again.message == "one"
    assert len(fake.state.incident_updates) == 1


@pytest.mark.parametrize(
    "fault",
    [
        {"drop": "after"},  # acted, then the connection dropped: the answer is lost
        {"drop": "before"},
        {"status": 500},
        {"status": 503},
        {"status": 429, "headers": {"Retry-After": "1"}},
    ],
)
async def test_a_create_whose_answer_is_lost_is_retried_and_posts_once(
    fault: dict[str, Any],
) -> None:
    fake, clock, incident = setup()
    if "drop" in fault:
        fake.faults.drop(fault["drop"], method="POST")
    else:
        fake.faults.script(method="POST", **fault)
    async with clock.running(), fake.client() as client:
        update = await client.incident_updates_v2.create(incident_id=incident, message="once")
    assert [u.id for u in fake.state.incident_updates.values()] == [update.id]
    keys = sent_keys(fake)
    assert len(keys) == 2 and keys[0] == keys[1]


async def test_a_failure_that_escapes_carries_the_key_for_a_later_retry() -> None:
    fake, clock, incident = setup()
    fake.faults.drop("after", method="POST", times=2)
    async with clock.running():
        async with fake.client(max_retries=1) as client:
            with pytest.raises(APIConnectionError) as caught:
                await client.incident_updates_v2.create(incident_id=incident, message="later")
        key = caught.value.idempotency_key
        assert key is not None and key in str(sent_keys(fake))
        assert len(fake.state.incident_updates) == 1  # it was made; the answers were lost
        async with fake.client(rate_limiter=RateLimiter(clock=clock)) as client:
            update = await client.incident_updates_v2.create(
                incident_id=incident, message="later", idempotency_key=key
            )
    assert [u.id for u in fake.state.incident_updates.values()] == [update.id]


async def test_through_raw_response_the_key_is_visible() -> None:
    fake, _clock, incident = setup()
    async with fake.client() as client:
        raw = await client.incident_updates_v2.with_raw_response.create(
            incident_id=incident, message="m"
        )
    assert raw.status_code == 201
    assert raw.idempotency_key == sent_keys(fake)[0]
    assert raw.parse().message == "m"


def test_the_client_type_checks_the_key_as_optional() -> None:
    import inspect

    parameter = inspect.signature(IncidentIO("k").incident_updates_v2.create).parameters[
        "idempotency_key"
    ]
    assert parameter.default is not inspect.Parameter.empty
