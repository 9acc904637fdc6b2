"""``incidentio-async <resource> sync --checkpoint-file FILE``: a cron job's whole sync.

Prints every record created or changed since the checkpoint as JSON lines, and rewrites the
checkpoint file (atomically: a crash leaves the old one or the new one, never half of one)
after each page of records has been written and flushed. A run that dies part-way resumes
after the last page it wrote: delivery is at least once, never less (deduplicate downstream
on ``(id, updated_at)``).
"""

from __future__ import annotations

import argparse
import datetime
import math
from pathlib import Path
from typing import Any, TextIO

from .. import IncidentIO
from ..errors import ConfigurationError, IncidentIOError
from .commands import CommandFailed
from .output import UsageError, Writer, replaced_on_success
from .progress import Progress

MAX_OVERLAP_MINUTES = 7 * 24 * 60


def add_sync_command(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    resource: str,
    noun: str,
    common: argparse.ArgumentParser,
) -> None:
    """The ``sync`` command of ``resource`` (the client's attribute)."""
    parser = actions.add_parser(
        "sync",
        help=f"print {noun}s created or changed since the last run, as JSON lines",
        description=f"Print every {noun} created or changed since the checkpoint in "
        "--checkpoint-file as JSON lines, and update the file after each page written. "
        "The first run (no file yet) prints them all.",
        parents=[common],
    )
    parser.set_defaults(command=None, sync_resource=resource, sync_noun=noun)
    parser.add_argument(
        "--checkpoint-file",
        required=True,
        type=Path,
        metavar="FILE",
        help="where the checkpoint is kept between runs (created on the first run)",
    )
    parser.add_argument(
        "--overlap-minutes",
        type=float,
        default=5.0,
        metavar="MINUTES",
        help="how far each run looks back for changes that committed late (default 5)",
    )
    parser.add_argument(
        "--page-size", type=int, default=250, help="records per request (default 250)"
    )


async def run_sync(
    client: IncidentIO, args: argparse.Namespace, stdout: TextIO, stderr: TextIO
) -> None:
    """Run one sync: print what changed, keep the checkpoint file up to date."""
    path: Path = args.checkpoint_file
    resource: Any = getattr(client, args.sync_resource)
    minutes: float = args.overlap_minutes
    if not (math.isfinite(minutes) and 0 <= minutes <= MAX_OVERLAP_MINUTES):
        raise UsageError(
            f"--overlap-minutes must be from 0 to {MAX_OVERLAP_MINUTES} (a week), not {minutes:g}"
        )
    feed = resource.sync(
        read_checkpoint(path),
        overlap=datetime.timedelta(minutes=minutes),
        page_size=args.page_size,
    )
    progress = Progress(
        stderr,
        noun=f"changed {args.sync_noun}s",
        enabled=getattr(args, "progress", stderr.isatty()),
    )
    writer = Writer(stdout, "jsonl", ())
    try:
        async with feed.pages() as pages:
            async for page in pages:
                writer.write_all(page)
                stdout.flush()  # written out before the checkpoint says so
                write_checkpoint(path, feed.checkpoint)
                progress.add_page(len(page))
    except IncidentIOError as error:
        # Not the list's --after (sync has none): the checkpoint file is where it resumes.
        raise CommandFailed(
            error, f" (run the same command again: {path} resumes after what was printed)"
        ) from error
    write_checkpoint(path, feed.checkpoint)  # a complete run moves the window on
    progress.finish()


def read_checkpoint(path: Path) -> str | None:
    """The checkpoint kept in ``path``; None when there is none yet (a missing or empty
    file)."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the checkpoint file {path}: {exc}") from None
    return text or None


def write_checkpoint(path: Path, checkpoint: str) -> None:
    """Replace ``path`` with ``checkpoint``, atomically and durably (see
    :func:`~.output.replaced_on_success`)."""
    try:
        with replaced_on_success(path) as file:
            file.write(checkpoint + "\n")
    except OSError as exc:
        raise ConfigurationError(f"cannot write the checkpoint file {path}: {exc}") from None
