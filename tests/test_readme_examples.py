"""The README's examples, run against the fake: documentation that cannot rot."""

from __future__ import annotations

import pytest

from incidentio_async import IncidentIO, NotFoundError
from incidentio_async.models import FollowUpStatus
from incidentio_async.testing import FakeIncidentIO

pytestmark = pytest.mark.anyio


async def close_all(client: IncidentIO, incident_id: str) -> None:
    """Stands for the user's code under test in the README's pytest example."""
    for follow_up in await client.follow_ups.list(incident_id=incident_id):
        if follow_up.status is FollowUpStatus.OUTSTANDING:
            await client.follow_ups.update(follow_up.id, title=follow_up.title, status="completed")


async def test_readme_pytest_example(
    incidentio_client: IncidentIO, fake_incidentio: FakeIncidentIO
) -> None:
    incident_id = fake_incidentio.add_incident()
    fake_incidentio.add_follow_up(incident_id, "Rotate the credentials")
    await close_all(incidentio_client, incident_id)
    follow_ups = await incidentio_client.follow_ups.list(incident_id=incident_id)
    assert {f.status for f in follow_ups} == {"completed"}
    assert [r.method for r in fake_incidentio.requests].count("PUT") == 1


async def test_readme_quickstart_flow() -> None:
    fake = FakeIncidentIO(seed=5)
    incident_id = fake.add_incident_updates(300)
    async with fake.client() as client:
        follow_up = await client.follow_ups.create(
            incident_id=incident_id, title="Add alerting on replica lag", labels=["monitoring"]
        )
        completed = await client.follow_ups.update(
            follow_up.id, title=follow_up.title, status="completed"
        )
        assert completed.status is FollowUpStatus.COMPLETED
        listed = await client.follow_ups.list(incident_id=incident_id)
        assert [f.id for f in listed] == [follow_up.id]
        updates = [
            u async for u in client.incident_updates.list(incident_id=incident_id, page_size=250)
        ]
        assert len(updates) == 300
        await client.follow_ups.delete(follow_up.id)
        with pytest.raises(NotFoundError):
            await client.follow_ups.get(follow_up.id)
