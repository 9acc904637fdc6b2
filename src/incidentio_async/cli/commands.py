"""Run one parsed command against the API (or the embedded fake)."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from .. import IncidentIO
from .._operation import Param
from ..errors import InvalidArgumentError
from ..pagination import PageIterator
from .operations import Command
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
    """Call the operation of ``args.command`` with the arguments given, and write the result."""
    if getattr(args, "sync_resource", None):
        from .sync import run_sync

        await run_sync(client, args, stdout, stderr)
        return
    command: Command = args.command
    operation = command.operation
    fmt = output_format(args, stdout)
    method = getattr(getattr(client, command.resource), operation.name)
    positional = [getattr(args, f"arg_{p.name}") for p in operation.path_params]
    keywords = _keywords(args, operation.params)
    columns = columns_for(operation.model)
    if operation.pagination is not None:
        if operation.partition_by is not None:
            keywords["concurrency"] = args.concurrency
        pager = method(*positional, max_items=args.max_items, **keywords)
        progress = Progress(
            stderr,
            noun=f"{command.noun}s",
            total=args.max_items,
            enabled=getattr(args, "progress", stderr.isatty()),
        )
        await export_pages(pager.pages(), Writer(stdout, fmt, columns), progress)
        return
    result = await method(*positional, **keywords)
    if isinstance(result, list):
        writer = Writer(stdout, fmt, columns)
        writer.write_all(result)
        writer.close()
    elif result is not None:
        write_one(stdout, fmt, result)
    else:
        subject = " ".join(positional)
        if fmt in ("json", "jsonl"):
            stdout.write(json.dumps({_past(operation.method): subject}) + "\n")
        else:
            stdout.write(f"{_past(operation.method)} {command.noun} {subject}\n")


def _keywords(args: argparse.Namespace, params: tuple[Param, ...]) -> dict[str, Any]:
    """The keyword arguments given on the command line (those left out are not passed)."""
    keywords: dict[str, Any] = {}
    for param in params:
        if param.location == "path":
            continue
        if getattr(args, f"clear_{param.name}", False):
            keywords[param.name] = None  # a nullable argument: None sends null
            continue
        if param.kind == "filter":
            value = _filter(args, param)
        else:
            value = getattr(args, f"arg_{param.name}", None)
        if value is not None:
            keywords[param.name] = value
    return keywords


def _filter(args: argparse.Namespace, param: Param) -> dict[str, str] | None:
    operators: dict[str, str] = {}
    for item in getattr(args, f"arg_{param.name}", None) or []:
        operator, equals, operand = item.partition("=")
        if not equals:
            raise InvalidArgumentError(f"--{param.name} takes OP=VALUE, not {item!r}")
        operators[operator] = operand
    for operator in param.operators:
        shortcut = getattr(args, f"arg_{param.name}__{operator}", None)
        if shortcut is not None:
            operators[operator] = shortcut
    return operators or None


def _past(method: str) -> str:
    return {"DELETE": "deleted"}.get(method, "done")


async def export_pages(pages: PageIterator[Any], writer: Writer, progress: Progress) -> None:
    """Write every record of ``pages`` as it arrives, counting pages on ``progress``."""
    async with pages:
        async for page in pages:
            writer.write_all(page.items)
            progress.add_page(len(page.items))
    writer.close()
    progress.finish()
