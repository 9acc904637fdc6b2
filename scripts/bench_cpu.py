"""CPU per request at the floor (issue 22): what the client spends beyond the work no client
can avoid, per paginated request and per small call.

Every contender runs in a fresh process, rounds interleaved, and figures are medians:

- **pagination**: 100 pages x 250 incident updates from the fake served by uvicorn in another
  process at 50 ms latency (``bench.py``'s pagination harness, no consumer work), each run on
  a fresh key with the API's bucket, so that every response carries the API's
  ``X-RateLimit-*`` headers. Contenders: ours (the pager, lookahead on); the *floor*, raw
  httpx + ``json.loads`` + our models (``bench.raw_httpx_models``); raw httpx alone. Client
  CPU per request.
- **get**: ``client.follow_ups_v3.get(id)`` against the served fake with no added latency, vs
  a raw httpx GET + ``json.loads`` (+ the model, for reference). The fake runs in its own
  process so that only the client's CPU is counted (an in-process fake would charge its own
  routing and validation to both contenders and hide the difference).
- **profile**: ours and the floor under :mod:`cpu_profile`'s sampler, in the pagination
  harness: microseconds per request in each stage of a page's path. The profile of the code
  before issue 22 is kept in ``bench_cpu_before.json`` (``--save-before`` writes it).
- **instructions** (``--instructions``, needs valgrind): instructions per request of each
  pagination contender under ``valgrind --tool=callgrind``: deterministic, for A/B decisions on
  a noisy machine (a run of N pages minus a run of none, the warm-up included in both).

    python scripts/bench_cpu.py [--quick] [--instructions] [--save-before]

``scripts/bench.py`` imports :func:`run` (``bench.py --only cpu`` runs this scenario alone).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench  # noqa: E402
import cpu_profile  # noqa: E402

from incidentio_async.testing.server import ServerProcess, run_in_subprocess  # noqa: E402

BEFORE = ROOT / "scripts" / "bench_cpu_before.json"

PAGES = bench.PAGES
LATENCY = bench.LATENCY
PAGINATION = {
    "ours": bench.ours,
    "floor (raw httpx + models)": bench.raw_httpx_models,
    "raw httpx": bench.raw_httpx,
}
FLOOR = "floor (raw httpx + models)"

PIPELINE_TARGET_MS = 1.0
"""Our CPU per paginated request exceeds the floor's by at most this (issue 22)."""
GET_TARGET = 1.5
"""Our CPU per ``get()`` is at most this many times raw httpx's (issue 22)."""

GET_CALLS = 2000
GET_WARM_UP = 200
GET_CAPACITY = 1_000_000
GET_REFILL = 10_000.0
"""The get scenario's bucket, on the fake and in our limiter: never the bottleneck."""

PROFILE_RUNS = 8
"""Walks of the 100 pages per profiled process: the sampler takes about one sample per 4 ms
of CPU (the kernel's tick), so a stage's figure needs a few thousand samples."""

INSTRUCTION_PAGES = 20


def run(quick: bool = False, instructions: bool = False) -> dict[str, Any]:
    """Every measurement of this scenario; ``quick``: fewer rounds and a shorter profile."""
    rounds = 2 if quick else 7
    results: dict[str, Any] = {
        "pages": PAGES,
        "page_size": bench.PAGE_SIZE,
        "latency_s": LATENCY,
        "quick": quick,
    }
    results["pagination"] = pagination(rounds)
    results["get"] = get_calls(rounds)
    results["profile"] = profile(2 if quick else PROFILE_RUNS)
    if BEFORE.exists():
        results["profile_before"] = json.loads(BEFORE.read_text())
    if instructions:
        results["instructions"] = instruction_counts()
    return results


# -- pagination -----------------------------------------------------------------------------


@contextmanager
def _pagination_server(keys: list[str]) -> Iterator[ServerProcess]:
    """The pagination harness's fake, with the API's bucket per key."""
    extra = [arg for key in keys for arg in ("--api-key", key)]
    with run_in_subprocess(
        seed=1,
        incident_updates=PAGES * bench.PAGE_SIZE,
        latency_ms=LATENCY * 1000,
        extra_args=extra,
    ) as server:
        yield server


def pagination(rounds: int) -> dict[str, Any]:
    """CPU per request of each contender: median of ``rounds`` interleaved fresh processes."""
    keys = [f"bench-cpu-{n}" for n in range(rounds * len(PAGINATION))]
    samples: dict[str, list[float]] = {name: [] for name in PAGINATION}
    with _pagination_server(keys) as server:
        for round_number in range(rounds):
            for index, name in enumerate(PAGINATION):
                key = keys[round_number * len(PAGINATION) + index]
                cpu = _child("pagination", server, key, name)
                samples[name].append(cpu * 1000 / PAGES)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print("cpu: pagination, ms per request:", _rounded(medians), flush=True)
    return {"ms_per_request": medians, "samples": samples, "rounds": rounds}


async def _pagination_child(server: ServerProcess, contender: str) -> float:
    walk = PAGINATION[contender]
    await walk(server, 0.0, pages=2)  # imports and the first connection are not measured
    gc.collect()
    started = time.process_time()
    records = await walk(server, 0.0)
    cpu = time.process_time() - started
    if records != PAGES * bench.PAGE_SIZE:
        raise RuntimeError(f"{contender} saw {records} records")
    return cpu


# -- a small call ---------------------------------------------------------------------------


async def _ours_get(server: ServerProcess, follow_up: str, calls: int) -> None:
    from incidentio_async import IncidentIO, RateLimiter

    limiter = RateLimiter(capacity=GET_CAPACITY, refill_rate=GET_REFILL)
    async with IncidentIO(server.api_key, base_url=server.base_url, rate_limiter=limiter) as client:
        for _ in range(GET_WARM_UP):
            await client.follow_ups_v3.get(follow_up)
        await _timed(calls, lambda: client.follow_ups_v3.get(follow_up))


async def _raw_get(server: ServerProcess, follow_up: str, calls: int, models: bool) -> None:
    from incidentio_api.models import FollowUpsShowResultV3

    headers = {"Authorization": f"Bearer {server.api_key}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as client:

        async def call() -> object:
            response = await client.get(f"/v3/follow_ups/{follow_up}")
            response.raise_for_status()
            data = json.loads(response.content)
            return FollowUpsShowResultV3.from_dict(data).follow_up if models else data

        for _ in range(GET_WARM_UP):
            await call()
        await _timed(calls, call)


_GET_CONTENDERS: dict[str, Callable[[ServerProcess, str, int], Awaitable[None]]] = {
    "ours": _ours_get,
    "raw httpx + model": lambda server, id_, calls: _raw_get(server, id_, calls, True),
    "raw httpx": lambda server, id_, calls: _raw_get(server, id_, calls, False),
}

_measured: list[float] = []


async def _timed(calls: int, call: Callable[[], Awaitable[object]]) -> None:
    gc.collect()
    started = time.process_time()
    for _ in range(calls):
        await call()
    _measured.append(time.process_time() - started)


def get_calls(rounds: int) -> dict[str, Any]:
    """CPU per ``get()`` of each contender: median of ``rounds`` interleaved fresh processes."""
    samples: dict[str, list[float]] = {name: [] for name in _GET_CONTENDERS}
    with run_in_subprocess(
        seed=1, api_key="bench-cpu-get", capacity=GET_CAPACITY, refill_rate=GET_REFILL
    ) as server:
        follow_up = _first_follow_up(server)
        for _ in range(rounds):
            for name in _GET_CONTENDERS:
                cpu = _child("get", server, server.api_key, name, follow_up)
                samples[name].append(cpu * 1e6 / GET_CALLS)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print("cpu: get, us per call:", _rounded(medians), flush=True)
    return {"us_per_call": medians, "samples": samples, "calls": GET_CALLS, "rounds": rounds}


def _first_follow_up(server: ServerProcess) -> str:
    response = httpx.get(
        f"{server.base_url}/v3/follow_ups",
        params={"page_size": 1},
        headers={"Authorization": f"Bearer {server.api_key}"},
    )
    response.raise_for_status()
    return str(response.json()["follow_ups"][0]["id"])


# -- the profile ----------------------------------------------------------------------------


def profile(runs: int) -> dict[str, Any]:
    """Microseconds per request in each stage of the path, for ours and the floor."""
    contenders = ("ours", FLOOR)
    keys = [f"bench-cpu-profile-{n}" for n in range(len(contenders))]
    result: dict[str, Any] = {"runs": runs, "pages": runs * PAGES}
    with _pagination_server(keys) as server:
        for key, name in zip(keys, contenders, strict=True):
            result[name] = _child("profile", server, key, name, str(runs))
            print(f"cpu: profile of {name}:", _rounded(result[name]["us_per_request"]), flush=True)
    return result


async def _profile_child(server: ServerProcess, contender: str, runs: int) -> dict[str, Any]:
    walk = PAGINATION[contender]
    await walk(server, 0.0, pages=2)
    gc.collect()
    started = time.process_time()
    with cpu_profile.sampling() as sampled:
        for _ in range(runs):
            await walk(server, 0.0)
    cpu = time.process_time() - started
    requests = runs * PAGES
    return {
        "cpu_us_per_request": cpu * 1e6 / requests,
        "samples": sampled.samples,
        "us_per_request": {
            stage: sampled.seconds[stage] * 1e6 / requests
            for stage in cpu_profile.STAGES
            if sampled.seconds[stage]
        },
        "gc_us_per_request": sampled.gc_seconds * 1e6 / requests,
        "functions_us_per_request": {
            name: seconds * 1e6 / requests for name, seconds in sampled.functions.most_common(30)
        },
    }


# -- instructions ---------------------------------------------------------------------------


def instruction_counts() -> dict[str, Any]:
    """Instructions per request of each pagination contender, counted by callgrind."""
    keys = [f"bench-cpu-cg-{n}" for n in range(2 * len(PAGINATION))]
    counts: dict[str, float] = {}
    with _pagination_server(keys) as server:
        for index, name in enumerate(PAGINATION):
            without = _instructions(server, keys[2 * index], name, 0)
            with_pages = _instructions(server, keys[2 * index + 1], name, INSTRUCTION_PAGES)
            counts[name] = (with_pages - without) / INSTRUCTION_PAGES
    print("cpu: instructions per request (M):", _rounded(counts, 1e-6), flush=True)
    return {"per_request": counts, "pages": INSTRUCTION_PAGES}


def _instructions(server: ServerProcess, key: str, contender: str, pages: int) -> int:
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--child", "walk", server.base_url, key,
        server.incident_id or "", contender, str(pages),
    ]  # fmt: skip
    output = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", output.stderr)
    if found is None:
        raise RuntimeError(f"callgrind said no total:\n{output.stderr[-2000:]}")
    return int(found.group(1))


async def _walk_child(server: ServerProcess, contender: str, pages: int) -> None:
    walk = PAGINATION[contender]
    await walk(server, 0.0, pages=2)
    gc.collect()
    if pages:
        await walk(server, 0.0, pages=pages)


# -- children -------------------------------------------------------------------------------


def _child(kind: str, server: ServerProcess, key: str, *extra: str) -> Any:
    """What a fresh process of ``kind`` prints last (as JSON), run against ``server``."""
    command = [
        sys.executable, __file__, "--child", kind, server.base_url, key,
        server.incident_id or "", *extra,
    ]  # fmt: skip
    output = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _run_child(kind: str, url: str, key: str, incident: str, contender: str, *extra: str) -> Any:
    server = ServerProcess(url, key, incident or None, process=None)  # type: ignore[arg-type]
    if kind == "pagination":
        return asyncio.run(_pagination_child(server, contender))
    if kind == "get":
        asyncio.run(_GET_CONTENDERS[contender](server, extra[0], GET_CALLS))
        return _measured[-1]
    if kind == "profile":
        return asyncio.run(_profile_child(server, contender, int(extra[0])))
    if kind == "walk":
        return asyncio.run(_walk_child(server, contender, int(extra[0])))
    raise ValueError(kind)


def _rounded(figures: dict[str, float], scale: float = 1.0) -> dict[str, float]:
    return {name: round(value * scale, 2) for name, value in figures.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, a shorter profile")
    parser.add_argument("--instructions", action="store_true", help="count with callgrind too")
    parser.add_argument(
        "--save-before",
        action="store_true",
        help=f"profile only, and keep it as the 'before' profile ({BEFORE.name})",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_run_child(*args.child)))
        return 0
    if args.save_before:
        before = profile(PROFILE_RUNS)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
        before["commit"] = commit
        before["date"] = time.strftime("%Y-%m-%d", time.gmtime())
        BEFORE.write_text(json.dumps(before, indent=2) + "\n")
        print(f"wrote {BEFORE}")
        return 0
    print(json.dumps(run(quick=args.quick, instructions=args.instructions), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
