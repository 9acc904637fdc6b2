"""Cursor pagination as async iteration, with the next page fetched while you work on this one."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from types import TracebackType
from typing import Any, Generic, TypeVar

import anyio.lowlevel
import httpx

from ._background import BackgroundTask
from ._response import RawResponse
from ._secret import redact
from ._seen_records import RECENT_IDS, SeenRecords
from ._validation import check_query_text, describe
from .errors import IncidentIOError, InvalidArgumentError, PaginationError

T = TypeVar("T")

FetchPage = Callable[[str | None], Awaitable["RawPage[T]"]]

record_id: Callable[[Any], str] = attrgetter("id")
"""A record's id. The API's cursors are record ids: resuming after a record is resuming after
its id. (``attrgetter``: called for every record, without a Python frame.)"""

#: Scheduler passes granted to the lookahead request before this page's records are built:
#: enough for it to get onto the wire over a kept-alive connection, so that building (CPU)
#: overlaps the network wait instead of preceding it. A request that has to wait (for a
#: token, a connection) simply uses fewer. It takes 4 passes under asyncio and 4 or 5 under
#: trio (httpx 0.28); every pass beyond is a turn of the event loop for nothing, on every page.
#: tests/test_cpu_paths.py checks that the request is on the wire in time.
HEAD_START_STEPS = 6

MAX_EMPTY_PAGES = 10
"""Pages in a row that bring nothing new (empty, or only records already yielded), each with a
new cursor, after which iteration stops with a :class:`PaginationError` (a server paging
through nothing would otherwise never end)."""

RECENT_CURSORS = 1000
"""How many of the latest cursors are remembered to recognise one the API sends again (a
longer cycle repeats records, which :class:`SeenRecords` recognises)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results.

    Attributes:
        items: the records on this page.
        after: the cursor for the next page, or None on the last page.
        raw_response: the page's response as received (headers, request id).
    """

    items: list[T]
    after: str | None
    raw_response: RawResponse[list[T]] | None = None


@dataclass(frozen=True)
class RawPage(Generic[T]):
    """A page as received: its cursor and size are known, its records not built yet.

    Attributes:
        after: the cursor for the next page, or None on the last page.
        count: how many records the page holds (may decode the body, so asked only when
            the next request depends on it).
        build: builds the records (and raises if the body does not fit the schema).
    """

    after: str | None
    count: Callable[[], int]
    build: Callable[[], list[T]]
    response: httpx.Response | None = None


class AsyncPager(Generic[T]):
    """An async iterable over every record of a paginated list.

    ``async for record in pager`` yields records across pages; ``pager.pages()`` yields
    :class:`Page` objects. Each iteration starts from the first page, and yields each record
    (told apart by ``cursor_of``, its id) at most once, whatever the server repeats.

    With ``lookahead`` (the default), as soon as a page arrives the next one is requested, so
    it is usually ready when the caller finishes the current one. Stopping early (``break``,
    ``max_items``, an exception, cancellation or ``aclose()``) cancels that request.
    """

    def __init__(
        self,
        fetch_page: FetchPage[T],
        *,
        max_items: int | None = None,
        lookahead: bool = True,
        cursor_of: Callable[[T], str] | None = None,
        start_after: str | None = None,
        max_empty_pages: int = MAX_EMPTY_PAGES,
        ordered: bool = False,
    ) -> None:
        self._fetch_page = fetch_page
        self._max_items = max_items
        self._lookahead = lookahead
        self._cursor_of = cursor_of
        self._start_after = start_after
        self._max_empty_pages = max_empty_pages
        self._ordered = ordered

    def pages(self) -> PageIterator[T]:
        """Iterate page by page (``async for page in pager.pages()``)."""
        return PageIterator(
            self._fetch_page,
            max_items=self._max_items,
            lookahead=self._lookahead,
            cursor_of=self._cursor_of,
            start_after=self._start_after,
            max_empty_pages=self._max_empty_pages,
            ordered=self._ordered,
        )

    def __aiter__(self) -> ItemIterator[T]:
        return ItemIterator(self.pages())

    async def to_list(self) -> list[T]:
        """Every record, in order, as a list."""
        records: list[T] = []
        async with self.pages() as pages:
            async for page in pages:
                records.extend(page.items)
        return records


class PageIterator(Generic[T]):
    """The pages of one iteration. Use ``async with`` (or ``aclose()``) to stop it early."""

    def __init__(
        self,
        fetch_page: FetchPage[T],
        *,
        max_items: int | None,
        lookahead: bool,
        cursor_of: Callable[[T], str] | None,
        start_after: str | None = None,
        max_empty_pages: int = MAX_EMPTY_PAGES,
        ordered: bool = False,
    ) -> None:
        self._fetch_page = fetch_page
        self._remaining = max_items
        self._lookahead = lookahead
        self._cursor_of = cursor_of
        self._max_empty_pages = max_empty_pages
        self._next_cursor: str | None = start_after
        # Where list(after=...) continues right after the last record handed on.
        self._resume_point: str | None = start_after
        # Insertion-ordered, so that the oldest can be forgotten.
        self._seen_cursors: dict[str, None] = {} if start_after is None else {start_after: None}
        self._seen = None if cursor_of is None else SeenRecords(cursor_of, ordered=ordered)
        if self._seen is not None and start_after is not None:
            # The API's cursors are record ids: the record resumed after was yielded before.
            self._seen.add(start_after)
        self._prefetch: BackgroundTask[RawPage[T]] | None = None
        self._finished = max_items == 0
        self._nothing_new_run = 0
        # Raised by the next __anext__, once the page that revealed it has been handed on.
        self._pending: PaginationError | None = None

    def __aiter__(self) -> PageIterator[T]:
        return self

    async def __anext__(self) -> Page[T]:
        if self._pending is not None:
            error, self._pending = self._pending, None
            self._finished = True
            raise error
        if self._finished:
            raise StopAsyncIteration
        # The page asked for now: where a failure leaves the caller to resume from.
        requested = self._next_cursor
        try:
            if self._prefetch is not None:
                # Still held in self._prefetch while awaited: if the caller is cancelled or
                # times out here, _stop() must reach it and cancel it.
                raw = await self._prefetch.result()
                self._prefetch = None
            else:
                raw = await self._fetch_page(self._next_cursor)
            self._plan(raw)
            if self._prefetch is not None:
                await self._head_start(self._prefetch)
            received = raw.build()
        except BaseException as exc:
            self._stop()
            if isinstance(exc, IncidentIOError) and exc.resume_after is None:
                exc.resume_after = requested
            raise
        response = None if raw.response is None else RawResponse(raw.response, _given(received))
        new = self._new_records(received, raw.after)
        items = new if self._remaining is None else new[: self._remaining]
        if self._remaining is not None:
            self._remaining -= len(items)
            if self._remaining == 0:
                self._finished, self._pending = True, None  # what was asked for is here
        after = raw.after
        if self._pending is not None:
            self._stop()
            items, after = self._resumable(items, requested)
            self._pending.resume_after = after
        elif len(items) < len(new):
            # Resuming from the API's cursor would skip the records left out, so point after
            # the last record kept when we know how (the API's cursors are record ids).
            after = self._cursor_of(items[-1]) if self._cursor_of and items else None
        elif items:
            self._resume_point = self._sendable_id(items[-1]) or after
        return Page(items=items, after=after, raw_response=response)

    def _plan(self, raw: RawPage[T]) -> None:
        """Check the page's cursor and start the lookahead request if more may be wanted
        (before the records are built, so that it travels while they are)."""
        cursor = raw.after
        if cursor is None:
            self._finished = True
            return
        if cursor == "":
            problem = (
                "the API returned an empty cursor: it cannot name where the next page "
                "starts, and stopping here could silently lose records"
            )
        elif (refusal := _unsendable(cursor)) is not None:
            problem = (
                f"the API returned a cursor this client cannot send back ({refusal}); "
                "stopping here: the API, not the arguments, is at fault"
            )
        elif cursor in self._seen_cursors:
            problem = (
                f"the API returned the cursor {describe(cursor)} a second time; "
                "stopping instead of fetching the same pages forever"
            )
        else:
            self._seen_cursors[cursor] = None
            if len(self._seen_cursors) > RECENT_CURSORS:
                del self._seen_cursors[next(iter(self._seen_cursors))]
            self._next_cursor = cursor
            if self._lookahead and not self._enough(raw):
                # The task must not refer to this iterator, or abandoning the iterator
                # would not free it (and so not cancel the task).
                fetch_page = self._fetch_page
                self._prefetch = BackgroundTask(lambda: fetch_page(cursor))
            return
        self._pending = PaginationError(problem)

    def _enough(self, raw: RawPage[T]) -> bool:
        """Whether this page is likely to hold every record still wanted (``max_items``)."""
        return self._remaining is not None and raw.count() >= self._remaining

    def _new_records(self, received: list[T], cursor: str | None) -> list[T]:
        """The records of a page not yielded before in this iteration; sets the error to
        raise after the page when the API went back behind what it sent long ago, or has
        sent nothing new for too many pages."""
        new = received
        if self._seen is not None:
            new, stale = self._seen.sort(received)
            if stale is not None and self._cursor_of is not None and self._pending is None:
                self._pending = PaginationError(
                    f"the API sent the record {describe(self._cursor_of(stale))} again, or out "
                    f"of the order of its ids: it sorts behind records yielded more than "
                    f"{RECENT_IDS:,} records ago; stopping instead of yielding a record twice"
                )
        self._nothing_new_run = self._nothing_new_run + 1 if not new and cursor else 0
        if self._nothing_new_run >= self._max_empty_pages and self._pending is None:
            self._pending = PaginationError(
                f"the API returned {self._nothing_new_run} pages in a row with nothing new "
                "(empty, or only records already yielded), each with a new cursor; stopping "
                "instead of paging forever"
            )
        return new

    def _resumable(self, items: list[T], requested: str | None) -> tuple[list[T], str | None]:
        """The records to hand on before an error, and the cursor ``list(after=...)`` resumes
        from right after them: the last one's id (the API's cursors are record ids), leaving
        out any at the end whose id the client could not send back; with none, right after
        the last record handed on before this page."""
        if self._cursor_of is None:
            return items, requested
        while items and self._sendable_id(items[-1]) is None:
            items = items[:-1]  # handed on after resuming instead
        return items, (self._sendable_id(items[-1]) if items else self._resume_point)

    def _sendable_id(self, record: T) -> str | None:
        """The id of ``record`` as a cursor, if the client can send it back."""
        if self._cursor_of is None:
            return None
        cursor = self._cursor_of(record)
        return cursor if _unsendable(cursor) is None else None

    @staticmethod
    async def _head_start(prefetch: BackgroundTask[RawPage[T]]) -> None:
        for _ in range(HEAD_START_STEPS):
            if prefetch.done:
                return
            await anyio.lowlevel.checkpoint()

    def _stop(self) -> None:
        self._finished = True
        if self._prefetch is not None:
            self._prefetch.cancel()

    async def aclose(self) -> None:
        """Stop iterating: cancel the request in flight and wait until it has stopped."""
        self._finished = True
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None:
            await prefetch.aclose()

    async def __aenter__(self) -> PageIterator[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        # An abandoned iteration (``break`` without ``aclose``) must not leave a request
        # running: cancel it when the iterator goes away.
        prefetch = getattr(self, "_prefetch", None)
        if prefetch is not None and not prefetch.done:
            # RuntimeError: the event loop is already closed, so nothing is running anyway.
            with contextlib.suppress(RuntimeError):
                prefetch.cancel()


class ItemIterator(Generic[T]):
    """The records of one iteration, across pages. ``aclose()`` stops it early."""

    def __init__(self, pages: PageIterator[T]) -> None:
        self._pages = pages
        self._current: list[T] = []
        self._index = 0

    def __aiter__(self) -> ItemIterator[T]:
        return self

    async def __anext__(self) -> T:
        while self._index >= len(self._current):
            page = await self._pages.__anext__()
            self._current, self._index = page.items, 0
        item = self._current[self._index]
        self._index += 1
        return item

    async def aclose(self) -> None:
        """Stop iterating: cancel the request in flight and wait until it has stopped."""
        await self._pages.aclose()

    async def __aenter__(self) -> ItemIterator[T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _unsendable(cursor: str) -> str | None:
    """Why ``list(after=cursor)`` would refuse ``cursor``, or why it must not be sent (it
    holds the API key, which would travel in a URL and into an error's ``resume_after``);
    None: it can be sent."""
    try:
        check_query_text(cursor, "the cursor")
    except InvalidArgumentError as refusal:
        return str(refusal)
    if redact(cursor) != cursor:
        return "it holds the API key"
    return None


def _given(items: list[T]) -> Callable[[httpx.Response], list[T]]:
    """A page's parse: its records are already built."""
    return partial(_identity, items)


def _identity(items: list[T], _: httpx.Response) -> list[T]:
    return items
