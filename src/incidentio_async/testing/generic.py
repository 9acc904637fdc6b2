"""Handlers for the operations the fake has no hand-written handler for, from the spec alone.

The shape of an operation comes from its method and path, as the API lays them out:

============================================  =========================================
``GET /v3/things``                            list (cursor-paginated when it has ``after``)
``POST /v3/things``                           create
``GET /v3/things/{id}``                       show
``PUT`` / ``PATCH /v3/things/{id}``           update
``DELETE /v3/things/{id}``                    delete
``POST /v3/things/{id}/actions/frobnicate``   an action on a record: sets the fields of the
                                              body the record has, returns the record
``POST /v3/things/actions/frobnicate``        an action on the collection: creates a record
                                              (or lists, if the answer is a list)
============================================  =========================================

Records live in the collection under the path (:mod:`~incidentio_async.testing.stores`):
the hand-written store for the resources the fake already keeps, else JSON records built from
the schema's example. What a response must hold comes from the operation's success response
(:class:`~incidentio_async.testing.openapi.Envelope`), so every answer parses with the
generated models. Query parameters the shape does not use are applied as equality filters
on a list, or refused (:mod:`~incidentio_async.testing.query_params`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from incidentio_async._operation import Operation
from incidentio_async.testing.errors import not_found, validation_error
from incidentio_async.testing.messages import Request, Response
from incidentio_async.testing.openapi import Envelope, OpenApi
from incidentio_async.testing.query_params import given, matches, refusal, split
from incidentio_async.testing.records import JsonObject
from incidentio_async.testing.router import Handler
from incidentio_async.testing.state import FakeState
from incidentio_async.testing.stores import Collection
from incidentio_async.testing.synthesis import build, complete, fits
from incidentio_async.testing.validation import DEFAULT_PAGE_SIZE

ACTIONS = "actions"


@dataclass(frozen=True)
class Shape:
    """What an operation does to which records."""

    kind: str
    """``list``, ``create``, ``show``, ``update``, ``delete``, ``record_action`` or
    ``collection_action``."""
    collection: str
    """The template of the collection's path (``/v3/things``)."""
    record_param: str | None = None
    """The path parameter naming the record, for operations on one."""


def shape_of(operation: Operation[Any]) -> Shape:
    """The shape of ``operation``, from its method and path template."""
    segments = operation.path.strip("/").split("/")
    action = ACTIONS in segments[:-1]
    if action:
        segments = segments[: len(segments) - 1 - segments[::-1].index(ACTIONS)]
    last = segments[-1] if segments else ""
    record_param = last[1:-1] if last.startswith("{") and last.endswith("}") else None
    collection = "/" + "/".join(segments[:-1] if record_param else segments)
    method = operation.method
    if action:
        kind = "record_action" if record_param else "collection_action"
    elif record_param:
        kind = {"GET": "show", "DELETE": "delete", "POST": "record_action"}.get(method, "update")
    else:
        kind = {"GET": "list", "POST": "create"}.get(method, "collection_action")
    return Shape(kind, collection, record_param)


class GenericOperations:
    """Makes the generic handler of each operation, over the fake's state and spec."""

    def __init__(self, state: FakeState, spec: OpenApi) -> None:
        self.state = state
        self.spec = spec

    def handler(self, operation: Operation[Any]) -> Handler:
        """The handler for ``operation``."""
        shape = shape_of(operation)
        envelope = self.spec.envelope(operation.id)
        paging = {operation.pagination.cursor} if operation.pagination else set()
        if operation.pagination and operation.pagination.page_size:
            paging.add(operation.pagination.page_size)
        handled = frozenset(paging)

        def handle(request: Request) -> Response:
            extra = given(operation, request.query, handled)
            # Only a list's records have fields to filter on: anything else is refused.
            filters, refused = split(extra, envelope, self.spec)
            if refused:
                raise refusal(operation, refused)
            collection = self._collection(shape, request, envelope)
            if shape.kind == "list" or (
                shape.kind == "collection_action" and envelope.kind in ("list", "page")
            ):
                return self._list(operation, envelope, collection, request, filters)
            if shape.kind in ("create", "collection_action"):
                if envelope.kind != "record" or not self._same(envelope, collection):
                    return self._other(envelope)
                return self._answer(
                    envelope, collection.add(self._fields(request, collection, envelope))
                )
            record_id = request.path_params[shape.record_param or "id"]
            if shape.kind == "show":
                return self._answer(envelope, self._found(collection.get(record_id), collection))
            if shape.kind == "delete":
                record = self._found(collection.get(record_id), collection)
                collection.remove(record_id)
                return self._answer(envelope, record)
            fields = self._fields(request, collection, envelope)
            record = self._found(collection.change(record_id, fields), collection)
            if envelope.kind == "record" and not self._same(envelope, collection):
                return self._other(envelope)
            return self._answer(envelope, record)

        return handle

    # -- collections -------------------------------------------------------------------------

    def _collection(self, shape: Shape, request: Request, envelope: Envelope) -> Collection:
        path = _filled(shape.collection, request.path_params)
        self._check_parent(shape.collection, request)
        schema = envelope.record if envelope.holds_records else None
        return self.state.collections.get(
            shape.collection, path, self.spec, schema, envelope.record_name
        )

    def _check_parent(self, template: str, request: Request) -> None:
        """A nested collection (``/v3/things/{id}/parts``) needs its parent record, when the
        fake keeps the parent's collection."""
        segments = template.strip("/").split("/")
        if len(segments) < 2 or not (segments[-2].startswith("{") and segments[-2].endswith("}")):
            return
        parent_template = "/" + "/".join(segments[:-2])
        parent_path = _filled(parent_template, request.path_params)
        collections = self.state.collections
        parent = collections.registered(parent_template) or collections.json(parent_path)
        if parent is not None and parent.get(request.path_params[segments[-2][1:-1]]) is None:
            raise not_found(f"No {parent.record_name or 'record'} exists with this ID")

    def _same(self, envelope: Envelope, collection: Collection) -> bool:
        """Whether the answer's record is one of the collection's."""
        return collection.record_name is None or envelope.record_name in (
            None,
            collection.record_name,
        )

    def _fields(self, request: Request, collection: Collection, envelope: Envelope) -> JsonObject:
        """The body's fields the record has (same name, a value its schema allows; null for a
        field the record may lack clears it)."""
        body = request.json or {}
        if collection.record_name is not None:
            record = self.spec.schema(collection.record_name)
        else:
            record = envelope.record or {}
        properties = record.get("properties", {})
        required = set(record.get("required", ()))
        return {
            name: value
            for name, value in body.items()
            if name in properties
            and (
                fits(self.spec, value, properties[name]) or (value is None and name not in required)
            )
        }

    # -- answers -----------------------------------------------------------------------------

    def _list(
        self,
        operation: Operation[Any],
        envelope: Envelope,
        collection: Collection,
        request: Request,
        filters: list[Any],
    ) -> Response:
        records = [r for r in collection.records() if matches(r, filters, request.query)]
        body: JsonObject = {}
        if envelope.kind == "page" and operation.pagination is not None:
            pagination = operation.pagination
            after = request.query.get(pagination.cursor) or None
            if after is not None:
                if collection.get(after) is None:
                    raise validation_error(
                        pagination.cursor,
                        "invalid_value",
                        f"{pagination.cursor} must be the ID of a record of this list",
                    )
                records = [r for r in records if str(r.get("id", "")) > after]
            size = self._page_size(operation, request)
            page, more = records[:size], len(records) > size
            meta: JsonObject = {"page_size": size}
            if more:
                meta["after"] = page[-1]["id"]
            body["pagination_meta"] = complete(self.spec, meta, envelope.meta or {})
            records = page
        assert envelope.items is not None and envelope.record is not None
        body[envelope.items] = [complete(self.spec, r, envelope.record) for r in records]
        return Response.json(envelope.status, complete(self.spec, body, envelope.schema))

    def _page_size(self, operation: Operation[Any], request: Request) -> int:
        assert operation.pagination is not None
        name = operation.pagination.page_size
        if name is None:
            return DEFAULT_PAGE_SIZE
        text = request.query.get(name)
        if text:
            return int(text)  # the spec check made sure it is an integer within bounds
        schema = self.spec.resolve((self.spec.parameter(operation.id, name) or {}).get("schema"))
        default = (schema or {}).get("default", DEFAULT_PAGE_SIZE)
        return default if isinstance(default, int) else DEFAULT_PAGE_SIZE

    def _answer(self, envelope: Envelope, record: JsonObject) -> Response:
        if envelope.kind == "empty":
            return Response.empty(envelope.status)
        if envelope.kind != "record":
            return self._other(envelope)
        assert envelope.items is not None and envelope.record is not None
        body = {envelope.items: complete(self.spec, record, envelope.record)}
        return Response.json(envelope.status, complete(self.spec, body, envelope.schema))

    def _other(self, envelope: Envelope) -> Response:
        """An answer the fake cannot tie to a record: built from the schema."""
        if envelope.kind == "empty" or envelope.schema is None:
            return Response.empty(envelope.status)
        return Response.json(envelope.status, build(self.spec, envelope.schema))

    @staticmethod
    def _found(record: JsonObject | None, collection: Collection) -> JsonObject:
        if record is None:
            raise not_found(f"No {collection.record_name or 'record'} exists with this ID")
        return record


def _filled(template: str, params: Mapping[str, str]) -> str:
    """``template`` with its path parameters filled in."""
    for name, value in params.items():
        template = template.replace("{" + name + "}", value)
    return template
