"""Calls of every operation, with arguments taken from the vendored specs.

The contract and fake tests call each operation the generated client has, twice: with every
argument, and with only the required ones. The values come from the spec: the example of the
parameter or field where it has one that fits, else one made from its kind (an enum's first
member, a number within bounds). Nothing here names an operation, so a refreshed spec is
tested without a test edit. An operation whose arguments cannot be made (an untyped field
without an example) is returned as :class:`Unexercisable`, to be reported by name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from incidentio_async import IncidentIO
from incidentio_async._catalog import operations
from incidentio_async._operation import Operation, Param
from incidentio_async.testing.openapi import Envelope, OpenApi

from spec_data import merged_spec

SAMPLE_ID = "01FCNDV6P870EA6S7TK1DSYDG0"
SAMPLE_DATE = "2025-01-01"
#: Values for strings of the formats a validator checks.
FORMATS = {
    "date-time": "2025-01-01T09:00:00Z",
    "date": SAMPLE_DATE,
    "uuid": "5f0c4d3e-8a51-4a7e-9a0e-6f1d2c3b4a59",
}
MODES = ("everything", "required")

#: A value for an argument from elsewhere (the fake's own records), or None for the spec's.
Resolver = Callable[[Operation[Any], Param], Any]


class Unbuildable(Exception):
    """No value of the spec fits the argument."""


@dataclass
class Call:
    """One call of an operation's method."""

    operation: Operation[Any]
    mode: str
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)
    query: dict[str, list[str]] = field(default_factory=dict)
    """The query the call must send (parameters of a kind whose encoding is known)."""
    body: dict[str, Any] | None = None
    """The JSON body fields the call must send (without a generated idempotency key)."""

    @property
    def label(self) -> str:
        return f"{self.operation.id} ({self.mode})"

    async def run(self, client: IncidentIO) -> Any:
        """Call the method; a paginated one gives its first page's records."""
        resource = getattr(client, self.operation.resource)
        result = getattr(resource, self.operation.name)(*self.args, **self.kwargs)
        if self.operation.pagination is None:
            return await result
        async with result.pages() as pages:
            page = await pages.__anext__()
        return list(page.items)


@dataclass(frozen=True)
class Unexercisable:
    """An operation the tests cannot call, and why."""

    operation: Operation[Any]
    reason: str


@functools.cache
def spec() -> OpenApi:
    """The vendored specs, merged, with the fake's look-ups (envelopes, resolution)."""
    return OpenApi(merged_spec())


def all_operations() -> list[Operation[Any]]:
    return sorted(operations(), key=lambda op: op.id)


def envelope(operation: Operation[Any]) -> Envelope:
    return spec().envelope(operation.id)


def calls(resolve: Resolver | None = None) -> Iterator[Call | Unexercisable]:
    """Both calls of every operation (or why an operation cannot be called)."""
    for operation in all_operations():
        for mode in MODES:
            try:
                yield build_call(operation, mode, resolve)
            except Unbuildable as exc:
                yield Unexercisable(operation, str(exc))
                break


def build_call(operation: Operation[Any], mode: str, resolve: Resolver | None = None) -> Call:
    """The call of ``operation`` in ``mode`` (``everything`` or ``required``)."""
    call = Call(operation, mode)
    chosen = [p for p in operation.params if mode == "everything" or _needed(p)]
    if mode == "required" and operation.at_least_one_of:
        names = {p.name for p in chosen}
        if not names & set(operation.at_least_one_of):
            first = operation.at_least_one_of[0]
            chosen += [p for p in operation.params if p.name == first]
    if operation.takes_body:
        call.body = {}
    for param in chosen:
        value = resolve(operation, param) if resolve is not None else None
        if value is None:
            value = spec_value(operation, param)
        if param.location == "path":
            call.args.append(value)
            continue
        call.kwargs[param.name] = value
        if param.location == "body":
            assert call.body is not None
            call.body[param.wire_name] = value
        else:
            call.query.update(query_pairs(param, value))
    return call


def _needed(param: Param) -> bool:
    return param.location == "path" or (param.required and not param.generated_key)


def spec_value(operation: Operation[Any], param: Param) -> Any:
    """A value for ``param`` from the spec: its example where that fits, else made up."""
    example, schema = _spec_node(operation, param)
    if param.kind == "filter":
        operator = param.operators[0] if param.operators else "gte"
        if isinstance(example, dict):
            first = next(iter(example.values()), None)
            if isinstance(first, list) and first and isinstance(first[0], str):
                return {operator: first[0]}
        return {operator: SAMPLE_DATE}
    if param.kind == "array":
        if isinstance(example, list) and all(_scalar_fits(param.items, param, x) for x in example):
            return list(example)
        return [_scalar(param.items or "any", param, None, schema.get("items", {}))]
    return _scalar(param.kind, param, example, schema)


def _scalar(kind: str, param: Param, example: Any, schema: dict[str, Any]) -> Any:
    if example is not None and _scalar_fits(kind, param, example):
        return example
    if kind == "enum":
        assert param.enum is not None
        refused = {value for value, _ in param.refused}
        return next(str(m.value) for m in param.enum if str(m.value) not in refused)
    if kind == "string":
        made = FORMATS.get(str(schema.get("format")))
        if made is not None:
            return made
        return SAMPLE_ID if param.is_id else f"{param.name.replace('_', ' ')} from the spec"
    if kind in ("integer", "number"):
        low = 1 if param.minimum is None else param.minimum
        number = low if param.maximum is None else min(low, param.maximum)
        return int(number) if kind == "integer" else float(number)
    if kind == "boolean":
        return True
    raise Unbuildable(f"{param.name}: no example for a value of kind {kind!r}")


def _scalar_fits(kind: str | None, param: Param, value: Any) -> bool:
    if kind == "enum":
        assert param.enum is not None
        refused = {v for v, _ in param.refused}
        return value in {str(m.value) for m in param.enum} - refused
    if kind == "string":
        return isinstance(value, str) and bool(value)
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if kind == "integer" and not isinstance(value, int):
            return False
        low, high = param.minimum, param.maximum
        return (low is None or value >= low) and (high is None or value <= high)
    if kind == "boolean":
        return isinstance(value, bool)
    return kind == "any" and value is not None


def _spec_node(operation: Operation[Any], param: Param) -> tuple[Any, dict[str, Any]]:
    """(example, schema) of the parameter or body field in the spec (None, {}: unknown)."""
    document = spec()
    try:
        document.operation(operation.id)
    except KeyError:
        return None, {}
    if param.location == "body":
        schema = document.request_schema(operation.id) or {}
        node = document.resolve(schema.get("properties", {}).get(param.wire_name, {}))
        return node.get("example"), node
    parameter = document.parameter(operation.id, param.wire_name) or {}
    schema = document.resolve(parameter.get("schema", {}))
    if "example" in parameter:
        return parameter["example"], schema
    for example in (parameter.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            return example["value"], schema
    return schema.get("example"), schema


def query_pairs(param: Param, value: Any) -> dict[str, list[str]]:
    """How the client sends ``value`` of a query parameter (the kinds the tests use)."""
    if param.kind == "filter":
        return {f"{param.wire_name}[{op}]": [str(v)] for op, v in value.items()}
    if param.kind == "boolean":
        return {param.wire_name: ["true" if value else "false"]}
    if param.kind == "array":
        return {param.wire_name: [str(v) for v in value]}
    return {param.wire_name: [str(value)]}


def records_of(operation: Operation[Any], answer: Any) -> Any:
    """The part of a response body the method returns (its records, or the whole body)."""
    found = envelope(operation)
    if found.kind == "empty":
        return None
    if found.items is None:
        return answer
    return answer[found.items]
