"""Export benchmark: 20,000 Follow-ups V3 past the cursor chain.

The fake incident.io (``python -m incidentio_async.testing --follow-ups 20000``) serves the
follow-ups created in bursts over 400 days, more of them lately, answers each request after
LATENCY seconds and enforces the real key bucket (1200 at once, then 20/s). Each contender
runs in a fresh process on a fresh API key (a full bucket) and walks every follow-up at 250
per page:

- raw httpx: the cursor chain, GET and ``json.loads``, no models (the chain's floor);
- ours, sequential: ``client.follow_ups_v3.list(page_size=250)``;
- ours with ``concurrency=`` 4, 8 and 16.

Measured: wall time, requests and 429s (every response, as the client's httpx saw it), the
process's peak RSS growth, and a digest of the IDs in the order received (the same records
in the same order as the chain, or not).

``python scripts/bench_export.py [--quick]``; ``scripts/bench.py`` imports :func:`run`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent

FOLLOW_UPS = 20_000
PAGE_SIZE = 250
LATENCY = 0.200
CONCURRENCIES = (4, 8, 16)
CONTENDERS = ("raw httpx", "ours, sequential", *(f"ours, concurrency {n}" for n in CONCURRENCIES))

TIME_TARGET = 0.25
"""Concurrency 8 takes at most this fraction of the chain's time (issue 24)..."""
REQUEST_TARGET = 1.15
"""... with at most this many times the chain's requests, and no 429."""


def run(quick: bool = False) -> dict[str, Any]:
    """Run every contender against one served fake (``quick``: one round, else two)."""
    from incidentio_async.testing.server import run_in_subprocess

    rounds = 1 if quick else 2
    keys = [f"bench-export-{n}" for n in range(rounds * len(CONTENDERS))]
    extra = ["--follow-ups", str(FOLLOW_UPS), *(arg for key in keys for arg in ("--api-key", key))]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in CONTENDERS}
    with run_in_subprocess(
        seed=1, sample_data=False, latency_ms=LATENCY * 1000, extra_args=extra
    ) as server:
        for round_number in range(rounds):
            for index, name in enumerate(CONTENDERS):
                key = keys[round_number * len(CONTENDERS) + index]
                runs[name].append(_child(server.base_url, key, name))
                print(f"export: {name}: {_brief(runs[name][-1])}", flush=True)
    rows = {name: _best(samples) for name, samples in runs.items()}
    chain = rows["raw httpx"]
    for row in rows.values():
        row["time_vs_chain"] = row["wall_s"] / chain["wall_s"]
        row["requests_vs_chain"] = row["requests"] / chain["requests"]
        row["same_as_chain"] = (row["records"], row["digest"]) == (
            chain["records"],
            chain["digest"],
        )
    return {
        "follow_ups": FOLLOW_UPS,
        "page_size": PAGE_SIZE,
        "latency_s": LATENCY,
        "rounds": rounds,
        "rows": rows,
    }


def _best(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run (the machine only ever adds time to a latency-bound walk)."""
    return dict(min(samples, key=lambda sample: sample["wall_s"]))


def _brief(row: dict[str, Any]) -> str:
    return (
        f"{row['wall_s']:.2f}s, {row['requests']} requests, {row['rejected']} 429s, "
        f"{row['peak_rss_growth_mib']:.1f} MiB"
    )


def _child(base_url: str, key: str, contender: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", base_url, key, contender],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


class Counter:
    """httpx event hooks: every request sent, every 429 received."""

    def __init__(self) -> None:
        self.requests = 0
        self.rejected = 0

    async def on_request(self, request: httpx.Request) -> None:
        self.requests += 1

    async def on_response(self, response: httpx.Response) -> None:
        if response.status_code == 429:
            self.rejected += 1

    def client(self, base_url: str, **kwargs: Any) -> httpx.AsyncClient:
        hooks = {"request": [self.on_request], "response": [self.on_response]}
        return httpx.AsyncClient(base_url=base_url, event_hooks=hooks, timeout=60, **kwargs)


async def raw_httpx(base_url: str, key: str, counter: Counter, ids: list[str]) -> None:
    params: dict[str, Any] = {"page_size": PAGE_SIZE}
    headers = {"Authorization": f"Bearer {key}"}
    async with counter.client(base_url, headers=headers) as client:
        while True:
            response = await client.get("/v3/follow_ups", params=params)
            response.raise_for_status()
            data = json.loads(response.content)
            ids.extend(record["id"] for record in data["follow_ups"])
            after = data.get("pagination_meta", {}).get("after")
            if not after:
                return
            params["after"] = after


async def ours(base_url: str, key: str, counter: Counter, ids: list[str], concurrency: int) -> None:
    from incidentio_async import IncidentIO

    async with (
        counter.client(base_url) as http,
        IncidentIO(key, base_url=base_url, http_client=http) as client,
    ):
        async for follow_up in client.follow_ups_v3.list(
            page_size=PAGE_SIZE, concurrency=concurrency
        ):
            ids.append(follow_up.id)


async def _run_child(base_url: str, key: str, contender: str) -> dict[str, Any]:
    import incidentio_async.models  # noqa: F401  (imports are not what is measured)

    # One untimed request opens the connection and loads the code paths.
    async with httpx.AsyncClient(base_url=base_url) as warm:
        await warm.get(
            "/v3/follow_ups",
            params={"page_size": 1},
            headers={"Authorization": f"Bearer {key}"},
        )
    counter = Counter()
    ids: list[str] = []
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if contender == "raw httpx":
        await raw_httpx(base_url, key, counter, ids)
    else:
        concurrency = 1 if contender.endswith("sequential") else int(contender.rsplit(" ", 1)[1])
        await ours(base_url, key, counter, ids, concurrency)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "wall_s": wall,
        "requests": counter.requests,
        "rejected": counter.rejected,
        "peak_rss_growth_mib": max(0, peak - baseline) / 1024,  # ru_maxrss is in KiB
        "records": len(ids),
        "digest": hashlib.sha256("\n".join(ids).encode()).hexdigest()[:16],
    }


def targets(export: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, what was measured, met?) for the export benchmark."""
    rows = export["rows"]
    eight = rows["ours, concurrency 8"]
    return [
        (
            f"export, concurrency 8: at most {TIME_TARGET:.2f} of the chain's time",
            f"{eight['wall_s']:.2f}s vs the raw httpx chain's {rows['raw httpx']['wall_s']:.2f}s "
            f"({eight['time_vs_chain']:.3f}x)",
            eight["time_vs_chain"] <= TIME_TARGET,
        ),
        (
            f"export, concurrency 8: at most {REQUEST_TARGET:.2f}x the chain's requests, no 429",
            f"{eight['requests']} vs {rows['raw httpx']['requests']} requests "
            f"({eight['requests_vs_chain']:.3f}x), {eight['rejected']} 429s",
            eight["requests_vs_chain"] <= REQUEST_TARGET and eight["rejected"] == 0,
        ),
        (
            "export: every contender lists the chain's records in the chain's order",
            ", ".join(
                f"{name}: {'same' if row['same_as_chain'] else 'DIFFERENT'}"
                for name, row in rows.items()
                if name != "raw httpx"
            ),
            all(row["same_as_chain"] for row in rows.values()),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round instead of two")
    parser.add_argument("--child", nargs=3, metavar=("URL", "KEY", "CONTENDER"))
    parser.add_argument("--output", type=Path, default=ROOT / "bench-results" / "export.json")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(asyncio.run(_run_child(*args.child))))
        return 0
    result = run(quick=args.quick)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    for target, measured, met in targets(result):
        print(f"{'met' if met else 'MISSED'}: {target}: {measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
