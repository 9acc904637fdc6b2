"""A string that never shows itself: the API key, kept out of reprs, logs and tracebacks."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Iterator
from typing import Any

REDACTED = "[redacted]"


class Secret:
    """Holds a secret; ``repr``/``str`` print a placeholder, :meth:`reveal` gives the value.

    Every live secret is known to :func:`redact`, so that text a server echoes back (an error
    page quoting the request's headers) never carries one into an error.
    """

    __slots__ = ("__weakref__", "_value")

    def __init__(self, value: str) -> None:
        self._value = value
        _LIVE.add(self)

    def reveal(self) -> str:
        """The secret itself: only for the Authorization header."""
        return self._value

    def fingerprint(self) -> str:
        """A short, stable, one-way digest: safe to use in cache keys and Redis key names."""
        return hashlib.sha256(self._value.encode()).hexdigest()[:16]

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("a Secret cannot be pickled")


_LIVE: weakref.WeakSet[Secret] = weakref.WeakSet()


def _live_values() -> Iterator[str]:
    for secret in list(_LIVE):
        value = secret.reveal()
        if len(value) >= MIN_REDACTED_LENGTH:
            yield value


MIN_REDACTED_LENGTH = 8
"""Shorter "keys" (a test's ``"k"``) are not searched for: replacing every ``k`` in every
message would make them unreadable, and no real API key is that short."""


def redact(text: str) -> str:
    """``text`` with every live secret replaced by ``[redacted]``."""
    for value in _live_values():
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def redact_json(value: Any) -> Any:
    """A decoded JSON value with every live secret in its strings (keys included) replaced:
    a server can echo the key with JSON escapes (``\\u0073\\u006b...``), which only
    decoding reveals."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    if isinstance(value, dict):
        return {redact(key): redact_json(item) for key, item in value.items()}
    return value


def redact_chain(error: BaseException) -> None:
    """Redact, in place, the arguments of ``error`` and of every exception it chains to
    (``__cause__``, ``__context__``): a traceback prints them all, and a protocol error deep
    in httpcore can quote what the server sent, an echoed key included."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in current.args)
        # Attributes too: json.JSONDecodeError keeps the whole body in ``doc``, the models'
        # ModelParseError the refused value in ``reason``.
        for name, value in list(getattr(current, "__dict__", {}).items()):
            if isinstance(value, str):
                setattr(current, name, redact(value))
        pending += [current.__cause__, current.__context__]


def redact_bytes(data: bytes) -> bytes:
    """``data`` with every live secret (as UTF-8) replaced by ``[redacted]``."""
    for value in _live_values():
        encoded = value.encode()
        if encoded in data:
            data = data.replace(encoded, REDACTED.encode())
    return data
