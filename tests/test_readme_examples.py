"""The README's examples, run against the fake: documentation that cannot rot."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest

from incidentio_async import IncidentIO, NotFoundError
from incidentio_async.clock import VirtualClock
from incidentio_async.models import FollowUpV3, FollowUpV3Status
from incidentio_async.testing import FakeIncidentIO, SampleSizes
from incidentio_async.testing.records import to_micros

from spec_data import ROOT

pytestmark = pytest.mark.anyio


def readme_block(name: str) -> str:
    """The code block between ``<!-- name -->`` and ``<!-- /name -->`` in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name} -->\s*```python\n(.*?)```\s*<!-- /{name} -->", text, re.S)
    assert match, f"no {name} block in the README"
    return match.group(1)


async def close_all(client: IncidentIO, incident_id: str) -> None:
    """Stands for the user's code under test in the README's pytest example."""
    async for follow_up in client.follow_ups_v3.list(incident_id=incident_id):
        if follow_up.status is FollowUpV3Status.OUTSTANDING:
            await client.follow_ups_v3.update(
                follow_up.id, title=follow_up.title, status="completed"
            )


async def test_readme_pytest_example(
    incidentio_client: IncidentIO, fake_incidentio: FakeIncidentIO
) -> None:
    incident_id = fake_incidentio.add_incident()
    fake_incidentio.add_follow_up(incident_id, "Rotate the credentials")
    await close_all(incidentio_client, incident_id)
    follow_ups = await incidentio_client.follow_ups_v3.list(incident_id=incident_id).to_list()
    assert {f.status for f in follow_ups} == {"completed"}
    assert [r.method for r in fake_incidentio.requests].count("PUT") == 1


async def test_readme_quickstart_flow() -> None:
    fake = FakeIncidentIO(seed=5)
    incident_id = fake.add_incident_updates(300)
    async with fake.client() as client:
        follow_up = await client.follow_ups_v3.create(
            incident_id=incident_id, title="Add alerting on replica lag", labels=["monitoring"]
        )
        completed = await client.follow_ups_v3.update(
            follow_up.id, title=follow_up.title, status="completed"
        )
        assert completed.status is FollowUpV3Status.COMPLETED
        listed = await client.follow_ups_v3.list(incident_id=incident_id).to_list()
        assert [f.id for f in listed] == [follow_up.id]
        update = await client.incident_updates_v2.create(
            incident_id=incident_id, message="A fix is out; we're monitoring."
        )
        updates = [
            u async for u in client.incident_updates_v2.list(incident_id=incident_id, page_size=250)
        ]
        assert len(updates) == 301 and updates[0].id == update.id
        await client.follow_ups_v3.delete(follow_up.id)
        with pytest.raises(NotFoundError):
            await client.follow_ups_v3.get(follow_up.id)


class Store:
    """What the README's sync example persists to: a checkpoint and a mirror of follow-ups."""

    def __init__(self) -> None:
        self.checkpoint: str | None = None
        self.handled: list[tuple[str, datetime.datetime]] = []
        self.crash_after: int | None = None

    def load(self) -> str | None:
        return self.checkpoint

    def save(self, checkpoint: str) -> None:
        self.checkpoint = checkpoint

    async def upsert(self, follow_up: FollowUpV3) -> None:
        if self.crash_after is not None and len(self.handled) >= self.crash_after:
            self.crash_after = None
            raise RuntimeError("the job died")
        self.handled.append((follow_up.id, follow_up.updated_at))


async def test_readme_sync_example_misses_nothing_and_counts_nothing_twice() -> None:
    namespace: dict[str, Any] = {}
    exec(readme_block("sync-example"), namespace)
    sync_follow_ups = namespace["sync_follow_ups"]
    clock = VirtualClock(wall_start=1_760_000_000.0)
    fake = FakeIncidentIO(seed=2, clock=clock, sample_data=SampleSizes(follow_ups=80))
    store = Store()
    async with fake.client() as client:
        everything = await client.follow_ups_v3.list(page_size=250).to_list()
        store.crash_after = 30  # the first run dies part-way; the next picks up from there
        with pytest.raises(RuntimeError):
            await sync_follow_ups(client, store)
        await sync_follow_ups(client, store)
        assert [key for key, _ in store.handled] == [f.id for f in everything]
        await sync_follow_ups(client, store)
        assert len(store.handled) == len(everything)  # nothing changed: nothing again

        changed = everything[3]
        await client.follow_ups_v3.update(changed.id, title="Renamed", status="completed")
        # A write that committed late: its updated_at is older than rows already seen, but
        # inside the overlap.
        late = fake.state.follow_ups[everything[5].id]
        late.title = "Committed late"
        newest = max(f.updated_at for f in everything)
        late.updated_us = to_micros((newest - datetime.timedelta(minutes=2)).timestamp())
        incident = next(iter(fake.state.incidents))
        created = await client.follow_ups_v3.create(incident_id=incident, title="New")

        before = len(store.handled)
        await sync_follow_ups(client, store)
        assert sorted(key for key, _ in store.handled[before:]) == sorted(
            [changed.id, late.id, created.id]
        )
        await sync_follow_ups(client, store)
        assert len(store.handled) == before + 3


async def test_readme_options_example_passes_the_options_on() -> None:
    namespace: dict[str, Any] = {}
    exec(readme_block("options-example"), namespace)
    fake = FakeIncidentIO(seed=3)
    incident_id = fake.add_incident()
    follow_up = fake.add_follow_up(incident_id, "Rotate the key")
    async with fake.client() as client:
        closed = await namespace["close"](
            client, follow_up.id, extra_headers={"X-Trace": "t1"}, max_retries=0
        )
    assert closed.status is FollowUpV3Status.COMPLETED
    assert [r.headers.get("x-trace") for r in fake.requests] == ["t1", "t1"]


async def test_readme_observability_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """The three-line OpenTelemetry setup builds a client; the hooks example's hooks run."""
    monkeypatch.setenv("INCIDENT_API_KEY", "inc_readme_example_key")
    namespace: dict[str, Any] = {}
    exec(readme_block("otel-example"), namespace)
    await namespace["client"].aclose()

    timings: list[tuple[str, float, list[str]]] = []
    written: list[str] = []

    class Statsd:
        def timing(self, name: str, value: float, tags: list[str]) -> None:
            timings.append((name, value, tags))

    class AuditLog:
        async def write(self, line: str) -> None:
            written.append(line)

    clock = VirtualClock()
    fake = FakeIncidentIO(seed=1, clock=clock)
    fake.faults.script(503, {"type": "x", "status": 503, "request_id": "r", "errors": []})
    namespace = {"IncidentIO": fake.client, "statsd": Statsd(), "audit_log": AuditLog()}
    exec(readme_block("hooks-example"), namespace)
    async with clock.running(), namespace["client"] as client:
        await client.follow_ups_v3.list(page_size=250).to_list()
    assert [tags for _, _, tags in timings] == [["status:503"], ["status:200"]]
    (line,) = written
    assert re.fullmatch(r"Follow-ups V3#List: retry in 0\.\ds \(503\)", line), line


def test_readme_ci_recipe_is_the_projects_own_workflow() -> None:
    """The workflow the README tells users to copy is the one this project runs."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"<!-- upstream-drift-workflow -->\s*```yaml\n(.*?)```\s*<!-- /upstream-drift-workflow -->",
        text,
        re.S,
    )
    assert match, "no upstream-drift-workflow block in the README"
    workflow = (ROOT / ".github" / "workflows" / "upstream-drift.yml").read_text(encoding="utf-8")
    assert match.group(1) == workflow
    for target in ("check-upstream", "refresh-specs", "generate", "test"):
        assert f"\n{target}:" in (ROOT / "Makefile").read_text(encoding="utf-8"), target


async def test_readme_webhook_test_example(
    incidentio_client: IncidentIO, fake_incidentio: FakeIncidentIO
) -> None:
    from incidentio_async.webhooks import WebhookApp

    namespace: dict[str, Any] = {"pytest": pytest, "WebhookApp": WebhookApp}
    exec(readme_block("webhook-test-example"), namespace)
    test = namespace["test_my_receiver_sees_each_follow_up_once"]
    await test(incidentio_client, fake_incidentio)
    # Each of the two events was delivered twice, the second of each pair absorbed.
    assert [a.status for a in fake_incidentio.webhooks.attempts] == [200] * 4
