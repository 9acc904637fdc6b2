"""The command line's partitioned export (``list --concurrency``) and ``sync`` command,
against the fake."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import incidentio_async.cli as cli
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.faults import ScriptedResponse


class Terminal(io.StringIO):
    def __init__(self, tty: bool = False) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeIncidentIO]:
    """A fake with 600 more follow-ups, which every CLI run in the test talks to."""
    fake = FakeIncidentIO(seed=3)
    incident = fake.add_incident()
    for n in range(600):
        fake.add_follow_up(incident, f"Follow-up {n}", at=1_750_000_000.0 + n * 97.0)
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    yield fake


def run(*argv: str, tty: bool = False) -> tuple[int, str, str]:
    stdout, stderr = Terminal(tty), Terminal(tty)
    code = cli.main(list(argv), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_list_exports_in_partitions_by_default_with_the_same_output(
    fake: FakeIncidentIO,
) -> None:
    code, one_chain, _ = run(
        "follow-ups-v3", "list", "--page-size", "20", "--concurrency", "1", "-o", "jsonl"
    )
    assert code == 0 and not any("created_at[gte]" in r.query for r in fake.requests)
    fake.reset_requests()
    code, partitioned, err = run(
        "follow-ups-v3", "list", "--page-size", "20", "-o", "jsonl", "--progress"
    )
    assert code == 0
    assert partitioned == one_chain and len(lines(partitioned)) > 600
    assert any("created_at[gte]" in r.query for r in fake.requests)  # the default splits
    assert f"{len(lines(partitioned))} follow-ups" in err.strip().splitlines()[-1]


def test_a_bad_concurrency_exits_with_a_usage_error(fake: FakeIncidentIO) -> None:
    code, _, err = run("follow-ups-v3", "list", "--concurrency", "0")
    assert code == 5 and "concurrency must be from 1 to 32" in err
    assert fake.requests == []


def test_sync_prints_changes_as_json_lines_and_keeps_its_checkpoint(
    fake: FakeIncidentIO, tmp_path: Path
) -> None:
    state = tmp_path / "follow-ups.checkpoint"
    code, out, _ = run("follow-ups-v3", "sync", "--checkpoint-file", str(state))
    everything = lines(out)
    assert code == 0 and len(everything) > 600 and state.exists()
    assert [p.name for p in tmp_path.iterdir()] == [state.name]  # no temporary file left

    code, out, _ = run("follow-ups-v3", "sync", "--checkpoint-file", str(state))
    assert code == 0 and out == ""

    changed = str(everything[10]["id"])
    code, _, _ = run(
        "follow-ups-v3", "update", changed, "--title", "Renamed", "--status", "completed"
    )
    code, out, _ = run("follow-ups-v3", "sync", "--checkpoint-file", str(state))
    assert code == 0 and [r["id"] for r in lines(out)] == [changed]
    assert lines(out)[0]["title"] == "Renamed"


def test_a_sync_that_fails_part_way_resumes_after_the_last_page_it_wrote(
    fake: FakeIncidentIO, tmp_path: Path
) -> None:
    state = tmp_path / "checkpoint"
    # The third page is refused (a 400: not retried).
    requests = len(fake.requests)

    original = fake.faults.take_script

    def third_list_page_fails(method: str, path: str, template: str | None) -> object:
        pages = [r for r in fake.requests[requests:] if r.path == "/v3/follow_ups"]
        if path == "/v3/follow_ups" and len(pages) == 3:
            return ScriptedResponse(400, {"type": "bad_request", "status": 400, "errors": []})
        return original(method, path, template)

    fake.faults.take_script = third_list_page_fails  # type: ignore[method-assign]
    code, first, err = run(
        "follow-ups-v3", "sync", "--checkpoint-file", str(state), "--page-size", "100"
    )
    fake.faults.take_script = original  # type: ignore[method-assign]
    assert code == 5 and "400" in err
    assert len(lines(first)) == 200 and state.exists()

    code, rest, _ = run(
        "follow-ups-v3", "sync", "--checkpoint-file", str(state), "--page-size", "100"
    )
    assert code == 0
    code, everything, _ = run("follow-ups-v3", "list", "-o", "jsonl")
    assert [r["id"] for r in lines(first) + lines(rest)] == [r["id"] for r in lines(everything)]


def test_a_checkpoint_file_sync_did_not_write_is_refused_before_any_request(
    fake: FakeIncidentIO, tmp_path: Path
) -> None:
    state = tmp_path / "checkpoint"
    state.write_text("not a checkpoint\n")
    code, out, err = run("follow-ups-v3", "sync", "--checkpoint-file", str(state))
    assert code == 5 and out == ""
    assert "checkpoint refused" in err and "client.follow_ups_v3.sync() did not make it" in err
    assert fake.requests == []
    assert state.read_text() == "not a checkpoint\n"
