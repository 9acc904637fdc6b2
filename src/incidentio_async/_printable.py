"""The one place a message is made safe to show: one line, printable, without the key.

Messages quote what a server sent (a reason phrase, an error's text, a cursor). Written raw to a
terminal, an escape sequence could clear the screen or retitle the window, a carriage return
hide what precedes it, a bidi override reorder what follows, and a lone surrogate make the
write itself fail. So whitespace runs become one space and every other control character is
shown as its Python escape (``\\x1b``, ``\\u202e``).
"""

from __future__ import annotations

import re

from ._secret import redact

# C0 and C1 controls and DEL, the bidi embeddings, overrides, isolates and marks, and
# surrogates (which no stream can encode). Whitespace among them is collapsed first.
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: str, limit: int | None = None) -> str:
    """``text`` as one printable line without any live secret, cut to ``limit`` characters.

    The key is looked for in what will be shown (after escaping, so that bytes quoted as
    ``\\x00`` are seen as they read), and the cut comes last, so it cannot leave half a key.
    """
    flat = " ".join(text.split())
    if _UNPRINTABLE.search(flat):
        flat = _UNPRINTABLE.sub(_escape, flat)
    flat = redact(flat)
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return flat
