"""The lesser findings of the adversarial review, each pinned by a test that failed before."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from incidentio_async import (
    InvalidArgumentError,
    NotFoundError,
    PaginationError,
    ServerError,
)
from incidentio_async._arguments import bind
from incidentio_async._operation import Operation, Param
from incidentio_async.clock import VirtualClock

from client_factory import TEST_KEY, Recorder, json_response, mock_client, update_record
from spec_data import ROOT, generate

pytestmark = pytest.mark.anyio


# -- the generator refuses what it cannot turn into a working method ---------------------------


def _spec_with(tmp_path: Path, operation: dict[str, Any], path: str = "/v2/probe") -> Path:
    spec_dir = tmp_path / "openapi"
    spec_dir.mkdir()
    for spec in (ROOT / "openapi").glob("*.yaml"):
        shutil.copy(spec, spec_dir / spec.name)
    target = spec_dir / "incident-updates-v2.yaml"
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    ok = {"200": {"description": "OK", "content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/IncidentUpdatesListResultV2"}}}}}  # fmt: skip
    document["paths"][path] = {
        "get": {"tags": ["Incident Updates V2"], "responses": ok, **operation}
    }
    target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return spec_dir


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (
            {
                "operationId": "Incident Updates V2#Probe",
                "parameters": [
                    {
                        "in": "header",
                        "name": "X-Tenant",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
            },
            "header parameter 'X-Tenant' is not supported",
        ),
        (
            {
                "operationId": "Incident Updates V2#Probe",
                "parameters": [
                    {"in": "query", "name": "level", "schema": {"type": "integer", "enum": [1, 2]}}
                ],
            },
            "only string enums",
        ),
        ({"operationId": "Incident Updates V2#Import"}, "cannot be called 'import'"),
        ({"operationId": "Incident Updates V2#WithRawResponse"}, "with_raw_response"),
        ({"operationId": "X#List", "tags": ["Request"]}, "client.request, which is taken"),
    ],
)
def test_the_generator_refuses_specs_it_cannot_serve(
    tmp_path: Path, operation: dict[str, Any], message: str
) -> None:
    spec_dir = _spec_with(tmp_path, operation)
    output = tmp_path / "out"
    output.mkdir()
    with pytest.raises(SystemExit, match=message):
        generate.generate_into(output, spec_dir=spec_dir)


def test_an_integer_path_parameter_is_sent_as_its_digits() -> None:
    operation: Operation[None] = Operation(
        id="Things#Show",
        method="GET",
        path="/v2/things/{number}",
        params=(Param("number", "path", "integer", required=True, minimum=1),),
        parse=lambda data: None,
        resource="things",
        name="get",
    )
    assert bind(operation, {"number": 42}).path == "/v2/things/42"
    with pytest.raises(InvalidArgumentError, match="at least 1"):
        bind(operation, {"number": 0})
    with pytest.raises(InvalidArgumentError, match="integer"):
        bind(operation, {"number": "42"})


# -- smaller promises ---------------------------------------------------------------------------


async def test_request_refuses_encoded_dot_segments() -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        for path in ("/v2/%2e%2e/admin", "/v2/%2E/x", "/v2/.%2e/x"):
            with pytest.raises(InvalidArgumentError, match=r"'\.\.'"):
                await client.request("GET", path)
    assert recorder.requests == []


async def test_a_delete_whose_gateway_timed_out_is_done_when_the_retry_finds_nothing() -> None:
    clock = VirtualClock()
    recorder = Recorder(
        json_response(504, {"type": "gateway_timeout"}), json_response(404, {"type": "not_found"})
    )
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        assert await client.follow_ups_v3.delete("01FU") is None
    recorder = Recorder(
        json_response(500, {"type": "internal"}), json_response(404, {"type": "not_found"})
    )
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        with pytest.raises(NotFoundError):
            await client.follow_ups_v3.delete("01FU")


async def test_an_error_answer_with_a_huge_body_is_still_that_error_and_retried() -> None:
    clock = VirtualClock()
    huge = httpx.Response(503, content=b" " * (2 * 1024 * 1024))
    recorder = Recorder(huge, json_response(200, {"follow_up": _follow_up()}))
    async with (
        clock.running(),
        mock_client(recorder, clock=clock, max_response_bytes=1024 * 1024) as client,
    ):
        follow_up = await client.follow_ups_v3.get("01FU")
    assert follow_up.id == _follow_up()["id"] and len(recorder.requests) == 2
    recorder = Recorder(httpx.Response(500, content=b" " * (2 * 1024 * 1024)))
    async with mock_client(recorder, max_response_bytes=1024 * 1024, max_retries=0) as client:
        with pytest.raises(ServerError):
            await client.follow_ups_v3.get("01FU")


def _follow_up() -> dict[str, Any]:
    from client_factory import FOLLOW_UP

    return FOLLOW_UP


async def test_an_empty_message_is_not_an_update() -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError, match="at least one of"):
            await client.incident_updates_v2.create(incident_id="01INC", message="")
    assert recorder.requests == []


async def test_the_starting_cursor_coming_back_is_a_repeated_cursor() -> None:
    page = {
        "incident_updates": [update_record(1)],
        "pagination_meta": {"after": "01START", "page_size": 25},
    }
    recorder = Recorder(json_response(200, page), json_response(200, page))
    async with mock_client(recorder) as client:
        with pytest.raises(PaginationError, match="a second time"):
            await client.incident_updates_v2.list(after="01START").to_list()
    assert len(recorder.requests) == 1


async def test_httpx_logs_do_not_carry_an_echoed_key(caplog: pytest.LogCaptureFixture) -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        reason = request.headers["authorization"].encode()
        return httpx.Response(400, extensions={"reason_phrase": reason})

    with caplog.at_level(logging.DEBUG):
        async with mock_client(echo, max_retries=0) as client:
            logging.getLogger("httpx").info("echo: %s", f"Bearer {TEST_KEY}")
            with pytest.raises(Exception):  # noqa: B017  (any error: only the logs matter)
                await client.follow_ups_v3.get("01FU")
    assert "echo: Bearer [redacted]" in caplog.text
    assert TEST_KEY not in caplog.text


def test_the_cli_offers_no_resume_after_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    import incidentio_async.cli as cli
    from incidentio_async.testing import FakeIncidentIO

    fake = FakeIncidentIO(seed=2)
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    err = io.StringIO()
    code = cli.main(
        ["follow-ups-v3", "list", "--after", "01NOTAFOLLOWUP"], stdout=io.StringIO(), stderr=err
    )
    assert code == 5 and "422" in err.getvalue() and "resume with" not in err.getvalue()
