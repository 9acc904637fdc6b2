"""``python -m incidentio_async.testing``: serve a seeded fake incident.io API over HTTP.

Prints the base URL and the (fake) API key to use, then serves until Ctrl+C. Needs uvicorn
(``pip install 'incidentio-async[server]'``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from incidentio_api.resources import TAGS
from incidentio_async.testing.app import FakeIncidentIO
from incidentio_async.testing.samples import add_clustered_follow_ups
from incidentio_async.testing.server import SERVER_EXTRA_HINT, base_url_of, bind, serve
from incidentio_async.webhooks.errors import WebhookVerificationError


def endpoint_limit(text: str) -> tuple[str, tuple[float, float]]:
    """``OPERATION=CAPACITY/RATE`` as (operation id, (capacity, refill rate))."""
    operation, sep, limit = text.rpartition("=")
    capacity, slash, rate = limit.partition("/")
    try:
        if not sep or not slash or not operation:
            raise ValueError
        number = float(capacity)
        value = (int(number) if number.is_integer() else number, float(rate))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected OPERATION=CAPACITY/RATE (e.g. 'Follow-ups V3#ConnectExternalIssue=2/0.2'),"
            f" not {text!r}"
        ) from None
    return operation.strip(), value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    # The tags the fake serves are those it routes: every operation of the vendored specs.
    served = ", ".join(tag for _, tag, _ in TAGS)
    p = argparse.ArgumentParser(
        prog="python -m incidentio_async.testing",
        description=f"Serve a stateful fake of the incident.io API ({served}) for demos, "
        "benchmarks and tests.",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port; 0 picks a free one (8080)")
    p.add_argument("--seed", type=int, default=0, help="seed of the data, IDs and faults (0)")
    p.add_argument(
        "--sample-data",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add sample incidents, users, teams, follow-ups and updates (on)",
    )
    p.add_argument(
        "--incident-updates",
        type=int,
        default=0,
        metavar="N",
        help="add an incident with N more incident updates (for benchmarks)",
    )
    p.add_argument(
        "--follow-ups",
        type=int,
        default=0,
        metavar="N",
        help="add N more follow-ups, created in bursts over the last 400 days, more of them "
        "lately (for benchmarks of partitioned exports)",
    )
    p.add_argument("--latency-ms", type=float, default=0.0, help="added latency per request (0)")
    p.add_argument(
        "--error-rate", type=float, default=0.0, help="fraction of requests answered 5xx (0)"
    )
    p.add_argument("--capacity", type=int, default=1200, help="rate-limit bucket size (1200)")
    p.add_argument(
        "--refill-rate", type=float, default=20.0, help="rate-limit tokens per second (20)"
    )
    p.add_argument(
        "--endpoint-limit",
        action="append",
        type=endpoint_limit,
        default=[],
        metavar="OPERATION=CAPACITY/RATE",
        help="a lower limit of its own for one operation, per key, e.g. "
        "'Follow-ups V3#ConnectExternalIssue=2/0.2' (repeatable; default: none)",
    )
    p.add_argument("--no-rate-limit", action="store_true", help="turn rate limiting off")
    p.add_argument(
        "--api-key",
        action="append",
        metavar="KEY",
        help="a key to accept (repeatable; default: a built-in fake key)",
    )
    p.add_argument(
        "--retry-after-format",
        choices=("rfc3339", "http-date"),
        default="rfc3339",
        help="how 429 bodies write rate_limit.retry_after (rfc3339)",
    )
    p.add_argument(
        "--webhook",
        action="append",
        metavar="URL",
        help="deliver signed webhook events of the changes made to this URL (repeatable)",
    )
    p.add_argument(
        "--webhook-secret",
        metavar="SECRET",
        help="the whsec_... secret deliveries are signed with (default: a new one, printed)",
    )
    p.add_argument("--log-level", default="warning", help="uvicorn's log level (warning)")
    p.add_argument("--access-log", action="store_true", help="log every request")
    return p


def build_fake(args: argparse.Namespace) -> FakeIncidentIO:
    """The fake the command line describes (ValueError for limits it cannot have)."""
    return FakeIncidentIO(
        seed=args.seed,
        sample_data=args.sample_data,
        api_keys=args.api_key,
        rate_limit=not args.no_rate_limit,
        capacity=args.capacity,
        refill_rate=args.refill_rate,
        retry_after_format=args.retry_after_format,
        endpoint_limits=dict(args.endpoint_limit),
        latency=args.latency_ms / 1000,
        error_rate=args.error_rate,
        drop_mode="abort",
        # A server may run for hours: keeping every request would only grow its memory.
        record_requests=False,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        import uvicorn  # noqa: F401  (fail before building data when it is missing)
    except ImportError:
        print(SERVER_EXTRA_HINT, file=sys.stderr)
        return 2
    try:
        fake = build_fake(args)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for url in args.webhook or ():
        try:
            endpoint = fake.add_webhook_endpoint(url, args.webhook_secret)
        except (ValueError, WebhookVerificationError) as exc:
            print(f"--webhook {url}: {exc}", file=sys.stderr)
            return 2
        print(f"Webhooks: {url} (secret {endpoint.secret})")
    incident_id = None
    if args.incident_updates > 0:
        incident_id = fake.add_incident_updates(args.incident_updates)
    if args.follow_ups > 0:
        add_clustered_follow_ups(fake.state, args.follow_ups, end=time.time(), seed=args.seed)
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    # The socket already listens, so clients may connect as soon as they read this.
    print(f"Fake incident.io API (seed {args.seed})")
    print(f"Base URL: {base_url_of(sock)}")
    print(f"API key: {fake.api_key}  (a fake key: only this server accepts it)")
    if incident_id is not None:
        print(f"Incident with {args.incident_updates} updates: {incident_id}")
    if fake.limits.enabled:
        print(
            f"Rate limit: {fake.limits.capacity} requests per key, "
            f"refilled at {fake.limits.refill_rate:g}/s"
        )
        for operation, (capacity, rate) in fake.limits.endpoint_limits.items():
            print(f"  and {operation}: {capacity:g} requests per key, refilled at {rate:g}/s")
    print("Press Ctrl+C to stop.", flush=True)
    serve(fake, sock, log_level=args.log_level, access_log=args.access_log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
