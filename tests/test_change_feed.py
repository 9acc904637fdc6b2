"""client.follow_ups_v3.sync(): every change since a checkpoint, once; the checkpoint moves
only past what the caller took, and refuses what sync() did not write."""

from __future__ import annotations

import datetime
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from incidentio_async import IncidentIO, InvalidArgumentError
from incidentio_async._checkpoint import FeedState
from incidentio_async.changes import ChangeFeed
from incidentio_async.clock import VirtualClock
from incidentio_async.models import FollowUpV3
from incidentio_async.testing import FakeIncidentIO, SampleSizes
from incidentio_async.testing.records import to_micros

pytestmark = pytest.mark.anyio

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def fake() -> FakeIncidentIO:
    clock = VirtualClock(wall_start=1_760_000_000.0)
    return FakeIncidentIO(seed=4, clock=clock, sample_data=SampleSizes(follow_ups=120))


@pytest.fixture
async def client(fake: FakeIncidentIO) -> AsyncIterator[IncidentIO]:
    async with fake.client() as client:
        yield client


async def run(
    client: IncidentIO, checkpoint: str | None, **options: Any
) -> tuple[list[FollowUpV3], str]:
    """One run of a sync job: what it handed on, and the checkpoint it saves."""
    feed = client.follow_ups_v3.sync(checkpoint, page_size=25, **options)
    taken = [follow_up async for follow_up in feed]
    return taken, feed.checkpoint


async def listed(client: IncidentIO) -> list[str]:
    """The IDs the list shows (follow-ups of test and tutorial incidents are not among them)."""
    return [f.id for f in await client.follow_ups_v3.list(page_size=250).to_list()]


def commit_late(fake: FakeIncidentIO, follow_up_id: str, at: datetime.datetime) -> None:
    """A change whose updated_at was stamped at ``at`` but that became visible only now."""
    record = fake.state.follow_ups[follow_up_id]
    record.title = "Committed late"
    record.updated_us = to_micros(at.timestamp())


async def test_a_first_run_hands_on_everything_and_an_idle_run_nothing(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    everything = await client.follow_ups_v3.list(page_size=250).to_list()
    first, checkpoint = await run(client, None)
    assert [f.id for f in first] == [f.id for f in everything]  # in ID order, once each
    fake.reset_requests()
    again, checkpoint = await run(client, checkpoint)
    assert again == []
    assert len(fake.requests) >= 1  # it did look
    assert fake.requests[0].query.get("updated_at[gte]")  # only at what changed lately
    assert (await run(client, checkpoint))[0] == []


async def test_a_late_commit_inside_the_overlap_comes_exactly_once(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    _, checkpoint = await run(client, None)
    newest = max(f.updated_us for f in fake.state.follow_ups.values())
    watermark = datetime.datetime.fromtimestamp(newest / 1e6, datetime.UTC)
    changed = (await listed(client))[7]
    await client.follow_ups_v3.update(changed, title="Renamed", status="completed")
    late = (await listed(client))[3]
    commit_late(fake, late, watermark - 2 * MINUTE)  # older than rows seen, inside the window
    incident = next(iter(fake.state.incidents))
    created = await client.follow_ups_v3.create(incident_id=incident, title="New")

    second, checkpoint = await run(client, checkpoint)
    assert sorted(f.id for f in second) == sorted([changed, late, created.id])
    assert (await run(client, checkpoint))[0] == []

    # Outside the window it is too late: the overlap is the promise, and it is kept.
    too_late = (await listed(client))[5]
    commit_late(fake, too_late, created.updated_at - 20 * MINUTE)
    assert (await run(client, checkpoint))[0] == []
    # A wider overlap finds it.
    assert [f.id for f in (await run(client, checkpoint, overlap=30 * MINUTE))[0]] == [too_late]


async def test_a_run_stopped_after_one_record_loses_nothing(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    _, checkpoint = await run(client, None)
    ids = await listed(client)
    # Changed in this order: the later ID first, so the record handed on first (ID order)
    # has a newer updated_at than changes still to come.
    changes = [ids[40], ids[10], ids[70], ids[20]]
    for n, follow_up_id in enumerate(reversed(changes)):
        assert isinstance(fake.clock, VirtualClock)
        fake.clock.advance(30)
        await client.follow_ups_v3.update(follow_up_id, title=f"Change {n}", status="completed")

    feed = client.follow_ups_v3.sync(checkpoint, page_size=25)
    async for follow_up in feed:
        first = follow_up
        break  # a crash, a break: whatever was not taken must come next time
    saved = feed.checkpoint
    assert first.id == ids[10]
    assert first.updated_at > fake_updated(fake, ids[20])  # the rest changed earlier

    rest, saved = await run(client, saved)
    assert [f.id for f in rest] == [ids[20], ids[40], ids[70]]
    assert (await run(client, saved))[0] == []


def fake_updated(fake: FakeIncidentIO, follow_up_id: str) -> datetime.datetime:
    micros = fake.state.follow_ups[follow_up_id].updated_us
    return datetime.datetime.fromtimestamp(micros / 1e6, datetime.UTC)


async def test_the_checkpoint_moves_one_record_at_a_time(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    everything = [f.id for f in await client.follow_ups_v3.list(page_size=250).to_list()]
    taken: list[str] = []
    checkpoint = None
    # A job that crashes after every third record, having saved its checkpoint each time.
    for _ in range(len(everything)):
        feed = client.follow_ups_v3.sync(checkpoint, page_size=25)
        async for follow_up in feed:
            taken.append(follow_up.id)
            checkpoint = feed.checkpoint
            if len(taken) % 3 == 0:
                break
        else:
            checkpoint = feed.checkpoint
            break
    assert taken == everything


async def test_a_change_made_while_a_long_run_lists_comes_next_time(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    ids = await listed(client)
    feed = client.follow_ups_v3.sync(None, page_size=25)
    seen = []
    async for follow_up in feed:
        seen.append(follow_up.id)
        if len(seen) == 40:
            # A run far longer than the overlap: a record already listed changes, then
            # one still to come, much later.
            assert isinstance(fake.clock, VirtualClock)
            fake.clock.advance(3600)
            await client.follow_ups_v3.update(ids[5], title="While listing", status="completed")
            fake.clock.advance(3600)
            await client.follow_ups_v3.update(ids[75], title="Later", status="completed")
    assert seen == ids
    again, _ = await run(client, feed.checkpoint)
    assert [f.id for f in again] == [ids[5]]


async def test_pages_hand_on_a_pages_new_records_at_a_time(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    feed = client.follow_ups_v3.sync(None, page_size=25)
    pages = [page async for page in feed.pages()]
    count = len(await listed(client))
    assert [len(page) for page in pages] == [25] * (count // 25) + [count % 25]
    incident = next(iter(fake.state.incidents))
    await client.follow_ups_v3.create(incident_id=incident, title="New")
    assert [len(page) async for page in feed.pages()] == [1]  # iterating again: a new run


@pytest.mark.parametrize(
    ("checkpoint", "reason"),
    [
        ("garbage", "not a checkpoint of incidentio-async"),
        ("", "not a checkpoint"),
        ("incidentio-sync.1.bm90IHpsaWI", "damaged"),
        ("incidentio-sync.2.eJyrVgpKLS7NKVGyUlAqzs8tSFRIL0pNLUq1UjJUqgUAnRwJxw", "newer"),
        (FeedState("Incident Updates V2#List").encode(), "another list"),
        (42, "must be the string"),
    ],
)
async def test_a_checkpoint_sync_did_not_make_is_refused_before_any_request(
    fake: FakeIncidentIO, client: IncidentIO, checkpoint: Any, reason: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=reason) as raised:
        client.follow_ups_v3.sync(checkpoint)
    assert "client.follow_ups_v3.sync" in str(raised.value) or reason == "must be the string"
    assert fake.requests == []


async def test_a_damaged_checkpoint_is_refused(fake: FakeIncidentIO, client: IncidentIO) -> None:
    _, checkpoint = await run(client, None)
    for damaged in (checkpoint[:-3], checkpoint[:-8] + "AAAAAAAA"):
        with pytest.raises(InvalidArgumentError, match="checkpoint refused"):
            client.follow_ups_v3.sync(damaged)


async def test_the_checkpoint_is_an_opaque_json_safe_string(client: IncidentIO) -> None:
    feed = client.follow_ups_v3.sync()
    assert isinstance(feed, ChangeFeed)
    async for _ in feed:
        break
    checkpoint = feed.checkpoint
    assert checkpoint.isascii() and json.loads(json.dumps({"c": checkpoint}))["c"] == checkpoint
    assert client.follow_ups_v3.sync(checkpoint).checkpoint == checkpoint


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"overlap": datetime.timedelta(minutes=-1)}, "overlap"),
        ({"overlap": 300}, "overlap"),
        ({"page_size": 0}, "page_size"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
async def test_bad_options_are_refused_before_any_request(
    fake: FakeIncidentIO, client: IncidentIO, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidArgumentError, match=message):
        client.follow_ups_v3.sync(None, **options)
    assert fake.requests == []


async def test_a_job_saving_only_inside_its_loop_still_sees_every_change(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    # Its checkpoint is always one saved part-way through a listing: each run must still
    # finish that listing and list what changed since.
    ids = await listed(client)
    saved: str | None = None
    handed_on: list[str] = []

    async def job() -> None:
        nonlocal saved
        feed = client.follow_ups_v3.sync(saved, page_size=25)
        async for follow_up in feed:
            handed_on.append(follow_up.id)
            saved = feed.checkpoint

    await job()
    assert handed_on == ids
    assert isinstance(fake.clock, VirtualClock)
    for round_number, follow_up_id in enumerate((ids[30], ids[2], ids[50])):
        fake.clock.advance(60)
        await client.follow_ups_v3.update(
            follow_up_id, title=f"Round {round_number}", status="completed"
        )
        await job()
        assert handed_on[len(ids) + round_number :] == [follow_up_id]
    await job()
    assert len(handed_on) == len(ids) + 3
