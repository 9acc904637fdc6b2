"""``verify``: a delivery's raw body and headers to a typed, verified event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .envelope import WebhookEvent, parse_event
from .signature import (
    DEFAULT_TOLERANCE,
    Secret,
    SigningKeys,
    Timestamp,
    body_bytes,
    check_signature,
)


def verify(
    body: bytes | str,
    headers: Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]],
    secret: Secret | SigningKeys,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: Timestamp | None = None,
) -> WebhookEvent[Any]:
    """The event of a webhook delivery, once proven to come from incident.io::

        event = verify(await request.body(), request.headers, "whsec_...")
        if events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2.matches(event):
            print(event.data.title)         # a FollowUpV2

    Args:
        body: the raw body as received (bytes; a str is taken as its UTF-8). Never a body
            parsed and encoded again: the signature is over the exact bytes.
        headers: the request's headers, any mapping (names in any case) or ``(name, value)``
            pairs. ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` are read
            (or Svix's ``svix-*`` spelling).
        secret: the endpoint's signing secret (``whsec_...``), or a list of them while one
            replaces another: a signature by any of them is accepted.
        tolerance: seconds the signing time may be from now, either way (default 300).
        now: the current time (Unix seconds or an aware datetime), for tests.

    Raises:
        WebhookVerificationError: a header is missing or malformed, no signature matches,
            the timestamp is outside the tolerance, or the secret is malformed (``.check``
            says which).
        WebhookPayloadError: the signed body is not JSON, not an event envelope, or does not
            fit its event type's schema. An event type this release does not know is not an
            error: its ``data`` is the payload's JSON.
    """
    payload = body_bytes(body)
    message = check_signature(payload, headers, secret, tolerance=tolerance, now=now)
    return parse_event(payload, message.id, message.timestamp)
