"""A page's next cursor, read from one end of its body before the rest is decoded.

A list's pagination metadata is a few dozen bytes at the start or the end of the body (the
first or the last member of the top-level object), next to 100 KB or more of records. Reading
the cursor from there lets the next page's request leave before this page's JSON is decoded
(milliseconds for 250 records) instead of after. The full decode that follows checks the
cursor read here (``_resource``), so a body laid out otherwise costs only the head start.
"""

from __future__ import annotations

import json
from typing import Any

#: How far from its end of the body the metadata may reach.
WINDOW = 4096

_DECODER = json.JSONDecoder()
_WHITESPACE = b" \t\r\n"


def early_cursor(body: bytes, meta: str, cursor: str) -> tuple[bool, str | None]:
    """``(True, after)`` when the first or last member of the object ``body`` is ``meta``,
    an object whose ``cursor`` property is ``after`` (None when absent); ``(False, None)``
    when the ends of the body cannot tell."""
    key = b'"' + meta.encode() + b'"'
    found, value = _first_member(body, key)
    if not found:
        found, value = _last_member(body, key)
    if not found or not isinstance(value, dict):
        return False, None
    after = value.get(cursor)
    if after is not None and not isinstance(after, str):
        return False, None
    return True, after


def _first_member(body: bytes, key: bytes) -> tuple[bool, Any]:
    opening = _skip_whitespace(body, 0)
    if body[opening : opening + 1] != b"{":
        return False, None
    start = _skip_whitespace(body, opening + 1)
    if body[start : start + len(key)] != key:
        return False, None
    window = body[start + len(key) : start + WINDOW]
    found, value, rest = _member_value(window.decode("utf-8", errors="replace"))
    # A value cut off by the window fails to decode; what follows a whole one is the next
    # member or the end of the object.
    return found and rest.lstrip(" \t\r\n")[:1] in (",", "}"), value


def _last_member(body: bytes, key: bytes) -> tuple[bool, Any]:
    start = body.rfind(key, max(0, len(body) - WINDOW))
    if start < 0 or _previous_byte(body, start) not in (b"{", b","):
        # Preceded by anything else, the quote does not open a member's name (inside a
        # string, a quote follows a backslash).
        return False, None
    try:
        text = body[start + len(key) :].decode("utf-8")
    except UnicodeDecodeError:
        return False, None
    found, value, rest = _member_value(text)
    # Only the closing brace of the whole body may follow: a nested object's member would be
    # followed by more than one.
    return found and rest.strip(" \t\r\n") == "}", value


def _member_value(text: str) -> tuple[bool, Any, str]:
    """The value after ``: `` at the start of ``text``, and the text after it."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped.startswith(":"):
        return False, None, ""
    value_text = stripped[1:].lstrip(" \t\r\n")
    try:
        value, end = _DECODER.raw_decode(value_text)
    except (ValueError, RecursionError):
        return False, None, ""
    return True, value, value_text[end:]


def _previous_byte(body: bytes, index: int) -> bytes:
    index -= 1
    while index >= 0 and body[index] in _WHITESPACE:
        index -= 1
    return body[index : index + 1] if index >= 0 else b""


def _skip_whitespace(body: bytes, index: int) -> int:
    while index < len(body) and body[index] in _WHITESPACE:
        index += 1
    return index
