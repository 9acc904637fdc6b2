"""Adversarial review of issues 10-12: each test states a promise the code does not keep yet.

Every test here FAILS on the reviewed main; they are meant to be cherry-picked with the fixes.
"""

from __future__ import annotations

import datetime
import json
import pickle
import traceback
from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest

from incidentio_async import IncidentIO
from incidentio_async.clock import VirtualClock
from incidentio_async.errors import (
    APIConnectionError,
    APIStatusError,
    IncidentIOError,
    InvalidArgumentError,
    ResponseValidationError,
)

from client_factory import TEST_KEY, mock_client

pytestmark = pytest.mark.anyio


def chain_text(error: BaseException) -> str:
    """The traceback as printed (causes and contexts included) plus every chained exception's
    args and attributes: what a logger, Sentry or a crash report gets to see."""
    parts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(repr(current.args))
        parts.append(repr(vars(current)) if hasattr(current, "__dict__") else "")
        current = current.__cause__ or current.__context__
    return "\n".join(parts)


# -- the key never leaves (issue 12) -----------------------------------------------------------


async def _raw_server() -> tuple[Any, str]:
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    return listener, f"http://127.0.0.1:{port}"


def _auth_line(request: bytes) -> bytes:
    return next(
        line for line in request.split(b"\r\n") if line.lower().startswith(b"authorization")
    )


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize(
    "answer",
    [
        # An invalid status line quoting the request: h11 puts it in its error message.
        lambda request: b"HTTP/1.1 2x0 " + _auth_line(request) + b"\r\n\r\n",
        # A header line h11 refuses, quoting the request.
        lambda request: b"HTTP/1.1 200 OK\r\nX-Echo\x01: " + _auth_line(request) + b"\r\n\r\n",
    ],
    ids=["status-line", "header-line"],
)
async def test_a_protocol_error_quoting_the_key_keeps_it_out_of_the_traceback(
    answer: Callable[[bytes], bytes],
) -> None:
    listener, url = await _raw_server()
    async with anyio.create_task_group() as group:
        group.start_soon(listener.serve, lambda stream: _serve_one(stream, answer))
        async with IncidentIO(TEST_KEY, base_url=url, max_retries=0) as client:
            with pytest.raises(APIConnectionError) as caught:
                await client.follow_ups_v3.get("01FU")
        group.cancel_scope.cancel()
    # Today: "httpcore.RemoteProtocolError: illegal status line: ... Bearer <key>" in the
    # printed traceback (the __context__ chain of the redacted httpx error).
    assert TEST_KEY not in chain_text(caught.value)


async def _serve_one(stream: Any, answer: Callable[[bytes], bytes]) -> None:
    async with stream:
        data = b""
        while b"\r\n\r\n" not in data:
            data += await stream.receive()
        await stream.send(answer(data))


async def test_a_2xx_field_quoting_the_key_keeps_it_out_of_the_cause() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        key = request.headers["authorization"].split()[-1]
        return httpx.Response(200, json={"follow_up": {"id": "01", "created_at": key}})

    async with mock_client(answer, max_retries=0) as client:
        with pytest.raises(ResponseValidationError) as caught:
            await client.follow_ups_v3.get("01FU")
    # Today: "ModelParseError: ...created_at: invalid value (string): not an RFC 3339
    # timestamp: '<key>'" is the printed __cause__.
    assert TEST_KEY not in chain_text(caught.value)


async def test_a_json_escaped_echo_keeps_the_key_out_of_body_errors_and_pickles() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        key = request.headers["authorization"].split()[-1]
        escaped = "".join(f"\\u{ord(char):04x}" for char in key)
        body = '{"type":"debug","errors":[{"code":"x","message":"echo ' + escaped + '"}]}'
        return httpx.Response(
            400, content=body.encode(), headers={"content-type": "application/json"}
        )

    async with mock_client(answer, max_retries=0) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.follow_ups_v3.get("01FU")
    error = caught.value
    assert TEST_KEY not in repr(error.body)
    assert TEST_KEY not in repr(error.errors)
    assert TEST_KEY.encode() not in pickle.dumps(error)


async def test_an_echoed_reason_phrase_is_scrubbed_from_the_stored_response() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        key = request.headers["authorization"].split()[-1]
        return httpx.Response(400, extensions={"reason_phrase": key.encode()})

    async with mock_client(answer, max_retries=0) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.follow_ups_v3.get("01FU")
    assert TEST_KEY not in caught.value.response.reason_phrase


# -- idempotency keys (issues 10 and 11) ------------------------------------------------------


async def test_a_created_update_whose_body_does_not_parse_still_carries_its_key() -> None:
    async with mock_client(
        lambda request: httpx.Response(201, json={"incident_update": {"id": 123}})
    ) as client:
        with pytest.raises(ResponseValidationError) as caught:
            await client.incident_updates_v2.create(incident_id="01INC", message="hi")
    # The update exists; without the key the caller can only post it again.
    assert caught.value.idempotency_key is not None


async def test_an_empty_idempotency_key_is_refused_before_any_request() -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async with mock_client(answer, max_retries=0) as client:
        with pytest.raises(InvalidArgumentError):
            await client.incident_updates_v2.create(
                incident_id="01INC", message="hi", idempotency_key=""
            )
    # Today it is sent with "" and, with retries on, retried on a 500 as if it were safe.
    assert sent == []


async def test_extra_body_cannot_replace_the_idempotency_key() -> None:
    """An extra_body setting the key would send a key the retries and the error do not know:
    it is refused, and the key is passed as idempotency_key= instead."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async with mock_client(answer, max_retries=0) as client:
        with pytest.raises(InvalidArgumentError, match="idempotency_key="):
            await client.incident_updates_v2.create(
                incident_id="01INC", message="hi", extra_body={"idempotency_key": "mine"}
            )
        with pytest.raises(IncidentIOError) as caught:
            await client.incident_updates_v2.create(
                incident_id="01INC", message="hi", idempotency_key="mine"
            )
    assert caught.value.idempotency_key == "mine"
    assert [json.loads(r.content)["idempotency_key"] for r in sent] == ["mine"]


# -- input the client could refuse (issue 12) -------------------------------------------------

EAST = datetime.timezone(datetime.timedelta(hours=5))
WEST = datetime.timezone(datetime.timedelta(hours=-5))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.follow_ups_v3.list(updated_at={"gte": "\udcff"}).to_list(),
        lambda c: c.follow_ups_v3.list(extra_query={"x": "\udcff"}).to_list(),
        lambda c: c.follow_ups_v3.list(extra_query={"\udcff": "x"}).to_list(),
        lambda c: c.follow_ups_v3.list(extra_query={"x": 10**5000}).to_list(),
        lambda c: c.request("GET", "/v2/x", params={"x": 10**5000}),
        lambda c: c.follow_ups_v3.list(
            updated_at={"gte": datetime.datetime.min.replace(tzinfo=EAST)}
        ).to_list(),
        lambda c: c.follow_ups_v3.list(
            created_at={"lte": datetime.datetime.max.replace(tzinfo=WEST)}
        ).to_list(),
        # Each value within the 2,048-character limit, together past httpx's 64 KiB.
        lambda c: c.follow_ups_v3.list(
            incident_id="é" * 2048,
            assignee_team_id="é" * 2048,
            updated_at={"gte": "é" * 2048, "lte": "é" * 2048, "date_range": "é" * 2048},
            created_at={"gte": "é" * 2048, "lte": "é" * 2048},
        ).to_list(),
        lambda c: c.request("GET", "/" + "a" * 70_000),
    ],
    ids=[
        "filter-surrogate",
        "extra-query-surrogate",
        "extra-query-name-surrogate",
        "extra-query-huge-int",
        "params-huge-int",
        "datetime-min-east",
        "datetime-max-west",
        "query-too-long",
        "request-path-too-long",
    ],
)
async def test_bad_input_is_an_invalid_argument_error(call: Callable[[Any], Any]) -> None:
    async with mock_client(lambda request: httpx.Response(200, json={})) as client:
        with pytest.raises(InvalidArgumentError):
            await call(client)


def test_the_cli_reports_an_undecodable_filter_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from incidentio_async.cli import main

    code = main(["--fake", "follow-ups-v3", "list", "--updated-since", "\udcff", "-o", "json"])
    assert code == 5
    assert "Traceback" not in capsys.readouterr().err


# -- a paginated operation with a body (issue 10: zero hand-written lines) ---------------------


async def test_a_paginated_post_sends_its_body_and_is_not_retried_without_a_key() -> None:
    from incidentio_async._operation import Operation, Pagination, Param
    from incidentio_async._resource import Resource

    search: Operation[list[Any]] = Operation(
        id="Things#Search",
        method="POST",
        path="/v2/things/search",
        params=(
            Param("after", "query", "string"),
            Param("query", "body", "string", required=True),
        ),
        parse=lambda data: data["things"],
        resource="things",
        name="search",
        takes_body=True,
        pagination=Pagination(cursor="after", items="things"),
    )
    bodies: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(500)

    clock = VirtualClock()
    async with clock.running(), mock_client(answer, clock=clock, max_retries=2) as client:
        resource = Resource(client._pipeline)
        pager = resource._paginate(
            search, {"query": "disk"}, None, False, None, None, None, None, None
        )
        with pytest.raises(APIStatusError):
            await pager.to_list()
    # Today: three POSTs, each with an empty body.
    assert bodies == [b'{"query":"disk"}']


# -- the README describes issue 12 ------------------------------------------------------------


def test_the_readme_describes_the_budgets_resume_after_and_the_body_limit() -> None:
    from pathlib import Path

    from incidentio_async import RetryPolicy

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for term in ("resume_after", "max_rate_limit_wait", "call_deadline", "max_response_bytes"):
        assert term in readme, term
    # "a wait longer than RetryPolicy.max_retry_after (60 s) raises at once": the default
    # is None now, and a 120 s Retry-After is waited.
    assert RetryPolicy().max_retry_after is None
    assert "max_retry_after` (60 s)" not in readme
