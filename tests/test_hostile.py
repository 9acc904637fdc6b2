"""Hostile conditions: a co-tenant on the key, huge or echoing bodies, broken pagination, slow
servers and bad input. Each test pins a promise that failed before its fix."""

from __future__ import annotations

import gzip
import pickle
import traceback
import tracemalloc
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import anyio.abc
import httpx
import pytest

from incidentio_async import (
    APIConnectionError,
    APIStatusError,
    ClientClosedError,
    ConfigurationError,
    IncidentIO,
    InvalidArgumentError,
    NotFoundError,
    PaginationError,
    RateLimiter,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
)
from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO

from client_factory import (
    CALLS_FOLLOW_UPS_V2,
    FOLLOW_UP,
    TEST_KEY,
    Recorder,
    json_response,
    mock_client,
    update_record,
)

pytestmark = [pytest.mark.anyio, CALLS_FOLLOW_UPS_V2]

MIB = 1024 * 1024


def page(records: list[dict[str, Any]], after: str | None) -> httpx.Response:
    meta: dict[str, Any] = {"page_size": 25}
    if after is not None:
        meta["after"] = after
    return json_response(200, {"incident_updates": records, "pagination_meta": meta})


# -- 429 means wait --------------------------------------------------------------------------


async def test_a_long_export_survives_a_co_tenant_that_keeps_the_bucket_empty() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=4, clock=clock, sample_data=False)
    incident = fake.add_incident_updates(2000)
    # Another program on the key takes most tokens: 70% of our requests meet a 429, often
    # four or more in a row, more than max_retries (3) allows.
    fake.faults.error_statuses = (429,)
    fake.faults.error_rate = 0.7
    async with clock.running(), fake.client() as client:  # default settings
        ids = [
            u.id async for u in client.incident_updates_v2.list(incident_id=incident, page_size=25)
        ]
    assert len(ids) == 2000 and len(set(ids)) == 2000
    statuses = [r.status for r in fake.requests]
    assert statuses.count(200) == 80
    assert statuses.count(429) > 2 * 80, "the co-tenant did not keep the bucket empty"


async def test_a_429_does_not_spend_max_retries() -> None:
    clock = VirtualClock()
    limited = json_response(429, {"type": "too_many_requests"}, **{"Retry-After": "2"})
    unavailable = json_response(503, {"type": "unavailable"}, **{"Retry-After": "3"})
    recorder = Recorder(limited, limited, unavailable, limited, json_response(200, FOLLOW_UP_OK))
    async with clock.running(), mock_client(recorder, clock=clock, max_retries=0) as client:
        follow_up = await client.follow_ups_v3.get("01FU")
    assert follow_up.id == FOLLOW_UP["id"]
    assert clock.monotonic() == pytest.approx(9)


FOLLOW_UP_OK = {"follow_up": FOLLOW_UP}


async def test_the_rate_limit_wait_of_a_call_is_bounded_by_its_budget() -> None:
    clock = VirtualClock()
    limited = json_response(429, {"type": "too_many_requests"}, **{"Retry-After": "40"})
    recorder = Recorder(*[limited] * 10)
    policy = RetryPolicy(max_rate_limit_wait=100)
    async with clock.running(), mock_client(recorder, clock=clock, retry_policy=policy) as client:
        with pytest.raises(RateLimitError):
            await client.follow_ups_v3.get("01FU")
    assert len(recorder.requests) == 3  # waited 40 + 40; a third wait would pass 100
    assert clock.monotonic() == pytest.approx(80)


@pytest.mark.parametrize(
    ("retry_after", "shown"), [("1000000000", "31.7 years"), ("86400", "24 h"), ("400", "6.67 min")]
)
async def test_a_retry_after_beyond_the_budget_raises_at_once_and_reads_well(
    retry_after: str, shown: str
) -> None:
    clock = VirtualClock()
    limited = json_response(429, {"type": "too_many_requests"}, **{"Retry-After": retry_after})
    async with clock.running(), mock_client(Recorder(limited), clock=clock) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.follow_ups_v3.get("01FU")
        paused_for = client.rate_limiter.paused_until - clock.monotonic()  # type: ignore[attr-defined]
    assert f"retry after {shown}" in str(caught.value) and "e+" not in str(caught.value)
    assert clock.monotonic() == 0
    assert paused_for <= RetryPolicy().max_rate_limit_wait


# -- resumable iteration -----------------------------------------------------------------------


@pytest.mark.parametrize("lookahead", [True, False])
@pytest.mark.parametrize("by", ["items", "pages"])
async def test_a_failed_export_resumes_where_it_stopped(lookahead: bool, by: str) -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=6, clock=clock, sample_data=False)
    incident = fake.add_incident_updates(230)
    async with clock.running(), fake.client() as client:
        everything = [
            u.id async for u in client.incident_updates_v2.list(incident_id=incident, page_size=20)
        ]
        pager = client.incident_updates_v2.list(
            incident_id=incident, page_size=20, lookahead=lookahead
        )
        got: list[str] = []

        def outage_after_80_records() -> None:
            if len(got) == 80:  # the next page fails for longer than its retries last
                fake.faults.script(status=500, path="/v2/incident_updates", times=4)

        with pytest.raises(ServerError) as caught:
            if by == "items":
                async for update in pager:
                    got.append(update.id)
                    outage_after_80_records()
            else:
                async for one in pager.pages():
                    got.extend(u.id for u in one.items)
                    outage_after_80_records()
        resume = caught.value.resume_after
        assert resume is not None and 80 <= len(got) < 230
        rest = await client.incident_updates_v2.list(
            incident_id=incident, page_size=20, after=resume
        ).to_list()
    assert got + [u.id for u in rest] == everything


def test_the_cli_prints_the_resume_cursor_and_takes_after(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import json
    import re

    import incidentio_async.cli as cli

    fake = FakeIncidentIO(seed=6, sample_data=False, rate_limit=False)
    incident = fake.add_incident_updates(100)
    inner = fake.transport()
    requests = 0

    class FailsFromTheThirdPage(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            nonlocal requests
            requests += 1
            if requests >= 3:
                return httpx.Response(500, json={"type": "internal_error", "errors": []})
            return await inner.handle_async_request(request)

    def run(*argv: str) -> tuple[int, list[str], str]:
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(list(argv), stdout=out, stderr=err)
        return (
            code,
            [json.loads(line)["id"] for line in out.getvalue().splitlines()],
            err.getvalue(),
        )

    base = ["incident-updates", "list", "--incident-id", incident, "--page-size", "30"]
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    _, everything, _ = run(*base, "-o", "jsonl")
    monkeypatch.setattr(
        cli,
        "make_client",
        lambda args: fake.client(transport=FailsFromTheThirdPage(), max_retries=0),
    )
    code, first, err = run(*base, "-o", "jsonl")
    assert code == 1 and len(err.strip().splitlines()) == 1
    match = re.search(r"resume with --after (\S+)\)", err)
    assert match, err
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    code, rest, _ = run(*base, "-o", "jsonl", "--after", match.group(1))
    assert code == 0 and first + rest == everything and len(first) == 60


# -- bounded bodies --------------------------------------------------------------------------


class Streamed(httpx.AsyncByteStream):
    """A response body that arrives in chunks (endless when ``chunks`` is)."""

    def __init__(self, chunks: Callable[[], AsyncIterator[bytes]]) -> None:
        self._chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._chunks():
            yield chunk


def streaming(
    status: int, chunks: Callable[[], AsyncIterator[bytes]], **headers: str
) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, stream=Streamed(chunks))

    return answer


async def test_a_gzip_bomb_is_refused_with_memory_near_the_limit() -> None:
    bomb = gzip.compress(bytes(200 * MIB), compresslevel=9)  # about 200 KB on the wire

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(bomb), 16384):
            yield bomb[start : start + 16384]

    handler = streaming(200, chunks, **{"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        async with mock_client(handler, max_response_bytes=4 * MIB) as client:
            with pytest.raises(ResponseValidationError, match="larger than the limit"):
                await client.follow_ups_v3.get("01FU")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MIB + 3 * MIB  # a naive read peaks above 400 MiB


async def test_an_endless_body_is_cut_off_after_the_limit() -> None:
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        while True:
            sent += 65536
            yield b" " * 65536

    async with mock_client(streaming(200, endless), max_response_bytes=MIB) as client:
        with pytest.raises(ResponseValidationError, match="larger than the limit"):
            await client.follow_ups_v3.get("01FU")
    assert sent <= 2 * MIB


def test_the_body_limit_is_configurable_and_checked() -> None:
    with pytest.raises(ConfigurationError, match="max_response_bytes"):
        IncidentIO(TEST_KEY, max_response_bytes=0)


# -- the key never leaves ------------------------------------------------------------------


def every_form(error: BaseException) -> str:
    """Everything an error can show or carry, as text."""
    parts = [str(error), repr(error), repr(error.args), pickle.dumps(error).decode("latin-1")]
    parts.append("".join(traceback.format_exception(error)))
    for name in ("response", "body", "errors", "snippet"):
        value = getattr(error, name, None)
        if isinstance(value, httpx.Response):
            parts += [value.content.decode("latin-1"), repr(dict(value.headers))]
            parts.append(repr(dict(value.request.headers)))
        elif value is not None:
            parts.append(repr(value))
    return "\n".join(parts)


def echoes(status: int, content_type: str) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        echoed = "\n".join(f"{name}: {value}" for name, value in request.headers.items())
        if content_type == "application/json":
            body = json_body({"type": "debug", "errors": [{"code": "x", "message": echoed}]})
        else:
            body = f"<html><pre>{echoed}</pre></html>".encode()
        headers = {"Content-Type": content_type, "X-Echo": request.headers["authorization"]}
        return httpx.Response(status, content=body, headers=headers)

    return answer


def json_body(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


@pytest.mark.parametrize(
    ("status", "content_type"),
    [
        (400, "text/html"),
        (401, "application/json"),
        (502, "text/html"),
        (422, "application/json"),
        (200, "text/html"),  # a 2xx that is not JSON: ResponseValidationError
    ],
)
async def test_an_echoing_server_never_puts_the_key_into_an_error(
    status: int, content_type: str
) -> None:
    async with mock_client(echoes(status, content_type), max_retries=0) as client:
        with pytest.raises((APIStatusError, ResponseValidationError)) as caught:
            await client.follow_ups_v3.get("01FU")
    text = every_form(caught.value)
    assert "Bearer" in text or "[redacted]" in text  # the echo is there...
    assert TEST_KEY not in text  # ...without the key


async def test_a_transport_error_quoting_the_key_is_redacted() -> None:
    def garbled(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError(f"illegal header line: {request.headers['authorization']}")

    async with mock_client(garbled, max_retries=0) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.follow_ups_v3.get("01FU")
    text = every_form(caught.value)
    assert "illegal header line" in text and TEST_KEY not in text


# -- types enforced ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"id": 123}, "id"),
        ({"id": None}, "id"),
        ({"incident_id": ["01"]}, "incident_id"),
    ],
)
async def test_wrong_typed_fields_are_errors_naming_the_model_and_field(
    record: dict[str, Any], field: str
) -> None:
    bad = {**update_record(1), **record}
    recorder = Recorder(page([update_record(2), bad], after="01NEXT"))
    async with mock_client(recorder) as client:
        with pytest.raises(
            ResponseValidationError,
            match=rf"IncidentUpdatesListResultV2\.incident_updates\.{field}: ",
        ):
            await client.incident_updates_v2.list().to_list()


# -- input checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.follow_ups_v2.list(incident_id=""),
        lambda c: c.follow_ups_v3.list(assignee_team_id="").to_list(),
        lambda c: c.incident_updates_v2.list(incident_id="").to_list(),
        lambda c: c.follow_ups_v3.get(""),
        lambda c: c.follow_ups_v3.create(incident_id="", title="t"),
        lambda c: c.follow_ups_v3.get("x" * 70_000),
        lambda c: c.follow_ups_v3.list(incident_id="x" * 70_000).to_list(),
        lambda c: c.follow_ups_v3.get("01", extra_headers={"X-A": "é"}),
        lambda c: c.follow_ups_v3.get("01", extra_headers={"X-A": "a\r\nX-B: b"}),
    ],
)
async def test_bad_input_is_refused_before_any_request(call: Callable[[Any], Any]) -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError):
            await call(client)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_url": "https://api.incident.io:99999"}, "port outside 1-65535"),
        ({"base_url": "https://user:hunter2@api.incident.io"}, "user name or password"),
        ({"headers": {"X-Team": "é"}}, "printable ASCII"),
        ({"headers": {"X-Team": "a\r\nInjected: 1"}}, "printable ASCII"),
        ({"headers": {"Bad Name": "v"}}, "not a valid header name"),
    ],
)
def test_bad_settings_are_configuration_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        IncidentIO(TEST_KEY, **kwargs)
    assert "hunter2" not in str(caught.value)


def test_repr_never_raises_even_for_a_client_whose_constructor_failed() -> None:
    client = IncidentIO.__new__(IncidentIO)
    assert repr(client).startswith("<IncidentIO")


# -- delete ------------------------------------------------------------------------------------


async def test_a_404_after_a_known_failure_is_not_found() -> None:
    clock = VirtualClock()
    unavailable = json_response(503, {"type": "unavailable"})
    gone = json_response(404, {"type": "not_found"})
    for first in (unavailable, json_response(429, {"type": "x"}, **{"Retry-After": "1"})):
        recorder = Recorder(first, gone)
        async with clock.running(), mock_client(recorder, clock=clock) as client:
            with pytest.raises(NotFoundError):
                await client.follow_ups_v3.delete("01NEVER")


async def test_a_404_after_an_attempt_whose_outcome_is_unknown_is_success() -> None:
    clock = VirtualClock()
    recorder = Recorder(httpx.ReadTimeout("lost"), json_response(404, {"type": "not_found"}))
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        assert await client.follow_ups_v3.delete("01FU") is None


# -- pagination guards --------------------------------------------------------------------------


async def test_an_empty_cursor_mid_list_is_a_pagination_error_after_its_page() -> None:
    recorder = Recorder(page([update_record(3), update_record(2)], after=""))
    got: list[str] = []
    async with mock_client(recorder) as client:
        with pytest.raises(PaginationError, match="empty cursor") as caught:
            async for update in client.incident_updates_v2.list():
                got.append(update.id)
    assert got == [update_record(3)["id"], update_record(2)["id"]]
    assert caught.value.resume_after == update_record(2)["id"]


async def test_a_run_of_empty_pages_with_fresh_cursors_is_a_pagination_error() -> None:
    recorder = Recorder(*[page([], after=f"01C{n}") for n in range(20)])
    async with mock_client(recorder) as client:
        with pytest.raises(PaginationError, match="10 pages in a row with nothing new"):
            await client.incident_updates_v2.list().to_list()
    assert len(recorder.requests) <= 11


# -- total time ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["trickling", "silent"])
async def test_a_slow_server_cannot_hold_a_call_past_its_deadline(kind: str) -> None:
    clock = VirtualClock()

    async def trickle() -> AsyncIterator[bytes]:
        yield b'{"follow_up":'
        while True:
            await clock.sleep(1 if kind == "trickling" else 3600)
            yield b" "

    async with clock.running(), mock_client(streaming(200, trickle), clock=clock) as client:
        with pytest.raises(APIConnectionError):
            await client.follow_ups_v3.get("01FU")  # default settings
    assert clock.monotonic() <= RetryPolicy().call_deadline


# -- closing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["https", "http"])
async def test_aclose_while_connections_are_set_up_leaves_no_socket_open(scheme: str) -> None:
    """Requests under way when the client closes fail with ClientClosedError, and every
    connection they opened is closed: the server sees each one end. Over https the
    handshake never completes (a server that accepts and stays silent)."""
    accepted: list[anyio.abc.SocketStream] = []
    all_accepted, all_closed = anyio.Event(), anyio.Event()
    closed_by_client = 0

    async def hold(stream: anyio.abc.SocketStream) -> None:
        nonlocal closed_by_client
        accepted.append(stream)
        if len(accepted) == 4:
            all_accepted.set()
        try:
            while await stream.receive():
                pass
        except (anyio.EndOfStream, anyio.BrokenResourceError):
            closed_by_client += 1
            if closed_by_client == 4:
                all_closed.set()

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    errors: list[BaseException] = []
    async with anyio.create_task_group() as server:
        server.start_soon(listener.serve, hold)
        client = IncidentIO(
            TEST_KEY,
            base_url=f"{scheme}://127.0.0.1:{port}",
            rate_limiter=RateLimiter(),
            allow_insecure_http=True,
        )

        async def call() -> None:
            try:
                await client.follow_ups_v3.get("01FU")
            except ClientClosedError as error:
                errors.append(error)

        with anyio.fail_after(10):
            async with anyio.create_task_group() as calls:
                for _ in range(4):
                    calls.start_soon(call)
                await all_accepted.wait()
                await client.aclose()
            await all_closed.wait()
        server.cancel_scope.cancel()
    assert len(errors) == 4
