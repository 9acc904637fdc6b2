"""A small hostile HTTP/1.1 server on loopback, for tests that need real bytes on a real socket.

Each request is answered by a handler that returns the raw answer: status line, headers and
body exactly as given (a reason phrase with control characters, a body in UTF-16, a redirect),
which no in-process transport would let through unchanged. One request per connection; runs
under asyncio and trio (anyio).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import anyio
import anyio.abc

from incidentio_async import IncidentIO, RateLimiter

from client_factory import TEST_KEY


@dataclass
class Received:
    """A request as the server read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))


@dataclass
class Answer:
    """What the server sends back, byte for byte."""

    status: int = 200
    body: bytes = b""
    headers: Sequence[tuple[str | bytes, str | bytes]] = ()
    reason: bytes = b"OK"
    content_type: bytes | None = b"application/json"

    def encode(self) -> bytes:
        lines = [b"HTTP/1.1 %d %s" % (self.status, self.reason)]
        if self.content_type is not None:
            lines.append(b"Content-Type: " + self.content_type)
        for name, value in self.headers:
            lines.append(_bytes(name) + b": " + _bytes(value))
        lines += [b"Content-Length: %d" % len(self.body), b"Connection: close", b"", b""]
        return b"\r\n".join(lines) + self.body


def _bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("latin-1")


Handler = Callable[[Received], Answer]


@dataclass
class HostileServer:
    """The running server: its URL and every request it received."""

    url: str
    received: list[Received] = field(default_factory=list)

    def client(self, api_key: str = TEST_KEY, **kwargs: Any) -> IncidentIO:
        """A client for this server with a limiter of its own and no retries."""
        kwargs.setdefault("max_retries", 0)
        return IncidentIO(
            api_key,
            base_url=self.url,
            rate_limiter=RateLimiter(),
            allow_insecure_http=True,
            **kwargs,
        )


async def _read_request(stream: anyio.abc.SocketStream) -> Received | None:
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = await stream.receive()
        except (anyio.EndOfStream, anyio.BrokenResourceError):
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _ = request_line.split(" ", 2)
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        body += await stream.receive()
    return Received(method, target, headers, body)


@contextlib.asynccontextmanager
async def hostile_server(handler: Handler) -> AsyncIterator[HostileServer]:
    """Serve ``handler`` on a loopback port for the duration of the block."""
    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = listener.extra(anyio.abc.SocketAttribute.local_port)
    server = HostileServer(url=f"http://127.0.0.1:{port}")

    async def serve(stream: anyio.abc.SocketStream) -> None:
        async with stream:
            request = await _read_request(stream)
            if request is None:
                return
            server.received.append(request)
            with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
                await stream.send(handler(request).encode())

    async with anyio.create_task_group() as group:
        group.start_soon(listener.serve, serve)
        try:
            with anyio.fail_after(60):
                yield server
        finally:
            group.cancel_scope.cancel()
