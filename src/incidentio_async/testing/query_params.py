"""No silent filter: every query parameter a request carries is implemented, applied
generically, or refused.

A fake that ignores a filter answers with everything, and the test of the code that sent it
passes for the wrong reason. So a query parameter the spec declares but the operation's
handler does not implement is either:

* an equality filter, applied generically, when the operation lists records whose schema has
  a scalar field of the same name (``?status=completed`` keeps the records whose ``status`` is
  ``completed``); or
* refused with a 400 that names it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from incidentio_async._operation import Operation, Param
from incidentio_async.testing.errors import ApiError, ErrorDetail
from incidentio_async.testing.messages import Request, Response
from incidentio_async.testing.openapi import Envelope, OpenApi, packaged
from incidentio_async.testing.records import dumps
from incidentio_async.testing.router import Handler

SCALAR_KINDS = frozenset({"string", "enum", "integer", "number", "boolean"})
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})


def given(
    operation: Operation[Any], query: Mapping[str, str], handled: Collection[str]
) -> list[Param]:
    """The query parameters of ``operation`` the request carries (empty values count as
    absent, as the spec's ``allowEmptyValue`` says) and ``handled`` does not name."""
    found = []
    for param in operation.params:
        name = param.wire_name
        if param.location != "query" or name in handled:
            continue
        if param.kind == "filter":
            present = any(key.startswith(f"{name}[") and value for key, value in query.items())
        else:
            present = bool(query.get(name))
        if present:
            found.append(param)
    return found


def split(
    params: Sequence[Param], envelope: Envelope, spec: OpenApi
) -> tuple[list[Param], list[Param]]:
    """(equality filters, refused): which of ``params`` compare a field of the listed records
    of the same name, and which the fake cannot apply."""
    fields = {}
    if envelope.kind in ("list", "page") and envelope.record is not None:
        fields = envelope.record.get("properties", {})
    filters, refused = [], []
    for param in params:
        field = spec.resolve(fields.get(param.wire_name, {}))
        if param.kind in SCALAR_KINDS and field.get("type") in SCALAR_TYPES:
            filters.append(param)
        else:
            refused.append(param)
    return filters, refused


def refusal(operation: Operation[Any], params: Sequence[Param]) -> ApiError:
    """The 400 for query parameters the fake cannot apply, naming each."""
    return ApiError(
        400,
        "bad_request",
        [
            ErrorDetail(
                "unsupported_by_fake",
                f"The fake incident.io does not implement the query parameter "
                f"{param.wire_name!r} of {operation.id} ({operation.method} {operation.path}), "
                "and will not ignore it: leave it out, or filter the results yourself",
                param.wire_name,
            )
            for param in params
        ],
    )


def matches(record: Mapping[str, Any], params: Sequence[Param], query: Mapping[str, str]) -> bool:
    """Whether ``record`` has, for each parameter, the value the query gives."""
    for param in params:
        text = query[param.wire_name]
        value = record.get(param.wire_name)
        if isinstance(value, bool):
            if text != ("true" if value else "false"):
                return False
        elif isinstance(value, int | float):
            try:
                if float(text) != value:
                    return False
            except ValueError:
                return False
        elif not isinstance(value, str) or value != text:
            return False
    return True


def guarded(operation: Operation[Any], handler: Handler, handled: Collection[str]) -> Handler:
    """``handler``, made to apply or refuse every query parameter it does not handle.

    Returned as it is when it handles every query parameter the operation declares (then
    nothing is added to its requests).
    """
    declared = {p.wire_name for p in operation.params if p.location == "query"}
    if declared <= set(handled):
        return handler

    def run(request: Request) -> Response:
        extra = given(operation, request.query, handled)
        if not extra:
            return handler(request)
        spec = packaged()
        envelope = spec.envelope(operation.id)
        filters, refused = split(extra, envelope, spec)
        if refused:
            raise refusal(operation, refused)
        response = handler(request)
        if response.status >= 300 or envelope.items is None:
            return response
        # The handler answered as if the filter were not there: keep the matching records
        # of what it sends, and of its next pages until this one is as full as the handler
        # made it (a page of nothing with a cursor is not how the API answers a filter).
        items = envelope.items
        body = json.loads(response.body)
        size = len(body[items])
        kept = [record for record in body[items] if matches(record, filters, request.query)]
        cursor = operation.pagination.cursor if operation.pagination else None
        while cursor is not None and len(kept) < size and _next(body) is not None:
            query = {**request.query, cursor: str(_next(body))}
            more = handler(dataclasses.replace(request, query=query))
            if more.status >= 300:
                return more
            body = json.loads(more.body)
            kept += [record for record in body[items] if matches(record, filters, request.query)]
        if len(kept) > size:
            # Cut where the page is full: the next page starts after its last record (the
            # API's cursors are record IDs).
            kept = kept[:size]
            body["pagination_meta"]["after"] = kept[-1]["id"]
        body[items] = kept
        response.body = dumps(body)
        return response

    return run


def _next(body: Mapping[str, Any]) -> Any:
    """The cursor of the page after ``body`` (None on the last page)."""
    meta = body.get("pagination_meta")
    return meta.get("after") if isinstance(meta, Mapping) else None
