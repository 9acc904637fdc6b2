"""Webhook verification cost per typical event, beside the Standard Webhooks reference package.

A typical event is a ``public_incident.follow_up_updated_v2`` delivery: a follow-up of a few
labels, an assignee and a priority, about 1.2 kB. Contenders, each timed on fresh deliveries
(new id and timestamp, so nothing is cached between them):

- ``verify``: our whole check, the signature and the time window, JSON, and the payload's
  model (``FollowUpV2``), from the secret as a string (as users call it);
- ``signature only``: our signature and time check, no JSON (``check_signature``);
- ``standardwebhooks``: the reference's ``Webhook(secret).verify``, signature and JSON
  (no model), its ``Webhook`` built once;
- ``WebhookApp``: one delivery through the ASGI receiver, in-memory deduplication and a
  handler that does nothing (no HTTP server: the app's own cost).

Run alone: ``python scripts/bench.py --only webhooks`` (it updates BENCHMARKS.md's webhook
section). ``make bench`` runs it with the rest.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from collections.abc import Callable
from typing import Any

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
EVENT_TYPE = "public_incident.follow_up_updated_v2"
TARGET_US = 1000.0
"""``verify`` must take well under a millisecond per typical event (issue 19)."""

PAYLOAD: dict[str, Any] = {
    "id": "01JH8Z4A6Q1N6W3Y0F9T2B7C5D",
    "incident_id": "01JH8YZX2K9M4P7R1S3T5V8W0X",
    "title": "Add alerting on replica lag",
    "description": "The replica fell 40 minutes behind before anyone noticed; page on 5.",
    "status": "completed",
    "labels": ["monitoring", "database", "postmortem"],
    "creator": {
        "user": {
            "id": "01FCNDV6P870EA6S7TK1DSYDG0",
            "name": "Lisa Karlin Curtis",
            "email": "lisa@incident.io",
            "role": "owner",
            "slack_user_id": "U02AYNF2XJM",
        }
    },
    "assignee": {
        "id": "01FCNDV6P870EA6S7TK1DSYDG1",
        "name": "Sam Okafor",
        "email": "sam@example.com",
        "role": "responder",
        "slack_user_id": "U02AYNF2XJN",
    },
    "assignee_team": {"id": "01JH8YZX2K9M4P7R1S3T5V8W0Y", "name": "Storage"},
    "priority": {
        "id": "01GNW4BAQ7XRMFF6FHKNXDFPRW",
        "name": "Urgent",
        "rank": 10,
        "description": "A follow-up that requires immediate attention.",
    },
    "external_issue_reference": {
        "provider": "linear",
        "issue_name": "ENG-1609",
        "issue_permalink": "https://linear.app/acme/issue/ENG-1609/add-alerting-on-replica-lag",
    },
    "created_at": "2026-11-02T09:14:03.118221Z",
    "updated_at": "2026-11-03T16:40:51.002813Z",
    "completed_at": "2026-11-03T16:40:51.002813Z",
}

BODY = json.dumps({"event_type": EVENT_TYPE, EVENT_TYPE: PAYLOAD}, separators=(",", ":")).encode()


def _deliveries(count: int) -> list[dict[str, str]]:
    """Headers of ``count`` fresh deliveries of the body, signed now."""
    from incidentio_async.webhooks import sign

    now = time.time()
    return [sign(BODY, SECRET, msg_id=f"msg_{n:08d}", timestamp=now) for n in range(count)]


def _contenders() -> dict[str, Callable[[dict[str, str]], object]]:
    import standardwebhooks

    from incidentio_async.webhooks import WebhookApp, verify
    from incidentio_async.webhooks.signature import check_signature

    reference = standardwebhooks.Webhook(SECRET)

    async def nothing(event: Any) -> None:
        return None

    app = WebhookApp(secret=SECRET, handler=nothing)
    loop = asyncio.new_event_loop()

    def through_app(headers: dict[str, str]) -> object:
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        }
        sent: list[Any] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": BODY, "more_body": False}

        async def send(message: Any) -> None:
            sent.append(message)

        loop.run_until_complete(app(scope, receive, send))
        if sent[0]["status"] != 200:
            raise RuntimeError(f"the app answered {sent[0]['status']}")
        return sent

    return {
        "verify": lambda headers: verify(BODY, headers, SECRET),
        "signature only": lambda headers: check_signature(BODY, headers, SECRET),
        "standardwebhooks": lambda headers: reference.verify(BODY, headers),
        "WebhookApp": through_app,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Best-of-rounds microseconds per event for each contender, interleaved."""
    rounds, per_round = (3, 500) if quick else (9, 2000)
    contenders = _contenders()
    # Every contender once, untimed: imports (the payload model's among them) are not measured.
    for check in contenders.values():
        check(_deliveries(1)[0])
    best = {name: float("inf") for name in contenders}
    for _ in range(rounds):
        for name, check in contenders.items():
            deliveries = _deliveries(per_round)
            gc.collect()
            started = time.perf_counter()
            for headers in deliveries:
                check(headers)
            elapsed = (time.perf_counter() - started) / per_round * 1e6
            best[name] = min(best[name], elapsed)
    print("webhooks (us/event):", {k: round(v, 1) for k, v in best.items()}, flush=True)
    return {
        "us_per_event": best,
        "body_bytes": len(BODY),
        "event_type": EVENT_TYPE,
        "rounds": rounds,
        "per_round": per_round,
        "target_us": TARGET_US,
    }
