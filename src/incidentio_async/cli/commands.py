"""Run one parsed command against the API (or the embedded fake)."""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from .. import IncidentIO
from .._operation import Param
from ..errors import APIStatusError, IncidentIOError, InvalidArgumentError
from ..pagination import PageIterator
from .operations import Command
from .output import Column, Writer, columns_for, replaced_on_success, write_one
from .progress import Progress


class CommandFailed(Exception):
    """An API error that ended a command, and what to tell about the output it left."""

    def __init__(self, error: IncidentIOError, hint: str) -> None:
        super().__init__(f"{error}{hint}")
        self.error = error
        self.hint = hint


def make_client(args: argparse.Namespace) -> IncidentIO:
    """A client for the real API (key from INCIDENT_API_KEY), or for a seeded fake."""
    if getattr(args, "fake", False):
        from ..testing import FakeIncidentIO

        return FakeIncidentIO(seed=1).client()
    return IncidentIO(base_url=getattr(args, "base_url", None))


def output_format(args: argparse.Namespace, stdout: TextIO) -> str:
    """The chosen format, or a table on a terminal and JSON elsewhere (a file included)."""
    chosen: str | None = getattr(args, "format", None)
    to_terminal = stdout.isatty() and getattr(args, "output", None) is None
    return chosen or ("table" if to_terminal else "json")


@contextlib.contextmanager
def destination(args: argparse.Namespace, stdout: TextIO) -> Iterator[TextIO]:
    """Where the output goes: ``--output FILE`` (replaced only if the run succeeds), or
    stdout."""
    path: str | None = getattr(args, "output", None)
    if path is None:
        yield stdout
        return
    with replaced_on_success(Path(path)) as stream:
        yield stream


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
    columns = columns_for(operation.model, getattr(args, "columns", None))
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
        writer: Writer | None = None
        try:
            with destination(args, stdout) as stream:
                writer = Writer(stream, fmt, columns)
                await export_pages(pager.pages(), writer, progress)
        except IncidentIOError as error:
            raise CommandFailed(error, _failure_hint(error, writer, args, command)) from error
        return
    with destination(args, stdout) as stream:
        await _call(method, positional, keywords, command, fmt, columns, stream)


async def _call(
    method: Any,
    positional: list[str],
    keywords: dict[str, Any],
    command: Command,
    fmt: str,
    columns: Sequence[Column],
    stdout: TextIO,
) -> None:
    """Call an operation that does not paginate, and write its result."""
    operation = command.operation
    result = await method(*positional, **keywords)
    if isinstance(result, list):
        writer = Writer(stdout, fmt, columns)
        writer.write_all(result)
        writer.close()
    elif result is not None:
        write_one(stdout, fmt, result, columns)
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


def _failure_hint(
    error: IncidentIOError, writer: Writer | None, args: argparse.Namespace, command: Command
) -> str:
    """What a failed export left, and how to go on: after the records written (those of a
    streamed format on stdout), or from where this run started (nothing was written)."""
    # A request refused as malformed would only be refused again (a bad --after among them);
    # a revoked key, a rate limit, a server or network failure can be waited out or fixed.
    retryable = not (
        isinstance(error, APIStatusError)
        and 400 <= error.status_code < 500
        and error.status_code not in (401, 403, 408, 429)
    )
    to_stdout = getattr(args, "output", None) is None
    if writer is not None and writer.streamed and to_stdout and writer.count:
        noun = command.noun if writer.count == 1 else f"{command.noun}s"
        written = f"{writer.count:,} {noun} written"
        if error.resume_after is None or not retryable:
            return f" ({written})"
        return f" ({written}; resume with --after {error.resume_after})"
    written = "nothing written" + ("" if to_stdout else f" to {args.output}")
    if not retryable:
        return f" ({written})"
    start: str | None = getattr(args, "arg_after", None)
    again = f"run again with --after {start}" if start else "run again"
    if writer is not None and not writer.streamed and to_stdout:
        again += " (-o jsonl keeps the records that arrive)"
    return f" ({written}; {again})"


async def export_pages(pages: PageIterator[Any], writer: Writer, progress: Progress) -> None:
    """Write every record of ``pages`` as it arrives, counting pages on ``progress``. If it
    fails, what the writer held back for the end (a JSON array, a table) is dropped."""
    try:
        async with pages:
            async for page in pages:
                writer.write_all(page.items)
                progress.add_page(len(page.items))
    except BaseException:
        writer.discard()
        raise
    writer.close()
    progress.finish()
