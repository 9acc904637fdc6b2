"""A string that never shows itself: the API key, kept out of reprs, logs and tracebacks."""

from __future__ import annotations

import hashlib


class Secret:
    """Holds a secret; ``repr``/``str`` print a placeholder, :meth:`reveal` gives the value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

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
