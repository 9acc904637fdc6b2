"""The base of the generated resources: a method call becomes one trip through the pipeline.

A generated method passes its operation, its arguments and the per-call options here; this
module checks them, sends the request and parses the result, so that the generated code is
only signatures and documentation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any, ParamSpec, TypeVar, cast

import httpx

from incidentio_api.errors import ModelParseError

from ._arguments import bind
from ._deprecation import warn_if_deprecated
from ._operation import Operation
from ._options import Body, Headers, Query, Timeout, call_options
from ._pipeline import ApiRequest, Pipeline
from ._response import RawResponse
from ._secret import redact_chain
from ._status_errors import json_of, request_id_of
from ._validation import check_max_items
from .errors import IncidentIOError, ResponseValidationError
from .pagination import AsyncPager, RawPage

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
            operation.method,
            bound.path,
            bound.query,
            bound.body,
            retry_safe=operation.retry_safe,
            idempotency_key=bound.idempotency_key,
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
    ) -> AsyncPager[T]:
        """Every record of a paginated ``operation``: the arguments are checked now, requests
        start when iteration does."""
        pagination = operation.pagination
        assert pagination is not None
        warn_if_deprecated(operation)
        bound = bind(operation, arguments, extra_query=extra_query, extra_body=extra_body)
        options = call_options(extra_headers, timeout, max_retries)
        cursor_name = pagination.cursor
        query = [pair for pair in bound.query if pair[0] != cursor_name]
        start = next((value for name, value in bound.query if name == cursor_name), None)
        pipeline = self._pipeline

        async def fetch_page(cursor: str | None) -> RawPage[T]:
            page_query = query if cursor is None else [*query, (cursor_name, cursor)]
            request = ApiRequest(
                operation.method,
                bound.path,
                page_query,
                bound.body,
                retry_safe=operation.retry_safe,
                idempotency_key=bound.idempotency_key,
            )
            return raw_page(operation, await pipeline.send(request, options))

        return AsyncPager(
            fetch_page,
            max_items=check_max_items(max_items),
            lookahead=lookahead,
            cursor_of=_record_id,
            start_after=start,
        )


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
    try:
        return parse(data)
    except ModelParseError as exc:
        redact_chain(exc)  # it quotes the value it refused
        raise ResponseValidationError(
            f"a body that does not fit the API schema: {exc}",
            response=response,
            request_id=request_id_of(response),
        ) from exc


def raw_page(operation: Operation[list[T]], response: httpx.Response) -> RawPage[T]:
    """A page as received: its cursor and size read straight from the JSON, so that the next
    request can start before the records are built."""
    pagination = operation.pagination
    assert pagination is not None
    data = json_of(response)
    meta = data.get(pagination.meta) if isinstance(data, dict) else None
    cursor = meta.get(pagination.next_cursor) if isinstance(meta, dict) else None
    if cursor is not None and not isinstance(cursor, str):
        raise ResponseValidationError(
            f"a pagination cursor that is not a string ({type(cursor).__name__})",
            response=response,
            request_id=request_id_of(response),
        )
    records = data.get(pagination.items) if isinstance(data, dict) else None
    return RawPage(
        after=cursor,
        count=len(records) if isinstance(records, list) else 0,
        build=partial(parse_data, operation.parse, data, response),
        response=response,
    )


def _record_id(record: object) -> str:
    # The API's cursors are record ids: resuming after a record is resuming after its id.
    return cast(str, getattr(record, "id"))  # noqa: B009
