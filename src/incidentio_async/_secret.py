"""A string that never shows itself (the API key), and the one matcher that finds it again.

A server or proxy can echo the key back in many spellings: in the clear, JSON-escaped in whole
or in part (``\\u0069nc_...``, ``\\/``), percent-encoded, in a body encoded as UTF-8, UTF-16
or UTF-32 (all of which ``json.loads`` reads), and a library can quote such bytes through
``repr`` (``i\\x00n\\x00c\\x00``). Every spelling of every live key is one regular expression
per form, built once per set of keys: :func:`redact` for text, :func:`redact_bytes` for bytes,
:func:`redact_json` for decoded JSON. They scan without recursion, so no input can make them
raise, and they run only on errors and log records, never on a successful response.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Callable
from functools import lru_cache
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
        _live_changed()
        weakref.finalize(self, _live_changed)

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

_generation = object()
"""Replaced whenever a secret is created or dies: the matcher in use is rebuilt only then.
A fresh object, not a count: a count is read, then written back one higher, and a thread
switched out in between would write back an old number, matching a matcher built before
a secret born meanwhile (which would then never be redacted). Replacing is one write."""


def _live_changed() -> None:
    global _generation
    _generation = object()


MIN_REDACTED_LENGTH = 8
"""Shorter "keys" (a test's ``"k"``) are not searched for: replacing every ``k`` in every
message would make them unreadable, and no real API key is that short."""


def _live_values() -> frozenset[str]:
    return frozenset(
        value
        for value in (secret.reveal() for secret in list(_LIVE))
        if len(value) >= MIN_REDACTED_LENGTH
    )


# -- spellings ---------------------------------------------------------------------------------
#
# A spelling of one character is a sequence of positions, each a string of the characters
# allowed there (``"aA"``: a hex digit in either case). A key is matched by any spelling of
# each of its characters in turn, so partly escaped echoes match too.

_SHORT_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "\b": "b", "\f": "f", "\n": "n", "\r": "r"}
_SHORT_ESCAPES["\t"] = "t"

WIDE_ENCODINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
"""The encodings ``json.loads`` detects besides UTF-8 (a BOM only adds bytes before them)."""


def _hex(number: int, width: int) -> list[str]:
    return [digit + digit.upper() if digit.isalpha() else digit for digit in f"{number:0{width}x}"]


def _spellings(char: str) -> list[list[str]]:
    """Every way JSON or a URL can write ``char``."""
    spellings = [[char]]
    code = ord(char)
    units = (
        [code] if code < 0x10000 else [0xD800 + ((code - 0x10000) >> 10), 0xDC00 + (code & 0x3FF)]
    )
    spellings.append([position for unit in units for position in ["\\", "u", *_hex(unit, 4)]])
    if char in _SHORT_ESCAPES:
        spellings.append(["\\", _SHORT_ESCAPES[char]])
    spellings.append(
        [
            position
            for byte in char.encode("utf-8", "surrogatepass")
            for position in ["%", *_hex(byte, 2)]
        ]
    )
    return spellings


Form = Callable[[str], str]
"""How one character of a spelling appears in what is searched: as itself, as its bytes in an
encoding (latin-1 text standing for bytes), or as ``repr`` shows those bytes."""


def _pattern(keys: frozenset[str], form: Form) -> str:
    """A pattern matching every spelling of every key, each character written by ``form``."""

    def position(chars: str) -> str:
        options = sorted({re.escape(form(char)) for char in chars})
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    def character(char: str) -> str:
        spellings = ["".join(position(p) for p in spelling) for spelling in _spellings(char)]
        return "(?:" + "|".join(spellings) + ")"

    return "|".join("".join(character(char) for char in key) for key in sorted(keys))


def _encoded(encoding: str) -> Form:
    """A character as its bytes in ``encoding`` (latin-1 text, one character a byte)."""
    return lambda char: char.encode(encoding, "surrogatepass").decode("latin-1")


def _quoted(encoding: str) -> Form:
    """A character as ``repr`` shows it once encoded in ``encoding`` (``i\\x00``)."""
    return lambda char: repr(char.encode(encoding, "surrogatepass"))[2:-1]


class _Matcher:
    """The compiled patterns for one set of live keys."""

    def __init__(self, keys: frozenset[str]) -> None:
        text_forms: list[Form] = [str, *map(_quoted, WIDE_ENCODINGS)]
        self.text = re.compile("|".join(_pattern(keys, form) for form in text_forms))
        self.utf8, *self.wide = [
            (
                re.compile(_pattern(keys, _encoded(encoding)).encode("latin-1")),
                REDACTED.encode(encoding),
            )
            for encoding in ("utf-8", *WIDE_ENCODINGS)
        ]
        # In UTF-16 and UTF-32 every spelling of an ASCII character holds a zero byte: a body
        # without one needs no wide scan.
        self.wide_needs_zero = all(any(ord(char) < 0x80 for char in key) for key in keys)


@lru_cache(maxsize=8)
def _compiled(keys: frozenset[str]) -> _Matcher:
    return _Matcher(keys)


_current: tuple[object, _Matcher | None] = (None, None)
"""The matcher of the live secrets, and the generation it was built for."""


def _matcher() -> _Matcher | None:
    # The pager checks every cursor it sends back: listing the live secrets again for each
    # would cost more than the match itself. The generation is read before the secrets, so
    # a secret born meanwhile only makes the next call rebuild.
    global _current
    generation = _generation
    built_for, matcher = _current
    if built_for is not generation:
        keys = _live_values()
        matcher = _compiled(keys) if keys else None
        _current = (generation, matcher)
    return matcher


# -- redaction ---------------------------------------------------------------------------------


def redact(text: str) -> str:
    """``text`` with every spelling of every live secret replaced by ``[redacted]``."""
    matcher = _matcher()
    return text if matcher is None else matcher.text.sub(REDACTED, text)


def redact_bytes(data: bytes) -> bytes:
    """``data`` (the very object when nothing was found) with every spelling of every live
    secret, in UTF-8, UTF-16 or UTF-32 and at any offset, replaced by ``[redacted]`` in the
    same encoding."""
    matcher = _matcher()
    if matcher is None or not data:
        return data
    pattern, replacement = matcher.utf8
    cleaned = pattern.sub(replacement, data)
    if b"\x00" in cleaned or not matcher.wide_needs_zero:
        for pattern, replacement in matcher.wide:
            cleaned = pattern.sub(replacement, cleaned)
    return data if cleaned == data else cleaned


def redact_json(value: Any) -> Any:
    """``value`` (decoded JSON: any nesting of dicts and lists) with every live
    secret removed from its strings and bytes, keys included; dicts and lists are cleaned in
    place. Iterative: no depth of nesting makes it raise."""
    if _matcher() is None:
        return value
    root = [value]
    pending: list[list[Any] | dict[Any, Any]] = [root]
    seen: set[int] = set()
    while pending:
        container = pending.pop()
        if id(container) in seen:
            continue
        seen.add(id(container))
        if isinstance(container, dict):
            items = list(container.items())
            container.clear()
            for key, item in items:
                container[_leaf(key, pending)] = _leaf(item, pending)
        else:
            for index, item in enumerate(container):
                container[index] = _leaf(item, pending)
    return root[0]


def _leaf(value: Any, pending: list[list[Any] | dict[Any, Any]]) -> Any:
    """A string or bytes redacted; a dict or a list queued to be cleaned in place."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bytes):
        return redact_bytes(value)
    if isinstance(value, dict | list):
        pending.append(value)
    return value
