"""Keeping the API key out of everything an error carries.

An error holds the response (status line, headers, body), the request it answered, the
redirect httpx prepared from it (``next_request``, built with the live ``Authorization``
header), the decoded body, and a chain of causes that a traceback prints and that may quote
what the server sent. Each is cleaned here with the matchers of :mod:`._secret`, once, when the
error is made: nothing on the path of a successful response pays for it.
"""

from __future__ import annotations

from typing import Any

import httpx

from ._body import rebuild_response
from ._printable import one_line
from ._secret import redact, redact_bytes, redact_json


def scrub_request(request: httpx.Request) -> None:
    """Remove the key from ``request``'s headers and URL, in place (it has been sent, or will
    never be: a redirect this client does not follow)."""
    raw = request.headers.raw
    cleaned = [(name, redact_bytes(value)) for name, value in raw]
    if any(new is not old for (_, new), (_, old) in zip(cleaned, raw, strict=True)):
        request.headers = httpx.Headers(cleaned)
    url = str(request.url)
    clean_url = redact(url)
    if clean_url != url:
        request.url = httpx.URL(clean_url)


def scrub_response(response: httpx.Response) -> httpx.Response:
    """``response``, or a copy of it, without the key: in its status line, headers and body
    (in any encoding and spelling), in its request and in the redirect httpx built from it."""
    scrub_request(response.request)
    if response.next_request is not None:
        scrub_request(response.next_request)
    content = response.content
    cleaned = redact_bytes(content)
    raw_headers = response.headers.raw
    headers = [(name, redact_bytes(value)) for name, value in raw_headers]
    reason = response.extensions.get("reason_phrase")
    clean_reason = redact_bytes(reason) if isinstance(reason, bytes) else reason
    if (
        cleaned is content
        and clean_reason is reason
        and all(new is old for (_, new), (_, old) in zip(headers, raw_headers, strict=True))
    ):
        return response
    copy = rebuild_response(response, cleaned)
    copy.headers = httpx.Headers(headers)
    if clean_reason is not None:
        copy.extensions = {**copy.extensions, "reason_phrase": clean_reason}
    return copy


def redact_chain(error: BaseException, spare: BaseException | None = None) -> None:
    """Clean, in place, ``error`` and every exception it chains to (``__cause__``,
    ``__context__``): their arguments become one printable line without the key, and their
    attributes lose the key too (json.JSONDecodeError keeps the whole body in ``doc``, an
    httpx error its request, the models' ModelParseError the value it refused).

    ``spare`` is the exception the caller was handling when it called the client
    (``sys.exception()`` on entry): Python chains it to what the call raises, but it is the
    caller's, so neither it nor what it chains to is touched."""
    seen: set[int] = set() if spare is None else {id(spare)}
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        current.args = tuple(_clean(arg, message=True) for arg in current.args)
        for name, value in list(getattr(current, "__dict__", {}).items()):
            clean = _clean(value, message=False)
            if clean is not value:
                setattr(current, name, clean)
        pending += [current.__cause__, current.__context__]


def _clean(value: Any, *, message: bool) -> Any:
    """``value`` without the key (the same object when it held none)."""
    if isinstance(value, str):
        clean = one_line(value) if message else redact(value)
        return value if clean == value else clean
    if isinstance(value, bytes):
        return redact_bytes(value)
    if isinstance(value, dict | list):
        return redact_json(value)
    if isinstance(value, httpx.Request):
        scrub_request(value)
    elif isinstance(value, httpx.Response):
        return scrub_response(value)
    return value
