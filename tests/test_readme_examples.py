"""The README's examples, run against the fake: documentation that cannot rot."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from incidentio_async import IncidentIO, NotFoundError
from incidentio_async.clock import VirtualClock
from incidentio_async.models import FollowUpV3Status
from incidentio_async.testing import FakeIncidentIO, SampleSizes
from incidentio_async.testing.records import to_micros

from spec_data import ROOT

pytestmark = pytest.mark.anyio


def readme_block(name: str) -> str:
    """The code block between ``<!-- name -->`` and ``<!-- /name -->`` in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name} -->\s*```python\n(.*?)```\s*<!-- /{name} -->", text, re.S)
    assert match, f"no {name} block in the README"
    return match.group(1)


async def close_all(client: IncidentIO, incident_id: str) -> None:
    """Stands for the user's code under test in the README's pytest example."""
    async for follow_up in client.follow_ups_v3.list(incident_id=incident_id):
        if follow_up.status is FollowUpV3Status.OUTSTANDING:
            await client.follow_ups_v3.update(
                follow_up.id, title=follow_up.title, status="completed"
            )


async def test_readme_pytest_example(
    incidentio_client: IncidentIO, fake_incidentio: FakeIncidentIO
) -> None:
    incident_id = fake_incidentio.add_incident()
    fake_incidentio.add_follow_up(incident_id, "Rotate the credentials")
    await close_all(incidentio_client, incident_id)
    follow_ups = await incidentio_client.follow_ups_v3.list(incident_id=incident_id).to_list()
    assert {f.status for f in follow_ups} == {"completed"}
    assert [r.method for r in fake_incidentio.requests].count("PUT") == 1


async def test_readme_quickstart_flow() -> None:
    fake = FakeIncidentIO(seed=5)
    incident_id = fake.add_incident_updates(300)
    async with fake.client() as client:
        follow_up = await client.follow_ups_v3.create(
            incident_id=incident_id, title="Add alerting on replica lag", labels=["monitoring"]
        )
        completed = await client.follow_ups_v3.update(
            follow_up.id, title=follow_up.title, status="completed"
        )
        assert completed.status is FollowUpV3Status.COMPLETED
        listed = await client.follow_ups_v3.list(incident_id=incident_id).to_list()
        assert [f.id for f in listed] == [follow_up.id]
        update = await client.incident_updates_v2.create(
            incident_id=incident_id, message="A fix is out; we're monitoring."
        )
        updates = [
            u async for u in client.incident_updates_v2.list(incident_id=incident_id, page_size=250)
        ]
        assert len(updates) == 301 and updates[0].id == update.id
        await client.follow_ups_v3.delete(follow_up.id)
        with pytest.raises(NotFoundError):
            await client.follow_ups_v3.get(follow_up.id)


async def test_readme_sync_example_misses_nothing_and_counts_nothing_twice() -> None:
    namespace: dict[str, Any] = {}
    exec(readme_block("sync-example"), namespace)
    sync_follow_ups = namespace["sync_follow_ups"]
    clock = VirtualClock(wall_start=1_760_000_000.0)
    fake = FakeIncidentIO(seed=2, clock=clock, sample_data=SampleSizes(follow_ups=80))
    state: dict[str, Any] = {}
    async with fake.client() as client:
        first = await sync_follow_ups(client, state)
        everything = await client.follow_ups_v3.list(page_size=250).to_list()
        assert sorted(f.id for f in first) == sorted(f.id for f in everything)
        assert await sync_follow_ups(client, state) == []  # nothing changed: nothing again

        changed = everything[3]
        await client.follow_ups_v3.update(changed.id, title="Renamed", status="completed")
        # A write that committed late: its updated_at is older than rows already seen, but
        # inside the overlap.
        late = fake.state.follow_ups[everything[5].id]
        late.title = "Committed late"
        late.updated_us = to_micros(
            (state["watermark"] - datetime.timedelta(minutes=2)).timestamp()
        )
        incident = next(iter(fake.state.incidents))
        created = await client.follow_ups_v3.create(incident_id=incident, title="New")

        second = await sync_follow_ups(client, state)
        assert sorted(f.id for f in second) == sorted([changed.id, late.id, created.id])
        assert await sync_follow_ups(client, state) == []


async def test_readme_webhook_test_example(
    incidentio_client: IncidentIO, fake_incidentio: FakeIncidentIO
) -> None:
    from incidentio_async.webhooks import WebhookApp

    namespace: dict[str, Any] = {"pytest": pytest, "WebhookApp": WebhookApp}
    exec(readme_block("webhook-test-example"), namespace)
    test = namespace["test_my_receiver_sees_each_follow_up_once"]
    await test(incidentio_client, fake_incidentio)
    # Each of the two events was delivered twice, the second of each pair absorbed.
    assert [a.status for a in fake_incidentio.webhooks.attempts] == [200] * 4
