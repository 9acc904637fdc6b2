"""``list(concurrency=N)``: one export as partitions of its creation-time range, fetched at
once and merged back into the order of the cursor chain.

A cursor chain cannot ask for page n+1 before page n names its cursor. A list ordered by ID
(ULIDs: creation order) that filters its creation time can be cut instead: each partition is
a chain of its own over ``[low, high]`` (the API's ``gte`` / ``lte``, both inclusive), run by
one of N workers through the normal pager and request pipeline. The first partition is the
whole range; idle workers split the partition with the most work left (see
:mod:`._partition_plan`), so records clustered in time still keep every worker busy. Where
the records start shows on the first page; the last partition keeps the caller's upper bound
(none: records created while the export runs are in it too), and now (the server's Date, or
this machine's clock) stands in for it in estimates. IDs that are not ULIDs, or records
without the creation time, stop the splitting: the export is then one chain.

Each partition arrives in ID order; the consumer merges them by ID, which gives exactly the
chain's order and drops the copy of a record that two partitions both returned (one on a
boundary). A partition split off starts after its parent's cursor: every record of its range
up to there has come through the parent, so none sorts before a record handed on, however far
creation times are from IDs' times. Cursors are only ever IDs the API returned. Workers stop
fetching ahead once ``BUFFERED_PAGES_PER_WORKER`` pages per worker wait to be merged, so
memory stays bounded however long the export.

Stopping early (``max_items``, ``break``, ``aclose()``, cancellation, an error) cancels every
partition's request at once; an error carries ``resume_after`` = the last ID handed on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import heapq
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar, cast

import anyio

from ._background import BackgroundTask
from ._partition_plan import Partition, SplitPolicy, choose_split, is_ulid
from ._retry_after import server_time
from ._validation import check_int
from .clock import Clock
from .errors import IncidentIOError, InvalidArgumentError, PaginationError
from .pagination import AsyncPager, FetchPage, Page, PageIterator, RawPage, record_id

T = TypeVar("T")

logger = logging.getLogger("incidentio_async")

FetchRange = Callable[
    [str | None, datetime.datetime | None, datetime.datetime | None], Awaitable[RawPage[T]]
]
"""Fetches one page of a partition: ``(cursor, low, high)``, the bounds narrowing the
caller's creation-time filter (None: the caller's own)."""

MAX_CONCURRENCY = 32
"""The most partitions fetched at once (the limiter lets at most 32 requests fly)."""

BUFFERED_PAGES_PER_WORKER = 8
"""Pages received and not yet merged, per worker, past which workers wait for the consumer
(a partition whose pages have all been merged still fetches, so merging never stalls)."""

_MIN_GUARD = datetime.timedelta(milliseconds=2)
"""The least a split point lies past the last record its partition received."""


def check_concurrency(value: object) -> int:
    """``concurrency``: an integer from 1 to :data:`MAX_CONCURRENCY`."""
    number = check_int(value, "concurrency")
    if not 1 <= number <= MAX_CONCURRENCY:
        raise InvalidArgumentError(f"concurrency must be from 1 to {MAX_CONCURRENCY}, not {number}")
    return number


@dataclasses.dataclass(frozen=True)
class ExportSettings:
    """What a partitioned export needs besides its fetch function."""

    field: str
    """The records' creation-time attribute (also the filter's name)."""
    concurrency: int
    max_items: int | None
    lookahead: bool
    start_after: str | None
    caller_high: datetime.datetime | None
    """The latest creation time the caller's filter lets through, if any."""
    clock: Clock
    policy: SplitPolicy = dataclasses.field(default_factory=SplitPolicy)


def _whole_range(fetch_range: FetchRange[T]) -> FetchPage[T]:
    return lambda cursor: fetch_range(cursor, None, None)


def _chain_options(settings: ExportSettings) -> dict[str, Any]:
    """The pager's options that describe the whole export, as the chain would run it."""
    return {
        "max_items": settings.max_items,
        "lookahead": settings.lookahead,
        "cursor_of": record_id,
        "start_after": settings.start_after,
    }


class PartitionedPager(AsyncPager[T]):
    """The pager of ``list(concurrency=N)``: the same records in the same order as the
    sequential chain, fetched as N partitions at once."""

    def __init__(self, fetch_range: FetchRange[T], settings: ExportSettings) -> None:
        super().__init__(_whole_range(fetch_range), **_chain_options(settings))
        self._fetch_range = fetch_range
        self._settings = settings

    def pages(self) -> PageIterator[T]:
        """Iterate page by page: each page holds the next records in the chain's order (its
        ``raw_response`` is None: its records may come from several responses)."""
        return PartitionedPages(self._fetch_range, self._settings)


class PartitionedPages(PageIterator[T]):
    """The pages of one partitioned iteration. ``async with`` or ``aclose()`` stops every
    partition's request."""

    def __init__(self, fetch_range: FetchRange[T], settings: ExportSettings) -> None:
        # The base's own chain (the whole range) is never run; its interface is.
        super().__init__(_whole_range(fetch_range), **_chain_options(settings))
        self._export = _Export(fetch_range, settings)
        self._settings = settings
        self._runner: BackgroundTask[None] | None = None
        self._yielded = 0
        self._last_id: str | None = None
        self._exhausted = settings.max_items == 0
        self._ended = False  # every partition merged: there is no next page

    async def __anext__(self) -> Page[T]:
        if self._exhausted:
            raise StopAsyncIteration
        if self._runner is None:
            self._runner = BackgroundTask(self._export.run)
        try:
            items = await self._collect()
        except BaseException as exc:
            self._stop()
            if isinstance(exc, IncidentIOError):
                # Whatever partition failed, the records before it were handed on in order.
                exc.resume_after = self._last_id or self._settings.start_after
            raise
        if not items:
            self._stop()
            raise StopAsyncIteration
        return Page(items=items, after=None if self._ended else self._last_id)

    async def _collect(self) -> list[T]:
        """The next records in ID order: those ready now, or, when none is, the next to
        arrive."""
        export = self._export
        limit = self._settings.max_items
        items: list[T] = []
        while len(items) < max(export.largest_page, 1):  # (known once a page arrived)
            if limit is not None and self._yielded >= limit:
                self._exhausted = True
                break
            if export.error is not None:
                if items:
                    break  # hand these on; the error comes with the next page
                raise export.error
            record = export.merge.pop()
            if record is _WAIT:
                if items:
                    break
                if export.finished:
                    raise PaginationError("a partition of this export ended without its last page")
                await export.changed.wait()
                continue
            if record is _END:
                self._exhausted = self._ended = True
                break
            identifier = record_id(record)
            if identifier == self._last_id:
                continue  # on a boundary: both partitions returned it
            if export.partitioned and self._last_id is not None and identifier < self._last_id:
                logger.warning(
                    "%s came after %s: ID and creation time differ more than the split "
                    "points allow for; handed on out of order rather than lost",
                    identifier,
                    self._last_id,
                )
            items.append(cast(T, record))
            self._last_id = identifier
            self._yielded += 1
        if export.merge.done:
            self._exhausted = self._ended = True
        export.changed.notify()  # pages merged: room for the workers
        if self._exhausted:
            self._stop()
        return items

    def _stop(self) -> None:
        self._exhausted = True
        if self._runner is not None:
            self._runner.cancel()

    async def aclose(self) -> None:
        """Stop iterating: cancel every partition's request and wait until they stopped."""
        self._exhausted = True
        if self._runner is not None:
            await self._runner.aclose()

    def __del__(self) -> None:
        runner = getattr(self, "_runner", None)
        if runner is not None and not runner.done:
            with contextlib.suppress(RuntimeError):  # the event loop is already closed
                runner.cancel()


class _Export(Generic[T]):
    """The workers' side: partitions, their chains, and the merge they feed."""

    def __init__(self, fetch_range: FetchRange[T], settings: ExportSettings) -> None:
        self._fetch_range = fetch_range
        self._settings = settings
        self.merge: _Merge[T] = _Merge()
        self.changed = _Signal()
        self.error: Exception | None = None
        """The first failure of a worker: the consumer raises it."""
        self.finished = False
        """Whether the workers have all stopped."""
        self.page_records = 0
        """Records on a full page, as received."""
        self.largest_page = 0
        """The most records a page held (a merged page holds as many)."""
        first = Partition(low=None, high=None, after=settings.start_after)
        self._partitions: list[Partition] = [first]
        self._streams: dict[int, _Stream[T]] = {id(first): self.merge.add_stream()}
        self._received = 0
        self._requests = 0
        self._splittable = True
        self._server_now: datetime.datetime | None = None
        self._group: anyio.CancelScope | None = None

    @property
    def partitioned(self) -> bool:
        """Whether the range has been split (one chain needs no merging by ID)."""
        return len(self._partitions) > 1

    async def run(self) -> None:
        """Run the workers until every partition's chain has ended (or until cancelled)."""
        try:
            async with anyio.create_task_group() as group:
                self._group = group.cancel_scope
                for _ in range(self._settings.concurrency):
                    group.start_soon(self._worker)
        finally:
            self.finished = True
            self.changed.notify()

    async def _worker(self) -> None:
        try:
            while True:
                partition = await self._claim()
                if partition is None:
                    return
                await self._fetch(partition)
        except Exception as exc:  # handed to the consumer, which raises it
            if self.error is None:
                self.error = exc
            assert self._group is not None
            self._group.cancel()
            self.changed.notify()

    async def _claim(self) -> Partition | None:
        """A partition to fetch: the first, or the upper part of one with work left; None
        once every chain has ended."""
        while True:
            for partition in self._partitions:
                if not partition.claimed:
                    partition.claimed = True
                    return partition
            if not any(partition.more for partition in self._partitions):
                return None
            split = self._split()
            if split is not None:
                return split
            await self.changed.wait()

    def _split(self) -> Partition | None:
        settings = self._settings
        wanted = None if settings.max_items is None else settings.max_items - self._received
        if not self._splittable or (wanted is not None and wanted <= 0):
            return None
        if self.page_records:
            waste = self._requests - self._received / self.page_records
            open_partitions = sum(partition.more for partition in self._partitions)
            if not settings.policy.affordable(self._requests, waste, open_partitions):
                return None
        choice = choose_split(
            self._partitions,
            horizon=self._horizon(),
            guard=_MIN_GUARD,
            policy=settings.policy,
            workers=settings.concurrency,
            wanted=wanted,
            overall=self._overall_density(),
        )
        if choice is None:
            return None
        victim, point = choice
        taken = Partition(
            low=point,
            high=victim.high,
            # Every record of its range up to the victim's cursor has come through the victim
            # (each of its pages covered the whole range) or, before the victim's first page,
            # through the partition it was split from: starting there, none of this
            # partition's records sorts before one handed on, however far records' creation
            # times are from their IDs' (imported records, say).
            after=victim.last_id or victim.after,
            density=victim.density,
            page_records=victim.page_records,
            claimed=True,
            fresh=True,
        )
        victim.high = point
        self._partitions.insert(self._partitions.index(victim) + 1, taken)
        self._streams[id(taken)] = self.merge.add_stream()
        return taken

    def _overall_density(self) -> float | None:
        """Records per second over the creation times all partitions have covered."""
        records, seconds = 0, 0.0
        for partition in self._partitions:
            if partition.first is not None and partition.position is not None:
                records += partition.records
                seconds += (partition.position - partition.first).total_seconds()
        return records / seconds if seconds > 0 else None

    def _horizon(self) -> datetime.datetime:
        """Where the last partition's range ends for estimates: the caller's bound, or now
        (the server's, from its Date header, else this machine's)."""
        now = self._server_now or datetime.datetime.fromtimestamp(
            self._settings.clock.time(), datetime.UTC
        )
        high = self._settings.caller_high
        return now if high is None else min(high, now)

    async def _fetch(self, partition: Partition) -> None:
        """Fetch ``partition``'s chain through the pager, handing each page to the merge."""
        fetch_range = self._fetch_range

        def fetch_page(cursor: str | None) -> Awaitable[RawPage[T]]:
            # Read at each request: a split lowers ``high`` while the chain runs.
            return fetch_range(cursor, partition.low, partition.high)

        pages = PageIterator(
            fetch_page,
            max_items=None,
            lookahead=self._settings.lookahead,
            cursor_of=record_id,
            start_after=partition.after,
        )
        try:
            async for page in pages:
                self._receive(partition, page)
                if page.after is not None:
                    await self._room(self._streams[id(partition)])
        finally:
            # Shielded: the request in flight is cancelled, and waited for, even when this
            # worker is being cancelled, so that none outlives the export.
            with anyio.CancelScope(shield=True):
                await pages.aclose()

    def _receive(self, partition: Partition, page: Page[T]) -> None:
        items = page.items
        times = self._times(items)
        if times:
            self._check_ids(items)
        elif items:
            self._splittable = False  # no creation times to split by
        if self._splittable or self.partitioned:
            self._check_order(partition, items)
        elif items:
            # One chain, never merged: the API's order is the order, whatever its IDs are
            # (a format whose order is not that of Python's strings among them).
            partition.last_id = record_id(items[-1])
        self._received += len(items)
        self._requests += 1
        self.largest_page = max(self.largest_page, len(items))
        if page.after is not None:
            partition.page_records = max(partition.page_records, len(items))
            self.page_records = max(self.page_records, len(items))
        if times:
            if partition.first is None:
                partition.first = times[0]
            partition.records += len(items)
            partition.position = times[-1]
            if len(items) > 1 and page.after is not None:
                span = (times[-1] - times[0]).total_seconds()
                partition.density = (len(items) - 1) / max(span, 1e-6)
        if page.raw_response is not None:
            seconds = server_time(page.raw_response.headers, self._settings.clock.time())
            self._server_now = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
        partition.more = page.after is not None
        partition.fresh = partition.more
        if partition.low is not None and not partition.more and self._sparse(partition):
            # Split off on an estimate that found next to nothing: the partition below it
            # is likely near the end of its records too.
            self._partitions[self._partitions.index(partition) - 1].settled = True
        self.merge.push(self._streams[id(partition)], items, more=partition.more)
        self.changed.notify()

    def _times(self, items: list[T]) -> list[datetime.datetime]:
        """The records' creation times (none unless every record has one)."""
        times = [getattr(record, self._settings.field, None) for record in items]
        if all(isinstance(time, datetime.datetime) for time in times):
            return cast(list[datetime.datetime], times)
        return []

    def _sparse(self, partition: Partition) -> bool:
        return partition.records * 2 < self.page_records

    def _check_order(self, partition: Partition, items: list[T]) -> None:
        previous = partition.last_id or partition.after
        for record in items:
            identifier = record_id(record)
            if previous is not None and identifier <= previous:
                raise PaginationError(
                    f"the API listed {identifier} after {previous}, out of ID order: the "
                    "partitions of this export cannot be merged back into the API's order"
                )
            previous = identifier
        partition.last_id = previous

    def _check_ids(self, items: list[T]) -> None:
        """An ID that is not a ULID stops further splits: merging by ID needs the API's order
        to be that of the IDs as strings."""
        if self._splittable and not all(is_ulid(record_id(record)) for record in items):
            self._splittable = False

    async def _room(self, stream: _Stream[T]) -> None:
        """Wait while too many pages wait to be merged (never while this partition has none
        waiting: the merge may need its next record)."""
        limit = BUFFERED_PAGES_PER_WORKER * self._settings.concurrency
        while stream.pages and self.merge.buffered_pages >= limit:
            await self.changed.wait()


class _Signal:
    """Wakes every task waiting on it; each wait sees only later notifications."""

    def __init__(self) -> None:
        self._event: anyio.Event | None = None

    def notify(self) -> None:
        if self._event is not None:
            self._event.set()
            self._event = None

    async def wait(self) -> None:
        if self._event is None:
            self._event = anyio.Event()
        await self._event.wait()


_WAIT: Any = object()
"""From :meth:`_Merge.pop`: the next record is not known yet."""
_END: Any = object()
"""From :meth:`_Merge.pop`: every partition has ended and been merged."""


class _Stream(Generic[T]):
    """The received, not yet merged pages of one partition."""

    def __init__(self, sequence: int) -> None:
        self.sequence = sequence
        self.pages: deque[list[T]] = deque()
        self.index = 0
        self.ended = False

    def head(self) -> T:
        return self.pages[0][self.index]


class _Merge(Generic[T]):
    """A k-way merge by ID of the partitions' streams. A record is handed out only when
    every stream that has not ended shows its next record, so nothing later can sort before
    it."""

    def __init__(self) -> None:
        self._heap: list[tuple[str, int, _Stream[T]]] = []
        self._waiting: set[_Stream[T]] = set()
        self._sequence = 0
        self.buffered_pages = 0

    def add_stream(self) -> _Stream[T]:
        stream: _Stream[T] = _Stream(self._sequence)
        self._sequence += 1
        self._waiting.add(stream)
        return stream

    def push(self, stream: _Stream[T], records: list[T], *, more: bool) -> None:
        if records:
            stream.pages.append(records)
            self.buffered_pages += 1
            if stream in self._waiting:
                self._waiting.discard(stream)
                self._enqueue(stream)
        if not more:
            stream.ended = True
            self._waiting.discard(stream)

    @property
    def done(self) -> bool:
        """Whether every stream has ended and been merged."""
        return not self._waiting and not self._heap

    def pop(self) -> Any:
        """The next record in ID order, or ``_WAIT`` / ``_END``."""
        if self._waiting:
            return _WAIT
        if not self._heap:
            return _END
        _, _, stream = heapq.heappop(self._heap)
        record = stream.head()
        stream.index += 1
        if stream.index == len(stream.pages[0]):
            stream.pages.popleft()
            stream.index = 0
            self.buffered_pages -= 1
        if stream.pages:
            self._enqueue(stream)
        elif not stream.ended:
            self._waiting.add(stream)
        return record

    def _enqueue(self, stream: _Stream[T]) -> None:
        heapq.heappush(self._heap, (record_id(stream.head()), stream.sequence, stream))
