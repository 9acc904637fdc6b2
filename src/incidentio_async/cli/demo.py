"""``incidentio-async demo``: a tour of the client against the embedded fake incident.io.

What a user's own code looks like: sync follow-ups incrementally with Follow-ups V3, post an
incident update (safe to retry: it carries an idempotency key), then export every update of a
busy incident page by page while the next page is already on its way.
"""

from __future__ import annotations

import argparse
import datetime
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from .. import IncidentIO
from ..models import FollowUpV3, IncidentUpdateV2
from ..testing import FakeIncidentIO
from .commands import export_pages
from .output import Writer, columns_for, write_one
from .progress import Progress

OVERLAP = datetime.timedelta(minutes=5)
"""How far back each sync reaches before the last one: rows can commit out of timestamp
order (the API's advice for ``updated_at[gte]``)."""


SHOWN = 8
"""Follow-ups the tour prints of the first sync (it says how many it found in all)."""


class FollowUpSync:
    """Incremental sync of follow-ups: each run asks only for what changed since the last,
    overlapping a little, and hands on each change exactly once."""

    def __init__(self) -> None:
        self.seen: dict[str, datetime.datetime] = {}
        """The ``updated_at`` of every follow-up handed on, by id."""
        self.watermark: datetime.datetime | None = None

    async def run(self, client: IncidentIO) -> list[FollowUpV3]:
        """The follow-ups created or changed since the previous run."""
        since = None if self.watermark is None else {"gte": self.watermark - OVERLAP}
        changed = []
        async for follow_up in client.follow_ups_v3.list(page_size=250, updated_at=since):
            if self.seen.get(follow_up.id) == follow_up.updated_at:
                continue  # inside the overlap, and already handed on
            self.seen[follow_up.id] = follow_up.updated_at
            changed.append(follow_up)
        self.watermark = max(self.seen.values(), default=self.watermark)
        if self.watermark is not None:
            # Older rows fall outside the next window; a change moves their updated_at.
            horizon = self.watermark - OVERLAP
            self.seen = {key: when for key, when in self.seen.items() if when >= horizon}
        return changed


async def run_demo(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> None:
    """Run the tour, writing to ``stdout`` (progress to ``stderr``)."""
    # A tour is read by a person: tables unless another format is asked for.
    fmt = getattr(args, "format", None) or "table"
    fake = FakeIncidentIO(seed=7, latency=args.latency_ms / 1000, record_requests=False)
    busy_incident = fake.add_incident_updates(args.updates)
    say = _Sections(stdout)

    async with fake.client() as client:
        say.heading("1. Sync every follow-up (Follow-ups V3, paginated)")
        sync = FollowUpSync()
        first = await sync.run(client)
        shown = first[:SHOWN]
        _table(stdout, fmt, shown)
        counted = f"{len(first)} follow-ups"
        if len(shown) < len(first):
            counted += f" (the first {len(shown)} shown)"
        say.line(f"{counted}; the next sync asks only for what changed since")

        outstanding = [f for f in first if f.status == "outstanding"]
        if outstanding:
            chosen = outstanding[0]
            say.heading(f"2. Complete follow-up {chosen.id}, then sync again")
            await client.follow_ups_v3.update(chosen.id, title=chosen.title, status="completed")
            again = await sync.run(client)
            _table(stdout, fmt, again)
            say.line(f"{len(again)} changed since the last sync: {[f.id for f in again]}")

        say.heading(f"3. Post an update to incident {busy_incident}")
        monitoring = next(s for s in fake.state.statuses.values() if s.name == "Monitoring")
        update = await client.incident_updates_v2.with_raw_response.create(
            incident_id=busy_incident,
            message="A fix is out; we're monitoring error rates.",
            to_incident_status_id=monitoring.id,
        )
        write_one(stdout, fmt, update.parse())
        say.line(
            f"idempotency key {update.idempotency_key}: a retry after a lost answer returns "
            "this same update instead of posting twice"
        )

        destination = Path(args.output) if args.output else _temp_file()
        say.heading(f"4. Export every update of incident {busy_incident}")
        progress = Progress(stderr, noun="incident updates", enabled=True)
        started = time.monotonic()
        with destination.open("w", encoding="utf-8") as out:
            pages = client.incident_updates_v2.list(
                incident_id=busy_incident, page_size=250
            ).pages()
            await export_pages(pages, Writer(out, "jsonl", columns_for(IncidentUpdateV2)), progress)
        elapsed = time.monotonic() - started
        stats = client.rate_limiter.stats
        say.line(
            f"wrote {progress.records:,} updates in {progress.pages} pages to {destination} "
            f"in {elapsed:.2f}s ({args.latency_ms:g} ms simulated latency per request)"
        )
        say.line(
            f"requests: {stats.acquired}, rate-limited: {stats.rate_limited}, "
            f"retries: {stats.retries}, admitted by the fake: {fake.key_stats().admitted}"
        )


def _table(stdout: TextIO, fmt: str, follow_ups: Iterable[FollowUpV3]) -> None:
    writer = Writer(stdout, fmt, columns_for(FollowUpV3))
    writer.write_all(follow_ups)
    writer.close()


def _temp_file() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="incidentio-demo-"))
    return directory / "incident-updates.jsonl"


class _Sections:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._first = True

    def heading(self, text: str) -> None:
        self._stream.write(("" if self._first else "\n") + f"== {text}\n")
        self._first = False

    def line(self, text: str) -> None:
        self._stream.write(text + "\n")
