"""client.follow_ups_v3 against the fake: pagination, filters, create_from_link, one state
shared with Follow-ups V2."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from typing import Any

import pytest

from incidentio_async import (
    IncidentIO,
    InvalidArgumentError,
    ServerError,
    UnprocessableEntityError,
)
from incidentio_async.clock import VirtualClock
from incidentio_async.models import FollowUpV3
from incidentio_async.testing import FakeIncidentIO, SampleSizes

from client_factory import CALLS_FOLLOW_UPS_V2

pytestmark = pytest.mark.anyio

UTC = datetime.UTC


@pytest.fixture
def fake() -> FakeIncidentIO:
    return FakeIncidentIO(seed=5, clock=VirtualClock(), sample_data=SampleSizes(follow_ups=60))


@pytest.fixture
async def client(fake: FakeIncidentIO) -> AsyncIterator[IncidentIO]:
    async with fake.client() as client:
        yield client


@CALLS_FOLLOW_UPS_V2
async def test_list_pages_oldest_first_by_id_and_matches_v2(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    pages = [page async for page in client.follow_ups_v3.list(page_size=7).pages()]
    ids = [f.id for page in pages for f in page.items]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert all(len(page.items) == 7 for page in pages[:-1])
    assert pages[-1].after is None
    v2 = await client.follow_ups_v2.list()
    assert sorted(f.id for f in v2) == ids
    requests = [r for r in fake.requests if r.path == "/v3/follow_ups"]
    assert [r.query.get("after") for r in requests] == [None, *[p.after for p in pages[:-1]]]


@CALLS_FOLLOW_UPS_V2
async def test_follow_ups_made_through_one_version_are_seen_through_the_other(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    incident = fake.add_incident()
    made_v2 = await client.follow_ups_v2.create(incident_id=incident, title="Through V2")
    made_v3 = await client.follow_ups_v3.create(
        incident_id=incident,
        title="Through V3",
        follow_up_category_id=next(iter(fake.state.categories)),
    )
    seen_v3 = await client.follow_ups_v3.get(made_v2.id)
    assert isinstance(seen_v3, FollowUpV3) and seen_v3.title == "Through V2"
    seen_v2 = await client.follow_ups_v2.get(made_v3.id)
    assert seen_v2.title == "Through V3"
    assert made_v3.category is not None and made_v3.category.name == "Reliability"
    listed = await client.follow_ups_v3.list(incident_id=incident).to_list()
    assert [f.id for f in listed] == [made_v2.id, made_v3.id]


async def test_resume_after_a_cursor_gives_the_rest_once(client: IncidentIO) -> None:
    everything = [f.id for f in await client.follow_ups_v3.list(page_size=10).to_list()]
    first = await client.follow_ups_v3.list(page_size=10, max_items=13).to_list()
    rest = await client.follow_ups_v3.list(page_size=10, after=first[-1].id).to_list()
    assert [f.id for f in first] + [f.id for f in rest] == everything


async def test_timestamp_filters_travel_as_deep_objects(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    everything = await client.follow_ups_v3.list(page_size=250).to_list()
    pivot = sorted(everything, key=lambda f: f.updated_at)[len(everything) // 2].updated_at
    elsewhere = datetime.timezone(datetime.timedelta(hours=2))
    since = await client.follow_ups_v3.list(
        page_size=250, updated_at={"gte": pivot.astimezone(elsewhere)}
    ).to_list()
    assert since and all(f.updated_at >= pivot for f in since)
    assert {f.id for f in since} == {f.id for f in everything if f.updated_at >= pivot}
    request = fake.requests[-1]
    assert "updated_at%5Bgte%5D=" in request.raw_query  # deepObject, brackets encoded
    sent = request.query["updated_at[gte]"]
    assert sent.endswith("Z") and datetime.datetime.fromisoformat(sent) == pivot

    day = everything[0].created_at.date()
    on_day = await client.follow_ups_v3.list(created_at={"date_range": (day, day)}).to_list()
    assert on_day and all(f.created_at.date() == day for f in on_day)
    assert fake.requests[-1].query["created_at[date_range]"] == f"{day}~{day}"
    until = await client.follow_ups_v3.list(created_at={"lte": day}).to_list()
    assert {f.id for f in until} == {f.id for f in everything if f.created_at.date() <= day}


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"updated_at": {"after": "2025-01-01"}}, "unknown operator 'after'"),
        ({"updated_at": {"gte": datetime.datetime(2025, 1, 1)}}, "naive datetime"),
        ({"updated_at": {}}, "non-empty mapping"),
        ({"updated_at": {"gte": ""}}, "must not be empty"),
        ({"created_at": {"date_range": "2025-01-01"}}, None),  # a string is sent as given
        ({"created_at": {"date_range": (datetime.date(2025, 1, 1),)}}, r"\(start, end\) pair"),
        ({"incident_id": ""}, "non-empty id"),
        ({"page_size": 0}, "between 1 and 250"),
    ],
)
async def test_bad_filters_are_refused_before_any_request(
    fake: FakeIncidentIO, client: IncidentIO, filters: dict[str, Any], message: str | None
) -> None:
    if message is None:
        with pytest.raises(UnprocessableEntityError, match="created_at"):
            await client.follow_ups_v3.list(**filters).to_list()
        return
    with pytest.raises(InvalidArgumentError, match=message):
        client.follow_ups_v3.list(**filters)
    assert fake.requests == []


async def test_create_from_link_connects_the_issue(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    incident = fake.add_incident()
    follow_up = await client.follow_ups_v3.create_from_link(
        incident_id=incident, url="https://linear.app/acme/issue/ENG-42/fix-it"
    )
    assert follow_up.external_issue_reference is not None
    assert follow_up.external_issue_reference.provider == "linear"
    assert follow_up.external_issue_reference.issue_name == "ENG-42"
    assert follow_up.status == "outstanding"
    with pytest.raises(UnprocessableEntityError) as caught:
        await client.follow_ups_v3.create_from_link(
            incident_id=incident, url="https://example.com/not-a-tracker"
        )
    assert caught.value.field_errors.keys() == {"url"}


async def test_create_from_link_is_not_retried_after_a_500(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    incident = fake.add_incident()
    fake.faults.script(status=500, method="POST", times=1)
    with pytest.raises(ServerError) as caught:
        await client.follow_ups_v3.create_from_link(
            incident_id=incident, url="https://github.com/acme/api/issues/9"
        )
    assert caught.value.idempotency_key is None
    assert [r.method for r in fake.requests] == ["POST"]


async def test_update_refuses_deleted_and_unassigns_with_null(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    incident = fake.add_incident()
    user = next(iter(fake.state.users.values()))
    made = await client.follow_ups_v3.create(incident_id=incident, title="T", assignee_id=user.id)
    with pytest.raises(InvalidArgumentError, match=r"delete\(follow_up_id\)"):
        await client.follow_ups_v3.update(made.id, title="T", status="deleted")
    updated = await client.follow_ups_v3.update(
        made.id, title="T", status="completed", assignee_id=None
    )
    assert updated.assignee is None and updated.completed_at is not None
    await client.follow_ups_v3.delete(made.id)
    assert made.id not in fake.state.follow_ups


async def test_an_enum_value_added_upstream_is_still_sent_at_run_time(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    from incidentio_async.models import FollowUpsUpdatePayloadV3Status

    follow_up = (await client.follow_ups_v3.list(page_size=1).to_list())[0]
    for status in ("archived", FollowUpsUpdatePayloadV3Status("archived")):
        with pytest.raises(UnprocessableEntityError):  # the fake knows only today's values
            await client.follow_ups_v3.update(
                follow_up.id,
                title=follow_up.title,
                status=status,  # type: ignore[arg-type]
            )
        assert b'"status":"archived"' in fake.requests[-1].body.replace(b" ", b"")


async def test_a_deprecation_the_test_did_not_ask_for_fails_it(client: IncidentIO) -> None:
    # pyproject.toml's filterwarnings makes warnings errors, and conftest.py forgets which
    # operations have warned: every test calling Follow-ups V2 without CALLS_FOLLOW_UPS_V2
    # (or pytest.warns) fails, whatever ran before it.
    from incidentio_async import IncidentIODeprecationWarning

    for _ in range(2):
        with pytest.raises(IncidentIODeprecationWarning, match="31 December 2026"):
            await client.follow_ups_v2.list()
