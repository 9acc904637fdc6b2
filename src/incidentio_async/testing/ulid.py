"""ULIDs like the API's: 26 Crockford base32 characters, time-ordered, deterministic here.

A ULID is 128 bits: a 48-bit Unix timestamp in milliseconds followed by 80 random bits, written
most significant first so that sorting the strings sorts by time. The fake draws the random
bits from a seeded generator, so the same seed yields the same IDs.
"""

from __future__ import annotations

import random

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O or U, so IDs cannot be misread or spell words."""

_DECODE = {char: value for value, char in enumerate(ALPHABET)}
# Two characters (10 bits) at a time: half the loop iterations of a per-character encoder,
# which matters when a benchmark loads 100,000 records.
_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]
_RANDOM_BITS = 80
_TIMESTAMP_MAX = (1 << 48) - 1


def encode(value: int) -> str:
    """The 26-character form of a 128-bit integer."""
    if not 0 <= value < 1 << 128:
        raise ValueError("a ULID is a 128-bit unsigned integer")
    # 26 characters hold 130 bits: the leading 2 bits are zero, so the first char is 0-7.
    pairs = []
    for _ in range(13):
        pairs.append(_PAIRS[value & 0x3FF])
        value >>= 10
    return "".join(reversed(pairs))


def decode(text: str) -> int:
    """The integer a ULID string stands for (case-insensitive)."""
    if len(text) != 26:
        raise ValueError(f"a ULID has 26 characters, not {len(text)}")
    value = 0
    for char in text.upper():
        try:
            value = (value << 5) | _DECODE[char]
        except KeyError:
            raise ValueError(f"{char!r} is not a Crockford base32 character") from None
    if value >> 128:
        raise ValueError("ULID out of range")
    return value


def timestamp_ms(text: str) -> int:
    """The millisecond Unix timestamp a ULID was made at."""
    return decode(text) >> _RANDOM_BITS


def is_ulid(text: str) -> bool:
    """Whether ``text`` is a well-formed ULID."""
    try:
        decode(text)
    except ValueError:
        return False
    return True


class UlidGenerator:
    """Makes strictly increasing ULIDs from a seeded random source.

    Like the "monotonic" ULID variant: an ID made in the same millisecond as (or, if time went
    backwards, earlier than) the previous one reuses that millisecond and increments the
    random part, so creation order and string order always agree.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._last = -1

    @property
    def last(self) -> str | None:
        """The most recent ID made, if any."""
        return encode(self._last) if self._last >= 0 else None

    def new(self, at_ms: int) -> str:
        """A new ULID for the millisecond ``at_ms``, greater than every earlier one."""
        at_ms = min(max(at_ms, 0), _TIMESTAMP_MAX)
        if at_ms > self.last_ms:
            # Leave headroom below the 80-bit maximum for same-millisecond increments.
            value = (at_ms << _RANDOM_BITS) | self._rng.getrandbits(_RANDOM_BITS - 1)
        else:
            # A carry out of the random part moves the timestamp on by a millisecond, which
            # keeps the order; it cannot happen in practice (2**79 IDs in one millisecond).
            value = self._last + 1 + self._rng.getrandbits(16)
        self._last = value
        return encode(value)

    @property
    def last_ms(self) -> int:
        """The millisecond timestamp of the most recent ID (-1 before the first)."""
        return self._last >> _RANDOM_BITS if self._last >= 0 else -1
