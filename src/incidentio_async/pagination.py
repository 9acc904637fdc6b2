"""Cursor pagination as async iteration, with the next page fetched while you work on this one."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import Generic, TypeVar

import anyio.lowlevel
import httpx

from ._background import BackgroundTask
from ._response import RawResponse
from .errors import IncidentIOError, PaginationError

T = TypeVar("T")

FetchPage = Callable[[str | None], Awaitable["RawPage[T]"]]

#: Scheduler passes granted to the lookahead request before this page's records are built:
#: enough for it to get onto the wire over a kept-alive connection, so that building (CPU)
#: overlaps the network wait instead of preceding it. A request that has to wait (for a
#: token, a connection) simply uses fewer.
HEAD_START_STEPS = 12

MAX_EMPTY_PAGES = 10
"""Empty pages in a row, each with a new cursor, after which iteration stops with a
:class:`PaginationError` (a server paging through nothing would otherwise never end)."""


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
    :class:`Page` objects. Each iteration starts from the first page.

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
    ) -> None:
        self._fetch_page = fetch_page
        self._max_items = max_items
        self._lookahead = lookahead
        self._cursor_of = cursor_of
        self._start_after = start_after
        self._max_empty_pages = max_empty_pages

    def pages(self) -> PageIterator[T]:
        """Iterate page by page (``async for page in pager.pages()``)."""
        return PageIterator(
            self._fetch_page,
            max_items=self._max_items,
            lookahead=self._lookahead,
            cursor_of=self._cursor_of,
            start_after=self._start_after,
            max_empty_pages=self._max_empty_pages,
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
    ) -> None:
        self._fetch_page = fetch_page
        self._remaining = max_items
        self._lookahead = lookahead
        self._cursor_of = cursor_of
        self._max_empty_pages = max_empty_pages
        self._next_cursor: str | None = start_after
        self._seen_cursors: set[str] = set() if start_after is None else {start_after}
        self._prefetch: BackgroundTask[RawPage[T]] | None = None
        self._finished = max_items == 0
        self._empty_run = 0
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
            keep = self._plan(raw)
            if self._prefetch is not None:
                await self._head_start(self._prefetch)
            items = raw.build()
            self._empty_run = self._empty_run + 1 if not items and raw.after else 0
        except BaseException as exc:
            self._stop()
            if isinstance(exc, IncidentIOError) and exc.resume_after is None:
                exc.resume_after = requested
            raise
        response = None if raw.response is None else RawResponse(raw.response, _given(items))
        after = raw.after
        if (keep is not None and keep < len(items)) or self._pending is not None:
            # Resuming from the API's cursor would skip the records left out, so point after
            # the last record kept when we know how (the API's cursors are record ids).
            items = items[:keep]
            if self._cursor_of and items:
                after = self._cursor_of(items[-1])
            else:
                after = requested if self._pending is not None else None
            if self._pending is not None:
                self._pending.resume_after = after
        return Page(items=items, after=after, raw_response=response)

    def _plan(self, raw: RawPage[T]) -> int | None:
        """How many of the page's records to keep (None: all); starts the lookahead request
        if more are wanted (before the records are built, so that it travels while they are)."""
        keep = None
        if self._remaining is not None:
            count = raw.count()
            keep = min(count, self._remaining)
            self._finished = count >= self._remaining
            self._remaining -= keep
        cursor = raw.after
        if cursor is None:
            self._finished = True
        elif not self._finished:
            if cursor == "":
                self._pending = PaginationError(
                    "the API returned an empty cursor: it cannot name where the next page "
                    "starts, and stopping here could silently lose records"
                )
            elif cursor in self._seen_cursors:
                self._pending = PaginationError(
                    f"the API returned the cursor {cursor!r} a second time; "
                    "stopping instead of fetching the same pages forever"
                )
            elif self._empty_run + 1 >= self._max_empty_pages and raw.count() == 0:
                # (Counted only when a run of empty pages is long enough to matter.)
                self._pending = PaginationError(
                    f"the API returned {self._empty_run + 1} empty pages in a row, each with a new "
                    "cursor; stopping instead of paging through nothing forever"
                )
            else:
                self._seen_cursors.add(cursor)
                self._next_cursor = cursor
                if self._lookahead:
                    # The task must not refer to this iterator, or abandoning the iterator
                    # would not free it (and so not cancel the task).
                    fetch_page = self._fetch_page
                    self._prefetch = BackgroundTask(lambda: fetch_page(cursor))
        return keep

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


def _given(items: list[T]) -> Callable[[httpx.Response], list[T]]:
    """A page's parse: its records are already built."""
    return partial(_identity, items)


def _identity(items: list[T], _: httpx.Response) -> list[T]:
    return items
