"""The base of the generated resources: a method call becomes one trip through the pipeline.

A generated method passes its operation, its arguments and the per-call options here; this
module checks them, sends the request and parses the result, so that the generated code is
only signatures and documentation.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, cast

import httpx

from incidentio_api.errors import ModelParseError

from ._arguments import bind
from ._deprecation import warn_if_deprecated
from ._early_cursor import early_cursor
from ._operation import Operation, Pagination
from ._options import Body, CallOptions, Headers, Query, Timeout, call_options
from ._pipeline import ApiRequest, Pipeline
from ._redaction import redact_chain
from ._response import RawResponse
from ._status_errors import invalid_body, json_of
from ._validation import check_max_items
from .errors import IncidentIOError
from .pagination import AsyncPager, RawPage, record_id

if TYPE_CHECKING:
    from .changes import ChangeFeed

R = TypeVar("R")
T = TypeVar("T")
P = ParamSpec("P")


class Resource:
    """One tag of the API (``client.follow_ups_v3``): a method per operation."""

    def __init__(self, pipeline: Pipeline, *, raw: bool = False) -> None:
        self._pipeline = pipeline
        self._raw = raw

    def __repr__(self) -> str:
        return f"<{type(self).__name__}{' raw' if self._raw else ''}>"

    async def _call(
        self,
        operation: Operation[R],
        arguments: Mapping[str, object],
        extra_headers: Headers | None,
        extra_query: Query | None,
        extra_body: Body | None,
        timeout: Timeout | None,  # noqa: ASYNC109  (the per-call option every SDK has)
        max_retries: int | None,
    ) -> R:
        """Call ``operation``: its result, or (in raw mode) the :class:`RawResponse`."""
        warn_if_deprecated(operation)
        bound = bind(operation, arguments, extra_query=extra_query, extra_body=extra_body)
        options = call_options(extra_headers, timeout, max_retries)
        request = ApiRequest(
            operation.method, bound.path, bound.query, bound.body, bound.idempotency_key, operation
        )
        response = await self._pipeline.send(request, options)
        if self._raw:
            raw = RawResponse(
                response, partial(parse_result, operation), idempotency_key=bound.idempotency_key
            )
            return cast(R, raw)
        try:
            return parse_result(operation, response)
        except IncidentIOError as error:
            # The API acted (a create): the key is how the caller retries without acting twice.
            error.idempotency_key = bound.idempotency_key
            raise

    def _paginate(
        self,
        operation: Operation[list[T]],
        arguments: Mapping[str, object],
        max_items: int | None,
        lookahead: bool,
        extra_headers: Headers | None,
        extra_query: Query | None,
        extra_body: Body | None,
        timeout: Timeout | None,
        max_retries: int | None,
        *,
        concurrency: int = 1,
    ) -> AsyncPager[T]:
        """Every record of a paginated ``operation``: the arguments are checked now, requests
        start when iteration does. With ``concurrency`` > 1 (operations that declare
        ``partition_by``), partitions of the creation-time range are fetched at once."""
        pagination = operation.pagination
        assert pagination is not None
        warn_if_deprecated(operation)
        bound = bind(operation, arguments, extra_query=extra_query, extra_body=extra_body)
        options = call_options(extra_headers, timeout, max_retries)
        limit = check_max_items(max_items)
        cursor_name = pagination.cursor
        query = [pair for pair in bound.query if pair[0] != cursor_name]
        start = next((value for name, value in bound.query if name == cursor_name), None)
        pipeline = self._pipeline

        def request_of(page_query: Sequence[tuple[str, str]], cursor: str | None) -> ApiRequest:
            if cursor is not None:
                page_query = [*page_query, (cursor_name, cursor)]
            return ApiRequest(
                operation.method,
                bound.path,
                page_query,
                bound.body,
                bound.idempotency_key,
                operation,
            )

        if operation.partition_by is not None:
            from ._partitions import check_concurrency

            workers = check_concurrency(concurrency)
            if workers > 1 and not _fits_one_page(limit, query, pagination.page_size):
                return self._partitioned(
                    operation, query, request_of, options, limit, lookahead, start, workers
                )

        async def fetch_page(cursor: str | None) -> RawPage[T]:
            response = await pipeline.send(request_of(query, cursor), options)
            return raw_page(operation, response)

        return AsyncPager(
            fetch_page,
            max_items=limit,
            lookahead=lookahead,
            cursor_of=record_id,
            start_after=start,
            ordered=pagination.ordered_by_id,
        )

    def _partitioned(
        self,
        operation: Operation[list[T]],
        query: Sequence[tuple[str, str]],
        request_of: Callable[[Sequence[tuple[str, str]], str | None], ApiRequest],
        options: CallOptions,
        max_items: int | None,
        lookahead: bool,
        start: str | None,
        workers: int,
    ) -> AsyncPager[T]:
        """The pager of ``list(concurrency=workers)``: see :mod:`._partitions`."""
        from ._partitions import ExportSettings, PartitionedPager
        from ._time_bounds import narrowed, upper_bound

        field = operation.partition_by
        assert field is not None
        pipeline = self._pipeline

        async def fetch_range(
            cursor: str | None, low: datetime.datetime | None, high: datetime.datetime | None
        ) -> RawPage[T]:
            request = request_of(narrowed(query, field, low, high), cursor)
            return raw_page(operation, await pipeline.send(request, options))

        settings = ExportSettings(
            field=field,
            concurrency=workers,
            max_items=max_items,
            lookahead=lookahead,
            start_after=start,
            caller_high=upper_bound(query, field),
            clock=pipeline.clock,
        )
        return PartitionedPager(fetch_range, settings)

    def _sync(
        self,
        operation: Operation[list[T]],
        checkpoint: str | None,
        overlap: datetime.timedelta,
        page_size: int,
        extra_headers: Headers | None,
        extra_query: Query | None,
        timeout: Timeout | None,
        max_retries: int | None,
    ) -> ChangeFeed[T]:
        """The change feed of ``operation`` (which declares ``changes_by``): see
        :mod:`.changes`. The checkpoint and options are checked now."""
        from .changes import ChangeFeed

        field = operation.changes_by
        assert field is not None

        def list_since(since: datetime.datetime | None, after: str | None) -> AsyncPager[T]:
            arguments: dict[str, object] = {"page_size": page_size, "after": after}
            if since is not None:
                arguments[field] = {"gte": since}
            return self._paginate(
                operation,
                arguments,
                None,
                True,
                extra_headers,
                extra_query,
                None,
                timeout,
                max_retries,
            )

        list_since(None, None)  # checks page_size and the options before any request
        return ChangeFeed(
            list_since,
            operation=operation.id,
            field=field,
            checkpoint=checkpoint,
            overlap=overlap,
            clock=self._pipeline.clock,
            owner=f"client.{operation.resource}.sync",
        )


def _fits_one_page(
    max_items: int | None, query: Sequence[tuple[str, str]], page_size_name: str | None
) -> bool:
    """Whether the caller wants no more records than one page holds (then one chain is the
    cheapest way)."""
    if max_items is None or page_size_name is None:
        return False
    size = next((value for name, value in query if name == page_size_name), None)
    return size is not None and size.isdigit() and max_items <= int(size)


def raw_method(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[RawResponse[R]]]:
    """The typed view of a method of a resource in raw mode, which returns the
    :class:`RawResponse` instead of the parsed result."""
    return method  # type: ignore[return-value]


def parse_result(operation: Operation[R], response: httpx.Response) -> R:
    """The result of ``operation`` from its successful ``response``."""
    if not operation.has_body:
        return cast(R, None)
    return parse_data(operation.parse, json_of(response), response)


def parse_data(parse: Callable[[Any], R], data: Any, response: httpx.Response) -> R:
    """``parse(data)`` for ``response``'s body, or ResponseValidationError."""
    callers = sys.exception()  # what the caller is handling: chained to the error, not ours
    try:
        return parse(data)
    except ModelParseError as exc:
        redact_chain(exc, callers)  # it quotes the value it refused
        raise invalid_body(f"a body that does not fit the API schema: {exc}", response) from exc


def raw_page(operation: Operation[list[T]], response: httpx.Response) -> RawPage[T]:
    """A page as received: its cursor read from the ends of the body when the metadata is
    there, so that the next request can start before the body is decoded and the records
    built."""
    pagination = operation.pagination
    assert pagination is not None
    body = _PageBody(operation, pagination, response)
    found, after = early_cursor(response.content, pagination.meta, pagination.next_cursor)
    if not found:
        after = body.cursor()
    return RawPage(
        after=after, count=body.count, build=partial(body.records, after), response=response
    )


class _PageBody(Generic[T]):
    """A page's body, decoded once, when first needed."""

    def __init__(
        self, operation: Operation[list[T]], pagination: Pagination, response: httpx.Response
    ) -> None:
        self._operation = operation
        self._pagination = pagination
        self._response = response
        self._data: Any = _UNDECODED

    def data(self) -> Any:
        if self._data is _UNDECODED:
            self._data = json_of(self._response)
        return self._data

    def cursor(self) -> str | None:
        """The next cursor, from the decoded body."""
        data = self.data()
        meta = data.get(self._pagination.meta) if isinstance(data, dict) else None
        cursor = meta.get(self._pagination.next_cursor) if isinstance(meta, dict) else None
        if cursor is not None and not isinstance(cursor, str):
            raise invalid_body(
                f"a pagination cursor that is not a string ({type(cursor).__name__})",
                self._response,
            )
        return cursor

    def count(self) -> int:
        data = self.data()
        records = data.get(self._pagination.items) if isinstance(data, dict) else None
        return len(records) if isinstance(records, list) else 0

    def records(self, cursor_used: str | None) -> list[T]:
        """The page's records, once the cursor the next request used is confirmed."""
        if self.cursor() != cursor_used:
            # Only a body whose metadata appears twice can get here.
            raise invalid_body(
                "a page whose pagination metadata appears twice, differently", self._response
            )
        return parse_data(self._operation.parse, self.data(), self._response)


_UNDECODED: Any = object()
