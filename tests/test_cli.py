"""The incidentio-async command line, run against the fake: commands, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

import incidentio_async.cli as cli
from incidentio_async import IncidentIO, RateLimiter
from incidentio_async.testing import FakeIncidentIO


class Terminal(io.StringIO):
    """A stream that says it is (or is not) a terminal."""

    def __init__(self, tty: bool = False) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIncidentIO]:
    """A fake that every CLI run in the test talks to (state persists between runs)."""
    fake = FakeIncidentIO(seed=3)
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    yield fake


def run(*argv: str, tty: bool = False) -> tuple[int, str, str]:
    stdout, stderr = Terminal(tty), Terminal(tty)
    code = cli.main(list(argv), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def follow_up_ids(fake: FakeIncidentIO) -> list[str]:
    code, out, _ = run("follow-ups", "list", "--format", "json")
    assert code == 0
    return [record["id"] for record in json.loads(out)]


def test_list_formats(fake: FakeIncidentIO) -> None:
    code, out, err = run("follow-ups", "list", "-o", "json")
    records = json.loads(out)
    assert code == 0 and err == ""
    assert len(records) > 3 and {"id", "title", "status", "labels"} <= records[0].keys()

    code, out, _ = run("follow-ups", "list", "-o", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines == records

    code, out, _ = run("follow-ups", "list", "-o", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["id"] for row in rows] == [r["id"] for r in records]
    assert rows[0].keys() == {"id", "status", "title", "assignee", "labels", "incident_id"}

    code, out, _ = run("follow-ups", "list", "-o", "table")
    header, *body = out.splitlines()
    assert header.split() == ["ID", "STATUS", "TITLE", "ASSIGNEE", "LABELS", "INCIDENT_ID"]
    assert len(body) == len(records)


def test_default_format_is_a_table_on_a_terminal_and_json_elsewhere(fake: FakeIncidentIO) -> None:
    _, on_terminal, _ = run("follow-ups", "list", tty=True)
    _, piped, _ = run("follow-ups", "list")
    assert on_terminal.startswith("ID ")
    assert isinstance(json.loads(piped), list)


def test_options_work_before_or_after_the_subcommand(fake: FakeIncidentIO) -> None:
    _, before, _ = run("--format", "jsonl", "follow-ups", "list")
    _, after, _ = run("follow-ups", "list", "--format", "jsonl")
    assert before == after and before.startswith("{")


def test_list_filters_reach_the_api(fake: FakeIncidentIO) -> None:
    incident_id = next(iter(fake.state.incidents))
    run("follow-ups", "list", "--incident-id", incident_id, "--incident-mode", "test")
    query = fake.requests[-1].query
    assert query["incident_id"] == incident_id and query["incident_mode"] == "test"


def test_create_get_update_connect_delete(fake: FakeIncidentIO) -> None:
    incident_id = next(iter(fake.state.incidents))
    code, out, _ = run(
        "follow-ups", "create", "--incident-id", incident_id, "--title", "From the CLI",
        "--label", "cli", "--label", "test", "-o", "json",
    )  # fmt: skip
    created = json.loads(out)
    assert code == 0 and created["title"] == "From the CLI" and created["labels"] == ["cli", "test"]

    code, out, _ = run("follow-ups", "get", created["id"], "-o", "json")
    assert json.loads(out)["id"] == created["id"]

    code, out, _ = run(
        "follow-ups", "update", created["id"], "--title", "Done from the CLI",
        "--status", "completed", "--unassign", "-o", "json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["status"] == "completed"
    assert fake.requests[-1].json == {
        "title": "Done from the CLI",
        "status": "completed",
        "assignee_id": None,
    }

    code, out, _ = run(
        "follow-ups", "connect", created["id"], "--provider", "linear",
        "--url", "https://linear.app/acme/issue/ENG-42", "-o", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["external_issue_reference"]["provider"] == "linear"

    code, out, _ = run("follow-ups", "delete", created["id"])
    assert code == 0 and json.loads(out) == {"deleted": created["id"]}
    code, _, err = run("follow-ups", "get", created["id"])
    assert code == 4 and err.startswith("incidentio-async: error: 404")


def test_incident_updates_export_with_progress(fake: FakeIncidentIO) -> None:
    incident_id = fake.add_incident_updates(1234)
    code, out, err = run(
        "incident-updates", "list", "--incident-id", incident_id, "--page-size", "100",
        "-o", "jsonl", "--progress",
    )  # fmt: skip
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert len(records) == 1234 and len({r["id"] for r in records}) == 1234
    assert all(r["incident_id"] == incident_id for r in records)
    final = err.strip().splitlines()[-1]
    assert "1,234 incident updates" in final and "13 pages" in final


def test_incident_updates_limit_shows_a_bar_on_a_terminal(fake: FakeIncidentIO) -> None:
    incident_id = fake.add_incident_updates(600)
    code, out, err = run(
        "incident-updates", "list", "--incident-id", incident_id, "--limit", "300", "-o", "csv",
        tty=True,
    )  # fmt: skip
    assert code == 0
    assert len(out.splitlines()) == 301  # header + rows
    assert "\r" in err and "100%" in err and "300 incident updates" in err
    assert len(fake.requests) == 2  # 250 + 50: no request beyond the limit


def test_follow_ups_v3_sync_since_a_time_with_progress(fake: FakeIncidentIO) -> None:
    code, out, _ = run("follow-ups-v3", "list", "-o", "jsonl")
    everything = [json.loads(line) for line in out.splitlines()]
    since = sorted(r["updated_at"] for r in everything)[len(everything) // 2]
    code, out, err = run(
        "follow-ups-v3", "list", "--updated-since", since, "--page-size", "5",
        "-o", "jsonl", "--progress",
    )  # fmt: skip
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and records
    assert {r["id"] for r in records} == {r["id"] for r in everything if r["updated_at"] >= since}
    assert fake.requests[-1].query["updated_at[gte]"] == since
    assert f"{len(records)} follow-ups" in err.strip().splitlines()[-1]


def test_follow_ups_v3_filters_as_op_value_and_create_from_link(fake: FakeIncidentIO) -> None:
    incident_id = next(iter(fake.state.incidents))
    code, out, _ = run(
        "follow-ups-v3", "list", "--created-at", "date_range=2025-01-01~2025-01-31", "-o", "json"
    )
    assert code == 0 and isinstance(json.loads(out), list)
    assert fake.requests[-1].query["created_at[date_range]"] == "2025-01-01~2025-01-31"
    code, out, _ = run(
        "follow-ups-v3", "create-from-link", "--incident-id", incident_id,
        "--url", "https://github.com/acme/api/issues/7", "-o", "json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["external_issue_reference"]["issue_name"] == "acme/api#7"
    code, _, err = run("follow-ups-v3", "list", "--updated-at", "after=2025-01-01")
    assert code == 5 and "unknown operator 'after'" in err


def test_incident_updates_create(fake: FakeIncidentIO) -> None:
    incident_id = fake.add_incident()
    code, out, _ = run(
        "incident-updates", "create", "--incident-id", incident_id,
        "--message", "Fix deployed", "--idempotency-key", "cli-1", "-o", "json",
    )  # fmt: skip
    created = json.loads(out)
    assert code == 0 and created["message"] == "Fix deployed"
    code, out, _ = run(
        "incident-updates", "create", "--incident-id", incident_id,
        "--message", "again", "--idempotency-key", "cli-1", "-o", "json",
    )  # fmt: skip
    assert json.loads(out)["id"] == created["id"]
    code, _, err = run("incident-updates", "create", "--incident-id", incident_id)
    assert code == 5 and "at least one of message" in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (("follow-ups", "get", "01NOPE"), 4, "404 not_found"),
        (("follow-ups", "update", "01NOPE", "--title", "t", "--status", "deleted"), 5, "delete("),
        (("incident-updates", "list", "--page-size", "500"), 5, "page_size must be between"),
        (("follow-ups", "get", ".."), 5, "follow_up_id must be a non-empty id"),
    ],
)
def test_failures_end_with_one_line_and_an_exit_code(
    fake: FakeIncidentIO, argv: tuple[str, ...], code: int, message: str
) -> None:
    exit_code, out, err = run(*argv)
    assert exit_code == code
    assert out == ""
    assert len(err.splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_validation_error_from_the_api(fake: FakeIncidentIO) -> None:
    follow_up = follow_up_ids(fake)[0]
    code, _, err = run("follow-ups", "update", follow_up, "--title", "t", "--status", "archived")
    assert code == 5 and "422 validation_error" in err and "status" in err


def use_client(monkeypatch: pytest.MonkeyPatch, new_client: Callable[[], IncidentIO]) -> None:
    monkeypatch.setattr(cli, "make_client", lambda args: new_client())


def test_authentication_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeIncidentIO(seed=3)
    use_client(monkeypatch, lambda: fake.client(api_key="wrong-key"))
    code, _, err = run("follow-ups", "list")
    assert code == 3 and "401 authentication_error" in err
    assert "wrong-key" not in err


def test_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeIncidentIO(seed=3, capacity=1, refill_rate=0.001)
    limiter = RateLimiter(capacity=1000, refill_rate=1000)
    use_client(monkeypatch, lambda: fake.client(max_retries=0, rate_limiter=limiter))
    run("follow-ups", "list")
    code, _, err = run("follow-ups", "list")
    assert code == 6 and "429 too_many_requests" in err and "retry after" in err


def test_network_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(request: httpx.Request) -> Any:
        raise httpx.ConnectError("connection refused")

    use_client(
        monkeypatch,
        lambda: IncidentIO(
            "k", transport=httpx.MockTransport(refuse), max_retries=0, rate_limiter=RateLimiter()
        ),
    )
    code, _, err = run("follow-ups", "list")
    assert code == 7 and "ConnectError" in err and "was not sent" in err


def test_missing_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_API_KEY", raising=False)
    code, _, err = run("follow-ups", "list")
    assert code == 2 and "INCIDENT_API_KEY" in err


def test_fake_flag_needs_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_API_KEY", raising=False)
    code, out, _ = run("follow-ups", "list", "--fake", "-o", "json")
    assert code == 0 and len(json.loads(out)) > 0


def test_demo_runs_end_to_end(tmp_path: Any) -> None:
    target = tmp_path / "export.jsonl"
    code, out, err = run("demo", "--updates", "600", "--latency-ms", "0", "--output", str(target))
    assert code == 0
    assert "== 1. Sync every follow-up" in out and "== 2. Complete follow-up" in out
    assert "1 changed since the last sync" in out
    assert "== 3. Post an update" in out and "idempotency key" in out
    # The posted update is one more to export.
    assert "wrote 601 updates in 3 pages" in out
    assert len(target.read_text().splitlines()) == 601
    assert "601 incident updates" in err


def test_help_marks_deprecated_commands_with_the_date_and_replacement(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The commands run without the library's warning, so the help is where it is said.
    for argv, expected in [
        (["--help"], "Follow-ups V2 (deprecated by incident.io)"),
        (["follow-ups-v2", "--help"], "list: GET /v2/follow_ups (deprecated)"),
        (["follow-ups-v2", "delete", "--help"], "31 December 2026"),
        (["follow-ups-v2", "delete", "--help"], "client.follow_ups_v3.delete()"),
    ]:
        with pytest.raises(SystemExit):
            run(*argv)
        assert expected in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit):
        run("follow-ups-v3", "--help")
    assert "deprecated" not in capsys.readouterr().out


class FailingFrom(httpx.AsyncBaseTransport):
    """Passes requests to ``inner`` until the ``nth``, which (and every later one) fails."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, nth: int, failure: httpx.Response | Exception
    ) -> None:
        self.inner = inner
        self.nth = nth
        self.failure = failure
        self.sent = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent += 1
        if self.sent < self.nth:
            return await self.inner.handle_async_request(request)
        if isinstance(self.failure, Exception):
            raise self.failure
        return self.failure


UNAUTHORIZED = httpx.Response(
    401,
    json={"type": "authentication_error", "status": 401, "request_id": "r", "errors": []},
)


def fail_from_page(
    monkeypatch: pytest.MonkeyPatch, fake: FakeIncidentIO, page: int, **kw: Any
) -> None:
    """CLI runs talk to ``fake`` until the request for ``page``, which fails (as do later ones)."""
    failure = kw.pop("failure", UNAUTHORIZED)
    use_client(
        monkeypatch,
        lambda: fake.client(transport=FailingFrom(fake.transport(), page, failure), max_retries=0),
    )


# One chain of pages, so that "fail from the third request" means the third page.
LIST_V3 = ("follow-ups-v3", "list", "--page-size", "5", "--concurrency", "1")


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_failed_run_writes_no_half_document(
    monkeypatch: pytest.MonkeyPatch, fake: FakeIncidentIO, fmt: str
) -> None:
    fail_from_page(monkeypatch, fake, 3)
    code, out, err = run(*LIST_V3, "-o", fmt)
    assert out == ""  # not "[" and two pages of records
    assert code == 3
    assert err.count("\n") == 1 and err.startswith("incidentio-async: error: 401")
    assert "(nothing written; run again (-o jsonl keeps the records that arrive))" in err


def test_a_failed_jsonl_run_leaves_whole_records_and_says_where_to_resume(
    monkeypatch: pytest.MonkeyPatch, fake: FakeIncidentIO
) -> None:
    _, everything, _ = run(*LIST_V3, "-o", "jsonl")
    expected = [json.loads(line)["id"] for line in everything.splitlines()]
    fail_from_page(monkeypatch, fake, 3, failure=httpx.ConnectError("connection refused"))
    code, out, err = run(*LIST_V3, "-o", "jsonl")
    assert code == 7
    first = [json.loads(line)["id"] for line in out.splitlines()]  # every line whole
    assert first == expected[:10]
    assert err.count("\n") == 1 and "ConnectError" in err
    assert err.rstrip().endswith(f"(10 follow-ups written; resume with --after {first[-1]})")

    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    code, rest, _ = run(*LIST_V3, "-o", "jsonl", "--after", first[-1])
    assert code == 0
    assert first + [json.loads(line)["id"] for line in rest.splitlines()] == expected


def test_output_file_is_replaced_only_when_the_run_succeeds(
    monkeypatch: pytest.MonkeyPatch, fake: FakeIncidentIO, tmp_path: Any
) -> None:
    target = tmp_path / "follow-ups.json"
    code, out, _ = run(*LIST_V3, "--output", str(target))
    assert code == 0 and out == ""
    exported = json.loads(target.read_text(encoding="utf-8"))  # JSON by default in a file
    _, listed, _ = run(*LIST_V3, "-o", "json")
    assert exported == json.loads(listed) and len(exported) > 10

    target.write_text("the previous export\n", encoding="utf-8")
    fail_from_page(monkeypatch, fake, 2, failure=httpx.ConnectError("connection refused"))
    for fmt in ("json", "jsonl", "csv"):
        start = exported[0]["id"]
        code, out, err = run(*LIST_V3, "-o", fmt, "--output", str(target), "--after", start)
        assert code == 7 and out == ""
        assert f"(nothing written to {target}; run again with --after {start})" in err
        assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["follow-ups.json"]  # no temporary left


def test_csv_columns_are_chosen_and_nested_fields_flattened(fake: FakeIncidentIO) -> None:
    code, out, _ = run(
        *LIST_V3, "-o", "csv", "--columns", "id,title,status,assignee.email,created_at"
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["id", "title", "status", "assignee.email", "created_at"]
    _, as_json, _ = run(*LIST_V3, "-o", "json")
    records = {r["id"]: r for r in json.loads(as_json)}
    assert [row["id"] for row in rows] == list(records)
    for row in rows:
        record = records[row["id"]]
        assert row["created_at"] == record["created_at"]  # as the API wrote it
        assert row["assignee.email"] == ((record.get("assignee") or {}).get("email") or "")
    assert any(row["assignee.email"] for row in rows) and any(not r["assignee.email"] for r in rows)

    code, out, _ = run(*LIST_V3, "-o", "csv", "--columns", "all")
    header = next(csv.reader(io.StringIO(out)))
    assert {"id", "title", "creator.user.email", "priority.name", "category.name"} <= set(header)

    code, out, err = run(*LIST_V3, "-o", "csv", "--columns", "id,nope")
    assert code == 2 and out == ""
    assert "unknown column 'nope' for FollowUpV3" in err and "assignee.email" in err


def test_table_columns_can_be_chosen_for_a_single_record(fake: FakeIncidentIO) -> None:
    follow_up = next(iter(fake.state.follow_ups.values()))
    code, out, _ = run(
        "follow-ups-v3", "get", follow_up.id, "-o", "table", "--columns", "id,creator.user.name"
    )
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "CREATOR.USER.NAME"]


def test_command_help_is_humanised_from_the_operation_it_runs(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from incidentio_async.cli.operations import resources

    for name, _, _, commands in resources():
        with pytest.raises(SystemExit):
            run(name, "--help")
        listing = " ".join(capsys.readouterr().out.split())
        for command in commands:
            operation = command.operation
            # The words of the operationId, and the request the command sends.
            assert f"{command.words}: {operation.method} {operation.path}" in listing
        assert not re.search(r"\b[a-z]+[A-Z]|createfromlink|connectexternalissue", listing)
    with pytest.raises(SystemExit):
        run("follow-ups-v3", "--help")
    assert "create from link: POST /v3/follow_ups/actions/create_from_link" in " ".join(
        capsys.readouterr().out.split()
    )


def test_the_fake_server_s_help_names_every_tag_it_serves() -> None:
    from incidentio_api.resources import TAGS
    from incidentio_async.testing.__main__ import parser

    text = " ".join(parser().format_help().split())
    for _, tag, _ in TAGS:
        assert tag in text
    assert "Follow-ups V3" in text


def test_the_demo_says_how_many_rows_it_shows_of_how_many(tmp_path: Any) -> None:
    code, out, _ = run(
        "demo", "--updates", "10", "--latency-ms", "0", "--output", str(tmp_path / "x.jsonl")
    )
    assert code == 0
    section = out.split("== 2.")[0].splitlines()
    rows = [line for line in section[2:] if line.startswith("01")]
    summary = next(line for line in section if "follow-ups" in line and "sync" in line)
    found = re.match(r"(\d+) follow-ups(?: \(the first (\d+) shown\))?;", summary)
    assert found, summary
    total, shown = int(found[1]), int(found[2] or found[1])
    assert len(rows) == shown < total  # the demo's data has more than fit on the screen


def test_an_output_file_that_cannot_be_written_is_one_line(
    fake: FakeIncidentIO, tmp_path: Any
) -> None:
    target = tmp_path / "no-such-directory" / "out.json"
    code, out, err = run(*LIST_V3, "--output", str(target))
    assert code == 2 and out == ""
    assert err == f"incidentio-async: error: cannot write {target}: No such file or directory\n"
