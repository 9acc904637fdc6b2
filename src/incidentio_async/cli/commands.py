"""Run one parsed command against the API (or the embedded fake)."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from .. import NOT_GIVEN, IncidentIO
from ..models import FollowUpV2, IncidentUpdateV2
from .output import Writer, columns_for, write_one
from .progress import Progress


def make_client(args: argparse.Namespace) -> IncidentIO:
    """A client for the real API (key from INCIDENT_API_KEY), or for a seeded fake."""
    if getattr(args, "fake", False):
        from ..testing import FakeIncidentIO

        return FakeIncidentIO(seed=1).client()
    return IncidentIO(base_url=getattr(args, "base_url", None))


def output_format(args: argparse.Namespace, stdout: TextIO) -> str:
    """The chosen format, or a table on a terminal and JSON elsewhere."""
    chosen: str | None = getattr(args, "format", None)
    return chosen or ("table" if stdout.isatty() else "json")


async def run_command(
    client: IncidentIO, args: argparse.Namespace, stdout: TextIO, stderr: TextIO
) -> None:
    """Carry out ``args.resource`` / ``args.action`` and write the result."""
    fmt = output_format(args, stdout)
    if args.resource == "incident-updates":
        await _export_updates(client, args, fmt, stdout, stderr)
        return
    follow_ups = client.follow_ups
    if args.action == "list":
        records = await follow_ups.list(
            incident_id=args.incident_id,
            incident_mode=args.incident_mode,
            assignee_team_id=args.assignee_team_id,
        )
        writer = Writer(stdout, fmt, columns_for(FollowUpV2))
        writer.write_all(records)
        writer.close()
    elif args.action == "get":
        write_one(stdout, fmt, await follow_ups.get(args.id))
    elif args.action == "create":
        write_one(
            stdout, fmt, await follow_ups.create(**_fields(args, incident_id=args.incident_id))
        )
    elif args.action == "update":
        fields = _fields(args)
        if args.unassign:
            fields["assignee_id"] = None
        if args.unassign_team:
            fields["assignee_team_id"] = None
        given = {name: value for name, value in fields.items() if value is not NOT_GIVEN}
        record = await follow_ups.update(args.id, status=args.status, **given)
        write_one(stdout, fmt, record)
    elif args.action == "delete":
        await follow_ups.delete(args.id)
        if fmt in ("json", "jsonl"):
            stdout.write(json.dumps({"deleted": args.id}) + "\n")
        else:
            stdout.write(f"deleted follow-up {args.id}\n")
    elif args.action == "connect":
        record = await follow_ups.connect_external_issue(
            args.id, provider=args.provider, url=args.url
        )
        write_one(stdout, fmt, record)
    else:  # pragma: no cover - argparse only allows the actions above
        raise AssertionError(args.action)


def _fields(args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    """The create/update options the user gave (others stay NOT_GIVEN / unset)."""
    names = (
        "title",
        "description",
        "assignee_id",
        "assignee_team_id",
        "follow_up_category_id",
        "follow_up_priority_option_id",
        "labels",
    )
    given: dict[str, Any] = dict(extra)
    for name in names:
        value = getattr(args, name, None)
        if value is not None:
            given[name] = value
        elif args.action == "update":
            given.setdefault(name, NOT_GIVEN)
    return given


async def _export_updates(
    client: IncidentIO, args: argparse.Namespace, fmt: str, stdout: TextIO, stderr: TextIO
) -> None:
    progress = Progress(
        stderr,
        noun="incident updates",
        total=args.limit,
        enabled=getattr(args, "progress", stderr.isatty()),
    )
    pager = client.incident_updates.list(
        incident_id=args.incident_id, page_size=args.page_size, max_items=args.limit
    )
    await export_pages(pager.pages(), Writer(stdout, fmt, columns_for(IncidentUpdateV2)), progress)


async def export_pages(pages: Any, writer: Writer, progress: Progress) -> None:
    """Write every record of ``pages`` as it arrives, counting pages on ``progress``."""
    async with pages:
        async for page in pages:
            writer.write_all(page.items)
            progress.add_page(len(page.items))
    writer.close()
    progress.finish()
