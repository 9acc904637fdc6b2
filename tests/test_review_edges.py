"""Adversarial review of the edges: webhooks, partitioned export and change feed, the fake's
query parameters and the CLI. Each test failed before the fix it comes with."""

from __future__ import annotations

import base64
import datetime
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import incidentio_async.cli as cli
from incidentio_async import InvalidArgumentError
from incidentio_async._checkpoint import FORMAT, PREFIX
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.faults import ScriptedResponse

from client_factory import FOLLOW_UP, json_response, mock_client

SECRET = "whsec_" + base64.b64encode(b"incident-io-webhook-test-key-32b").decode()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return False


def run_cli(*argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    stdout, stderr = Terminal(), Terminal()
    if stdin is None:
        code = cli.main(list(argv), stdout=stdout, stderr=stderr)
    else:
        with pytest.MonkeyPatch.context() as patch:
            fake_stdin = io.TextIOWrapper(io.BytesIO(stdin))
            patch.setattr("sys.stdin", fake_stdin)
            code = cli.main(list(argv), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


# -- webhooks sign: usage errors are one line, and the curl command sends what was signed --------


@pytest.mark.parametrize(
    ("arguments", "stdin", "expected"),
    [
        (["--timestamp", "-5"], b"{}", "timestamp"),
        (["--id", "has space"], b"{}", "--id"),
        (["--curl", "http://localhost:8000/"], b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_webhooks_sign_refuses_bad_input_with_one_line_not_a_traceback(
    arguments: list[str], stdin: bytes, expected: str
) -> None:
    code, out, err = run_cli("webhooks", "sign", "--secret", SECRET, *arguments, stdin=stdin)
    assert code == 2 and out == ""
    assert err.startswith("incidentio-async: error: ") and err.count("\n") == 1
    assert expected in err


def test_webhooks_sign_curl_sends_a_body_starting_with_at_as_it_is() -> None:
    # curl reads "--data-binary @name" as the file "name": the body signed would not be the
    # body sent (here: the machine's password file).
    code, out, _ = run_cli(
        "webhooks", "sign", "--secret", SECRET, "--curl", "http://x/", stdin=b"@/etc/passwd"
    )
    assert code == 0
    import shlex

    words = shlex.split(out)
    flag = next(word for word in words if word.startswith("--data"))
    assert (flag, words[words.index(flag) + 1]) == ("--data-raw", "@/etc/passwd")


# -- partitioned export: IDs the API orders differently from Python's str order ----------------


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 8])
async def test_an_export_of_ids_in_another_format_lists_what_the_chain_lists(
    concurrency: int, caplog: pytest.LogCaptureFixture
) -> None:
    # "ID formats may change": numeric IDs, ordered by the API as numbers ("9" before "10").
    records = [
        {
            **FOLLOW_UP,
            "id": str(n + 1),
            "created_at": f"2025-01-{1 + n // 100:02d}T00:00:{n % 60:02d}Z",
        }
        for n in range(300)
    ]

    def api(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("after")
        start = 0 if after is None else [r["id"] for r in records].index(after) + 1
        page = records[start : start + 50]
        meta: dict[str, Any] = {"page_size": 50}
        if start + 50 < len(records):
            meta["after"] = page[-1]["id"]
        return json_response(200, {"follow_ups": page, "pagination_meta": meta})

    async with mock_client(api) as client:
        listed = await client.follow_ups_v3.list(page_size=50, concurrency=concurrency).to_list()
    assert [f.id for f in listed] == [r["id"] for r in records]
    assert "out of order" not in caplog.text  # one chain: nothing to warn about


# -- checkpoints: anything sync() did not write is refused with the package's error ------------


def _packed(data: bytes) -> str:
    packed = base64.urlsafe_b64encode(zlib.compress(data, 9)).decode().rstrip("=")
    return f"{PREFIX}.{FORMAT}.{packed}"


def _state(**changes: Any) -> bytes:
    state: dict[str, Any] = {"operation": "Follow-ups V3#List", "watermark": None, "seen": []}
    state.update(changes)
    return json.dumps(state).encode()


@pytest.mark.anyio
@pytest.mark.parametrize(
    "checkpoint",
    [
        pytest.param(f"{PREFIX}.\u00b2.AAAA", id="a digit int() cannot read"),
        pytest.param(f"{PREFIX}.{'9' * 5000}.AAAA", id="a version of 5000 digits"),
        pytest.param(_packed(b"[" * 100_000 + b"]" * 100_000), id="JSON nested 100,000 deep"),
        pytest.param(_packed(_state() + b" " * (80 * 1024 * 1024)), id="an 80 MiB zlib bomb"),
        pytest.param(_packed(_state(watermark="0001-01-01T00:00:00+00:00")), id="year 1"),
    ],
)
async def test_a_crafted_checkpoint_is_refused_before_any_request(checkpoint: str) -> None:
    fake = FakeIncidentIO(seed=1)
    async with fake.client() as client:
        with pytest.raises(InvalidArgumentError, match="checkpoint refused"):
            feed = client.follow_ups_v3.sync(checkpoint)
            [record async for record in feed]
    assert fake.requests == []


# -- the fake: a query parameter it does not know is refused, not ignored ----------------------


@pytest.mark.anyio
async def test_the_fake_refuses_a_query_parameter_the_spec_does_not_declare() -> None:
    fake = FakeIncidentIO(seed=1)
    async with fake.client() as client:
        with pytest.raises(Exception) as raised:
            await client.follow_ups_v3.list(extra_query={"status": "completed"}).to_list()
        assert getattr(raised.value, "status_code", None) == 400
        assert "status" in str(raised.value)
        # What the spec declares still works, deepObject filters included.
        since = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
        await client.follow_ups_v3.list(updated_at={"gte": since}, page_size=5).to_list()


# -- CLI sync: a failure says how to resume a sync, not a list -----------------------------------


@pytest.fixture
def cli_fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIncidentIO]:
    fake = FakeIncidentIO(seed=3)
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client(max_retries=0))
    yield fake


def test_a_failed_sync_tells_to_run_again_not_to_pass_after(
    cli_fake: FakeIncidentIO, tmp_path: Path
) -> None:
    state = tmp_path / "checkpoint"
    original = cli_fake.faults.take_script

    def third_page_fails(method: str, path: str, template: str | None) -> object:
        pages = [r for r in cli_fake.requests if r.path == "/v3/follow_ups"]
        if path == "/v3/follow_ups" and len(pages) >= 3:
            return ScriptedResponse(503, {"type": "unavailable", "status": 503, "errors": []})
        return original(method, path, template)

    cli_fake.faults.take_script = third_page_fails  # type: ignore[method-assign]
    code, _, err = run_cli(
        "follow-ups-v3", "sync", "--checkpoint-file", str(state), "--page-size", "5"
    )
    assert code != 0 and err.count("\n") == 1
    assert "--after" not in err  # sync takes no --after: its checkpoint file says where
    assert str(state) in err


@pytest.mark.parametrize("overlap", ["nan", "inf", "1e20"])
def test_a_sync_overlap_that_is_no_duration_is_a_usage_error(
    cli_fake: FakeIncidentIO, tmp_path: Path, overlap: str
) -> None:
    code, out, err = run_cli(
        "follow-ups-v3",
        "sync",
        "--checkpoint-file",
        str(tmp_path / "state"),
        "--overlap-minutes",
        overlap,
    )
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "overlap" in err
    assert cli_fake.requests == []


# -- WebhookApp ----------------------------------------------------------------------------------


def _webhook_body(msg: str = "m") -> bytes:
    event_type = "public_incident.follow_up_created_v2"
    payload = {
        "id": "01HZXQ0000000000000000000A",
        "incident_id": "01HZXQ0000000000000000000B",
        "title": msg,
        "status": "outstanding",
        "labels": [],
        "creator": {"api_key": {"id": "01KEY", "name": "CI"}},
        "created_at": "2025-06-15T15:00:00Z",
        "updated_at": "2025-06-15T15:00:00Z",
    }
    return json.dumps({"event_type": event_type, event_type: payload}).encode()


@pytest.mark.anyio
async def test_a_plain_function_handler_runs_once_and_is_acknowledged() -> None:
    # A sync handler did its work, then `await None` failed: 500, the claim released, and
    # incident.io's every retry ran it again, for a day.
    from incidentio_async.clock import VirtualClock
    from incidentio_async.webhooks import WebhookApp, WebhookRouter, sign

    clock = VirtualClock()
    handled: list[str] = []

    def handle(event: Any) -> None:
        handled.append(event.id)

    router = WebhookRouter()
    router.add("public_incident.follow_up_created_v2", handle)
    for handler in (handle, router):
        app = WebhookApp(secret=SECRET, handler=handler, clock=clock)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://r") as http:
            body = _webhook_body()
            for _ in range(2):
                headers = sign(body, SECRET, msg_id="msg_sync", timestamp=clock.time())
                response = await http.post("/", content=body, headers=headers)
                assert response.status_code == 200, response.text
    assert handled == ["msg_sync", "msg_sync"]  # once per app: the second was a duplicate


@pytest.mark.anyio
async def test_a_body_that_never_finishes_arriving_is_answered_408() -> None:
    # A sender (anyone: nothing is verified before the body is whole) trickling a body, or
    # stopping half-way with the connection open, held the receiver for ever.
    import anyio

    from incidentio_async.clock import VirtualClock
    from incidentio_async.webhooks import WebhookApp

    clock = VirtualClock()

    async def handle(event: Any) -> None:
        raise AssertionError("not reached")

    app = WebhookApp(secret=SECRET, handler=handle, clock=clock, body_timeout=10)
    sent: list[dict[str, Any]] = []
    first = True

    async def receive() -> dict[str, Any]:
        nonlocal first
        if first:
            first = False
            return {"type": "http.request", "body": b'{"event', "more_body": True}
        await anyio.sleep_forever()
        raise AssertionError

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    async with clock.running():
        with anyio.fail_after(5):  # real seconds: the virtual deadline must end it
            async with anyio.create_task_group() as group:
                group.start_soon(app, scope, receive, send)
                await clock.sleep(11)
    assert sent and sent[0]["status"] == 408
    with pytest.raises(ValueError, match="body_timeout"):
        WebhookApp(secret=SECRET, handler=handle, body_timeout=0)


@pytest.mark.anyio
async def test_a_handler_failing_after_its_lease_does_not_free_the_next_attempts_claim() -> None:
    from incidentio_async.clock import VirtualClock
    from incidentio_async.webhooks import Claim, InMemoryDeliveryStore

    clock = VirtualClock()
    store = InMemoryDeliveryStore(clock=clock, lease=60)
    assert await store.claim("msg_1", "A") is Claim.NEW  # attempt A: its handler is slow
    clock.advance(61)
    assert await store.claim("msg_1", "B") is Claim.NEW  # attempt B takes over the lapsed lease
    await store.release("msg_1", "A")  # A's handler fails at last: it releases *its* claim
    assert await store.claim("msg_1", "C") is Claim.IN_PROGRESS  # B is still handling it


# -- the fake: a newer spec's filter on a hand-written paginated list fills its pages -----------


def test_a_filter_applied_generically_to_a_paginated_list_fills_each_page() -> None:
    # A newer spec adds ?status= to the V3 list, which the hand-written handler ignores: the
    # filter used to be applied to each page after the handler cut it, so a rare status gave
    # pages of nothing with a cursor, and after ten of them the client's pager gave up with a
    # PaginationError for a list the API would have answered in one page.
    import dataclasses

    from incidentio_async import _catalog as catalog
    from incidentio_async._operation import Param
    from incidentio_async.testing.messages import Request, Response
    from incidentio_async.testing.query_params import guarded

    listing = next(op for op in catalog.operations() if op.id == "Follow-ups V3#List")
    status = Param("status", "query", "string")
    newer = dataclasses.replace(listing, params=(*listing.params, status))
    records = [
        {
            **FOLLOW_UP,
            "id": f"01J{n:023d}",
            "status": "completed" if n % 40 == 39 else "outstanding",
        }
        for n in range(400)
    ]

    def ignores_status(request: Request) -> Response:
        after = request.query.get("after")
        size = int(request.query.get("page_size", "25"))
        start = 0 if after is None else [r["id"] for r in records].index(after) + 1
        page = records[start : start + size]
        meta: dict[str, Any] = {"page_size": size}
        if start + size < len(records):
            meta["after"] = page[-1]["id"]
        return Response.json(200, {"follow_ups": page, "pagination_meta": meta})

    handler = guarded(newer, ignores_status, {p.wire_name for p in listing.params})
    pages: list[list[str]] = []
    after: str | None = None
    while True:
        query = {"status": "completed", "page_size": "5", **({"after": after} if after else {})}
        answer = json.loads(handler(Request("GET", "/v3/follow_ups", query, {}, b"")).body)
        pages.append([r["id"] for r in answer["follow_ups"]])
        after = answer["pagination_meta"].get("after")
        if after is None:
            break
    completed = [r["id"] for r in records if r["status"] == "completed"]
    assert [record for page in pages for record in page] == completed
    assert [len(page) for page in pages] == [5, 5]


# -- refetch of an incident event: "the latest update" rests on an order the API never promised --


@pytest.mark.anyio
async def test_refetch_of_an_incident_event_is_its_latest_update_in_any_list_order() -> None:
    from incidentio_async.webhooks import sign, verify

    from client_factory import update_record

    updates = [
        {**update_record(n), "created_at": f"2025-06-15T1{n}:00:00Z"} for n in range(3)
    ]  # listed oldest first: the API's documentation allows any order

    def api(request: httpx.Request) -> httpx.Response:
        size = int(request.url.params.get("page_size", "25"))
        meta = {"page_size": size, **({"after": updates[size - 1]["id"]} if size < 3 else {})}
        return json_response(200, {"incident_updates": updates[:size], "pagination_meta": meta})

    event_type = "private_incident.incident_updated_v2"
    body = json.dumps({"event_type": event_type, event_type: {"id": "01INCIDENT"}}).encode()
    event = verify(body, sign(body, SECRET, msg_id="m", timestamp=1.75e9), SECRET, now=1.75e9)
    async with mock_client(api) as client:
        latest = await client.webhooks.refetch(event)
    assert latest is not None and latest.id == updates[-1]["id"]


# -- partitioned export of records whose creation time is far from their ID's ------------------


@pytest.mark.anyio
async def test_imported_records_far_from_their_id_time_still_let_the_export_split() -> None:
    # A third of the records were imported: created_at spread over the two years before, IDs
    # minted at import. The split guard grew to twice the skew seen (years), so no split ever
    # happened and concurrency=8 took the chain's time. A partition split off now starts
    # after the last ID its parent received, which keeps the chain's order whatever the skew.
    from test_partitioned_export import END, make_fake, timed

    from incidentio_async.testing.samples import clustered_times

    fake = make_fake(clustered_times(3000, end=END, seed=3))
    ordered = sorted(fake.state.follow_ups.values(), key=lambda f: f.id)
    first = ordered[0].created_us
    for n, follow_up in enumerate(ordered[:1000]):
        follow_up.created_us = first - 2 * 365 * 86_400_000_000 + n * 60_000_000_000
    async with fake.clock.running(), fake.client() as client:
        chain, chain_requests, chain_time = await timed(fake, client, page_size=50)
        ours, requests, took = await timed(fake, client, page_size=50, concurrency=8)
    assert ours == chain
    assert took <= chain_time * 0.45
    assert requests <= chain_requests * 1.2 + 2


@pytest.mark.anyio
@pytest.mark.parametrize("share", [0.05, 1.0])
async def test_creation_times_unrelated_to_ids_still_give_the_chains_records_and_order(
    share: float,
) -> None:
    # Creation times drawn at random for some or all records: partitions split off before
    # their parent's first page included (they start after the cursor their parent had).
    import random

    from test_partitioned_export import END, make_fake

    from incidentio_async.testing.samples import clustered_times

    fake = make_fake(clustered_times(2000, end=END, seed=1))
    rng = random.Random(1)
    records = list(fake.state.follow_ups.values())
    low = min(f.created_us for f in records)
    high = max(f.created_us for f in records)
    for follow_up in records:
        if rng.random() < share:
            follow_up.created_us = rng.randrange(low - 10**13, high)
    async with fake.clock.running(), fake.client() as client:
        chain = [f.id for f in await client.follow_ups_v3.list(page_size=30).to_list()]
        for concurrency in (3, 16):
            pager = client.follow_ups_v3.list(page_size=30, concurrency=concurrency)
            assert [f.id for f in await pager.to_list()] == chain
        resumed = client.follow_ups_v3.list(page_size=30, after=chain[300], concurrency=8)
        assert [f.id for f in await resumed.to_list()] == chain[301:]


# -- the refresh tool: a new required parameter written as a $ref is breaking -------------------


def test_a_new_required_parameter_by_reference_is_breaking() -> None:
    # OpenAPI lets a parameter be a $ref to components.parameters; its "required" is there,
    # not on the reference. It was judged "new optional parameter" (and the new component
    # "additive"), so check-upstream passed a change that breaks every existing call.
    import copy
    import sys

    from spec_data import ROOT

    sys.path.insert(0, str(ROOT / "scripts"))
    from spec_refresh.drift import diff_documents
    from test_drift_classification import base, listing

    old = base()
    new = copy.deepcopy(old)
    new["components"]["parameters"] = {
        "OwnerId": {
            "in": "query",
            "name": "owner_id",
            "required": True,
            "schema": {"type": "string"},
        }
    }
    listing(new)["parameters"].append({"$ref": "#/components/parameters/OwnerId"})
    changes = diff_documents("widgets.yaml", old, new)
    added = [change for change in changes if change.kind == "parameter_added"]
    assert [change.severity for change in added] == ["breaking"], changes
    # An optional one by reference stays additive.
    new["components"]["parameters"]["OwnerId"]["required"] = False
    changes = diff_documents("widgets.yaml", old, new)
    assert {change.severity for change in changes} == {"additive"}, changes
