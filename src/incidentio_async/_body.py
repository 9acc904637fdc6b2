"""Reading a streamed response body under a size limit, inflating it as it arrives.

httpx's own ``aread()`` keeps whatever the server sends and inflates a compressed chunk in
one call, so a small gzip bomb or an endless chunked body grows memory without bound. Here
the raw stream is read chunk by chunk and each content coding is inflated in steps of at
most ``_STEP`` bytes, so the decoded body held in memory never passes the limit by more
than one step before the read stops.
"""

from __future__ import annotations

import importlib
import zlib
from collections.abc import AsyncGenerator
from contextlib import aclosing, suppress
from types import ModuleType
from typing import Any, Protocol, cast

import httpx

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

# The most decoded output asked of one decoder call. It bounds the overshoot past the
# limit and the buffers between stacked codings; big enough that a typical JSON body
# inflates in one or two calls per network chunk.
_STEP = 256 * 1024

# More than this many stacked codings is an attack or a broken server, not compression.
_MAX_CODINGS = 4

# Statuses whose Content-Length (like a HEAD response's) describes a body that is not sent.
_NO_BODY_STATUSES = frozenset({204, 304})


class BodyTooLarge(Exception):
    """The decoded response body is larger than the limit; the rest was not read."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the response body is larger than the limit of {limit} bytes")
        self.limit = limit


class BodyDecodeError(Exception):
    """The response body could not be decoded according to its Content-Encoding."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"the response body could not be decoded: {reason}")
        self.reason = reason


def _bounded_brotli() -> ModuleType | None:
    # Only a brotli whose decompressor can cap its output (brotli / brotlicffi 1.2 and
    # later) is used: an older one inflates a whole chunk at once, which is the bomb.
    for name in ("brotli", "brotlicffi"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        decompressor = getattr(module, "Decompressor", None)
        if decompressor is not None and hasattr(decompressor, "can_accept_more_data"):
            return module
    return None


_BROTLI = _bounded_brotli()

SUPPORTED_CODINGS: frozenset[str] = frozenset(
    {"gzip", "x-gzip", "deflate"} | ({"br"} if _BROTLI is not None else set())
)

ACCEPT_ENCODING = "gzip, deflate, br" if _BROTLI is not None else "gzip, deflate"
"""The ``Accept-Encoding`` to send: exactly the codings this module inflates with a bound."""


class _Layer(Protocol):
    """One content coding being undone: fed compressed bytes, read in bounded steps."""

    def feed(self, data: bytes) -> None:
        """Hand over more input; only called once ``read`` has returned ``b""``."""

    def read(self, size: int) -> bytes:
        """About ``size`` decoded bytes or fewer; ``b""`` when more input is needed."""

    def finish(self) -> None:
        """Raise ``BodyDecodeError`` unless the coded stream ended properly."""


class _ZlibLayer:
    """gzip (possibly several members, as RFC 1952 allows) or deflate."""

    def __init__(self, *, gzip: bool) -> None:
        self._gzip = gzip
        self._decompressor: Any = zlib.decompressobj(zlib.MAX_WBITS | 16) if gzip else None
        self._input = b""
        # zlib may hold decoded bytes back when a call filled its output; ask again even
        # with no input left.
        self._more = False

    def feed(self, data: bytes) -> None:
        self._input += data

    def read(self, size: int) -> bytes:
        while self._input or self._more:
            decompressor = self._decompressor
            if decompressor is None:
                decompressor = self._start_deflate()
                if decompressor is None:
                    return b""
            elif decompressor.eof:
                if not self._gzip:
                    raise BodyDecodeError("data after the end of the deflate stream")
                decompressor = self._decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
            try:
                out: bytes = decompressor.decompress(self._input, size)
            except zlib.error as exc:
                raise BodyDecodeError(str(exc)) from None
            if decompressor.eof:
                self._input, self._more = decompressor.unused_data, False
            else:
                self._input, self._more = decompressor.unconsumed_tail, len(out) == size
            if out:
                return out
        return b""

    def _start_deflate(self) -> Any:
        # "deflate" is meant to be zlib-wrapped but some servers send raw deflate, which
        # httpx accepts too. zlib rejects a bad header as soon as it has the first two bytes.
        if len(self._input) < 2:
            return None
        wrapped = zlib.decompressobj()
        try:
            wrapped.decompress(self._input[:2])
        except zlib.error:
            self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        else:
            self._decompressor = zlib.decompressobj()
        return self._decompressor

    def finish(self) -> None:
        if self._decompressor is None or not self._decompressor.eof:
            raise BodyDecodeError("the compressed body ended early")


class _BrotliLayer:
    """br, through a decompressor that can be told to stop growing its output buffer."""

    def __init__(self, module: ModuleType) -> None:
        self._error: type[Exception] = module.error
        self._decompressor: Any = module.Decompressor()
        self._input = b""

    def feed(self, data: bytes) -> None:
        self._input += data

    def read(self, size: int) -> bytes:
        decompressor = self._decompressor
        while True:
            # Once a call stopped at the output limit the decompressor takes no new input
            # until it has handed out what it holds.
            if decompressor.can_accept_more_data():
                if not self._input:
                    return b""
                if decompressor.is_finished():
                    raise BodyDecodeError("data after the end of the brotli stream")
                data, self._input = self._input, b""
            else:
                data = b""
            try:
                out: bytes = decompressor.process(data, output_buffer_limit=size)
            except self._error as exc:
                raise BodyDecodeError(f"brotli: {exc}") from None
            if out:
                return out

    def finish(self) -> None:
        if not self._decompressor.is_finished():
            raise BodyDecodeError("the compressed body ended early")


def _layer(coding: str) -> _Layer:
    if coding in ("gzip", "x-gzip"):
        return _ZlibLayer(gzip=True)
    if coding == "deflate":
        return _ZlibLayer(gzip=False)
    if coding == "br" and _BROTLI is not None:
        return _BrotliLayer(_BROTLI)
    raise BodyDecodeError(f"unsupported Content-Encoding {coding!r}")


class _Decoder:
    """The codings of a body undone in reverse order of how they were applied."""

    def __init__(self, codings: list[str]) -> None:
        if len(codings) > _MAX_CODINGS:
            raise BodyDecodeError(f"more than {_MAX_CODINGS} content codings")
        # The header lists codings in the order applied; the last one is undone first.
        self._layers = [_layer(coding) for coding in reversed(codings)]
        self.feed = self._layers[0].feed

    def read(self, size: int) -> bytes:
        """Up to about ``size`` fully decoded bytes; ``b""`` when more input is needed."""
        return self._read(len(self._layers) - 1, size)

    def _read(self, index: int, size: int) -> bytes:
        layer = self._layers[index]
        while True:
            out = layer.read(size)
            if out or index == 0:
                return out
            upstream = self._read(index - 1, _STEP)
            if not upstream:
                return b""
            layer.feed(upstream)

    def finish(self) -> None:
        """Raise ``BodyDecodeError`` unless every coding ended properly."""
        for layer in self._layers:
            layer.finish()


def content_codings(headers: httpx.Headers) -> list[str]:
    """The codings named by ``Content-Encoding``, in the order the server applied them,
    lower-cased and without ``identity``; empty for a body sent as it is."""
    if "content-encoding" not in headers:
        return []
    codings = [coding.lower() for coding in headers.get_list("content-encoding", split_commas=True)]
    return [coding for coding in codings if coding and coding != "identity"]


def _declared_length(response: httpx.Response) -> int | None:
    text = response.headers.get("content-length")
    if text is None:
        return None
    if response.status_code < 200 or response.status_code in _NO_BODY_STATUSES:
        return None
    if response.request.method == "HEAD":
        return None
    try:
        return int(text)
    except ValueError:
        # h11 and h2 already refuse a malformed length; nothing to add here.
        return None


async def read_body(response: httpx.Response, limit: int = DEFAULT_MAX_RESPONSE_BYTES) -> bytes:
    """The decoded body of a response from ``client.send(request, stream=True)``.

    Reads the raw stream and undoes its Content-Encoding as it arrives. Raises
    ``BodyTooLarge`` as soon as the decoded body passes ``limit`` bytes (or, for an
    uncompressed body, when Content-Length already says it will) and ``BodyDecodeError``
    for a body that cannot be decoded. The response is closed either way.
    """
    try:
        if limit < 0:
            # zlib reads an output bound of 0 as "no bound": never let one through.
            raise ValueError(f"the body size limit must not be negative, not {limit}")
        if response.is_stream_consumed:
            # Made in-process and read when built (httpx.MockTransport returning
            # ``httpx.Response(200, json=...)``): httpx has already decoded it.
            body = response.content
            if len(body) > limit:
                raise BodyTooLarge(limit)
            return body
        codings = content_codings(response.headers)
        if not codings:
            declared = _declared_length(response)
            if declared is not None and declared > limit:
                raise BodyTooLarge(limit)
            return await _read_identity(response, limit)
        return await _read_coded(response, codings, limit)
    finally:
        if not response.is_closed:
            await response.aclose()


def _raw_chunks(response: httpx.Response) -> AsyncGenerator[bytes, None]:
    # httpx types aiter_raw() as an iterator but it is an async generator; closing it when
    # the read stops early finishes it now rather than whenever it is garbage collected.
    return cast(AsyncGenerator[bytes, None], response.aiter_raw())


async def _read_identity(response: httpx.Response, limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    async with aclosing(_raw_chunks(response)) as raw:
        async for chunk in raw:
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge(limit)
            parts.append(chunk)
    return b"".join(parts)


async def _read_coded(response: httpx.Response, codings: list[str], limit: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    decoder: _Decoder | None = None
    async with aclosing(_raw_chunks(response)) as raw:
        async for chunk in raw:
            if decoder is None:
                # Built at the first byte: an empty body (a 204 that names a coding, say)
                # has nothing to decode, whatever its coding.
                decoder = _Decoder(codings)
            decoder.feed(chunk)
            while out := decoder.read(min(limit - size + 1, _STEP)):
                size += len(out)
                if size > limit:
                    raise BodyTooLarge(limit)
                parts.append(out)
    if decoder is None:
        return b""
    decoder.finish()
    return b"".join(parts)


def rebuild_response(streamed: httpx.Response, body: bytes) -> httpx.Response:
    """An ordinary, read and closed ``httpx.Response`` whose ``content`` is ``body``, with
    the status, headers (Content-Encoding included), request and extensions of ``streamed``.

    httpx decodes a body as it reads it, by the headers the response has at that moment,
    and never again once read. So the response is read while it has no headers (nothing to
    decode) and is given the received headers afterwards: ``content``, ``text`` and
    ``json()`` then use the stored body as it is.
    """
    rebuilt = httpx.Response(
        streamed.status_code,
        stream=httpx.ByteStream(body),
        request=streamed.request,
        extensions=streamed.extensions,
        history=streamed.history,
        default_encoding=streamed.default_encoding,
    )
    rebuilt.read()
    rebuilt.headers = streamed.headers
    rebuilt.next_request = streamed.next_request
    # Only a response that came through a client and was closed has an elapsed time.
    with suppress(RuntimeError):
        rebuilt.elapsed = streamed.elapsed
    return rebuilt


async def read_response(
    streamed: httpx.Response, limit: int = DEFAULT_MAX_RESPONSE_BYTES
) -> httpx.Response:
    """``read_body`` then ``rebuild_response``: the streamed response, read under ``limit``."""
    if streamed.is_stream_consumed:
        # Read (and decoded) by httpx when it was made in-process: already what we want.
        await read_body(streamed, limit)
        return streamed
    return rebuild_response(streamed, await read_body(streamed, limit))
