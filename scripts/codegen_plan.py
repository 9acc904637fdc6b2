"""From the merged spec to what the resource templates render: tags, operations, arguments.

openapi-python-client parses the spec and names the model and enum classes; this module reads
the rest straight from the spec (bounds, nullability, deprecation, pagination) and applies the
declared overrides of ``scripts/codegen-overrides.yaml``. Every rule of the public API lives
here: resource and method names, which arguments are positional, what a method returns.
"""

from __future__ import annotations

import fnmatch
import html
import json
import keyword
import re
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ACTION_NAMES = {"Show": "get"}
"""operationId actions whose method name is not simply their snake_case."""

IDEMPOTENCY_KEY = "idempotency_key"
CURSOR = "after"
PAGE_SIZE = "page_size"
PAGINATION_META = "pagination_meta"

RESERVED_NAMES = frozenset(
    {
        "self",
        "extra_headers",
        "extra_query",
        "extra_body",
        "timeout",
        "max_retries",
        "max_items",
        "lookahead",
        "concurrency",
    }
)
"""Keyword arguments every generated method has: no API argument may take these names."""

CLIENT_ATTRIBUTES = frozenset(
    {"request", "aclose", "base_url", "rate_limiter", "is_closed", "webhooks"}
)
"""Names the client already has: no resource or alias may take one."""

RESOURCE_ATTRIBUTES = frozenset({"with_raw_response", "OPERATIONS"})
"""Names every resource already has: no method may take one."""

FEED_METHOD = "sync"
"""The method a resource gets for the operation whose ``changes_by`` is declared."""

RANGE_OPERATORS = ("gte", "lte")
"""The operators a declared ``partition_by`` or ``changes_by`` filter must accept."""

EVENT_PATH_PREFIX = "/x-webhooks/"
"""Where the published document puts webhook events: each is a pseudo-operation
``GET /x-webhooks/<event type>`` whose 200 response is the delivery's body,
``{"event_type": <event type>, <event type>: <payload>}``. They become event types, not methods."""

PRIVATE_EVENT_PREFIX = "private_"
"""Event types of private incidents, whose payload carries only an ID."""

_SUCCESSOR = re.compile(r"<code>\s*(GET|POST|PUT|PATCH|DELETE)\s+(/\S*?)\s*</code>")
_REMOVAL = re.compile(r"removed on ([0-9]{1,2} [A-Z][a-z]+ [0-9]{4})")
_OPERATORS = re.compile(r"[Aa]ccepted operators are ([^.]*)")
_QUOTED = re.compile(r"'([a-z_]+)'")


class PlanError(Exception):
    """The spec asks for something the generator cannot turn into a good method."""


@dataclass
class ArgumentPlan:
    """One argument of a generated method."""

    name: str
    """The method's argument."""
    location: str
    kind: str
    annotation: str
    """The parameter's type in the method signature, without None / NotGiven."""
    required: bool
    nullable: bool = False
    minimum: float | None = None
    maximum: float | None = None
    enum: str | None = None
    items: str | None = None
    operators: tuple[str, ...] = ()
    is_id: bool = False
    generated_key: bool = False
    refused: tuple[tuple[str, str], ...] = ()
    description: str = ""
    wire: str | None = None
    """The name in the spec, when the argument is called something else."""

    @property
    def positional(self) -> bool:
        """Path parameters are positional; everything else is keyword-only."""
        return self.location == "path"

    @property
    def optional(self) -> bool:
        """Whether the method lets the caller leave it out."""
        return not self.required or self.generated_key

    def param_fields(self) -> list[str]:
        """The keyword arguments of its ``Param(...)`` after name, location and kind."""
        parts = []
        if self.required and not self.generated_key:
            parts.append("required=True")
        for name in ("nullable", "is_id", "generated_key"):
            if getattr(self, name):
                parts.append(f"{name}=True")
        if self.minimum is not None:
            parts.append(f"minimum={self.minimum!r}")
        if self.maximum is not None:
            parts.append(f"maximum={self.maximum!r}")
        if self.enum:
            parts.append(f"enum={self.enum}")
        if self.items:
            parts.append(f"items={self.items!r}")
        if self.operators:
            parts.append(f"operators={self.operators!r}")
        if self.refused:
            parts.append(f"refused={self.refused!r}")
        if self.description:
            parts.append(f"description={self.description!r}")
        if self.wire:
            parts.append(f"wire={self.wire!r}")
        return parts


@dataclass
class PaginationPlan:
    """How a list operation pages."""

    items: str
    item_type: str
    page_size: str | None
    cursor: str = CURSOR
    """The query parameter taking the cursor (what made the operation a paginated one)."""
    ordered_by_id: bool = False
    """Declared override: the API lists the records in the order of their ids."""


@dataclass
class OperationPlan:
    """One generated method and its ``Operation``."""

    id: str
    method: str
    path: str
    name: str
    constant: str
    summary: str
    description: str
    arguments: list[ArgumentPlan]
    result_type: str
    parse: str
    takes_body: bool
    has_body: bool
    pagination: PaginationPlan | None = None
    deprecation: str | None = None
    at_least_one_of: tuple[str, ...] = ()
    result_description: str = ""
    partition_by: str | None = None
    """Declared: the creation-time filter ``list(concurrency=N)`` splits into partitions."""
    changes_by: str | None = None
    """Declared: the last-change filter the resource's ``sync()`` polls."""

    @property
    def model(self) -> str | None:
        """The record class: the result's, or each list item's."""
        if self.result_type == "None":
            return None
        return self.result_type.removeprefix("list[").removesuffix("]")

    @property
    def positional(self) -> list[ArgumentPlan]:
        """The path parameters, in path order."""
        return [a for a in self.arguments if a.positional]

    @property
    def keywords(self) -> list[ArgumentPlan]:
        """Query parameters and body fields: required ones first."""
        rest = [a for a in self.arguments if not a.positional]
        return [a for a in rest if not a.optional] + [a for a in rest if a.optional]


@dataclass
class ResourcePlan:
    """One tag: a resource class and its module."""

    tag: str
    attribute: str
    class_name: str
    description: str
    operations: list[OperationPlan] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    @property
    def uses_literal(self) -> bool:
        """Whether a signature of the module names ``Literal`` (an enum argument)."""
        return any(
            "Literal[" in argument.annotation
            for operation in self.operations
            for argument in operation.arguments
        )

    @property
    def feed(self) -> OperationPlan | None:
        """The operation ``sync()`` polls (the one declaring ``changes_by``), if any."""
        return next((op for op in self.operations if op.changes_by), None)

    @property
    def models(self) -> list[str]:
        """The model and enum classes the module imports."""
        names: set[str] = set()
        for operation in self.operations:
            names.update(_class_names(operation.result_type))
            names.update(_class_names(operation.parse))
            for argument in operation.arguments:
                if argument.enum:
                    names.add(argument.enum)
        return sorted(names)


@dataclass
class RefetchPlan:
    """How ``client.webhooks.refetch(event)`` fetches the current state of an event's subject."""

    operation: OperationPlan
    resource: str
    """The client's attribute holding the operation."""
    arguments: tuple[tuple[str, tuple[str, ...]], ...]
    """Each argument of the operation and the payload field (a path into objects) giving it."""
    latest_by: str | None = None
    """For a list: the records' date-time field whose greatest value marks the answer."""


@dataclass
class EventPlan:
    """One webhook event type."""

    type: str
    """``public_incident.follow_up_created_v2``."""
    constant: str
    """The generated constant: ``PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2``."""
    model: str
    """The payload's class."""
    description: str
    private: bool
    refetch: RefetchPlan | None = None


@dataclass
class Plan:
    """Everything the resource and event templates render."""

    resources: list[ResourcePlan]
    events: list[EventPlan] = field(default_factory=list)

    @property
    def event_models(self) -> list[str]:
        """The classes the events module imports: payloads and what refetch returns."""
        return sorted({event.model for event in self.events} | set(self.refetched))

    @property
    def refetched(self) -> list[str]:
        """The classes ``refetch`` can return, in a stable order."""
        found = {
            event.refetch.operation.model
            for event in self.events
            if event.refetch is not None and event.refetch.operation.model is not None
        }
        return sorted(found)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping: plain YAML keeps the last,
    which would silently drop an operation's earlier overrides."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_overrides(path: Path) -> dict[str, Any]:
    """The declared overrides (an empty set when the file does not exist)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        try:
            data = yaml.load(handle, Loader=_UniqueKeyLoader) or {}
        except yaml.constructor.ConstructorError as error:
            raise PlanError(f"{path}: {error.problem} ({error.problem_mark})") from None
    if not isinstance(data, dict):
        raise PlanError(f"{path}: expected a mapping at the top level")
    return data


def build_plan(spec: Mapping[str, Any], generator_data: Any, overrides: Mapping[str, Any]) -> Plan:
    """The plan of every tag of ``spec``; ``generator_data`` is openapi-python-client's
    parse of the same document (for the class names it gives models and enums)."""
    endpoints = {
        (endpoint.method.upper(), _text(endpoint.path)): endpoint
        for collection in generator_data.endpoint_collections_by_tag.values()
        for endpoint in collection.endpoints
    }
    operation_overrides = dict(overrides.get("operations") or {})
    tag_descriptions = {tag["name"]: tag.get("description", "") for tag in spec.get("tags", [])}
    resources: dict[str, ResourcePlan] = {}
    located: dict[tuple[str, str], tuple[str, str]] = {}
    tagged: list[tuple[str, str, dict[str, Any], str]] = []
    event_operations: list[tuple[str, dict[str, Any]]] = []
    for method, path, operation in spec_operations(spec):
        if path.startswith(EVENT_PATH_PREFIX):
            event_operations.append((path, operation))
            continue
        tag = (operation.get("tags") or ["default"])[0]
        if tag not in resources:
            attribute = snake_case(tag)
            if attribute in CLIENT_ATTRIBUTES or not attribute.isidentifier():
                raise PlanError(f"tag {tag!r} would be client.{attribute}, which is taken")
            resources[tag] = ResourcePlan(
                tag=tag,
                attribute=attribute,
                class_name=class_name(tag),
                description=_clean(tag_descriptions.get(tag, "")).rstrip("."),
            )
        name = method_name(operation["operationId"])
        if keyword.iskeyword(name) or name in RESOURCE_ATTRIBUTES or not name.isidentifier():
            raise PlanError(f"{operation['operationId']}: a method cannot be called {name!r}")
        located[(method, path)] = (resources[tag].attribute, name)
        tagged.append((method, path, operation, tag))
    for method, path, operation, tag in tagged:
        resource = resources[tag]
        op_overrides = operation_overrides.pop(operation["operationId"], None) or {}
        plan = _operation_plan(
            spec, method, path, operation, tag, endpoints[(method, path)], op_overrides, located
        )
        if any(existing.name == plan.name for existing in resource.operations):
            raise PlanError(f"{tag}: two operations would both be called {plan.name}()")
        resource.operations.append(plan)
    for resource in resources.values():
        feeds = [op.id for op in resource.operations if op.changes_by]
        if len(feeds) > 1:
            raise PlanError(f"{resource.tag}: only one operation may declare changes_by: {feeds}")
        if feeds and any(op.name == FEED_METHOD for op in resource.operations):
            raise PlanError(
                f"{resource.tag}: {FEED_METHOD}() would be both an operation and the feed"
            )
    if operation_overrides:
        raise PlanError(f"overrides for unknown operations: {', '.join(operation_overrides)}")
    for alias, target in (overrides.get("aliases") or {}).items():
        owner = next((r for r in resources.values() if r.attribute == target), None)
        if owner is None:
            raise PlanError(f"alias {alias} names no resource: {target}")
        if alias in CLIENT_ATTRIBUTES or any(r.attribute == alias for r in resources.values()):
            raise PlanError(f"alias {alias} is already a name of the client")
        owner.aliases.append(alias)
    ordered = sorted(resources.values(), key=lambda r: r.attribute)
    by_id = {
        operation.id: (resource.attribute, operation)
        for resource in ordered
        for operation in resource.operations
    }
    events = _events(spec, event_operations, endpoints, overrides.get("events") or {}, by_id)
    return Plan(resources=ordered, events=events)


def _events(
    spec: Mapping[str, Any],
    event_operations: list[tuple[str, dict[str, Any]]],
    endpoints: Mapping[tuple[str, str], Any],
    overrides: Mapping[str, Any],
    operations: Mapping[str, tuple[str, OperationPlan]],
) -> list[EventPlan]:
    """The webhook event types, with the declared ways to refetch their subjects."""
    events = []
    unused = set(overrides)
    for path, operation in sorted(event_operations):
        event_type = path.removeprefix(EVENT_PATH_PREFIX)
        envelope = endpoints[("GET", path)]
        _, response = _success(operation)
        schema_ref = (response.get("content") or {}).get("application/json", {}).get("schema")
        schema = _resolve(spec, schema_ref or {})
        if event_type not in schema.get("properties", {}):
            raise PlanError(f"event {event_type}: the body has no {event_type!r} property")
        generated = next(iter(envelope.responses)).prop
        payload = next(
            prop
            for prop in [*generated.required_properties, *generated.optional_properties]
            if _text(prop.name) == event_type
        )
        class_info = getattr(payload, "class_info", None)
        if class_info is None:
            raise PlanError(f"event {event_type}: the payload is not a model")
        matching = [pattern for pattern in overrides if fnmatch.fnmatchcase(event_type, pattern)]
        if len(matching) > 1:
            raise PlanError(f"event {event_type}: matched by several overrides {matching}")
        unused -= set(matching)
        refetch = None
        if matching:
            declared = overrides[matching[0]] or {}
            payload_schema = _resolve(spec, schema["properties"][event_type])
            refetch = _refetch(
                spec, event_type, declared.get("refetch"), payload_schema, operations
            )
        events.append(
            EventPlan(
                type=event_type,
                constant=snake_case(event_type).upper(),
                model=_text(class_info.name),
                description=_clean(operation.get("description", "")),
                private=event_type.startswith(PRIVATE_EVENT_PREFIX),
                refetch=refetch,
            )
        )
    if unused:
        raise PlanError(f"event overrides that match no event: {', '.join(sorted(unused))}")
    return events


def _refetch(
    spec: Mapping[str, Any],
    event_type: str,
    declared: Any,
    payload: Mapping[str, Any],
    operations: Mapping[str, tuple[str, OperationPlan]],
) -> RefetchPlan:
    where = f"event {event_type}: refetch"
    if not isinstance(declared, Mapping) or not (
        {"operation", "arguments"} <= set(declared) <= {"operation", "arguments", "latest_by"}
    ):
        raise PlanError(f"{where} needs 'operation' and 'arguments' (and 'latest_by' for a list)")
    found = operations.get(declared["operation"])
    if found is None:
        raise PlanError(f"{where} names no operation: {declared['operation']}")
    resource, operation = found
    names = {argument.name: argument for argument in operation.arguments}
    arguments = []
    for name, field_path in (declared["arguments"] or {}).items():
        if name not in names:
            raise PlanError(f"{where}: {operation.id} has no argument {name}")
        steps = tuple(str(field_path).split("."))
        schema: Any = payload
        for step in steps:
            schema = _resolve(spec, (schema.get("properties") or {}).get(step))
            if schema is None:
                raise PlanError(f"{where}: the payload has no field {field_path}")
        if schema.get("type") != "string":
            raise PlanError(f"{where}: the payload's {field_path} is not a string")
        arguments.append((name, steps))
    missing = [
        a.name for a in operation.arguments if not a.optional and a.name not in dict(arguments)
    ]
    if missing:
        raise PlanError(f"{where}: no value for the required {', '.join(missing)}")
    latest_by = declared.get("latest_by")
    if (latest_by is None) != (operation.pagination is None):
        raise PlanError(f"{where}: 'latest_by' is for, and needed by, a list operation")
    if latest_by is not None:
        records = _resolve(spec, spec["components"]["schemas"].get(operation.model or "", {}))
        if not _required_date_time(spec, records, latest_by):
            raise PlanError(f"{where}: latest_by {latest_by} is not a required date-time")
    return RefetchPlan(
        operation=operation, resource=resource, arguments=tuple(arguments), latest_by=latest_by
    )


def _required_date_time(spec: Mapping[str, Any], record: Mapping[str, Any], name: str) -> bool:
    """Whether field ``name`` of the ``record`` schema is a required date-time."""
    field_schema = _resolve(spec, record.get("properties", {}).get(name, {}))
    return field_schema.get("format") == "date-time" and name in record.get("required", [])


def spec_operations(spec: Mapping[str, Any]) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """(METHOD, path, operation) of every operation of ``spec``."""
    for path, item in spec.get("paths", {}).items():
        for method in ("get", "post", "put", "patch", "delete"):
            if method in item:
                yield method.upper(), path, item[method]


def _operation_plan(
    spec: Mapping[str, Any],
    method: str,
    path: str,
    operation: Mapping[str, Any],
    tag: str,
    endpoint: Any,
    overrides: Mapping[str, Any],
    located: Mapping[tuple[str, str], tuple[str, str]],
) -> OperationPlan:
    operation_id = operation["operationId"]
    name = located[(method, path)][1]
    arguments = _parameters(spec, operation, endpoint, overrides, noun_of(tag))
    body_schema = _request_schema(spec, operation)
    if body_schema is not None:
        arguments.extend(_body_fields(spec, body_schema, endpoint, overrides))
    seen: set[str] = set()
    for argument in arguments:
        if argument.name in seen:
            raise PlanError(f"{operation_id}: two arguments called {argument.name}")
        if argument.name in RESERVED_NAMES or not argument.name.isidentifier():
            raise PlanError(f"{operation_id}: an argument cannot be called {argument.name!r}")
        if keyword.iskeyword(argument.name):
            raise PlanError(f"{operation_id}: {argument.name!r} is a Python keyword")
        seen.add(argument.name)
    for refused_name in overrides.get("refuse") or {}:
        if refused_name not in seen:
            raise PlanError(f"{operation_id}: refuse names no argument: {refused_name}")
    at_least_one_of = tuple(overrides.get("at_least_one_of") or ())
    for needed in at_least_one_of:
        if needed not in seen:
            raise PlanError(f"{operation_id}: at_least_one_of names no argument: {needed}")

    result_type, parse, has_body, pagination, result_description = _result(
        spec, operation, endpoint, arguments
    )
    if overrides.get("ordered_by_id"):
        if pagination is None:
            raise PlanError(f"{operation_id}: ordered_by_id on an operation that does not page")
        pagination.ordered_by_id = True
    ranges = {
        key: _time_range_filter(spec, operation, key, overrides.get(key), arguments, pagination)
        for key in ("partition_by", "changes_by")
    }
    description = _clean(operation.get("description", ""))
    return OperationPlan(
        id=operation_id,
        method=method,
        path=path,
        name=name,
        constant="_" + name.upper(),
        summary=_clean(operation.get("summary", "")),
        description=description,
        arguments=arguments,
        result_type=result_type,
        parse=parse,
        takes_body=body_schema is not None,
        has_body=has_body,
        pagination=pagination,
        deprecation=_deprecation(method, path, operation, located),
        at_least_one_of=at_least_one_of,
        result_description=result_description,
        partition_by=ranges["partition_by"],
        changes_by=ranges["changes_by"],
    )


def _time_range_filter(
    spec: Mapping[str, Any],
    operation: Mapping[str, Any],
    key: str,
    name: Any,
    arguments: list[ArgumentPlan],
    pagination: PaginationPlan | None,
) -> str | None:
    """The filter a ``partition_by`` / ``changes_by`` override names, checked: a filter of a
    paginated operation that takes ``gte`` and ``lte``, named after a date-time field of the
    records it lists (the core reads that field from each record)."""
    if name is None:
        return None
    operation_id = operation["operationId"]
    if pagination is None:
        raise PlanError(f"{operation_id}: {key} needs a paginated list")
    argument = next((a for a in arguments if a.name == name), None)
    if argument is None or argument.kind != "filter":
        raise PlanError(f"{operation_id}: {key} names no filter argument: {name}")
    if not set(RANGE_OPERATORS) <= set(argument.operators):
        raise PlanError(f"{operation_id}: {key} {name} must accept {' and '.join(RANGE_OPERATORS)}")
    _, response = _success(operation)
    schema = _resolve(spec, response["content"]["application/json"]["schema"])
    records = _resolve(spec, schema["properties"][pagination.items])
    item = _resolve(spec, records.get("items", {}))
    if not _required_date_time(spec, item, name):
        raise PlanError(f"{operation_id}: {key} {name} is not a required date-time of the records")
    return str(name)


def _parameters(
    spec: Mapping[str, Any],
    operation: Mapping[str, Any],
    endpoint: Any,
    overrides: Mapping[str, Any],
    noun: str,
) -> list[ArgumentPlan]:
    generated = {
        _text(prop.name): prop for prop in [*endpoint.path_parameters, *endpoint.query_parameters]
    }
    arguments = []
    for raw in operation.get("parameters", []):
        parameter = _resolve(spec, raw)
        location = parameter["in"]
        if location not in ("path", "query"):
            # A method that cannot send a parameter the spec declares would be broken: refuse
            # the spec until the generator (and the core) learn headers or cookies.
            raise PlanError(
                f"{operation['operationId']}: {location} parameter {parameter['name']!r} is "
                "not supported"
            )
        name = parameter["name"]
        schema = _resolve(spec, parameter.get("schema", {}))
        description = _first_sentence(parameter.get("description") or schema.get("description"))
        if parameter.get("style") == "deepObject":
            full = parameter.get("description") or schema.get("description") or ""
            operators = tuple(_QUOTED.findall(" ".join(_OPERATORS.findall(full))))
            arguments.append(
                ArgumentPlan(
                    name=name,
                    location=location,
                    kind="filter",
                    annotation="Mapping[str, FilterValue]",
                    required=bool(parameter.get("required")),
                    operators=operators,
                    description=description,
                )
            )
            continue
        argument = _argument(
            spec,
            name,
            location,
            schema,
            generated.get(name),
            required=bool(parameter.get("required")) or location == "path",
            description=description,
            overrides=overrides,
        )
        if location == "path" and name == "id":
            # ``get(follow_up_id)`` says what the id is of; the URL still says ``{id}``.
            argument.name, argument.wire = f"{noun}_id", name
        arguments.append(argument)
    return arguments


def _body_fields(
    spec: Mapping[str, Any], schema: Mapping[str, Any], endpoint: Any, overrides: Mapping[str, Any]
) -> list[ArgumentPlan]:
    if schema.get("type", "object") != "object" or "properties" not in schema:
        raise PlanError("request bodies must be JSON objects with properties")
    model = endpoint.bodies[0].prop if endpoint.bodies else None
    generated = (
        {
            _text(prop.name): prop
            for prop in [*model.required_properties, *model.optional_properties]
        }
        if model is not None
        else {}
    )
    required = set(schema.get("required", []))
    fields = []
    for name, field_schema in schema["properties"].items():
        resolved = _resolve(spec, field_schema)
        fields.append(
            _argument(
                spec,
                name,
                "body",
                resolved,
                generated.get(name),
                required=name in required,
                description=_first_sentence(resolved.get("description")),
                overrides=overrides,
            )
        )
    return fields


def _argument(
    spec: Mapping[str, Any],
    name: str,
    location: str,
    schema: Mapping[str, Any],
    generated: Any,
    *,
    required: bool,
    description: str,
    overrides: Mapping[str, Any],
) -> ArgumentPlan:
    refused = tuple(
        (str(value), str(reason))
        for value, reason in ((overrides.get("refuse") or {}).get(name) or {}).items()
    )
    kind, annotation, enum, items = _kind(
        spec, schema, generated, refused={value for value, _ in refused}
    )
    generated_key = location == "body" and name == IDEMPOTENCY_KEY and kind == "string"
    return ArgumentPlan(
        name=name,
        location=location,
        kind=kind,
        annotation=annotation,
        required=required,
        nullable=bool(schema.get("nullable")),
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
        enum=enum,
        items=items,
        is_id=location == "path" or name == "id" or name.endswith("_id"),
        generated_key=generated_key,
        refused=refused,
        description=description,
    )


def _kind(
    spec: Mapping[str, Any],
    schema: Mapping[str, Any],
    generated: Any,
    refused: Set[str] = frozenset(),
) -> tuple[str, str, str | None, str | None]:
    """(kind, annotation, enum class, item kind) of an argument's schema."""
    if "enum" in schema:
        if schema.get("type", "string") != "string":
            raise PlanError(f"only string enums are supported, not {schema.get('type')!r} ones")
        enum = _enum_class(generated)
        return "enum", enum_annotation(enum, schema["enum"], refused), enum, None
    kind = schema.get("type")
    if kind == "string":
        return "string", "str", None, None
    if kind == "integer":
        return "integer", "int", None, None
    if kind == "number":
        return "number", "float", None, None
    if kind == "boolean":
        return "boolean", "bool", None, None
    if kind == "array":
        inner = _resolve(spec, schema.get("items", {}))
        inner_generated = getattr(_non_null(generated), "inner_property", None)
        item_kind, item_annotation, enum, _ = _kind(spec, inner, inner_generated, refused)
        if item_kind in ("array", "any"):
            return "array", "Sequence[Any]", None, "any"
        return "array", f"Sequence[{item_annotation}]", enum, item_kind
    return "any", "Any", None, None


def enum_annotation(enum: str, values: Iterable[object], refused: Set[str] = frozenset()) -> str:
    """The type of an enum argument: a member of its open enum, or one of the strings the spec
    lists (not those an override refuses), so that a type checker catches a misspelt value.

    A value the API added after this release type-checks as ``Enum("new_value")`` (the open
    enum keeps it); a plain string still works at run time.
    """
    known = [str(value) for value in values if str(value) not in refused]
    if not known:
        return enum
    return f"{enum} | Literal[{', '.join(json.dumps(value) for value in known)}]"


def _enum_class(generated: Any) -> str:
    prop = _non_null(generated)
    class_info = getattr(prop, "class_info", None)
    if class_info is None:
        raise PlanError(f"no generated enum class for {getattr(prop, 'name', prop)}")
    return _text(class_info.name)


def _non_null(prop: Any) -> Any:
    """The property itself, or the non-null member of a nullable union."""
    inner = getattr(prop, "inner_properties", None)
    if inner:
        members = [p for p in inner if type(p).__name__ != "NoneProperty"]
        if len(members) == 1:
            return members[0]
    return prop


def _result(
    spec: Mapping[str, Any],
    operation: Mapping[str, Any],
    endpoint: Any,
    arguments: list[ArgumentPlan],
) -> tuple[str, str, bool, PaginationPlan | None, str]:
    """(result type, parse expression, has body, pagination, description) of an operation."""
    status, response = _success(operation)
    content = (response.get("content") or {}).get("application/json")
    if status == 204 or content is None:
        return "None", "no_result", False, None, ""
    schema_ref = content.get("schema", {})
    schema = _resolve(spec, schema_ref)
    generated = next((r.prop for r in endpoint.responses if _status_of(r) == status), None)
    model = _text(generated.class_info.name) if generated is not None else None
    if model is None or schema.get("type", "object") != "object":
        raise PlanError(f"{operation['operationId']}: the success response is not a model")
    properties = dict(schema.get("properties", {}))
    names = {arg.name for arg in arguments if arg.location == "query"}
    props = {
        _text(p.name): p for p in [*generated.required_properties, *generated.optional_properties]
    }
    if PAGINATION_META in properties and CURSOR in names:
        records = [name for name in properties if name != PAGINATION_META]
        if len(records) != 1 or _resolve(spec, properties[records[0]]).get("type") != "array":
            raise PlanError(f"{operation['operationId']}: cannot tell which property pages")
        items = records[0]
        list_type = _text(props[items].get_type_string(no_optional=True))
        item_type = list_type.removeprefix("list[").removesuffix("]")
        pagination = PaginationPlan(
            items=items, item_type=item_type, page_size=PAGE_SIZE if PAGE_SIZE in names else None
        )
        parse = f"lambda data: {model}.from_dict(data).{_text(props[items].python_name)}"
        return list_type, parse, True, pagination, _clean(response.get("description", ""))
    if len(properties) == 1:
        (only,) = properties
        if only in schema.get("required", []):
            prop = props[only]
            parse = f"lambda data: {model}.from_dict(data).{_text(prop.python_name)}"
            return _text(prop.get_type_string(no_optional=True)), parse, True, None, ""
    return model, f"{model}.from_dict", True, None, ""


def _status_of(response: Any) -> int | None:
    pattern = response.status_code
    for attribute in ("pattern", "status"):
        value = getattr(pattern, attribute, None)
        if isinstance(value, int):
            return value
    text = str(getattr(pattern, "pattern", pattern))
    return int(text) if text.isdigit() else None


def _success(operation: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
    for status, response in sorted(operation.get("responses", {}).items()):
        if str(status).startswith("2"):
            return int(status), response
    raise PlanError(f"{operation['operationId']}: no success response")


def _request_schema(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> Any:
    body = operation.get("requestBody")
    if body is None:
        return None
    content = _resolve(spec, body).get("content", {})
    if "application/json" not in content:
        raise PlanError(f"{operation['operationId']}: only JSON request bodies are supported")
    return _resolve(spec, content["application/json"].get("schema", {}))


def _deprecation(
    method: str,
    path: str,
    operation: Mapping[str, Any],
    located: Mapping[tuple[str, str], tuple[str, str]],
) -> str | None:
    """The warning text for a deprecated operation, naming its successor when the spec's
    description names one this client wraps."""
    if not operation.get("deprecated"):
        return None
    description = operation.get("description", "")
    resource, name = located[(method, path)]
    text = f"incident.io has deprecated {method} {path} (client.{resource}.{name})"
    removal = _REMOVAL.search(description)
    if removal:
        text += f" and removes it on {removal.group(1)}"
    successor = _SUCCESSOR.search(description)
    if successor:
        target = (successor.group(1), successor.group(2))
        if target in located:
            new_resource, new_name = located[target]
            text += f"; use client.{new_resource}.{new_name}() ({target[0]} {target[1]}) instead"
        else:
            text += f"; use {target[0]} {target[1]} instead"
    return text


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    while isinstance(node, Mapping) and "$ref" in node:
        reference = node["$ref"]
        if not reference.startswith("#/"):
            raise PlanError(f"only local references are supported: {reference}")
        target: Any = spec
        for part in reference[2:].split("/"):
            target = target[part]
        node = target
    return node


def method_name(operation_id: str) -> str:
    """``Follow-ups V2#ConnectExternalIssue`` -> ``connect_external_issue``;
    ``Show`` -> ``get``."""
    action = operation_id.rsplit("#", 1)[-1]
    return ACTION_NAMES.get(action, snake_case(action))


def noun_of(tag: str) -> str:
    """What one object of a tag is called: ``Follow-ups V2`` -> ``follow_up``,
    ``Incident Updates V2`` -> ``incident_update``."""
    words = re.sub(r"\s+V[0-9]+$", "", tag)
    return snake_case(words).removesuffix("s")


def snake_case(text: str) -> str:
    """``Follow-ups V2`` -> ``follow_ups_v2``; ``ListArchive`` -> ``list_archive``."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()


def class_name(text: str) -> str:
    """``Follow-ups V2`` -> ``FollowUpsV2``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", text))


def _class_names(expression: str) -> set[str]:
    return {
        word
        for word in re.findall(r"\b[A-Z][A-Za-z0-9]+\b", expression)
        if word not in {"None", "Any", "Sequence", "Mapping"}
    }


def _text(value: Any) -> str:
    """A string of openapi-python-client's (names and code are wrapped in their own types)."""
    for unwrap in ("get_untrusted_value", "as_unembedded_code"):
        getter = getattr(value, unwrap, None)
        if callable(getter):
            return str(getter())
    return str(value)


def _clean(text: str) -> str:
    """Spec prose as docstring text: HTML code tags as backticks, entities decoded."""
    text = re.sub(r"</?code>", "``", text)
    return html.unescape(text).strip()


def _first_sentence(text: str | None) -> str:
    if not text:
        return ""
    text = " ".join(_clean(text).split())
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    return match.group(1) if match else text
