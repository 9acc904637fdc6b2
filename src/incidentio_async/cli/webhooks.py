"""``incidentio-async webhooks``: receive deliveries locally, or sign a body for curl.

These commands are written by hand (the others come from the API's operations):

- ``webhooks listen --secret whsec_... --port 8000`` serves a :class:`WebhookApp` with uvicorn
  and prints each verified event as one JSON line on stdout (duplicates once);
- ``webhooks sign --secret whsec_... < event.json`` prints the three headers incident.io
  would send with that body (or, with ``--curl URL``, a curl command that sends it).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
import time
from typing import Any, TextIO

SECRET_ENV = "INCIDENT_WEBHOOK_SECRET"


def add_webhook_commands(groups: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``webhooks listen`` and ``webhooks sign`` to the command line."""
    group = groups.add_parser("webhooks", help="receive webhooks locally, or sign test bodies")
    group.set_defaults(command=None)
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    secret_help = (
        f"the endpoint's signing secret, whsec_... (repeat while rotating; default ${SECRET_ENV})"
    )

    listen = actions.add_parser(
        "listen",
        help="serve a webhook receiver and print each verified event as a JSON line",
        description="Serve a webhook receiver (needs uvicorn: the 'cli' extra). Each verified "
        "event is printed once as a JSON line on stdout; refused deliveries are logged on "
        "stderr.",
    )
    listen.add_argument("--secret", action="append", help=secret_help)
    listen.add_argument("--host", default="127.0.0.1", help="interface to listen on (127.0.0.1)")
    listen.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one (8000)")
    listen.add_argument(
        "--tolerance", type=float, default=300.0, help="seconds of clock skew accepted (300)"
    )

    sign = actions.add_parser(
        "sign",
        help="print the headers incident.io would send with a body (for curl tests)",
        description="Sign a body (a file, or stdin) as incident.io signs its deliveries.",
    )
    sign.add_argument("body", nargs="?", help="file holding the body (default: stdin)")
    sign.add_argument("--secret", action="append", help=secret_help)
    sign.add_argument("--id", dest="msg_id", help="the webhook-id (default: a new one)")
    sign.add_argument("--timestamp", type=int, help="Unix seconds (default: now)")
    sign.add_argument("--curl", metavar="URL", help="print a curl command POSTing it to URL")
    sign.add_argument(
        "-o", "--format", choices=("headers", "json"), default="headers", help="output format"
    )


async def run_webhooks(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Run ``webhooks listen`` or ``webhooks sign``."""
    secrets = _secrets(args)
    if args.action == "sign":
        return _sign(args, secrets, stdout)
    await _listen(args, secrets, stdout, stderr)
    return 0


def _secrets(args: argparse.Namespace) -> list[str]:
    """The secrets given, checked: a malformed one is a usage error (exit 2)."""
    from ..errors import ConfigurationError
    from ..webhooks import WebhookVerificationError
    from ..webhooks.signature import signing_keys

    secrets: list[str] = args.secret or []
    if not secrets and os.environ.get(SECRET_ENV):
        secrets = [os.environ[SECRET_ENV]]
    if not secrets:
        raise ConfigurationError(f"no webhook secret: pass --secret whsec_... or set {SECRET_ENV}")
    try:
        signing_keys(secrets)
    except WebhookVerificationError as error:
        raise ConfigurationError(str(error)) from None
    return secrets


def _sign(args: argparse.Namespace, secrets: list[str], stdout: TextIO) -> int:
    from ..webhooks import sign
    from .output import UsageError

    body = _read_body(args.body)
    msg_id = args.msg_id or f"msg_{os.urandom(12).hex()}"
    timestamp = args.timestamp if args.timestamp is not None else int(time.time())
    if timestamp < 0:
        raise UsageError(f"--timestamp must be Unix seconds (0 or more), not {timestamp}")
    try:
        headers = sign(body, secrets, msg_id=msg_id, timestamp=timestamp)
    except ValueError:
        raise UsageError("--id must be a non-empty ASCII string without whitespace") from None
    if args.curl:
        words = ["curl", "-sS", "-X", "POST", args.curl, "-H", "content-type: application/json"]
        for name, value in headers.items():
            words += ["-H", f"{name}: {value}"]
        if args.body not in (None, "-"):
            words += ["--data-binary", f"@{args.body}"]
        else:
            try:
                text = body.decode()
            except UnicodeDecodeError:
                raise UsageError(
                    "the body is not UTF-8 text, so it cannot go on a curl command line: "
                    "give it as a file (webhooks sign FILE --curl URL)"
                ) from None
            # --data-raw: a body starting with "@" is sent as it is, not read from a file.
            words += ["--data-raw", text]
        stdout.write(shlex.join(words) + "\n")
    elif args.format == "json":
        stdout.write(json.dumps(headers) + "\n")
    else:
        stdout.writelines(f"{name}: {value}\n" for name, value in headers.items())
    return 0


def _read_body(path: str | None) -> bytes:
    if path is None or path == "-":
        return sys.stdin.buffer.read()
    with open(path, "rb") as source:
        return source.read()


async def _listen(
    args: argparse.Namespace, secrets: list[str], stdout: TextIO, stderr: TextIO
) -> None:
    try:
        import uvicorn
    except ImportError:
        from ..errors import ConfigurationError

        raise ConfigurationError(
            "webhooks listen needs uvicorn: pip install 'incidentio-async[cli]'"
        ) from None
    from ..testing.server import base_url_of, bind
    from ..webhooks import WebhookApp, WebhookEvent

    async def print_event(event: WebhookEvent[Any]) -> None:
        stdout.write(json.dumps(event.to_json(), separators=(",", ":")) + "\n")
        stdout.flush()

    app = WebhookApp(secret=secrets, handler=print_event, tolerance=args.tolerance)
    refusals = logging.StreamHandler(stderr)
    refusals.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    log = logging.getLogger("incidentio_async.webhooks")
    log.addHandler(refusals)
    log.setLevel(logging.INFO)
    sock = bind(args.host, args.port)
    stderr.write(f"Listening for incident.io webhooks on {base_url_of(sock)}/ (Ctrl+C stops)\n")
    stderr.flush()
    config = uvicorn.Config(app, log_level="warning", lifespan="off")
    try:
        await uvicorn.Server(config).serve(sockets=[sock])
    finally:
        log.removeHandler(refusals)
        sock.close()
