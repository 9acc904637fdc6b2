"""Code written for 0.1.0 keeps working: its README's calls and commands, through the aliases."""

from __future__ import annotations

import io
import json

import pytest

import incidentio_async.cli as cli
from incidentio_async import NOT_GIVEN
from incidentio_async.models import (
    ExternalIssueProvider,
    FollowUp,
    FollowUpStatus,
    IncidentMode,
    IncidentUpdate,
)
from incidentio_async.testing import FakeIncidentIO

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.filterwarnings("ignore::incidentio_async.IncidentIODeprecationWarning"),
]


async def test_the_0_1_0_quickstart_runs_unchanged() -> None:
    fake = FakeIncidentIO(seed=5)
    incident_id = fake.add_incident_updates(300)
    async with fake.client() as client:
        for follow_up in await client.follow_ups.list(incident_id=incident_id):
            print(follow_up.id, follow_up.status, follow_up.title)

        follow_up = await client.follow_ups.create(
            incident_id=incident_id, title="Add alerting on replica lag", labels=["monitoring"]
        )
        assert isinstance(follow_up, FollowUp)
        updated = await client.follow_ups.update(
            follow_up.id, title=follow_up.title, status="completed"
        )
        assert updated.status is FollowUpStatus.COMPLETED

        updates = [
            update
            async for update in client.incident_updates.list(incident_id=incident_id, page_size=250)
        ]
        assert len(updates) == 300 and isinstance(updates[0], IncidentUpdate)

        # Other 0.1.0 forms: keyword ids, NOT_GIVEN, None to leave out, enum members.
        again = await client.follow_ups.get(follow_up_id=follow_up.id)
        assert again.id == follow_up.id
        await client.follow_ups.update(
            follow_up.id,
            title="t",
            status=FollowUpStatus.OUTSTANDING,
            description=NOT_GIVEN,
            assignee_id=None,
        )
        await client.follow_ups.create(incident_id=incident_id, title="t", description=None)
        await client.follow_ups.list(incident_mode=IncidentMode.TEST, incident_id=None)
        connected = await client.follow_ups.connect_external_issue(
            follow_up.id,
            provider=ExternalIssueProvider.LINEAR,
            url="https://linear.app/acme/issue/ENG-1",
        )
        assert connected.external_issue_reference is not None
        await client.follow_ups.delete(follow_up.id, max_retries=1)
        pages = client.incident_updates.list(max_items=10, lookahead=False).pages()
        assert sum([len(page.items) async for page in pages]) == 10


@pytest.mark.parametrize(
    "argv",
    [
        ["follow-ups", "list", "--incident-mode", "standard", "-o", "json"],
        ["incident-updates", "list", "--limit", "5", "-o", "jsonl"],
    ],
)
def test_the_0_1_0_commands_run_unchanged(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeIncidentIO(seed=3)
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    text = out.getvalue()
    records = json.loads(text) if argv[-1] == "json" else text.splitlines()
    assert records


def test_the_0_1_0_update_command_with_its_option_names(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeIncidentIO(seed=3)
    follow_up = next(iter(fake.state.follow_ups.values()))
    priority = next(iter(fake.state.priorities))
    monkeypatch.setattr(cli, "make_client", lambda args: fake.client())
    argv = [
        "follow-ups", "update", follow_up.id, "--title", "Renamed", "--status", "completed",
        "--priority-id", priority, "--unassign", "--unassign-team", "--label", "a", "-o", "json",
    ]  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    body = fake.requests[-1].json
    assert body == {
        "title": "Renamed",
        "status": "completed",
        "follow_up_priority_option_id": priority,
        "assignee_id": None,
        "assignee_team_id": None,
        "labels": ["a"],
    }
