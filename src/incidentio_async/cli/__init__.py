"""The ``incidentio-async`` command (also ``python -m incidentio_async``)."""

from __future__ import annotations

import sys
import warnings
from typing import TextIO

import anyio

from .._deprecation import IncidentIODeprecationWarning
from .._printable import one_line
from ..errors import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    IncidentIOError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)
from .commands import CommandFailed, make_client, run_command
from .output import UsageError
from .parser import build_parser

EXIT_CODES: tuple[tuple[type[IncidentIOError], int], ...] = (
    (ConfigurationError, 2),
    (AuthenticationError, 3),
    (PermissionDeniedError, 3),
    (NotFoundError, 4),
    (UnprocessableEntityError, 5),
    (BadRequestError, 5),
    (InvalidArgumentError, 5),
    (RateLimitError, 6),
    (APIConnectionError, 7),
    (IncidentIOError, 1),
)


def exit_code(error: IncidentIOError) -> int:
    """The documented exit code for an error."""
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code. Failures print one line, no traceback."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        return anyio.run(_run, args, stdout, stderr)
    except CommandFailed as failed:
        # What failed, and what the output holds: where to resume, or that nothing was written.
        stderr.write(f"incidentio-async: error: {failed}\n")
        return exit_code(failed.error)
    except UsageError as error:
        stderr.write(f"incidentio-async: error: {error}\n")
        return 2
    except IncidentIOError as error:
        hint = ""
        # Not after a refusal of the request itself (a bad --after among them): resuming
        # would only be refused again.
        refused = (
            isinstance(error, APIStatusError)
            and 400 <= error.status_code < 500
            and error.status_code != 429
        )
        if error.resume_after is not None and not refused:
            hint = f" (resume with --after {error.resume_after})"
        # Messages quote the server (and the cursor is the server's): one printable line.
        stderr.write(f"incidentio-async: error: {one_line(f'{error}{hint}')}\n")
        return exit_code(error)
    except KeyboardInterrupt:
        stderr.write("incidentio-async: interrupted\n")
        return 130
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


async def _run(args: object, stdout: TextIO, stderr: TextIO) -> int:
    import argparse

    assert isinstance(args, argparse.Namespace)
    with warnings.catch_warnings():
        # Deprecations are for the code calling the library; this command is kept current.
        warnings.simplefilter("ignore", IncidentIODeprecationWarning)
        if args.resource == "demo":
            from .demo import run_demo

            await run_demo(args, stdout, stderr)
            return 0
        if args.resource == "webhooks":
            from .webhooks import run_webhooks

            return await run_webhooks(args, stdout, stderr)
        async with make_client(args) as client:
            await run_command(client, args, stdout, stderr)
    return 0
