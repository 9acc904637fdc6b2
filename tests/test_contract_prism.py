"""Contract tests: every facade operation, checked by an independent validator, Prism.

Prism (``tools/prism``, pinned) serves the merged vendored spec with ``--errors``, so a
request that does not fit the spec is refused (422, or 401 without credentials) instead of
answered. Every operation of the specs is called with every argument and with only the
required ones, with values taken from the spec (``spec_calls``: no operation is named there,
so a refreshed spec is covered without a test edit; one whose arguments cannot be made is
reported by name in a warning). The test checks what was sent, that Prism accepted it, and
that the facade parsed Prism's answer into the right model, exactly (``to_dict()`` gives back
the body received). The tests after it pin down particular values and behaviours.

Prism answers in two ways, and every operation is run against both:

* ``examples``: the spec's own response examples.
* ``generated``: bodies Prism generates from the response schemas (``Prefer: dynamic=true``),
  with random values and extra properties; ``--seed`` makes them the same on every run.

The last tests send raw requests that violate the spec and check that Prism refuses them, so
that a passing suite means something.
"""

from __future__ import annotations

import datetime
import json
import warnings
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from prism_server import PrismServer, ensure_prism, problem, write_merged_spec

from incidentio_api.models import (
    FollowUpsConnectExternalIssuePayloadV2Provider,
    FollowUpsUpdatePayloadV2Status,
    FollowUpsV2ListIncidentMode,
    FollowUpV2,
    FollowUpV3,
    IncidentUpdateV2,
)
from incidentio_async import IncidentIO, PaginationError, RateLimiter
from incidentio_async._catalog import operations

from spec_calls import Call, Unexercisable, calls, envelope, records_of, spec
from spec_data import merged_spec, schemas

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore::incidentio_async.IncidentIODeprecationWarning"),
]

API_KEY = "test-key"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
FOLLOW_UP_ID = "01FCNDV6P870EA6S7TK1DSYDG0"
INCIDENT_ID = "01FCNDV6P870EA6S7TK1DSYD5H"
RESUME_AFTER = "01FCNDV6P870EA6S7TK1DSYD00"

#: The statuses the facade lets ``update`` send (it refuses ``deleted``: see the finding test).
UPDATE_STATUSES = [s.value for s in FollowUpsUpdatePayloadV2Status if s.value != "deleted"]
PROVIDERS = [p.value for p in FollowUpsConnectExternalIssuePayloadV2Provider]


@pytest.fixture(scope="session")
def prism_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Prism on the merged spec, once per session; installed with ``npm ci`` if missing."""
    executable = ensure_prism()
    spec = write_merged_spec(tmp_path_factory.mktemp("prism"))
    with PrismServer(executable, spec) as server:
        answer = httpx.get(f"{server.url}/v2/follow_ups", headers=AUTH, timeout=10.0)
        assert answer.status_code == 200, f"Prism is not answering:\n{server.output()}"
        yield server.url


@dataclass
class Exchange:
    """One request the facade sent and Prism's answer, as seen on the wire."""

    method: str
    path: str
    params: dict[str, list[str]]
    body: Any
    status: int
    answer: Any


@dataclass
class Wire:
    exchanges: list[Exchange] = field(default_factory=list)

    async def record(self, response: httpx.Response) -> None:
        await response.aread()
        request = response.request
        params: dict[str, list[str]] = {}
        for name, value in request.url.params.multi_items():
            params.setdefault(name, []).append(value)
        self.exchanges.append(
            Exchange(
                method=request.method,
                path=request.url.path,
                params=params,
                body=json.loads(request.content) if request.content else None,
                status=response.status_code,
                answer=response.json() if response.content else None,
            )
        )

    @property
    def only(self) -> Exchange:
        assert len(self.exchanges) == 1, self.exchanges
        return self.exchanges[0]


@pytest.fixture(params=["examples", "generated"])
def responses(request: pytest.FixtureRequest) -> str:
    """Whether Prism answers with the spec's examples or with bodies generated from schemas."""
    return str(request.param)


@pytest.fixture
async def facade(prism_url: str, responses: str) -> AsyncIterator[tuple[IncidentIO, Wire]]:
    """The client under test, pointed at Prism, and a record of what went over the wire.

    The ``http_client`` is a plain ``httpx.AsyncClient`` whose only addition is the hook that
    records each exchange; auth, headers, limiter and retries are the facade's own.
    """
    wire = Wire()
    headers = {"Prefer": "dynamic=true"} if responses == "generated" else None
    async with (
        httpx.AsyncClient(event_hooks={"response": [wire.record]}) as http,
        IncidentIO(
            api_key=API_KEY,
            base_url=prism_url,
            rate_limiter=RateLimiter(),
            max_retries=0,
            http_client=http,
            headers=headers,
        ) as client,
    ):
        yield client, wire


def properties(schema_name: str) -> set[str]:
    return set(schemas()[schema_name]["properties"])


def same_json(parsed: Any, received: Any) -> None:
    """``parsed`` (``to_dict()`` output) is exactly the JSON received, types included."""
    assert json.dumps(parsed, sort_keys=True) == json.dumps(received, sort_keys=True)


def check_follow_up(result: FollowUpV2, exchange: Exchange, status: int = 200) -> None:
    assert exchange.status == status, exchange.answer
    assert isinstance(result, FollowUpV2)
    same_json(result.to_dict(), exchange.answer["follow_up"])


# Every operation, from the spec


CALLS = list(calls())
EXERCISED = [call for call in CALLS if isinstance(call, Call)]
UNEXERCISABLE = [call for call in CALLS if isinstance(call, Unexercisable)]


class UncoveredOperationWarning(UserWarning):
    """An operation of the specs the contract tests cannot call."""


def expected_path(call: Call) -> str:
    path = call.operation.path
    for param, value in zip(call.operation.path_params, call.args, strict=True):
        path = path.replace("{" + param.wire_name + "}", str(value))
    return path


@pytest.mark.parametrize("call", EXERCISED, ids=lambda call: call.label)
async def test_every_operation_is_accepted_and_parsed(
    facade: tuple[IncidentIO, Wire], call: Call
) -> None:
    client, wire = facade
    operation = call.operation
    result = await call.run(client)
    sent = wire.exchanges[0]
    assert (sent.method, sent.path) == (operation.method, expected_path(call))
    assert sent.params == call.query
    if call.mode == "everything":
        declared = {p.wire_name for p in operation.params if p.location == "query"}
        assert {name.split("[")[0] for name in sent.params} == declared
    if call.body is None:
        assert sent.body is None
    else:
        body = dict(sent.body)
        key = operation.idempotency_param
        if key is not None and key.wire_name not in call.body:
            assert body.pop(key.wire_name), "a fresh idempotency key is sent"
        assert body == call.body
        if call.mode == "everything":
            request = spec().request_schema(operation.id) or {}
            assert set(body) == set(request.get("properties", {}))
    assert sent.status == envelope(operation).status, sent.answer
    received = records_of(operation, sent.answer)
    if operation.model is None:
        assert result is None and received is None
    elif isinstance(result, list):
        assert all(isinstance(item, operation.model) for item in result)
        same_json([item.to_dict() for item in result], received)
    else:
        assert isinstance(result, operation.model)
        same_json(result.to_dict(), received)


def test_operations_the_contract_tests_cannot_call_are_reported_by_name() -> None:
    """Every operation is called above, or named in a warning (never silently left out)."""
    called = {call.operation.id for call in EXERCISED}
    reported = {item.operation.id for item in UNEXERCISABLE}
    assert called | reported == {operation.id for operation in operations()}
    for item in UNEXERCISABLE:
        warnings.warn(
            UncoveredOperationWarning(
                f"the contract tests cannot call {item.operation.id}: {item.reason}"
            ),
            stacklevel=1,
        )


# Follow-ups: list


@pytest.mark.parametrize("incident_mode", [m.value for m in FollowUpsV2ListIncidentMode])
async def test_list_follow_ups_with_every_filter(
    facade: tuple[IncidentIO, Wire], incident_mode: str
) -> None:
    client, wire = facade
    follow_ups = await client.follow_ups.list(
        incident_id=INCIDENT_ID,
        incident_mode=incident_mode,
        assignee_team_id="01FCNDV6P870EA6S7TK1DSYDG9",
        max_retries=0,
    )
    exchange = wire.only
    assert (exchange.method, exchange.path, exchange.status) == ("GET", "/v2/follow_ups", 200)
    assert exchange.params == {
        "incident_id": [INCIDENT_ID],
        "incident_mode": [incident_mode],
        "assignee_team_id": ["01FCNDV6P870EA6S7TK1DSYDG9"],
    }
    assert all(isinstance(f, FollowUpV2) for f in follow_ups)
    same_json([f.to_dict() for f in follow_ups], exchange.answer["follow_ups"])
    assert follow_ups, "Prism's answer should hold at least one follow-up to parse"


async def test_list_follow_ups_without_filters(facade: tuple[IncidentIO, Wire]) -> None:
    client, wire = facade
    follow_ups = await client.follow_ups.list()
    exchange = wire.only
    assert (exchange.method, exchange.path, exchange.status) == ("GET", "/v2/follow_ups", 200)
    assert exchange.params == {}
    same_json([f.to_dict() for f in follow_ups], exchange.answer["follow_ups"])


# Follow-ups: show


async def test_get_follow_up(facade: tuple[IncidentIO, Wire]) -> None:
    client, wire = facade
    follow_up = await client.follow_ups.get(FOLLOW_UP_ID, max_retries=0)
    exchange = wire.only
    assert (exchange.method, exchange.path) == ("GET", f"/v2/follow_ups/{FOLLOW_UP_ID}")
    assert exchange.body is None
    check_follow_up(follow_up, exchange)


# Follow-ups: create


async def test_create_follow_up_with_required_arguments_only(
    facade: tuple[IncidentIO, Wire],
) -> None:
    client, wire = facade
    follow_up = await client.follow_ups.create(incident_id=INCIDENT_ID, title="Fix the pager")
    exchange = wire.only
    assert exchange.body == {"incident_id": INCIDENT_ID, "title": "Fix the pager"}
    check_follow_up(follow_up, exchange, status=201)


async def test_create_follow_up_with_no_labels(facade: tuple[IncidentIO, Wire]) -> None:
    client, wire = facade
    await client.follow_ups.create(incident_id=INCIDENT_ID, title="Fix the pager", labels=[])
    exchange = wire.only
    assert exchange.body["labels"] == []
    assert exchange.status == 201


# Follow-ups: update


@pytest.mark.parametrize("status", UPDATE_STATUSES)
async def test_update_follow_up_to_each_status(
    facade: tuple[IncidentIO, Wire], status: str
) -> None:
    client, wire = facade
    follow_up = await client.follow_ups.update(
        FOLLOW_UP_ID, title="Add alerting on replica lag", status=status, labels=["bug"]
    )
    exchange = wire.only
    assert (exchange.method, exchange.path) == ("PUT", f"/v2/follow_ups/{FOLLOW_UP_ID}")
    assert exchange.body == {
        "title": "Add alerting on replica lag",
        "status": status,
        "labels": ["bug"],
    }
    check_follow_up(follow_up, exchange)


async def test_update_follow_up_with_required_arguments_only(
    facade: tuple[IncidentIO, Wire],
) -> None:
    client, wire = facade
    follow_up = await client.follow_ups.update(FOLLOW_UP_ID, title="Renamed", status="completed")
    exchange = wire.only
    assert exchange.body == {"title": "Renamed", "status": "completed"}
    check_follow_up(follow_up, exchange)


@pytest.mark.parametrize("field_name", ["assignee_id", "assignee_team_id"])
async def test_unassigning_sends_null_which_the_spec_allows(
    facade: tuple[IncidentIO, Wire], field_name: str
) -> None:
    """``update(..., assignee_id=None)`` unassigns with an explicit JSON null.

    The API's docs say "Set to null to unassign"; the published spec declared the fields as
    plain strings, which Prism refused (422 on exactly that field). The vendored spec marks
    them ``nullable: true`` (see openapi/README.md), and Prism accepts the request.
    """
    client, wire = facade
    if field_name == "assignee_id":
        follow_up = await client.follow_ups.update(
            FOLLOW_UP_ID, title="Unassign", status="outstanding", assignee_id=None
        )
    else:
        follow_up = await client.follow_ups.update(
            FOLLOW_UP_ID, title="Unassign", status="outstanding", assignee_team_id=None
        )
    exchange = wire.only
    assert exchange.body == {"title": "Unassign", "status": "outstanding", field_name: None}
    check_follow_up(follow_up, exchange)


async def test_a_null_for_a_non_nullable_field_is_still_refused(prism_url: str) -> None:
    """The nullable exception is narrow: other fields still refuse null."""
    async with httpx.AsyncClient(base_url=prism_url, headers=AUTH) as raw:
        answer = await raw.put(
            f"/v2/follow_ups/{FOLLOW_UP_ID}",
            json={"title": "t", "status": "completed", "description": None},
        )
    assert answer.status_code == 422
    assert problem(answer) == [(("body", "description"), "type")]


async def test_finding_update_status_deleted_is_allowed_by_the_spec_but_refused_by_the_facade(
    prism_url: str,
) -> None:
    """FINDING: the spec's update status enum includes ``deleted``; the facade refuses it.

    The facade's docstring says the API does not allow ``status="deleted"`` (use ``delete``);
    the spec, and so Prism, accept it. The facade is stricter than the spec on purpose.
    """
    assert "deleted" in {s.value for s in FollowUpsUpdatePayloadV2Status}
    async with httpx.AsyncClient(base_url=prism_url, headers=AUTH) as raw:
        answer = await raw.put(
            f"/v2/follow_ups/{FOLLOW_UP_ID}", json={"title": "t", "status": "deleted"}
        )
    assert answer.status_code == 200


# Follow-ups: delete


async def test_delete_follow_up(facade: tuple[IncidentIO, Wire]) -> None:
    client, wire = facade
    await client.follow_ups.delete(FOLLOW_UP_ID, max_retries=0)
    exchange = wire.only
    assert (exchange.method, exchange.path) == ("DELETE", f"/v2/follow_ups/{FOLLOW_UP_ID}")
    assert (exchange.status, exchange.body, exchange.answer) == (204, None, None)


# Follow-ups: connect an external issue


@pytest.mark.parametrize("provider", PROVIDERS)
async def test_connect_external_issue(facade: tuple[IncidentIO, Wire], provider: str) -> None:
    client, wire = facade
    url = "https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-write-up"
    follow_up = await client.follow_ups.connect_external_issue(
        FOLLOW_UP_ID, provider=provider, url=url, max_retries=0
    )
    exchange = wire.only
    assert (exchange.method, exchange.path) == (
        "POST",
        f"/v2/follow_ups/{FOLLOW_UP_ID}/actions/connect_external_issue",
    )
    assert exchange.body == {"provider": provider, "url": url}
    check_follow_up(follow_up, exchange)


# Incident updates: list (paginated)


@pytest.mark.parametrize("lookahead", [True, False])
async def test_list_incident_updates_with_every_argument(
    facade: tuple[IncidentIO, Wire], responses: str, lookahead: bool
) -> None:
    client, wire = facade
    pager = client.incident_updates.list(
        incident_id=INCIDENT_ID, page_size=250, max_items=2, lookahead=lookahead, max_retries=0
    )
    updates: list[IncidentUpdateV2] = []
    refused: PaginationError | None = None
    try:
        async for update in pager:
            updates.append(update)
    except PaginationError as error:
        refused = error

    assert all(isinstance(u, IncidentUpdateV2) for u in updates)
    first, *rest = wire.exchanges
    assert (first.method, first.path) == ("GET", "/v2/incident_updates")
    assert first.params == {"incident_id": [INCIDENT_ID], "page_size": ["250"]}
    received = list(first.answer["incident_updates"])
    if responses == "examples":
        assert len(received) == 1 and len(rest) == 1, "the example page holds one update"
    if rest:
        # The first page held one update: the second page was requested with its cursor.
        (second,) = rest
        cursor = first.answer["pagination_meta"]["after"]
        assert second.params == {**first.params, "after": [cursor]}
        if second.answer != first.answer:
            received += second.answer["incident_updates"]
    # Prism may answer every page alike (its bodies do not depend on the query): the
    # repeated update is yielded once, and the repeated cursor refused.
    repeated = bool(rest) and rest[0].answer == first.answer
    assert len(updates) == (1 if repeated else 2)
    if repeated:
        assert refused is not None and "a second time" in str(refused)
    else:
        assert refused is None
    assert all(exchange.status == 200 for exchange in wire.exchanges)
    same_json([u.to_dict() for u in updates], received[:2])


@pytest.mark.parametrize("page_size", [1, 25, 250])
async def test_list_incident_updates_page_size_bounds(
    facade: tuple[IncidentIO, Wire], page_size: int
) -> None:
    client, wire = facade
    async with client.incident_updates.list(page_size=page_size).pages() as pages:
        page = await pages.__anext__()
    exchange = wire.exchanges[0]
    assert exchange.params == {"page_size": [str(page_size)]}
    assert exchange.status == 200
    same_json([u.to_dict() for u in page.items], exchange.answer["incident_updates"])


async def test_list_incident_updates_without_arguments(facade: tuple[IncidentIO, Wire]) -> None:
    client, wire = facade
    async with client.incident_updates.list().pages() as pages:
        page = await pages.__anext__()
    exchange = wire.exchanges[0]
    assert (exchange.path, exchange.params, exchange.status) == ("/v2/incident_updates", {}, 200)
    assert all(isinstance(u, IncidentUpdateV2) for u in page.items)
    same_json([u.to_dict() for u in page.items], exchange.answer["incident_updates"])
    assert page.after == exchange.answer["pagination_meta"]["after"]


# Follow-ups V3: list (paginated, with timestamp filters)


V3_FILTERS: list[tuple[str, Any, str]] = [
    ("gte", datetime.datetime(2025, 1, 1, 9, 30, tzinfo=datetime.UTC), "2025-01-01T09:30:00Z"),
    ("lte", datetime.date(2025, 2, 1), "2025-02-01"),
    (
        "date_range",
        (datetime.date(2024, 12, 2), datetime.date(2024, 12, 8)),
        "2024-12-02~2024-12-08",
    ),
    ("gte", "2025-01-01", "2025-01-01"),
]


@pytest.mark.parametrize(("operator", "value", "sent"), V3_FILTERS)
async def test_list_follow_ups_v3_with_every_argument(
    facade: tuple[IncidentIO, Wire], operator: str, value: Any, sent: str
) -> None:
    client, wire = facade
    pager = client.follow_ups_v3.list(
        page_size=250,
        # Not the id of Prism's example record, which it answers whatever the cursor: the
        # pager never yields the record a list resumes after.
        after=RESUME_AFTER,
        incident_id=INCIDENT_ID,
        incident_mode="retrospective",
        assignee_team_id="01FCNDV6P870EA6S7TK1DSYDG9",
        created_at={operator: value},
        updated_at={operator: value},
        max_items=1,
        max_retries=0,
    )
    follow_ups = await pager.to_list()
    exchange = wire.exchanges[0]
    assert (exchange.method, exchange.path, exchange.status) == ("GET", "/v3/follow_ups", 200)
    assert exchange.params == {
        "page_size": ["250"],
        "after": [RESUME_AFTER],
        "incident_id": [INCIDENT_ID],
        "incident_mode": ["retrospective"],
        "assignee_team_id": ["01FCNDV6P870EA6S7TK1DSYDG9"],
        f"created_at[{operator}]": [sent],
        f"updated_at[{operator}]": [sent],
    }
    assert len(follow_ups) == 1 and isinstance(follow_ups[0], FollowUpV3)
    same_json(follow_ups[0].to_dict(), exchange.answer["follow_ups"][0])


async def test_list_follow_ups_v3_follows_the_cursor(facade: tuple[IncidentIO, Wire]) -> None:
    client, wire = facade
    async with client.follow_ups_v3.list(max_items=3).pages() as pages:
        first = await pages.__anext__()
    exchange = wire.exchanges[0]
    assert (exchange.params, exchange.status) == ({}, 200)
    same_json([f.to_dict() for f in first.items], exchange.answer["follow_ups"])
    assert first.raw_response is not None and first.raw_response.status_code == 200


# Follow-ups V3: the other operations


def check_v3(result: FollowUpV3, exchange: Exchange, status: int = 200) -> None:
    assert exchange.status == status, exchange.answer
    assert isinstance(result, FollowUpV3)
    same_json(result.to_dict(), exchange.answer["follow_up"])


async def test_v3_create_from_link(facade: tuple[IncidentIO, Wire]) -> None:
    client, wire = facade
    url = "https://linear.app/acme/issue/ENG-1/fix"
    follow_up = await client.follow_ups_v3.create_from_link(incident_id=INCIDENT_ID, url=url)
    assert (wire.only.method, wire.only.path) == ("POST", "/v3/follow_ups/actions/create_from_link")
    assert wire.only.body == {"incident_id": INCIDENT_ID, "url": url}
    check_v3(follow_up, wire.only, status=201)


# Incident updates: create (with an idempotency key)


@pytest.mark.parametrize("key", [None, "alert-uuid"])
async def test_create_incident_update_with_every_argument(
    facade: tuple[IncidentIO, Wire], key: str | None
) -> None:
    client, wire = facade
    update = await client.incident_updates_v2.create(
        incident_id=INCIDENT_ID,
        message="We're working on a fix",
        to_incident_status_id="01G0J1EXE7AXZ2C93K61WBPYEH",
        to_severity_id="01FH5TZRWMNAFB0DZ23FD1TV96",
        idempotency_key=key,
    )
    exchange = wire.only
    assert (exchange.method, exchange.path, exchange.status) == (
        "POST",
        "/v2/incident_updates",
        201,
    )
    assert exchange.body["idempotency_key"] == (key or exchange.body["idempotency_key"])
    assert isinstance(update, IncidentUpdateV2)
    same_json(update.to_dict(), exchange.answer["incident_update"])


async def test_create_incident_update_with_a_message_only(
    facade: tuple[IncidentIO, Wire],
) -> None:
    client, wire = facade
    await client.incident_updates_v2.create(incident_id=INCIDENT_ID, message="m")
    assert set(wire.only.body) == {"incident_id", "message", "idempotency_key"}
    assert wire.only.status == 201


# Prism really validates: requests that break the spec are refused


@dataclass(frozen=True)
class Raw:
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None
    headers: dict[str, str] = field(default_factory=lambda: dict(AUTH))

    def send(self, url: str) -> httpx.Response:
        return httpx.request(
            self.method,
            url + self.path,
            params=self.params,
            json=self.body,
            headers=self.headers,
            timeout=10.0,
        )


VALID = {
    "list follow-ups": Raw("GET", "/v2/follow_ups", {"incident_mode": "test"}),
    "create": Raw("POST", "/v2/follow_ups", body={"incident_id": "01A", "title": "t"}),
    "update": Raw("PUT", "/v2/follow_ups/01A", body={"title": "t", "status": "completed"}),
    "connect": Raw(
        "POST",
        "/v2/follow_ups/01A/actions/connect_external_issue",
        body={"provider": "jira", "url": "https://jira.example/X-1"},
    ),
    "list updates": Raw("GET", "/v2/incident_updates", {"page_size": "250"}),
}

#: name: (request, status Prism must answer, violations it must name (location, code)).
INVALID: dict[str, tuple[Raw, int, list[tuple[tuple[str, ...], str]]]] = {
    "no Authorization header": (Raw("GET", "/v2/follow_ups", headers={}), 401, []),
    "not a Bearer credential": (
        Raw("GET", "/v2/follow_ups", headers={"Authorization": "Basic dGVzdDp0ZXN0"}),
        401,
        [],
    ),
    "page_size above the maximum": (
        Raw("GET", "/v2/incident_updates", {"page_size": "999"}),
        422,
        [(("query", "page_size"), "maximum")],
    ),
    "page_size not an integer": (
        Raw("GET", "/v2/incident_updates", {"page_size": "ten"}),
        422,
        [(("query", "page_size"), "type")],
    ),
    "unknown incident_mode": (
        Raw("GET", "/v2/follow_ups", {"incident_mode": "archived"}),
        422,
        [(("query", "incident_mode"), "enum")],
    ),
    "create without title": (
        Raw("POST", "/v2/follow_ups", body={"incident_id": "01A"}),
        422,
        [(("body",), "required")],
    ),
    "create with a numeric title": (
        Raw("POST", "/v2/follow_ups", body={"incident_id": "01A", "title": 5}),
        422,
        [(("body", "title"), "type")],
    ),
    "create with labels not a list": (
        Raw("POST", "/v2/follow_ups", body={"incident_id": "01A", "title": "t", "labels": "x"}),
        422,
        [(("body", "labels"), "type")],
    ),
    "update without status": (
        Raw("PUT", "/v2/follow_ups/01A", body={"title": "t"}),
        422,
        [(("body",), "required")],
    ),
    "update with an unknown status": (
        Raw("PUT", "/v2/follow_ups/01A", body={"title": "t", "status": "archived"}),
        422,
        [(("body", "status"), "enum")],
    ),
    "connect with an unknown provider": (
        Raw(
            "POST",
            "/v2/follow_ups/01A/actions/connect_external_issue",
            body={"provider": "trello", "url": "https://trello.com/c/1"},
        ),
        422,
        [(("body", "provider"), "enum")],
    ),
}


@pytest.mark.parametrize("name", list(VALID))
def test_raw_valid_requests_are_answered(prism_url: str, name: str) -> None:
    """The control for the test below: the same raw client gets 2xx for valid requests."""
    answer = VALID[name].send(prism_url)
    assert answer.is_success, answer.text


@pytest.mark.parametrize("name", list(INVALID))
def test_raw_invalid_requests_are_refused(prism_url: str, name: str) -> None:
    request, status, violations = INVALID[name]
    answer = request.send(prism_url)
    assert answer.status_code == status, answer.text
    if violations:
        assert problem(answer) == violations


async def test_generated_answers_are_not_the_examples(prism_url: str) -> None:
    """``Prefer: dynamic=true`` really switches Prism to bodies generated from the schemas,
    and ``--seed`` makes them repeatable."""
    path = f"/v2/follow_ups/{FOLLOW_UP_ID}"
    async with httpx.AsyncClient(base_url=prism_url, headers=AUTH) as raw:
        example = (await raw.get(path)).json()
        generated = [(await raw.get(path, headers={"Prefer": "dynamic=true"})).json()]
        generated.append((await raw.get(path, headers={"Prefer": "dynamic=true"})).json())
    show = merged_spec()["paths"]["/v2/follow_ups/{id}"]["get"]["responses"]["200"]
    spec_example = show["content"]["application/json"]["example"]
    assert example == spec_example
    assert generated[0] != spec_example
    assert generated[0] == generated[1]
