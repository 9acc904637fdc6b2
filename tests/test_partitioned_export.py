"""list(concurrency=N): partitions of the created_at range, fetched at once, give the same
records in the same order as the cursor chain; stopping and failing leave nothing behind."""

from __future__ import annotations

import datetime
import random
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

import incidentio_async._partitions as partitions
from incidentio_async import IncidentIO, InvalidArgumentError, ServerError
from incidentio_async._partition_plan import Partition, id_time
from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.faults import ScriptedResponse
from incidentio_async.testing.records import to_micros
from incidentio_async.testing.samples import clustered_times

from client_factory import FOLLOW_UP, json_response, mock_client

pytestmark = pytest.mark.anyio

LATENCY = 0.2
"""Seconds the fake takes per request: virtual time shows how many rounds an export took."""

END = 1_790_000_000.0
"""Where the test data ends (2026-09-21), an hour before the clock's "now"."""


def make_fake(times: list[float]) -> FakeIncidentIO:
    clock = VirtualClock(wall_start=END + 3600)
    fake = FakeIncidentIO(seed=1, clock=clock, sample_data=False, latency=LATENCY)
    incident = fake.add_incident()
    for at in times:
        fake.add_follow_up(incident, "Follow-up", at=at)
    return fake


@pytest.fixture
def fake() -> FakeIncidentIO:
    return make_fake(clustered_times(3000, end=END, seed=3))


@pytest.fixture
async def client(fake: FakeIncidentIO) -> AsyncIterator[IncidentIO]:
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), fake.client() as client:
        yield client


async def ids_of(client: IncidentIO, **arguments: Any) -> list[str]:
    return [f.id for f in await client.follow_ups_v3.list(**arguments).to_list()]


async def timed(
    fake: FakeIncidentIO, client: IncidentIO, **arguments: Any
) -> tuple[list[str], int, float]:
    """The IDs listed, the requests made and the virtual seconds taken."""
    before, started = len(fake.requests), fake.clock.monotonic()
    ids = await ids_of(client, **arguments)
    return ids, len(fake.requests) - before, fake.clock.monotonic() - started


def partition_requests(fake: FakeIncidentIO) -> list[dict[str, str]]:
    return [r.query for r in fake.requests if "created_at[gte]" in r.query]


@pytest.mark.parametrize("concurrency", [4, 8])
async def test_the_same_records_in_the_same_order_as_the_chain_on_clustered_data(
    fake: FakeIncidentIO, client: IncidentIO, concurrency: int
) -> None:
    chain, chain_requests, chain_time = await timed(fake, client, page_size=50)
    assert len(chain) == 3000 and chain == sorted(chain)
    fake.reset_requests()
    ours, requests, took = await timed(fake, client, page_size=50, concurrency=concurrency)
    assert ours == chain
    assert len(partition_requests(fake)) > 0  # it did partition
    assert took <= chain_time * 0.45
    assert requests <= chain_requests * 1.2 + 2


async def test_a_sub_range_of_the_caller_bounds_the_partitions(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    everything = await client.follow_ups_v3.list(page_size=250).to_list()
    low = everything[400].created_at
    high = everything[2600].created_at
    for created in (
        {"gte": low, "lte": high},
        {"gte": low},
        {"date_range": (low.date(), high.date())},
        {"lte": high.date()},
    ):
        chain = await ids_of(client, page_size=40, created_at=created)
        fake.reset_requests()
        ours = await ids_of(client, page_size=40, created_at=created, concurrency=6)
        assert ours == chain and ours, created
        sent = fake.requests
        assert len(partition_requests(fake)) > 0
        for request in sent:
            # Every partition stays inside the caller's range.
            if "gte" in created and "created_at[gte]" in request.query:
                moment = datetime.datetime.fromisoformat(request.query["created_at[gte]"])
                assert moment >= created["gte"]
            if "date_range" in created:
                assert request.query["created_at[date_range]"] == f"{low.date()}~{high.date()}"


async def test_records_on_partition_boundaries_and_ids_out_of_step_with_creation_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Groups of records created in the same microsecond, some whose ID's time runs slightly
    # ahead of or behind their created_at; splits land exactly on a group's time.
    times = [END - 86400 + (n // 5) * 7.0 for n in range(1500)]
    fake = make_fake(times)
    rng = random.Random(7)
    for follow_up in list(fake.state.follow_ups.values()):
        if rng.random() < 0.3:
            follow_up.created_us += rng.choice((-1, 1)) * rng.randrange(1, 900)
    on_records: list[datetime.datetime] = []

    def split_on_a_record(
        candidates: Any, **kwargs: Any
    ) -> tuple[Partition, datetime.datetime] | None:
        choice = real_choose(candidates, **kwargs)
        if choice is None:
            return None
        victim, point = choice
        # The creation time of the first record at or past the point chosen.
        later = [
            f.created_us
            for f in fake.state.follow_ups.values()
            if f.created_us > to_micros(point.timestamp())
        ]
        if not later:
            return choice
        if victim.high is not None and min(later) >= to_micros(victim.high.timestamp()):
            return choice
        moment = datetime.datetime.fromtimestamp(0, datetime.UTC) + datetime.timedelta(
            microseconds=min(later)
        )
        on_records.append(moment)
        return victim, moment

    real_choose = partitions.choose_split
    monkeypatch.setattr(partitions, "choose_split", split_on_a_record)
    assert isinstance(fake.clock, VirtualClock)
    async with fake.clock.running(), fake.client() as client:
        chain = await ids_of(client, page_size=30)
        ours = await ids_of(client, page_size=30, concurrency=8)
    assert len(on_records) >= 5
    assert ours == chain  # once each, in ID order
    boundary_records = [
        f.id
        for f in fake.state.follow_ups.values()
        if datetime.datetime.fromtimestamp(0, datetime.UTC)
        + datetime.timedelta(microseconds=f.created_us)
        in on_records
    ]
    assert boundary_records  # records sat exactly on boundaries: both partitions returned them


async def test_a_partition_failing_after_retries_raises_with_where_to_resume(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    chain = await ids_of(client, page_size=50)
    fake.reset_requests()
    take_script = fake.faults.take_script

    def down_from_the_twentieth_request(method: str, path: str, template: str | None) -> Any:
        if len(fake.requests) >= 20:  # every partition's requests fail from here on
            return ScriptedResponse(503, {"type": "unavailable", "status": 503, "errors": []})
        return take_script(method, path, template)

    handed_on: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fake.faults, "take_script", down_from_the_twentieth_request)
        with pytest.raises(ServerError) as raised:
            async for follow_up in client.follow_ups_v3.list(
                page_size=50, concurrency=8, max_retries=1
            ):
                handed_on.append(follow_up.id)
    # Whatever was handed on before the failure came in the chain's order, and the error
    # says where that ends (None: nothing yet).
    assert len(handed_on) < len(chain) and handed_on == chain[: len(handed_on)]
    assert raised.value.resume_after == (handed_on[-1] if handed_on else None)
    rest = await ids_of(client, page_size=50, concurrency=8, after=raised.value.resume_after)
    assert handed_on + rest == chain


async def test_an_error_before_any_record_resumes_from_the_callers_cursor(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    start = (await ids_of(client, page_size=10, max_items=10))[-1]
    fake.faults.script(400, {"type": "bad"}, path="/v3/follow_ups", times=1)
    with pytest.raises(Exception) as raised:
        await ids_of(client, page_size=50, concurrency=4, after=start)
    assert getattr(raised.value, "resume_after", None) == start


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts requests started, finished and cancelled on their way to another transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.started = self.finished = self.cancelled = 0

    @property
    def in_flight(self) -> int:
        return self.started - self.finished - self.cancelled

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.started += 1
        try:
            response = await self.inner.handle_async_request(request)
        except BaseException:
            self.cancelled += 1
            raise
        self.finished += 1
        return response


@pytest.mark.parametrize("how", ["break", "aclose", "cancel", "max_items"])
async def test_stopping_early_leaves_no_request_or_task_running(
    fake: FakeIncidentIO, how: str
) -> None:
    transport = CountingTransport(fake.transport())
    assert isinstance(fake.clock, VirtualClock)
    clock = fake.clock
    async with clock.running(), fake.client(transport=transport) as client:
        limiter: Any = client.rate_limiter
        pager = client.follow_ups_v3.list(
            page_size=50, concurrency=8, max_items=600 if how == "max_items" else None
        )
        seen = 0
        if how == "break":
            async for page in pager.pages():  # dropped at the break, as in most code
                seen += len(page.items)
                if seen >= 100:
                    await clock.sleep(0.01)
                    assert transport.in_flight > 0  # partitions' requests are in flight
                    break
        else:
            pages = pager.pages()
            with anyio.CancelScope() as scope:
                async for page in pages:
                    seen += len(page.items)
                    if seen >= 100 and how != "max_items" and not scope.cancel_called:
                        await clock.sleep(0.01)
                        assert transport.in_flight > 0
                        if how == "aclose":
                            break
                        scope.cancel()  # the next page's wait is cancelled
            if how == "aclose":
                await pages.aclose()
            if how == "cancel":
                assert scope.cancelled_caught
        await clock.settle()
        assert transport.in_flight == 0
        if how == "max_items":
            assert seen == 600
        else:
            assert transport.cancelled > 0  # requests were in flight, and were cancelled
        assert limiter.free_slots == limiter.max_concurrency
        requests = transport.started
        await clock.sleep(10 * LATENCY)
        assert transport.started == requests  # and nothing starts later


async def test_max_items_gives_the_chains_first_records(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    chain = await ids_of(client, page_size=50, max_items=1234)
    assert await ids_of(client, page_size=50, max_items=1234, concurrency=8) == chain
    fake.reset_requests()
    # No more records wanted than a page holds: one request, as the chain would make.
    assert await ids_of(client, page_size=50, max_items=30, concurrency=8) == chain[:30]
    assert len(fake.requests) == 1


async def test_pages_hold_the_chains_records_with_a_cursor_to_resume_from(
    client: IncidentIO,
) -> None:
    chain = await ids_of(client, page_size=50)
    pages = [page async for page in client.follow_ups_v3.list(page_size=50, concurrency=4).pages()]
    assert [f.id for page in pages for f in page.items] == chain
    assert pages[-1].after is None
    for page in pages[:-1]:
        assert page.after == page.items[-1].id


@pytest.mark.parametrize("concurrency", [0, 33, True, "4", 2.0])
async def test_a_bad_concurrency_is_refused_before_any_request(
    fake: FakeIncidentIO, client: IncidentIO, concurrency: Any
) -> None:
    with pytest.raises(InvalidArgumentError, match="concurrency"):
        client.follow_ups_v3.list(concurrency=concurrency)
    assert fake.requests == []


async def test_ids_that_are_not_ulids_are_listed_by_one_chain() -> None:
    records = [
        {
            **FOLLOW_UP,
            "id": f"FU{n:05d}",
            "created_at": f"2025-01-{1 + n // 100:02d}T00:00:{n % 60:02d}Z",
        }
        for n in range(300)
    ]
    queries: list[httpx.QueryParams] = []

    def api(request: httpx.Request) -> httpx.Response:
        queries.append(request.url.params)
        after = request.url.params.get("after")
        start = (
            0 if after is None else next(i for i, r in enumerate(records) if r["id"] == after) + 1
        )
        page = records[start : start + 50]
        meta: dict[str, Any] = {"page_size": 50}
        if start + 50 < len(records):
            meta["after"] = page[-1]["id"]
        return json_response(200, {"follow_ups": page, "pagination_meta": meta})

    async with mock_client(api) as client:
        listed = await client.follow_ups_v3.list(page_size=50, concurrency=8).to_list()
    assert [f.id for f in listed] == [r["id"] for r in records]
    assert len(queries) == 6 and all("created_at[gte]" not in q for q in queries)


def test_id_time_reads_a_ulids_milliseconds() -> None:
    assert id_time("01ARZ3NDEKTSV4RRFFQ69G5FAV") == datetime.datetime(
        2016, 7, 30, 23, 54, 10, 259000, tzinfo=datetime.UTC
    )
    for not_ulid in ("FU00001", "01ARZ3NDEKTSV4RRFFQ69G5FA!", "01arz3ndektsv4rrffq69g5fav"):
        assert id_time(not_ulid) is None


async def test_an_export_of_one_page_is_one_request_and_one_page(
    fake: FakeIncidentIO, client: IncidentIO
) -> None:
    incident = fake.add_incident()
    for n in range(40):
        fake.add_follow_up(incident, f"Follow-up {n}", at=END)
    fake.reset_requests()
    pages = [
        page
        async for page in client.follow_ups_v3.list(
            incident_id=incident, page_size=50, concurrency=8
        ).pages()
    ]
    assert [len(page.items) for page in pages] == [40]
    assert len(fake.requests) == 1 and pages[0].after is None
