"""Standard Webhooks signatures, as incident.io (through Svix) sends them: no I/O, no JSON.

A delivery carries ``webhook-id``, ``webhook-timestamp`` (Unix seconds) and
``webhook-signature``: space-separated ``v1,<base64>`` entries, each the HMAC-SHA256 of
``"{id}.{timestamp}.{body}"`` keyed by the base64-decoded secret (``whsec_<base64>``). Svix's
own spelling of the headers (``svix-id``, ...) is accepted too. Comparisons are constant-time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .errors import WebhookVerificationError

SECRET_PREFIX = "whsec_"
MIN_KEY_BYTES = 16
"""Shorter keys are refused: incident.io's (Svix's) are 24 bytes, and a key of a few bytes is
more likely a wrong value that happens to be base64 than a secret."""
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE = 300.0
"""Seconds a signing time may be from now, either way (Standard Webhooks' five minutes)."""

ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
_ALIASES = {"svix-id": ID_HEADER, "svix-timestamp": TIMESTAMP_HEADER}
_SIGNATURE_ALIAS = "svix-signature"
_MAX_TIMESTAMP_DIGITS = 12
_SHOWN = 40

Secret = str | Sequence[str]
"""One signing secret, or several while one replaces another (any of them verifies)."""

Timestamp = int | float | datetime
"""Unix seconds, or an aware ``datetime``."""


@dataclass(frozen=True, slots=True)
class SigningKeys:
    """The keys of one or more secrets, decoded once (their repr shows none of them)."""

    keys: tuple[bytes, ...]

    def __repr__(self) -> str:
        return f"<SigningKeys: {len(self.keys)}>"


@dataclass(frozen=True, slots=True)
class SignedMessage:
    """What the headers of a delivery say once its signature has been checked."""

    id: str
    timestamp: int
    """Unix seconds."""


def signing_keys(secret: Secret | SigningKeys) -> SigningKeys:
    """The keys of ``secret``: ``whsec_`` and base64 (the prefix may be left out).

    Raises :class:`WebhookVerificationError` (``check="secret"``) naming which secret is
    malformed, never quoting it.
    """
    if isinstance(secret, SigningKeys):
        return secret
    secrets = [secret] if isinstance(secret, str) else secret
    if not isinstance(secrets, Sequence) or isinstance(secrets, bytes | bytearray):
        raise WebhookVerificationError(
            f"secret must be a string or a list of strings, not {type(secret).__name__}",
            check="secret",
        )
    if not secrets:
        raise WebhookVerificationError("no webhook secret given", check="secret")
    keys = []
    for number, value in enumerate(secrets, start=1):
        which = "the secret" if len(secrets) == 1 else f"secret {number} of {len(secrets)}"
        if not isinstance(value, str):
            raise WebhookVerificationError(
                f"{which} is a {type(value).__name__}, not a string", check="secret"
            )
        keys.append(_decode_secret(value.strip(), which))
    return SigningKeys(tuple(keys))


def _decode_secret(value: str, which: str) -> bytes:
    encoded = value.removeprefix(SECRET_PREFIX)
    try:
        # Svix writes the key padded; be lenient with a copy that lost its "=".
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            f"{which} is not '{SECRET_PREFIX}' followed by base64 (copy it from the endpoint's "
            "page in incident.io's webhook settings)",
            check="secret",
        ) from None
    if len(key) < MIN_KEY_BYTES:
        raise WebhookVerificationError(
            f"{which} holds a key of {len(key)} bytes, fewer than {MIN_KEY_BYTES}: not a "
            "webhook signing secret",
            check="secret",
        )
    return key


def sign(
    body: bytes | str,
    secret: Secret,
    *,
    msg_id: str,
    timestamp: Timestamp,
) -> dict[str, str]:
    """The three headers incident.io would send with ``body``, for tests and local tools::

        headers = sign(body, "whsec_...", msg_id="msg_1", timestamp=time.time())

    With several secrets, ``webhook-signature`` carries a signature by each (as during a
    rotation). A ``timestamp`` with a fraction is rounded down to the second.
    """
    keys = signing_keys(secret)
    payload = body_bytes(body)
    if not isinstance(msg_id, str) or not msg_id or _unsafe_header(msg_id):
        raise ValueError("msg_id must be a non-empty string without whitespace")
    seconds = str(math.floor(_seconds(timestamp, "timestamp")))
    return {
        ID_HEADER: msg_id,
        TIMESTAMP_HEADER: seconds,
        SIGNATURE_HEADER: " ".join(
            f"{SIGNATURE_VERSION},{_signature(key, msg_id, seconds, payload)}" for key in keys.keys
        ),
    }


def check_signature(
    body: bytes,
    headers: Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]],
    secret: Secret | SigningKeys,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: Timestamp | None = None,
) -> SignedMessage:
    """Check that ``body`` was signed by one of the secrets, within ``tolerance`` seconds of
    ``now``; the message's id and time. Raises :class:`WebhookVerificationError`.

    ``headers`` is any mapping (names in any case) or a sequence of ``(name, value)`` pairs,
    such as ASGI's.
    """
    keys = signing_keys(secret)
    if (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, int | float)
        or math.isnan(tolerance)
        or tolerance < 0
    ):
        raise ValueError(f"tolerance must be a number of seconds >= 0, not {tolerance!r}")
    msg_id, raw_timestamp, signatures = _read_headers(headers)
    timestamp = _parse_timestamp(raw_timestamp)
    given = _v1_signatures(signatures)
    # Every key against every entry, so that the time taken does not say which one matched.
    matched = False
    for key in keys.keys:
        expected = _signature(key, msg_id, raw_timestamp, body).encode()
        for candidate in given:
            matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise WebhookVerificationError(
            "no signature in webhook-signature matches the body: wrong secret, or the body "
            "was changed (verify the raw bytes received, before any JSON parsing)",
            check="signature",
        )
    skew = (time.time() if now is None else _seconds(now, "now")) - timestamp
    if abs(skew) > tolerance:
        raise WebhookVerificationError(
            f"webhook-timestamp is {abs(skew):.0f}s {'old' if skew > 0 else 'in the future'}, "
            f"beyond the tolerance of {tolerance:g}s (a replayed delivery, or a clock that is off)",
            check="timestamp",
        )
    return SignedMessage(msg_id, timestamp)


def body_bytes(body: object) -> bytes:
    """The body as signed: bytes as they are, a str as its UTF-8."""
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    raise TypeError(f"the body must be bytes or str, not {type(body).__name__}")


def _signature(key: bytes, msg_id: str, timestamp: str, body: bytes) -> str:
    # The timestamp as the header wrote it: that text is what was signed.
    signed = b"%s.%s.%s" % (msg_id.encode(), timestamp.encode(), body)
    return base64.b64encode(hmac.digest(key, signed, hashlib.sha256)).decode()


def _read_headers(
    headers: Mapping[str, str] | Iterable[tuple[str | bytes, str | bytes]],
) -> tuple[str, str, str]:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    found: dict[str, str] = {}
    signatures: list[str] = []
    aliases: dict[str, str] = {}
    alias_signatures: list[str] = []
    for raw_name, raw_value in pairs:
        name = _text(raw_name).lower()
        if name == SIGNATURE_HEADER:
            signatures.append(_text(raw_value))
        elif name == _SIGNATURE_ALIAS:
            alias_signatures.append(_text(raw_value))
        elif name in (ID_HEADER, TIMESTAMP_HEADER) or name in _ALIASES:
            target = found if name in (ID_HEADER, TIMESTAMP_HEADER) else aliases
            key = _ALIASES.get(name, name)
            value = _text(raw_value).strip()
            if key in target and target[key] != value:
                raise WebhookVerificationError(
                    f"header {name} is given twice, with different values",
                    check="malformed_header",
                )
            target[key] = value
    if ID_HEADER not in found and TIMESTAMP_HEADER not in found and not signatures:
        # Only Svix's spelling (or nothing at all).
        found, signatures = aliases, alias_signatures
    for name, present in (
        (ID_HEADER, ID_HEADER in found),
        (TIMESTAMP_HEADER, TIMESTAMP_HEADER in found),
        (SIGNATURE_HEADER, bool(signatures)),
    ):
        if not present:
            raise WebhookVerificationError(
                f"missing header {name} (is this a webhook delivery from incident.io?)",
                check="missing_header",
            )
    msg_id = found[ID_HEADER]
    if not msg_id:
        raise WebhookVerificationError(f"header {ID_HEADER} is empty", check="malformed_header")
    return msg_id, found[TIMESTAMP_HEADER], " ".join(signatures)


def _parse_timestamp(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit() and len(raw) <= _MAX_TIMESTAMP_DIGITS):
        shown = raw if len(raw) <= _SHOWN else raw[: _SHOWN - 1] + "…"
        raise WebhookVerificationError(
            f"header {TIMESTAMP_HEADER} is not a Unix time in seconds: {shown!r}",
            check="malformed_header",
        )
    return int(raw)


def _v1_signatures(header: str) -> list[bytes]:
    found = []
    for entry in header.split():
        version, comma, value = entry.partition(",")
        if comma and version == SIGNATURE_VERSION and value.isascii():
            found.append(value.encode())
    if not found:
        raise WebhookVerificationError(
            f"header {SIGNATURE_HEADER} has no '{SIGNATURE_VERSION},<signature>' entry",
            check="malformed_header",
        )
    return found


def _seconds(value: object, name: str) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{name} must be a timezone-aware datetime (or Unix seconds)")
        seconds = value.timestamp()
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value)
    else:
        raise TypeError(f"{name} must be Unix seconds or an aware datetime, not {value!r}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{name} must be a finite time after 1970, not {value!r}")
    return seconds


def _text(value: str | bytes) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def _unsafe_header(value: str) -> bool:
    return not value.isascii() or any(char.isspace() or ord(char) < 0x20 for char in value)
