"""A change feed: every record created or changed since a checkpoint, each change once.

``feed = client.follow_ups_v3.sync(checkpoint=saved)``; ``async for record in feed`` lists
what changed since the checkpoint (the list's ``updated_at[gte]`` filter, in ID order) and
hands on each change once; ``feed.checkpoint`` is where the next run starts.

How it keeps that promise:

- Timestamps are set before rows commit, so a change can become visible with a change time
  older than records already listed. Each listing starts ``overlap`` before the latest change
  time the previous one saw, and skips a record already handed on with the same change time:
  a late commit inside the window comes exactly once.
- The checkpoint only moves past records the caller took. A listing stopped part-way (a
  ``break``, a crash after saving the checkpoint) resumes after the last record handed on,
  with the same filter, so every change not yet handed on comes next time, whatever its
  change time. Only a listing that ran to its end moves the window on, and never past the
  server's time when that listing began, so changes made while it ran are listed again.
- A checkpoint this feed did not write (garbage, another list's, a newer format) is refused
  when the feed is made, before any request.

Delivery is at least once across a crash between handing a record on and saving the
checkpoint: deduplicate on ``(id, updated_at)``, which also merges this feed with webhooks.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

from ._checkpoint import FeedState, Pass
from ._retry_after import server_time
from .clock import Clock
from .errors import InvalidArgumentError
from .pagination import AsyncPager, Page, PageIterator, record_id

T = TypeVar("T")

DEFAULT_OVERLAP = datetime.timedelta(minutes=5)
"""How far each listing looks back past the latest change the previous one saw."""

ListSince = Callable[[datetime.datetime | None, str | None], AsyncPager[T]]
"""Lists records changed at or after a time (None: all), after a record ID (None: from the
start)."""


class ChangeFeed(Generic[T]):
    """Records created or changed since a checkpoint, each change handed on once.

    ``async for record in feed`` runs one listing; iterate again later for the changes made
    since. ``feed.pages()`` hands on a page's new records at a time. ``feed.checkpoint`` is a
    string to store anywhere and pass to ``sync(checkpoint=...)`` next time.
    """

    def __init__(
        self,
        list_since: ListSince[T],
        *,
        operation: str,
        field: str,
        checkpoint: str | None,
        overlap: datetime.timedelta,
        clock: Clock,
        owner: str = "sync",
    ) -> None:
        if not isinstance(overlap, datetime.timedelta) or overlap < datetime.timedelta(0):
            raise InvalidArgumentError(
                f"overlap must be a datetime.timedelta of zero or more, not {overlap!r}"
            )
        self._list_since = list_since
        self._field = field
        self._overlap = overlap
        self._clock = clock
        if checkpoint is None:
            self._state = FeedState(operation)
        else:
            self._state = FeedState.decode(checkpoint, operation, owner)

    @property
    def checkpoint(self) -> str:
        """Where the next run starts: past every record handed on so far, and no further."""
        return self._state.encode()

    def __repr__(self) -> str:
        state = self._state
        return (
            f"<ChangeFeed {state.operation} watermark={state.watermark} "
            f"{'listing' if state.current else 'idle'}>"
        )

    def __aiter__(self) -> FeedRecords[T]:
        return FeedRecords(_Listing(self))

    def pages(self) -> FeedPages[T]:
        """Iterate a page at a time: each list holds a page's records not handed on before
        (all of them count as handed on once the list is)."""
        return FeedPages(_Listing(self))

    # -- the state, as records are listed and handed on ---------------------------------------

    def _begin(self) -> Pass:
        state = self._state
        if state.current is None:
            since = None if state.watermark is None else state.watermark - self._overlap
            state.current = Pass(since=since)
        return state.current

    def _listed(self, page: Page[T]) -> None:
        current = self._state.current
        assert current is not None
        if current.started is None:
            # The server's time (its Date header), else this machine's.
            headers = page.raw_response.headers if page.raw_response is not None else {}
            seconds = server_time(headers, self._clock.time())
            current.started = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
        for record in page.items:
            changed = self._changed_at(record)
            if current.latest is None or changed > current.latest:
                current.latest = changed
        self._forget_old()

    def _is_new(self, record: T) -> bool:
        """Whether ``record`` has not been handed on with this change time."""
        if self._state.seen.get(record_id(record)) != self._changed_at(record):
            return True
        self._passed(record)  # handed on before: the listing may resume after it
        return False

    def _take(self, record: T) -> None:
        """``record`` is handed on."""
        changed = self._changed_at(record)
        horizon = self._horizon()
        if horizon is None or changed >= horizon:
            self._state.seen[record_id(record)] = changed
        self._passed(record)

    def _passed(self, record: T) -> None:
        current = self._state.current
        assert current is not None
        current.after = record_id(record)

    def _finish(self) -> None:
        """The listing reached its end: move the window on."""
        state = self._state
        current = state.current
        assert current is not None
        moved = current.latest
        if moved is not None and current.started is not None:
            moved = min(moved, current.started)
        if moved is not None and (state.watermark is None or moved > state.watermark):
            state.watermark = moved
        state.current = None
        self._forget_old()

    def _forget_old(self) -> None:
        """Drop records whose change time is too old for any later listing to show."""
        horizon = self._horizon()
        if horizon is None:
            return
        seen = self._state.seen
        for key in [key for key, at in seen.items() if at < horizon]:
            del seen[key]

    def _horizon(self) -> datetime.datetime | None:
        """The oldest change time a record handed on must have for a listing, this one or a
        later one, to show it again."""
        state = self._state
        current = state.current
        if current is None:
            return None if state.watermark is None else state.watermark - self._overlap
        if current.since is not None:
            return current.since  # what this listing may still show
        # A first listing: the next one starts at least at min(latest, started) - overlap.
        if current.latest is None or current.started is None:
            return None
        return min(current.latest, current.started) - self._overlap

    def _changed_at(self, record: T) -> datetime.datetime:
        value = getattr(record, self._field)
        assert isinstance(value, datetime.datetime)
        return value


class _Listing(Generic[T]):
    """One run of a feed: the API's pages of what changed since its window began.

    A run started from a checkpoint saved part-way through a listing first finishes that
    listing, then lists what changed since (a checkpoint saved only inside the loop is then
    always one part-way through a listing, and every run still moves the window on)."""

    def __init__(self, feed: ChangeFeed[T]) -> None:
        self.feed = feed
        self._pages: PageIterator[T] | None = None
        self._listings = 2 if feed._state.current is not None else 1

    async def next_page(self) -> list[T] | None:
        """The next page's records (all of them), or None once the run has ended."""
        feed = self.feed
        while self._listings:
            if self._pages is None:
                current = feed._begin()
                self._pages = feed._list_since(current.since, current.after).pages()
            try:
                page = await self._pages.__anext__()
            except StopAsyncIteration:
                feed._finish()
                self._pages = None
                self._listings -= 1
                continue
            feed._listed(page)
            return page.items
        return None

    async def aclose(self) -> None:
        self._listings = 0
        if self._pages is not None:
            await self._pages.aclose()


class _Run(Generic[T]):
    """One run of a feed, stoppable early with ``aclose()`` or ``async with``."""

    def __init__(self, listing: _Listing[T]) -> None:
        self._listing = listing

    async def aclose(self) -> None:
        """Stop listing: cancel the request in flight and wait until it has stopped."""
        await self._listing.aclose()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


class FeedRecords(_Run[T]):
    """The records of one run, each handed on once."""

    def __init__(self, listing: _Listing[T]) -> None:
        super().__init__(listing)
        self._page: list[T] = []
        self._index = 0

    def __aiter__(self) -> FeedRecords[T]:
        return self

    async def __aenter__(self) -> FeedRecords[T]:
        return self

    async def __anext__(self) -> T:
        feed = self._listing.feed
        while True:
            while self._index < len(self._page):
                record = self._page[self._index]
                self._index += 1
                if feed._is_new(record):
                    feed._take(record)
                    return record
            page = await self._listing.next_page()
            if page is None:
                raise StopAsyncIteration
            self._page, self._index = page, 0


class FeedPages(_Run[T]):
    """The new records of one run, a page at a time."""

    def __aiter__(self) -> FeedPages[T]:
        return self

    async def __aenter__(self) -> FeedPages[T]:
        return self

    async def __anext__(self) -> list[T]:
        feed = self._listing.feed
        while True:
            page = await self._listing.next_page()
            if page is None:
                raise StopAsyncIteration
            new = [record for record in page if feed._is_new(record)]
            for record in new:
                feed._take(record)
            if new:
                return new
