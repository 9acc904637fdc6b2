"""The short cuts taken to keep CPU per request low (issue 22) skip work, never guarantees.

Each test pins one short cut: that it is taken where it may be (counted deterministically:
calls made, objects built, scheduler passes), and that where it may not, the full path still
decides (order of waiters, budgets, concurrency, redaction, deduplication)."""

from __future__ import annotations

import gc
import random
from collections.abc import Sequence
from contextlib import AbstractContextManager

import anyio
import pytest

from incidentio_async._seen_records import SeenRecords
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import RateLimiter
from incidentio_async.ratelimit.headers import Quota
from incidentio_async.ratelimit.protocol import LimitedRequest
from incidentio_async.ratelimit.scopes import CACHED_LIMIT_LENGTH, Reading, read_response
from incidentio_async.ratelimit.scopes import _attribute_cached as attribution_cache

pytestmark = pytest.mark.anyio


class CountingClock(VirtualClock):
    """A virtual clock that counts the deadlines (cancel scopes) entered on it."""

    def __init__(self) -> None:
        super().__init__()
        self.deadlines = 0

    def fail_after(self, seconds: float) -> AbstractContextManager[anyio.CancelScope]:
        self.deadlines += 1
        return super().fail_after(seconds)


# -- the limiter ------------------------------------------------------------------------------


async def test_a_request_nothing_holds_back_is_admitted_without_a_deadline_scope() -> None:
    clock = CountingClock()
    limiter = RateLimiter(10, 1.0, clock=clock)
    await limiter.acquire(LimitedRequest("GET /v2/things", 5.0, clock.monotonic()))
    assert clock.deadlines == 0
    assert limiter.stats.acquired == 1
    assert limiter.tokens == pytest.approx(9)
    assert limiter.free_slots == limiter.max_concurrency - 1
    limiter.release()
    assert limiter.free_slots == limiter.max_concurrency


async def test_a_newcomer_never_takes_the_token_a_queued_waiter_is_waiting_for() -> None:
    clock = CountingClock()
    limiter = RateLimiter(3, 1.0, clock=clock, initial_tokens=1)  # reserve 1: next at t=1
    order: list[str] = []

    async def request(name: str) -> None:
        await limiter.acquire(LimitedRequest(None, 60.0, clock.monotonic()))
        order.append(name)
        limiter.release()

    async with anyio.create_task_group() as group:
        group.start_soon(request, "first")
        await clock.settle()  # waiting for the token of t=1
        clock.advance(1.0)  # the token is there, the waiter not yet run
        group.start_soon(request, "second")
        async with clock.running():
            await clock.sleep(10)
    assert order == ["first", "second"]
    assert clock.deadlines == 2  # both went through the queue, bounded by their budgets


async def test_with_every_slot_taken_a_request_waits_for_one() -> None:
    clock = CountingClock()
    limiter = RateLimiter(100, 10.0, max_concurrency=1, clock=clock)
    await limiter.acquire()
    admitted = anyio.Event()

    async def second() -> None:
        await limiter.acquire()
        admitted.set()

    async with anyio.create_task_group() as group:
        group.start_soon(second)
        await clock.settle()
        assert not admitted.is_set()
        assert limiter.tokens == pytest.approx(99)  # its token not taken while it waits
        limiter.release()
    assert admitted.is_set()
    limiter.release()


async def test_an_empty_bucket_still_raises_for_a_budget_it_exceeds() -> None:
    from incidentio_async.ratelimit import RateLimitBudgetExceeded

    clock = CountingClock()
    limiter = RateLimiter(3, 1.0, clock=clock, initial_tokens=1)  # next token at t=1
    with pytest.raises(RateLimitBudgetExceeded):
        await limiter.acquire(LimitedRequest(None, 0.5, clock.monotonic()))
    assert limiter.free_slots == limiter.max_concurrency


# -- reading the rate-limit headers ------------------------------------------------------------

KEY = Quota(1200, 20)


def test_the_limit_header_is_read_once_per_value() -> None:
    attribution_cache.cache_clear()
    own = "60, 1200;window=60, 60;window=60"
    for remaining in ("59", "58", "57"):
        reading = read_response({"X-RateLimit-Limit": own, "X-RateLimit-Remaining": remaining}, KEY)
        assert reading == Reading("own", Quota(60, 1.0), float(remaining))
    info = attribution_cache.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_a_long_limit_header_is_read_every_time_and_not_kept() -> None:
    attribution_cache.cache_clear()
    padded = "1200, 1200;window=60" + " " * CACHED_LIMIT_LENGTH
    for _ in range(2):
        assert read_response({"X-RateLimit-Limit": padded}, KEY) == Reading("key", None, None)
    assert attribution_cache.cache_info().currsize == 0


# -- redaction and argument checks -------------------------------------------------------------


def test_the_secrets_are_listed_again_only_when_one_is_born_or_dies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from incidentio_async import _secret

    # Only this test's secrets may be born or die meanwhile (a collection could end others').
    gc.collect()
    gc.disable()
    try:
        first = _secret.Secret("first-key-0123456789")
        listed = 0
        original = _secret._live_values

        def counting() -> frozenset[str]:
            nonlocal listed
            listed += 1
            return original()

        monkeypatch.setattr(_secret, "_live_values", counting)
        assert _secret.redact("a first-key-0123456789 b") == "a [redacted] b"
        assert _secret.redact("first-key-0123456789") == "[redacted]"
        assert listed <= 1
        second = _secret.Secret("second-key-0123456789")
        assert _secret.redact("second-key-0123456789") == "[redacted]"  # born after: found
        assert listed <= 2
        del second  # no cycle holds it: it dies here
        assert _secret.redact("second-key-0123456789") == "second-key-0123456789"  # dead: left
        assert _secret.redact("first-key-0123456789") == "[redacted]"
        assert listed <= 3
        del first
    finally:
        gc.enable()


def test_control_characters_are_found_as_before() -> None:
    from incidentio_async._validation import has_control_characters

    def by_hand(text: str) -> bool:
        return any(ord(char) < 0x20 or ord(char) == 0x7F for char in text)

    samples = [chr(code) for code in range(0x200)] + ["01H\u2028X", "é\x7f", "", "ok", "a\nb"]
    for text in samples:
        assert has_control_characters(text) is by_hand(text), repr(text)


# -- the lookahead -----------------------------------------------------------------------------


async def test_the_lookahead_request_is_on_the_wire_before_the_records_are_built(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The head start is a few scheduler passes, not a wait for the answer: enough for the
    next page's request to be written to a kept-alive connection before this page's records
    (the CPU-heavy part) are built, over a real socket."""
    from httpcore._async.http11 import AsyncHTTP11Connection

    from incidentio_async import IncidentIO
    from incidentio_async._resource import _PageBody
    from incidentio_async.testing import FakeIncidentIO

    from asgi_server import serve_in_thread

    fake = FakeIncidentIO(seed=3, rate_limit=False, latency=0.05)
    incident = fake.add_incident_updates(5 * 20)
    written = 0
    written_at_build: list[int] = []
    send_body = AsyncHTTP11Connection._send_request_body
    records = _PageBody.records

    async def counting_send_body(self: AsyncHTTP11Connection, request: object) -> None:
        nonlocal written
        await send_body(self, request)  # type: ignore[arg-type]
        written += 1

    def noting_records(self: _PageBody[object], cursor_used: str | None) -> list[object]:
        written_at_build.append(written)
        return records(self, cursor_used)

    monkeypatch.setattr(AsyncHTTP11Connection, "_send_request_body", counting_send_body)
    monkeypatch.setattr(_PageBody, "records", noting_records)
    with serve_in_thread(fake) as url:
        async with IncidentIO(fake.api_key, base_url=url) as client:
            pager = client.incident_updates.list(incident_id=incident, page_size=20)
            pages = [page async for page in pager.pages()]
    assert len(pages) == 5
    # Page k's records are built once request k + 1 has been written (the last has no next).
    assert written_at_build == [2, 3, 4, 5, 5]


# -- deduplication -----------------------------------------------------------------------------


class _SetBySet(SeenRecords[str]):
    """The fast path as it was before issue 22 (a set of the page, a disjointness check, a
    union): the oracle for the one-pass version."""

    def sort(self, records: Sequence[str]) -> tuple[list[str], str | None]:
        recent, farthest, ascending = self._recent, self._farthest_forgotten, self._ascending
        ids = list(map(self._record_id, records))
        distinct = set(ids)
        if (
            ids
            and len(distinct) == len(ids)
            and recent.isdisjoint(distinct)
            and (farthest is None or (min(ids) > farthest if ascending else max(ids) < farthest))
        ):
            recent |= distinct
            self._batches.append(ids)
            self._forget_oldest()
            return list(records), None
        return self._sort_one_by_one(records, ids)


@pytest.mark.parametrize("ordered", [False, True])
@pytest.mark.parametrize("seed", range(40))
def test_the_one_pass_dedupe_decides_as_the_set_by_set_one(ordered: bool, seed: int) -> None:
    rng = random.Random(seed)
    fast = SeenRecords[str](str, ordered=ordered, recent=6)
    oracle = _SetBySet(str, ordered=ordered, recent=6)
    next_id = 100
    for _ in range(60):
        page = [f"{next_id + i:04d}" for i in range(rng.randint(0, 4))]
        next_id += len(page)
        for _ in range(rng.choice([0, 0, 1, 2])):  # repeats, recent or old, in any place
            page.insert(rng.randint(0, len(page)), f"{rng.randint(100, next_id):04d}")
        assert fast.sort(page) == oracle.sort(page)
        assert fast._recent == oracle._recent
        assert fast._farthest_forgotten == oracle._farthest_forgotten


# -- the limiter's primitives per event loop ---------------------------------------------------


def test_each_asyncio_loop_has_its_own_primitives_and_none_is_kept_alive() -> None:
    """The last loop's value is remembered to skip anyio's look-up, never handed to another
    loop, and the loop itself is not kept alive by it."""
    import asyncio
    import weakref

    from incidentio_async.ratelimit.perloop import PerLoop

    per_loop: PerLoop[object] = PerLoop("test", object)
    loops: list[weakref.ref[asyncio.AbstractEventLoop]] = []

    async def values() -> tuple[object, object, object | None]:
        loops.append(weakref.ref(asyncio.get_running_loop()))
        return per_loop.get(), per_loop.get(), per_loop.peek()

    first = asyncio.run(values())
    second = asyncio.run(values())
    assert first[0] is first[1] is first[2]
    assert second[0] is second[1] is second[2]
    assert first[0] is not second[0]
    gc.collect()
    assert loops[0]() is None
    assert per_loop.peek() is None  # no loop running


# -- request headers ---------------------------------------------------------------------------


async def test_a_client_of_our_own_sends_the_same_headers_without_merging_them_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Our own httpx client carries the headers of every request: a request adds its key (and
    the caller's extra headers) instead of replacing httpx's defaults one by one."""
    import httpx

    from incidentio_async import IncidentIO

    sent: list[httpx.Headers] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.copy())  # the key is redacted from the request after
        return httpx.Response(204)

    replaced = 0
    delete = httpx.Headers.__delitem__

    def counting_delete(self: httpx.Headers, key: str) -> None:
        nonlocal replaced
        replaced += 1
        delete(self, key)

    async with IncidentIO(
        "bench-key-0123456789", transport=httpx.MockTransport(answer), headers={"X-Team": "a"}
    ) as client:
        await client.request("DELETE", "/v2/things/1", headers={"X-Trace": "t"})
        monkeypatch.setattr(httpx.Headers, "__delitem__", counting_delete)
        await client.request("DELETE", "/v2/things/2", headers={"X-Trace": "u"})
    assert replaced == 0
    first, second = (dict(headers.multi_items()) for headers in sent)
    assert first == {**second, "x-trace": "t"}
    assert second["authorization"] == "Bearer bench-key-0123456789"
    assert second["accept"] == "application/json"
    assert second["user-agent"].startswith("incidentio-async/")
    assert second["x-team"] == "a"
    assert second["x-trace"] == "u"
    assert [name for name, _ in second.items()].count("accept") == 1
