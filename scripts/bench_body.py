"""What reading a body under a limit costs next to httpx's own ``aread()``.

Times, per response, for JSON bodies from 2 KB to 500 KB, plain and gzip, delivered in
64 KiB chunks as httpcore does: httpx's ``aread()``, this package's ``read_body`` and
``read_response`` (read plus the rebuilt response), alone and behind ``client.send``.

    .venv/bin/python scripts/bench_body.py
"""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx

from incidentio_async._body import read_body, read_response

URL = "https://api.incident.io/v2/incident_updates"
SIZES = [2_000, 50_000, 500_000]
CHUNK = 65_536


class Chunks(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


def body_of(size: int) -> bytes:
    record = {"id": "01FCNDV6P870EA6S7TK1DSYDG0", "message": "Investigating", "n": 0}
    count = max(1, size // len(json.dumps(record)))
    return json.dumps({"incident_updates": [dict(record, n=i) for i in range(count)]}).encode()


async def best_of(
    runs: dict[str, Callable[[], Awaitable[object]]], number: int, rounds: int = 25
) -> dict[str, float]:
    """CPU microseconds per call of each of ``runs``, interleaved round after round (this
    machine is shared and noisy), the best round of each."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            start = time.process_time()
            for _ in range(number):
                await run()
            best[name] = min(best[name], (time.process_time() - start) / number * 1e6)
    return best


async def main() -> None:
    request = httpx.Request("GET", URL)
    print(f"{'body':>16} {'aread':>9} {'read_body':>10} {'read_resp':>10} {'overhead':>9}", end="")
    print(f" {'send+aread':>11} {'send+ours':>10} {'overhead':>9}")
    for size in SIZES:
        plain = body_of(size)
        for coding in ("identity", "gzip"):
            raw = gzip.compress(plain, 6) if coding == "gzip" else plain
            chunks = [raw[i : i + CHUNK] for i in range(0, len(raw), CHUNK)]
            headers = {"content-type": "application/json", "content-length": str(len(raw))}
            if coding == "gzip":
                headers["content-encoding"] = "gzip"

            def fresh(headers: dict[str, str] = headers, chunks: list[bytes] = chunks) -> Any:
                return httpx.Response(200, headers=headers, stream=Chunks(chunks), request=request)

            async def aread() -> object:
                return await fresh().aread()

            async def ours_body() -> object:
                return await read_body(fresh())

            async def ours_response() -> object:
                return await read_response(fresh())

            transport = httpx.MockTransport(lambda _request, fresh=fresh: fresh())
            async with httpx.AsyncClient(transport=transport) as client:

                async def send_aread(client: httpx.AsyncClient = client) -> object:
                    response = await client.send(client.build_request("GET", URL), stream=True)
                    return await response.aread()

                async def send_ours(client: httpx.AsyncClient = client) -> object:
                    response = await client.send(client.build_request("GET", URL), stream=True)
                    return await read_response(response)

                number = max(10, 300_000 // size)
                t = await best_of(
                    {
                        "aread": aread,
                        "body": ours_body,
                        "response": ours_response,
                        "send_aread": send_aread,
                        "send_ours": send_ours,
                    },
                    number,
                )

            label = f"{size // 1000} KB {coding}"
            print(
                f"{label:>16} {t['aread']:8.1f}µ {t['body']:9.1f}µ {t['response']:9.1f}µ"
                f" {t['response'] - t['aread']:+8.1f}µ {t['send_aread']:10.1f}µ"
                f" {t['send_ours']:9.1f}µ {t['send_ours'] / t['send_aread'] - 1:+8.1%}"
            )


if __name__ == "__main__":
    asyncio.run(main())
