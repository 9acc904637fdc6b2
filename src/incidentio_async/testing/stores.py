"""Records of the resources the fake serves generically, kept as JSON and found by path.

An operation without a hand-written handler works on a *collection*: the records under a
path (``/v3/follow_up_categories``; for a nested resource, one per parent:
``/v3/follow_ups/01H.../comments``). The hand-written stores register themselves under their
paths (see :mod:`~incidentio_async.testing.adapters`), so that a new action on a follow-up
changes the follow-up every other endpoint shows; any other path gets a
:class:`JsonCollection`, made on first use from the records' schema, with a few sample
records when the fake has sample data.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from incidentio_async.testing.openapi import OpenApi
from incidentio_async.testing.records import JsonObject, format_timestamp, to_micros
from incidentio_async.testing.synthesis import build, complete
from incidentio_async.testing.ulid import UlidGenerator

if TYPE_CHECKING:
    from incidentio_async.testing.state import FakeState

CREATED = "created_at"
UPDATED = "updated_at"


class Collection(Protocol):
    """Records under one path, as the API's JSON."""

    record_name: str | None
    """The component schema of its records (``FollowUpV3``), when known."""

    def get(self, record_id: str) -> JsonObject | None:
        """The record with this ID, or None."""
        ...

    def records(self) -> list[JsonObject]:
        """Every record, oldest first (ID order)."""
        ...

    def add(self, fields: Mapping[str, Any]) -> JsonObject:
        """A new record with ``fields`` (those of its schema), stored; returns it."""
        ...

    def change(self, record_id: str, fields: Mapping[str, Any]) -> JsonObject | None:
        """Set ``fields`` on a record (None removes an optional one); returns it, or None
        when there is no such record."""
        ...

    def remove(self, record_id: str) -> bool:
        """Forget a record; whether there was one."""
        ...


class JsonCollection:
    """Records kept as JSON objects, by ID; new ones are built from the schema."""

    def __init__(
        self,
        spec: OpenApi,
        schema: Any,
        *,
        record_name: str | None,
        new_id: Callable[[float | None], tuple[str, int]],
        now: Callable[[], float],
    ) -> None:
        self.spec = spec
        self.schema = spec.resolve(schema) if schema is not None else {}
        self.record_name = record_name
        self._new_id = new_id
        self._now = now
        self._records: dict[str, JsonObject] = {}

    def get(self, record_id: str) -> JsonObject | None:
        """The record with this ID, or None."""
        record = self._records.get(record_id)
        return copy.deepcopy(record) if record is not None else None

    def records(self) -> list[JsonObject]:
        """Every record, in ID order."""
        return [copy.deepcopy(self._records[key]) for key in sorted(self._records)]

    def add(self, fields: Mapping[str, Any]) -> JsonObject:
        """A record built from the schema (its example, if it fits) with ``fields`` set, a new
        ``id`` and, where the schema has them, ``created_at`` and ``updated_at`` of now."""
        record_id, at_us = self._new_id(self._now())
        return self.insert(record_id, at_us, fields)

    def insert(self, record_id: str, at_us: int, fields: Mapping[str, Any]) -> JsonObject:
        """Like :meth:`add`, with the ID and time (microseconds) given."""
        record = build(self.spec, self.schema)
        if not isinstance(record, dict):
            record = {}
        self._stamp(record, at_us, CREATED, UPDATED)
        self._set(record, fields)
        record["id"] = record_id
        self._records[record_id] = record
        return copy.deepcopy(record)

    def put(self, record: Mapping[str, Any]) -> JsonObject:
        """Store ``record`` as it is (it needs an ``id``), completed with what its schema
        requires; returns the stored copy."""
        stored = complete(self.spec, copy.deepcopy(dict(record)), self.schema)
        if not isinstance(stored.get("id"), str):
            raise ValueError("a record needs a string id")
        self._records[stored["id"]] = stored
        return copy.deepcopy(stored)

    def change(self, record_id: str, fields: Mapping[str, Any]) -> JsonObject | None:
        """Set ``fields`` on a record and move its ``updated_at`` on."""
        record = self._records.get(record_id)
        if record is None:
            return None
        self._set(record, fields)
        self._stamp(record, to_micros(self._now()), UPDATED)
        return copy.deepcopy(record)

    def remove(self, record_id: str) -> bool:
        """Forget a record."""
        return self._records.pop(record_id, None) is not None

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[JsonObject]:
        return iter(self.records())

    def _set(self, record: JsonObject, fields: Mapping[str, Any]) -> None:
        for name, value in fields.items():
            if name == "id":
                continue
            if value is None and not self._nullable(name):
                record.pop(name, None)
            else:
                record[name] = copy.deepcopy(value)

    def _nullable(self, name: str) -> bool:
        prop = self.spec.resolve(self.schema.get("properties", {}).get(name, {}))
        return bool(prop.get("nullable"))

    def _stamp(self, record: JsonObject, at_us: int, *names: str) -> None:
        properties = self.schema.get("properties", {})
        for name in names:
            prop = self.spec.resolve(properties.get(name, {}))
            if prop.get("format") == "date-time":
                record[name] = format_timestamp(at_us)


class Collections:
    """Every collection of the fake, by path: hand-written stores and JSON ones."""

    def __init__(self, state: FakeState) -> None:
        self._state = state
        self._registered: dict[str, Collection] = {}
        self._json: dict[str, JsonCollection] = {}
        self.sample_records = 0
        """How many records a JSON collection starts with (set by the sample data)."""

    def register(self, template: str, collection: Collection) -> None:
        """Serve the records under ``template`` (``/v3/follow_ups``) from ``collection``."""
        self._registered[template] = collection

    def registered(self, template: str) -> Collection | None:
        """The hand-written store under ``template``, if there is one."""
        return self._registered.get(template)

    def get(
        self, template: str, path: str, spec: OpenApi, schema: Any, record_name: str | None
    ) -> Collection:
        """The collection at ``path`` (``template`` with its parameters filled in): the store
        registered for the template, else a JSON collection, made now if need be."""
        registered = self._registered.get(template)
        if registered is not None:
            return registered
        with self._state.lock:
            found = self._json.get(path)
            if found is None:
                found = self._json[path] = self._new(path, spec, schema, record_name)
            elif found.record_name is None and record_name is not None:
                found.record_name, found.schema = record_name, spec.resolve(schema)
            return found

    def json(self, path: str) -> JsonCollection | None:
        """The JSON collection at ``path`` (``/v3/follow_up_categories``), once an operation
        has used it: add records with :meth:`JsonCollection.add` or :meth:`JsonCollection.put`."""
        return self._json.get(path)

    def _new(
        self, path: str, spec: OpenApi, schema: Any, record_name: str | None
    ) -> JsonCollection:
        state = self._state
        collection = JsonCollection(
            spec, schema, record_name=record_name, new_id=state.new_id, now=state.now
        )
        if self.sample_records and schema is not None:
            from incidentio_async.testing.state import SAMPLE_EPOCH

            # Sample records have IDs of their own (seeded by the path), so that they are the
            # same whichever collection a test touches first, and times on the sample timeline.
            ids = UlidGenerator(random.Random(f"incidentio-fake:collection:{state.seed}:{path}"))
            for n in range(self.sample_records):
                at_us = to_micros(SAMPLE_EPOCH + 3600 * n)
                collection.insert(ids.new(at_us // 1000), at_us, {})
        return collection
