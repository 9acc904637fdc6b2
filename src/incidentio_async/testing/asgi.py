"""Just enough ASGI: read a request, send a response, and break a connection on purpose."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx

from incidentio_async.testing.faults import DropWhen
from incidentio_async.testing.messages import Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def read_body(receive: Receive) -> bytes:
    """The whole request body."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def headers_of(scope: Scope) -> dict[str, str]:
    """The request headers, lower-case names, repeats joined with ``, ``."""
    headers: dict[str, str] = {}
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").lower()
        value = raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def raw_path_of(scope: Scope) -> str:
    """The path as sent, still percent-encoded (servers and httpx's ASGI transport give
    ``raw_path``; without it, the decoded path is encoded again)."""
    raw = scope.get("raw_path")
    if raw:
        return bytes(raw).decode("latin-1").split("?", 1)[0]
    return quote(scope.get("path", "/"))


def query_of(scope: Scope) -> tuple[str, dict[str, str]]:
    """The raw query string and its parameters (first value of a repeated one)."""
    raw = scope.get("query_string", b"").decode("latin-1")
    query: dict[str, str] = {}
    for name, value in parse_qsl(raw, keep_blank_values=True):
        query.setdefault(name, value)
    return raw, query


async def send_response(send: Send, response: Response) -> None:
    """Send a complete response."""
    headers = [
        (name.lower().encode("latin-1"), value.encode("latin-1"))
        for name, value in response.headers.items()
    ]
    if response.content_type is not None:
        headers.append((b"content-type", response.content_type.encode("latin-1")))
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def rebuild_request(scope: Scope, body: bytes) -> httpx.Request:
    """An ``httpx.Request`` like the one that arrived, to attach to transport errors."""
    scheme = scope.get("scheme", "http")
    host, port = scope.get("server") or ("testserver", None)
    default_port = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port in (None, default_port) else f"{host}:{port}"
    query = scope.get("query_string", b"").decode("latin-1")
    url = f"{scheme}://{netloc}{scope.get('path', '/')}" + (f"?{query}" if query else "")
    return httpx.Request(
        scope.get("method", "GET"),
        url,
        headers=[(name, value) for name, value in scope.get("headers", [])],
        content=body,
    )


def transport_error(when: DropWhen, request: httpx.Request) -> httpx.TransportError:
    """What an HTTP client sees when the connection drops, for in-process use.

    Before processing that is a failure to connect (nothing happened, safe to retry); after,
    the server hung up on a request it had acted on (the outcome is unknown to the client).
    """
    if when == "before":
        return httpx.ConnectError(
            "Fake incident.io dropped the connection before processing the request "
            "(nothing was changed)",
            request=request,
        )
    return httpx.RemoteProtocolError(
        "Fake incident.io processed the request, then dropped the connection before "
        "answering (the change was made; the response is lost)",
        request=request,
    )


async def abort_response(send: Send, response: Response | None) -> None:
    """Over a real socket: start a response and stop before its body is complete.

    The app cannot close a server's socket itself, and a server answers 500 to an app that
    returns without starting a response; so the closest thing to a dropped connection is
    headers promising a body that never comes. The server then closes the connection, and
    the client fails with an incomplete-message error (``httpx.RemoteProtocolError``)
    whichever side of processing the drop was on.
    """
    status = response.status if response is not None and response.status != 204 else 200
    promised = len(response.body) + 1 if response is not None else 1
    headers = [(b"content-length", str(promised).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    if response is not None and response.body:
        await send(
            {
                "type": "http.response.body",
                "body": response.body[: len(response.body) // 2],
                "more_body": True,
            }
        )
