"""Response bodies are read under a size limit and inflated in bounded steps."""

from __future__ import annotations

import functools
import gzip
import itertools
import json
import random
import struct
import sys
import tracemalloc
import types
import zlib
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import httpx
import pytest

from incidentio_async import _body
from incidentio_async._body import (
    ACCEPT_ENCODING,
    DEFAULT_MAX_RESPONSE_BYTES,
    BodyDecodeError,
    BodyTooLarge,
    read_body,
    read_response,
    rebuild_response,
)

pytestmark = pytest.mark.anyio

URL = "https://api.incident.io/v2/follow_ups"
MIB = 1024 * 1024
PAYLOAD = json.dumps({"follow_ups": [{"id": f"01F{i:06}", "title": "x" * 40} for i in range(3000)]})
PAYLOAD_BYTES = PAYLOAD.encode()


class Chunks(httpx.AsyncByteStream):
    """A response stream that counts the chunks it hands out and whether it was closed."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self.served = 0
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            self.served += 1
            yield chunk

    async def aclose(self) -> None:
        self.closed = True


async def streamed(
    stream: httpx.AsyncByteStream,
    headers: dict[str, str] | None = None,
    *,
    status: int = 200,
    method: str = "GET",
) -> httpx.Response:
    """A response as ``client.send(request, stream=True)`` gives it, body not yet read."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, stream=stream)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        return await client.send(client.build_request(method, URL), stream=True)


def pieces(data: bytes, size: int = 16 * 1024) -> list[bytes]:
    """``data`` cut as a network would deliver it."""
    return [data[i : i + size] for i in range(0, len(data), size)]


@functools.cache
def gzip_of_zeros(size: int) -> bytes:
    """A gzip body of ``size`` zero bytes, built without holding ``size`` bytes: one
    compressed MiB that ends on a full flush (so it refers to nothing before it), repeated."""
    piece = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(piece) + compressor.flush(zlib.Z_FULL_FLUSH)
    last_block = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    crc = 0
    for _ in range(size // MIB):
        crc = zlib.crc32(piece, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + block * (size // MIB) + last_block + trailer


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


# Identity bodies


async def test_identity_body_under_the_limit_is_returned_whole() -> None:
    stream = Chunks([b"a" * 10] * 5)
    response = await streamed(stream)
    assert await read_body(response, limit=50) == b"a" * 50
    assert stream.closed and response.is_closed


async def test_identity_body_one_byte_over_the_limit_is_refused() -> None:
    stream = Chunks([b"a" * 10] * 5)
    with pytest.raises(BodyTooLarge) as caught:
        await read_body(await streamed(stream), limit=49)
    assert caught.value.limit == 49
    assert "49 bytes" in str(caught.value)
    assert stream.closed


async def test_content_length_over_the_limit_is_refused_before_reading() -> None:
    stream = Chunks([b"a" * 1000])
    response = await streamed(stream, {"content-length": "1000"})
    with pytest.raises(BodyTooLarge):
        await read_body(response, limit=999)
    assert stream.served == 0
    assert stream.closed and response.is_closed


@pytest.mark.parametrize(("method", "status"), [("HEAD", 200), ("GET", 204), ("GET", 304)])
async def test_content_length_of_a_body_not_sent_is_not_held_against_it(
    method: str, status: int
) -> None:
    response = await streamed(
        Chunks([]), {"content-length": str(10 * MIB)}, status=status, method=method
    )
    assert await read_body(response, limit=MIB) == b""


async def test_an_endless_body_is_cut_off_right_after_the_limit() -> None:
    stream = Chunks(itertools.repeat(b"x" * 65536))
    with pytest.raises(BodyTooLarge):
        await read_body(await streamed(stream), limit=MIB)
    # Sixteen chunks make the limit exactly; the seventeenth passes it.
    assert stream.served == 17
    assert stream.closed


async def test_a_negative_limit_is_refused() -> None:
    stream = Chunks([gzip.compress(b"{}")])
    response = await streamed(stream, {"content-encoding": "gzip"})
    with pytest.raises(ValueError, match="negative"):
        await read_body(response, limit=-1)
    assert stream.closed


async def test_a_limit_of_zero_allows_only_an_empty_body() -> None:
    response = await streamed(Chunks([gzip.compress(b"")]), {"content-encoding": "gzip"})
    assert await read_body(response, limit=0) == b""
    with pytest.raises(BodyTooLarge):
        await read_body(
            await streamed(Chunks([gzip.compress(b"x")]), {"content-encoding": "gzip"}), limit=0
        )


async def test_a_transport_error_mid_body_propagates_and_closes_the_response() -> None:
    def chunks() -> Iterator[bytes]:
        yield b"{"
        raise httpx.ReadError("connection reset")

    stream = Chunks(chunks())
    response = await streamed(stream)
    with pytest.raises(httpx.ReadError):
        await read_body(response)
    assert stream.closed and response.is_closed


# Compressed bodies


@pytest.mark.parametrize(
    ("coding", "encoded"),
    [
        ("gzip", gzip.compress(PAYLOAD_BYTES)),
        ("x-gzip", gzip.compress(PAYLOAD_BYTES)),
        ("GZip", gzip.compress(PAYLOAD_BYTES)),
        ("deflate", zlib.compress(PAYLOAD_BYTES)),
        ("deflate", raw_deflate(PAYLOAD_BYTES)),
        ("gzip, gzip", gzip.compress(gzip.compress(PAYLOAD_BYTES))),
        ("deflate, gzip", gzip.compress(zlib.compress(PAYLOAD_BYTES))),
        ("identity, gzip", gzip.compress(PAYLOAD_BYTES)),
        ("identity", PAYLOAD_BYTES),
    ],
    ids=["gzip", "x-gzip", "upper", "zlib", "raw", "gzip-gzip", "deflate-gzip", "id-gzip", "id"],
)
@pytest.mark.parametrize("chunk_size", [1, 1000, 1 << 30])
async def test_compressed_bodies_are_inflated(coding: str, encoded: bytes, chunk_size: int) -> None:
    stream = Chunks(pieces(encoded, chunk_size))
    response = await streamed(stream, {"content-encoding": coding})
    assert await read_body(response) == PAYLOAD_BYTES
    assert stream.closed


async def test_a_gzip_body_of_several_members_is_inflated_whole() -> None:
    encoded = gzip.compress(b"first, ") + gzip.compress(b"second")
    response = await streamed(Chunks(pieces(encoded, 7)), {"content-encoding": "gzip"})
    assert await read_body(response) == b"first, second"


async def test_a_compressed_body_over_the_limit_is_refused() -> None:
    encoded = gzip.compress(PAYLOAD_BYTES)
    with pytest.raises(BodyTooLarge):
        await read_body(
            await streamed(Chunks([encoded]), {"content-encoding": "gzip"}),
            limit=len(PAYLOAD_BYTES) - 1,
        )
    response = await streamed(Chunks([encoded]), {"content-encoding": "gzip"})
    assert await read_body(response, limit=len(PAYLOAD_BYTES)) == PAYLOAD_BYTES


async def test_a_compressed_content_length_over_the_limit_is_not_the_decoded_size() -> None:
    # Content-Length counts compressed bytes; only the decoded size is held to the limit.
    encoded = gzip.compress(b"[]" + b" " * 5000)
    response = await streamed(
        Chunks([encoded]), {"content-encoding": "gzip", "content-length": str(10 * MIB)}
    )
    assert len(await read_body(response, limit=6000)) == 5002


@pytest.mark.parametrize(
    ("coding", "single_chunk"),
    [("gzip", True), ("gzip", False), ("gzip, gzip", True)],
    ids=["gzip-one-chunk", "gzip-16k-chunks", "gzip-gzip"],
)
async def test_a_gzip_bomb_is_refused_with_memory_near_the_limit(
    coding: str, single_chunk: bool
) -> None:
    limit = 4 * MIB
    bomb = gzip_of_zeros(200 * MIB)
    if coding == "gzip, gzip":
        bomb = gzip.compress(bomb)
    stream = Chunks([bomb] if single_chunk else pieces(bomb))
    response = await streamed(stream, {"content-encoding": coding})
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge):
            await read_body(response, limit=limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The decoded parts kept (the limit) plus one decoder step in flight. Reading the bomb
    # with httpx's aread() instead peaks above 200 MiB and fails this.
    assert peak < limit + 2 * MIB, f"peak {peak / MIB:.1f} MiB"
    assert stream.closed


@pytest.mark.parametrize(
    ("coding", "encoded", "reason"),
    [
        ("gzip", b"this is not gzip", "header"),
        ("gzip", gzip.compress(PAYLOAD_BYTES)[:-20], "ended early"),
        ("gzip", gzip.compress(PAYLOAD_BYTES) + b"junk", "header"),
        ("deflate", zlib.compress(PAYLOAD_BYTES) + b"junk", "after the end"),
        ("deflate", b"\x78", "ended early"),
        ("deflate", b"\xff\xff\xff\xff", "invalid"),
        ("zstd", b"\x28\xb5\x2f\xfd", "unsupported Content-Encoding 'zstd'"),
        ("gzip, gzip, gzip, gzip, gzip", b"\x1f\x8b", "more than 4"),
    ],
    ids=["garbage", "truncated", "trailing", "deflate-trailing", "one-byte", "bad", "zstd", "five"],
)
async def test_a_body_that_cannot_be_decoded_is_a_decode_error(
    coding: str, encoded: bytes, reason: str
) -> None:
    stream = Chunks(pieces(encoded, 100))
    response = await streamed(stream, {"content-encoding": coding})
    with pytest.raises(BodyDecodeError) as caught:
        await read_body(response)
    assert reason in caught.value.reason
    assert stream.closed and response.is_closed


async def test_an_empty_body_needs_no_decoding_whatever_its_coding() -> None:
    for coding in ("gzip", "zstd"):
        response = await streamed(Chunks([]), {"content-encoding": coding}, status=204)
        assert await read_body(response) == b""


# Ends in a long run: deflate codes it as long matches, which a small output step cuts.
RUNS = b"The quick brown fox " * 50 + b"a" * 1000


@pytest.mark.parametrize("step", [1, 7, 100, 300])
@pytest.mark.parametrize(
    ("codings", "encoded"),
    [
        (["gzip"], gzip.compress(RUNS)),
        (["deflate"], zlib.compress(RUNS)),
        (["deflate"], raw_deflate(RUNS)),
        (["gzip", "gzip"], gzip.compress(gzip.compress(RUNS))),
        (["deflate", "gzip", "gzip"], gzip.compress(gzip.compress(zlib.compress(RUNS)))),
    ],
    ids=["gzip", "zlib", "raw", "gzip-gzip", "three"],
)
def test_reading_in_small_steps_loses_nothing_zlib_holds_back(
    codings: list[str], encoded: bytes, step: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A call that fills its output step may leave zlib holding decoded bytes with no input
    # left (raw deflate has no trailer after the last match): those must still come out.
    monkeypatch.setattr(_body, "_STEP", step)
    for chunk_size in (1, 2, 3, 5, len(encoded)):
        decoder = _body._Decoder(codings)
        out = []
        for chunk in pieces(encoded, chunk_size):
            decoder.feed(chunk)
            while part := decoder.read(step):
                assert len(part) <= step
                out.append(part)
        decoder.finish()
        assert b"".join(out) == RUNS, f"chunks of {chunk_size}"


async def test_stacked_codings_pass_more_than_one_step_between_them() -> None:
    # Incompressible, so the inner gzip stream is itself several steps long.
    data = random.Random(0).randbytes(3 * _body._STEP)
    encoded = gzip.compress(gzip.compress(data))
    response = await streamed(Chunks(pieces(encoded)), {"content-encoding": "gzip, gzip"})
    assert await read_body(response) == data


# The response handed back


async def test_the_rebuilt_response_holds_the_decoded_body_and_the_received_headers() -> None:
    encoded = gzip.compress(PAYLOAD_BYTES)
    headers = {
        "content-encoding": "gzip",
        "content-type": "application/json",
        "content-length": str(len(encoded)),
        "x-request-id": "req-1",
    }
    stream = Chunks(pieces(encoded))
    response = await streamed(stream, headers, status=201)
    rebuilt = await read_response(response)

    assert rebuilt.content == PAYLOAD_BYTES
    assert rebuilt.text == PAYLOAD
    assert rebuilt.json() == json.loads(PAYLOAD)
    # What the server sent, not what httpx would have made of a body given to it.
    assert rebuilt.headers.multi_items() == response.headers.multi_items()
    assert rebuilt.headers["content-encoding"] == "gzip"
    assert rebuilt.headers["content-length"] == str(len(encoded))
    assert rebuilt.status_code == 201
    assert rebuilt.reason_phrase == "Created"
    assert rebuilt.http_version == "HTTP/1.1"
    assert rebuilt.request is response.request
    assert rebuilt.url == URL
    assert rebuilt.elapsed == response.elapsed
    assert rebuilt.is_closed and rebuilt.is_stream_consumed
    # Reading again does not decode the already decoded body a second time.
    assert await rebuilt.aread() == PAYLOAD_BYTES
    assert b"".join([part async for part in rebuilt.aiter_bytes()]) == PAYLOAD_BYTES
    assert b"".join(rebuilt.iter_bytes()) == PAYLOAD_BYTES
    assert stream.closed


async def test_the_rebuilt_response_keeps_extensions_and_the_charset() -> None:
    body = "café".encode("latin-1")
    response = httpx.Response(
        200,
        headers={"content-type": "text/plain; charset=latin-1"},
        stream=Chunks([body]),
        request=httpx.Request("GET", URL),
        extensions={"http_version": b"HTTP/2", "reason_phrase": b"Fine"},
    )
    rebuilt = rebuild_response(response, await read_body(response))
    assert rebuilt.text == "café"
    assert rebuilt.http_version == "HTTP/2"
    assert rebuilt.reason_phrase == "Fine"


async def test_a_response_read_when_it_was_made_is_taken_as_it_is() -> None:
    # httpx.MockTransport handlers usually build their response from content, which httpx
    # reads (and decodes) at once.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-encoding": "gzip"}, content=gzip.compress(PAYLOAD_BYTES)
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        response = await client.send(client.build_request("GET", URL), stream=True)
        rebuilt = await read_response(response)
        assert rebuilt.content == PAYLOAD_BYTES
        assert rebuilt.headers["content-encoding"] == "gzip"
        response = await client.send(client.build_request("GET", URL), stream=True)
        with pytest.raises(BodyTooLarge):
            await read_body(response, limit=100)


# Brotli, used only when it can be bounded


class FakeBrotliError(Exception):
    pass


class FakeBrotli:
    """brotli 1.2's bounded decompressor API over raw deflate, overshooting the output
    limit as the real one does."""

    def __init__(self) -> None:
        self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        self._full = False

    def process(self, data: bytes, output_buffer_limit: int = 0) -> bytes:
        if data and not self.can_accept_more_data():
            raise FakeBrotliError("input given while output is still held")
        cap = 2 * output_buffer_limit
        try:
            out: bytes = self._inflater.decompress(self._inflater.unconsumed_tail + data, cap)
        except zlib.error as exc:
            raise FakeBrotliError(str(exc)) from None
        self._full = cap > 0 and len(out) == cap
        return out

    def can_accept_more_data(self) -> bool:
        return not self._inflater.unconsumed_tail and not self._full

    def is_finished(self) -> bool:
        return bool(self._inflater.eof)


def fake_brotli_module(name: str, decompressor: type[Any]) -> types.ModuleType:
    module = types.ModuleType(name)
    module.Decompressor = decompressor  # type: ignore[attr-defined]
    module.error = FakeBrotliError  # type: ignore[attr-defined]
    return module


class OldDecompressor:
    """A brotli before 1.2: no way to cap the output of a call."""

    def process(self, data: bytes) -> bytes:
        raise AssertionError("never used")


def test_brotli_is_used_only_when_its_output_can_be_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old = fake_brotli_module("brotli", OldDecompressor)
    new = fake_brotli_module("brotlicffi", FakeBrotli)
    monkeypatch.setitem(sys.modules, "brotli", old)
    monkeypatch.setitem(sys.modules, "brotlicffi", new)
    assert _body._bounded_brotli() is new
    monkeypatch.setitem(sys.modules, "brotlicffi", fake_brotli_module("x", OldDecompressor))
    assert _body._bounded_brotli() is None


def test_accept_encoding_names_exactly_what_can_be_inflated_with_a_bound() -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 32 * MIB
    named = {coding.strip() for coding in ACCEPT_ENCODING.split(",")}
    assert named == {"gzip", "deflate"} | ({"br"} if _body._BROTLI is not None else set())
    assert named | {"x-gzip"} == _body.SUPPORTED_CODINGS


async def test_br_through_a_bounded_decompressor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_body, "_BROTLI", fake_brotli_module("brotli", FakeBrotli))
    encoded = raw_deflate(PAYLOAD_BYTES)
    response = await streamed(Chunks(pieces(encoded, 1000)), {"content-encoding": "br"})
    assert await read_body(response) == PAYLOAD_BYTES

    bomb = gzip_of_zeros(200 * MIB)[10:-8]  # the raw deflate inside the gzip framing
    stream = Chunks([bomb])
    response = await streamed(stream, {"content-encoding": "br"})
    with pytest.raises(BodyTooLarge):
        await read_body(response, limit=MIB)
    assert stream.closed

    for broken, reason in ((b"\xff\xff\xff", "brotli:"), (encoded[:-10], "ended early")):
        response = await streamed(Chunks([broken]), {"content-encoding": "br"})
        with pytest.raises(BodyDecodeError, match=reason):
            await read_body(response)


async def test_br_is_refused_when_no_bounded_decompressor_is_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_body, "_BROTLI", None)
    response = await streamed(Chunks([b"\x0b\x02\x80"]), {"content-encoding": "br"})
    with pytest.raises(BodyDecodeError, match="unsupported Content-Encoding 'br'"):
        await read_body(response)


async def test_br_with_the_real_brotli_when_installed() -> None:
    if _body._BROTLI is None:
        pytest.skip("no brotli 1.2 or later installed")
    module: Any = _body._BROTLI
    encoded = module.compress(PAYLOAD_BYTES)
    response = await streamed(Chunks(pieces(encoded, 100)), {"content-encoding": "br"})
    assert await read_body(response) == PAYLOAD_BYTES

    bomb = module.compress(bytes(200 * MIB), quality=5)
    response = await streamed(Chunks([bomb]), {"content-encoding": "br"})
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge):
            await read_body(response, limit=4 * MIB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 6 * MIB, f"peak {peak / MIB:.1f} MiB"
