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
    # Only the first WINDOW bytes are looked at, so that no body (one padded with megabytes
    # of whitespace, say) makes this read longer than a window.
    head = body[:WINDOW].lstrip(_WHITESPACE)
    if not head.startswith(b"{"):
        return False, None
    head = head[1:].lstrip(_WHITESPACE)
    if not head.startswith(key):
        return False, None
    text = _strict_utf8(head[len(key) :])
    if text is None:
        return False, None
    found, value, rest = _member_value(text)
    # A value cut off by the window fails to decode; what follows a whole one is the next
    # member or the end of the object.
    return found and rest.lstrip(" \t\r\n")[:1] in (",", "}"), value


def _last_member(body: bytes, key: bytes) -> tuple[bool, Any]:
    tail = body[-WINDOW:]
    start = tail.rfind(key)
    before = tail[:start].rstrip(_WHITESPACE)
    if start < 0 or before[-1:] not in (b"{", b","):
        # Preceded by anything else (or by nothing within the window), the quote does not
        # open a member's name: inside a string, a quote follows a backslash.
        return False, None
    text = _strict_utf8(tail[start + len(key) :])
    if text is None:
        return False, None
    found, value, rest = _member_value(text)
    # Only the closing brace of the whole body may follow: a nested object's member would be
    # followed by more than one.
    return found and rest.strip(" \t\r\n") == "}", value


def _strict_utf8(window: bytes) -> str | None:
    """``window`` as text, but for a character the window's edge cut off; None when it is
    not UTF-8 (the full decode then says what is wrong with it)."""
    try:
        return window.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason != "unexpected end of data":
            return None
        return window[: error.start].decode("utf-8")


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
