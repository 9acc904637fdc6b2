"""What the generated resources tell the core about an operation: its parameters and result.

The generator writes one :class:`Operation` per operation of the vendored specs. The core
reads them to check arguments, build requests, parse results and paginate; the CLI reads them
to build its commands and the fake to validate what it receives. Nothing here names an
endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, Literal, TypeVar

R = TypeVar("R")

Location = Literal["path", "query", "body"]
"""Where an argument travels."""

Kind = Literal["string", "integer", "number", "boolean", "enum", "array", "filter", "any"]
"""What an argument accepts:

- ``string``, ``integer``, ``number``, ``boolean``: the JSON scalar;
- ``enum``: a member of ``Param.enum`` or its string (values the API added later included);
- ``array``: a list of ``Param.items`` (a bare string is refused);
- ``filter``: a mapping from operator to value, sent as the API's deepObject query
  (``updated_at[gte]=...``);
- ``any``: JSON as given (schemas this client does not model).
"""


@dataclass(frozen=True, slots=True)
class Param:
    """One argument of an operation, as the spec (and its declared overrides) describe it."""

    name: str
    """The method's argument (and, unless ``wire`` says otherwise, the name on the wire)."""
    location: Location
    kind: Kind
    required: bool = False
    nullable: bool = False
    """``None`` sends JSON null (for other optional arguments ``None`` means "not sent")."""
    minimum: float | None = None
    maximum: float | None = None
    enum: type[Enum] | None = None
    """The generated enum class of an ``enum`` argument, or of an array's items."""
    items: Kind | None = None
    """The kind of an array's items."""
    operators: tuple[str, ...] = ()
    """The operators a ``filter`` accepts."""
    is_id: bool = False
    """An object id: a non-empty string that must not change the URL's shape."""
    generated_key: bool = False
    """An idempotency key: filled with a fresh random key when not given, the same on every
    retry, and it makes a POST safe to retry."""
    refused: tuple[tuple[str, str], ...] = ()
    """Values refused before any request, each with the reason to give."""
    description: str = ""
    wire: str | None = None
    """The name in the spec, when the argument is called something else (a path's ``{id}``
    is ``follow_up_id``)."""

    @property
    def wire_name(self) -> str:
        """The name the API knows this argument by."""
        return self.wire or self.name


@dataclass(frozen=True, slots=True)
class Pagination:
    """How a list operation pages: the cursor parameter and where the records are."""

    cursor: str
    """The query parameter that takes the cursor (``after``)."""
    items: str
    """The response property holding the page's records."""
    page_size: str | None = None
    """The query parameter that sets the page size, if there is one."""
    meta: str = "pagination_meta"
    """The response property holding the next cursor."""
    next_cursor: str = "after"
    """The property of ``meta`` holding the next cursor (absent on the last page)."""
    ordered_by_id: bool = False
    """Declared override: the API lists the records in the order of their ids (one way or the
    other), so a record that sorts behind those long yielded is one the pager has seen."""


def no_result(_: Any) -> None:
    """The result of an operation that answers without a body (204)."""
    return None


@dataclass(frozen=True, slots=True)
class Operation(Generic[R]):
    """One API operation.

    ``parse`` turns the JSON of a successful response into the method's result (the generated
    model, unwrapped from its envelope); it raises the models' ``ModelParseError`` when the
    body does not fit.
    """

    id: str
    """The spec's ``operationId``, e.g. ``Follow-ups V2#Show``."""
    method: str
    path: str
    """The path template, e.g. ``/v2/follow_ups/{id}``."""
    params: tuple[Param, ...]
    parse: Callable[[Any], R]
    resource: str
    """The attribute of the client holding this operation's resource (``follow_ups_v2``)."""
    name: str
    """The method's name (``get``)."""
    summary: str = ""
    model: type | None = None
    """The class of the records the operation returns (for a list, of each record)."""
    takes_body: bool = False
    """Whether the request carries a JSON body (``extra_body`` merges into it)."""
    has_body: bool = True
    """Whether a successful response carries a JSON body (not for 204)."""
    pagination: Pagination | None = None
    deprecation: str | None = None
    """The warning to emit, once per process, when the spec marks the operation deprecated."""
    at_least_one_of: tuple[str, ...] = ()
    """Declared override: at least one of these arguments must be given."""
    partition_by: str | None = None
    """Declared override: the filter (and record field) of the creation time of a list
    ordered by ID, oldest first, whose IDs are ULIDs: ``list(concurrency=N)`` splits its
    range into partitions fetched at once."""
    changes_by: str | None = None
    """Declared override: the filter (and record field) of a record's last change, which
    the resource's ``sync()`` polls."""
    path_params: tuple[Param, ...] = field(init=False, repr=False, compare=False)
    idempotency_param: Param | None = field(init=False, repr=False, compare=False)
    limit_scope: str = field(init=False, repr=False, compare=False)
    """The operation as the rate limiter knows it: method and path template
    (``GET /v3/follow_ups/{id}``), the scope of a limit of its own."""

    def __post_init__(self) -> None:
        # Derived once here, read on every call.
        object.__setattr__(
            self, "path_params", tuple(p for p in self.params if p.location == "path")
        )
        keys = [p for p in self.params if p.generated_key]
        object.__setattr__(self, "idempotency_param", keys[0] if keys else None)
        object.__setattr__(self, "limit_scope", f"{self.method} {self.path}")
