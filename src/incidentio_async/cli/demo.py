"""``incidentio-async demo``: a tour of the client against the embedded fake incident.io.

What a user's own code looks like: list follow-ups, complete one, then export every update
of a busy incident page by page while the next page is already on its way.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import TextIO

from ..models import FollowUpStatus, FollowUpV2, IncidentUpdateV2
from ..testing import FakeIncidentIO
from .commands import export_pages
from .output import Writer, columns_for, write_one
from .progress import Progress


async def run_demo(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> None:
    """Run the tour, writing to ``stdout`` (progress to ``stderr``)."""
    # A tour is read by a person: tables unless another format is asked for.
    fmt = getattr(args, "format", None) or "table"
    fake = FakeIncidentIO(seed=7, latency=args.latency_ms / 1000, record_requests=False)
    busy_incident = fake.add_incident_updates(args.updates)
    say = _Sections(stdout)

    async with fake.client() as client:
        say.heading("1. Follow-ups of the organisation")
        follow_ups = await client.follow_ups.list()
        writer = Writer(stdout, fmt, columns_for(FollowUpV2))
        writer.write_all(follow_ups)
        writer.close()

        outstanding = [f for f in follow_ups if f.status is FollowUpStatus.OUTSTANDING]
        if outstanding:
            chosen = outstanding[0]
            say.heading(f"2. Complete follow-up {chosen.id}")
            updated = await client.follow_ups.update(
                chosen.id, title=chosen.title, status="completed"
            )
            write_one(stdout, fmt, updated)
            say.line(f"status: {chosen.status} -> {updated.status}")

        destination = Path(args.output) if args.output else _temp_file()
        say.heading(f"3. Export every update of incident {busy_incident}")
        progress = Progress(stderr, noun="incident updates", enabled=True)
        started = time.monotonic()
        with destination.open("w", encoding="utf-8") as out:
            pages = client.incident_updates.list(incident_id=busy_incident, page_size=250).pages()
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
