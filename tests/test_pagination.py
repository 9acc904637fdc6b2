"""client.incident_updates.list: async pagination, max_items, early exit, lookahead."""

from __future__ import annotations

from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

from incidentio_async import InvalidArgumentError, Page, PaginationError, ServerError
from incidentio_async._background import BackgroundTask
from incidentio_async.clock import VirtualClock
from incidentio_async.models import IncidentUpdate, IncidentUpdatesListResultV2

from client_factory import json_response, mock_client, update_record

pytestmark = pytest.mark.anyio


class PagedAPI:
    """Serves ``total`` incident updates with cursor pagination, like the API.

    Async, so tests can hold a request open (``gate``) and see whether it was cancelled.
    """

    def __init__(self, total: int, *, gate: bool = False) -> None:
        self.records = [update_record(i) for i in range(total)]
        self.requests: list[httpx.Request] = []
        self.started = 0
        self.finished = 0
        self.cancelled = 0
        self.release = anyio.Event() if gate else None
        self.fail_on_request: int | None = None
        self.repeat_cursor = False

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = len(self.requests)
        self.started += 1
        try:
            if self.release is not None and number > 1:
                await self.release.wait()
        except BaseException:
            self.cancelled += 1
            raise
        self.finished += 1
        if self.fail_on_request == number:
            return json_response(400, {"type": "bad", "status": 400, "errors": []})
        params = request.url.params
        size = int(params.get("page_size", "25"))
        start = 0
        if "after" in params:
            start = next(i for i, r in enumerate(self.records) if r["id"] == params["after"]) + 1
        page = self.records[start : start + size]
        meta: dict[str, Any] = {"page_size": size}
        if start + size < len(self.records):
            meta["after"] = self.records[0 if self.repeat_cursor else start + size - 1]["id"]
        return json_response(200, {"incident_updates": page, "pagination_meta": meta})

    def afters(self) -> list[str | None]:
        return [r.url.params.get("after") for r in self.requests]


async def test_iterates_every_record_across_pages_in_order() -> None:
    api = PagedAPI(23)
    async with mock_client(api) as client:
        updates = [u async for u in client.incident_updates.list(page_size=10, incident_id="01I")]
    assert [u.id for u in updates] == [r["id"] for r in api.records]
    assert all(isinstance(u, IncidentUpdate) for u in updates)
    assert len(api.requests) == 3
    assert api.afters() == [None, api.records[9]["id"], api.records[19]["id"]]
    assert all(r.url.params["incident_id"] == "01I" for r in api.requests)
    assert all(r.url.params["page_size"] == "10" for r in api.requests)


async def test_pages_expose_items_and_the_next_cursor() -> None:
    api = PagedAPI(12)
    async with mock_client(api) as client:
        pages = [p async for p in client.incident_updates.list(page_size=5).pages()]
    assert [len(p.items) for p in pages] == [5, 5, 2]
    assert [p.after for p in pages] == [api.records[4]["id"], api.records[9]["id"], None]
    assert all(isinstance(p, Page) for p in pages)


async def test_default_page_size_is_left_to_the_api() -> None:
    api = PagedAPI(3)
    async with mock_client(api) as client:
        assert len(await client.incident_updates.list().to_list()) == 3
    assert "page_size" not in api.requests[0].url.params


@pytest.mark.parametrize("lookahead", [True, False])
@pytest.mark.parametrize(
    ("max_items", "requests"), [(0, 0), (4, 1), (10, 1), (11, 2), (15, 2), (100, 3)]
)
async def test_max_items_stops_without_further_requests(
    lookahead: bool, max_items: int, requests: int
) -> None:
    api = PagedAPI(30)
    async with mock_client(api) as client:
        pager = client.incident_updates.list(page_size=10, max_items=max_items, lookahead=lookahead)
        updates = [u async for u in pager]
    assert [u.id for u in updates] == [r["id"] for r in api.records[:max_items]]
    assert len(api.requests) == requests


async def test_a_page_cut_by_max_items_points_after_its_last_record() -> None:
    api = PagedAPI(30)
    async with mock_client(api) as client:
        pages = [p async for p in client.incident_updates.list(page_size=10, max_items=14).pages()]
    assert [len(p.items) for p in pages] == [10, 4]
    assert pages[-1].after == api.records[13]["id"]


async def test_breaking_out_early_without_lookahead_makes_no_further_request() -> None:
    api = PagedAPI(30)
    async with mock_client(api) as client:
        async for _ in client.incident_updates.list(page_size=10, lookahead=False):
            break
        await anyio.lowlevel.checkpoint()
    assert len(api.requests) == 1


async def test_next_page_is_in_flight_while_the_caller_works() -> None:
    api = PagedAPI(30, gate=True)
    clock = VirtualClock()
    async with mock_client(api, clock=clock) as client:
        pages = client.incident_updates.list(page_size=10).pages()
        first = await pages.__anext__()
        await clock.settle()
        assert len(first.items) == 10
        assert api.started == 2  # page 2 was requested before we asked for it
        assert api.release is not None
        api.release.set()
        rest = [p async for p in pages]
    assert [len(p.items) for p in rest] == [10, 10]
    assert api.cancelled == 0


async def test_without_lookahead_requests_wait_for_the_caller() -> None:
    api = PagedAPI(30)
    clock = VirtualClock()
    async with mock_client(api, clock=clock) as client:
        pages = client.incident_updates.list(page_size=10, lookahead=False).pages()
        await pages.__anext__()
        await clock.settle()
        assert api.started == 1
        await pages.aclose()


async def test_break_cancels_the_request_in_flight() -> None:
    api = PagedAPI(30, gate=True)
    clock = VirtualClock()
    async with mock_client(api, clock=clock) as client:
        async for _ in client.incident_updates.list(page_size=10):
            await clock.settle()
            assert api.started == 2
            break
        await clock.settle()
        assert api.cancelled == 1
        assert api.finished == 1
        assert client.rate_limiter.free_slots == client.rate_limiter.max_concurrency  # type: ignore[attr-defined]
    assert len(api.requests) == 2


async def test_aclose_cancels_the_request_in_flight_and_waits_for_it() -> None:
    api = PagedAPI(30, gate=True)
    clock = VirtualClock()
    async with mock_client(api, clock=clock) as client:
        async with client.incident_updates.list(page_size=10).pages() as pages:
            async for _ in pages:
                await clock.settle()
                break
        assert (api.started, api.cancelled, api.finished) == (2, 1, 1)


async def test_a_lookahead_cancelled_before_it_starts_leaves_nothing_behind() -> None:
    calls: list[str] = []

    async def fetch() -> str:
        await anyio.lowlevel.checkpoint()  # where a request would first wait
        calls.append("got past its first wait")
        return "page"

    task = BackgroundTask(fetch)
    await task.aclose()  # cancelled before its first step
    await anyio.lowlevel.checkpoint()
    assert task.done and calls == []
    with pytest.raises(RuntimeError, match="cancelled"):
        await task.result()


async def test_the_next_request_is_sent_before_this_page_is_built() -> None:
    api = PagedAPI(30, gate=True)
    built_while: list[int] = []
    async with mock_client(api) as client:
        pager = client.incident_updates.list(page_size=10)
        real_build = IncidentUpdatesListResultV2.from_dict

        def spying_build(data: Any) -> Any:
            built_while.append(api.started)
            return real_build(data)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(IncidentUpdatesListResultV2, "from_dict", spying_build)
            pages = pager.pages()
            await pages.__anext__()
            await pages.aclose()
    # Page 1's records were built after page 2's request had gone out.
    assert built_while == [2]


async def test_cancelling_the_consumer_cancels_the_request_in_flight() -> None:
    api = PagedAPI(30, gate=True)
    clock = VirtualClock()
    async with mock_client(api, clock=clock) as client:
        with anyio.CancelScope() as scope:
            async for _ in client.incident_updates.list(page_size=10):
                await clock.settle()
                scope.cancel()
                await anyio.sleep(1)  # cancelled here, while page 2 is in flight
        await clock.settle()
        assert scope.cancelled_caught
        assert (api.started, api.cancelled, api.finished) == (2, 1, 1)


async def test_a_repeated_cursor_raises_instead_of_looping_forever() -> None:
    api = PagedAPI(30)
    api.repeat_cursor = True
    seen: list[str] = []
    async with mock_client(api) as client:
        with pytest.raises(PaginationError, match=r"cursor .* a second time"):
            async for update in client.incident_updates.list(page_size=10):
                seen.append(update.id)
    # Both pages delivered (the second overlaps the first: each record once), then the loop
    # is refused.
    assert seen == [r["id"] for r in api.records[:11]]
    assert len(api.requests) == 2


async def test_an_error_on_a_later_page_surfaces_after_the_earlier_records() -> None:
    api = PagedAPI(30)
    api.fail_on_request = 2
    seen: list[str] = []
    async with mock_client(api) as client:
        with pytest.raises(Exception) as caught:
            async for update in client.incident_updates.list(page_size=10):
                seen.append(update.id)
    assert caught.value.__class__.__name__ == "BadRequestError"
    assert len(seen) == 10


async def test_a_later_page_is_retried_like_any_get() -> None:
    api = PagedAPI(20)
    answers = iter([None, json_response(503, {"type": "x", "status": 503, "errors": []})])
    clock = VirtualClock()

    async def flaky(request: httpx.Request) -> httpx.Response:
        injected = next(answers, None)
        return injected if injected is not None else await api(request)

    async with clock.running(), mock_client(flaky, clock=clock) as client:
        updates = await client.incident_updates.list(page_size=10).to_list()
    assert len(updates) == 20


@pytest.mark.parametrize("page_size", [0, 251, -1, "25", 2.5, True])
async def test_page_size_outside_1_to_250_is_refused_before_any_request(page_size: Any) -> None:
    api = PagedAPI(3)
    async with mock_client(api) as client:
        with pytest.raises(InvalidArgumentError, match="page_size"):
            client.incident_updates.list(page_size=page_size)
    assert api.requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_items": -1}, "max_items"),
        ({"incident_id": 5}, "incident_id"),
        ({"max_retries": "2"}, "max_retries"),
    ],
)
async def test_other_bad_list_arguments_are_refused(kwargs: dict[str, Any], message: str) -> None:
    async with mock_client(PagedAPI(1)) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            client.incident_updates.list(**kwargs)


async def test_each_iteration_starts_from_the_first_page() -> None:
    api = PagedAPI(5)
    async with mock_client(api) as client:
        pager = client.incident_updates.list(page_size=5)
        first = [u.id async for u in pager]
        second = [u.id async for u in pager]
    assert first == second and len(api.requests) == 2


async def test_server_error_on_first_page_raises() -> None:
    clock = VirtualClock()

    def down(request: httpx.Request) -> httpx.Response:
        return json_response(500, {"type": "internal", "status": 500, "errors": []})

    async with clock.running(), mock_client(down, clock=clock, max_retries=1) as client:
        with pytest.raises(ServerError):
            await client.incident_updates.list().to_list()


async def test_a_timeout_while_waiting_for_the_next_page_cancels_its_request() -> None:
    api = PagedAPI(30, gate=True)
    clock = VirtualClock()
    async with mock_client(api, clock=clock) as client:
        pages = client.incident_updates.list(page_size=10).pages()
        await pages.__anext__()  # page 2 is now in flight, held at the gate
        with anyio.move_on_after(0.05) as scope:  # real time: page 2 never comes
            await pages.__anext__()
        assert scope.cancelled_caught
        await clock.settle()
        assert (api.started, api.cancelled) == (2, 1)
        assert client.rate_limiter.free_slots == client.rate_limiter.max_concurrency  # type: ignore[attr-defined]


async def test_lookahead_requests_keep_the_callers_context_variables() -> None:
    import contextvars

    job = contextvars.ContextVar("job", default="none")
    seen: list[str] = []
    api = PagedAPI(30)

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(job.get())
        return await api(request)

    job.set("job-42")
    async with mock_client(handler) as client:
        await client.incident_updates.list(page_size=10).to_list()
    assert seen == ["job-42"] * 3
