"""Why a webhook delivery was refused. Messages name the check that failed and never hold the
signing secret or the signature expected."""

from __future__ import annotations

from typing import Literal

from ..errors import IncidentIOError

Check = Literal["missing_header", "malformed_header", "signature", "timestamp", "secret", "payload"]
"""Which check refused a delivery:

- ``missing_header``: ``webhook-id``, ``webhook-timestamp`` or ``webhook-signature`` is absent;
- ``malformed_header``: one is empty, given twice, not a Unix time, or has no ``v1`` signature;
- ``signature``: no signature matches the body with any of the secrets;
- ``timestamp``: the signing time is further from now than the tolerance (a replay, or a
  clock that is off);
- ``secret``: the secret given is not ``whsec_`` followed by base64 (a setup error);
- ``payload``: the signed body is not JSON, not an event envelope, or does not fit its event
  type's schema.
"""


class WebhookError(IncidentIOError):
    """A webhook delivery that cannot be accepted; ``check`` says which check refused it."""

    check: Check

    def __init__(self, message: str, *, check: Check) -> None:
        super().__init__(message)
        self.check = check


class WebhookVerificationError(WebhookError):
    """The delivery is not proven to come from incident.io now: a header is missing or
    malformed, no signature matches, the timestamp is outside the tolerance, or the secret is
    malformed."""


class WebhookPayloadError(WebhookError):
    """The delivery is signed, but its body is not JSON, not an event envelope
    (``{"event_type": T, T: payload}``), or does not fit the schema of its event type."""

    def __init__(self, message: str) -> None:
        super().__init__(message, check="payload")
