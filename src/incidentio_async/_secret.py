"""A string that never shows itself: the API key, kept out of reprs, logs and tracebacks."""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Iterator

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
        yield secret.reveal()


def redact(text: str) -> str:
    """``text`` with every live secret replaced by ``[redacted]``."""
    for value in _live_values():
        if value in text:
            text = text.replace(value, REDACTED)
    return text


def redact_bytes(data: bytes) -> bytes:
    """``data`` with every live secret (as UTF-8) replaced by ``[redacted]``."""
    for value in _live_values():
        encoded = value.encode()
        if encoded in data:
            data = data.replace(encoded, REDACTED.encode())
    return data
