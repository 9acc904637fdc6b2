"""What watching the calls costs: the client's CPU per call with nothing listening (the
default), with hooks, and with OpenTelemetry spans and metrics.

Each mode runs in a fresh process, rounds interleaved, and the median is kept. A process makes
CALLS calls of ``client.follow_ups_v3.get`` through an ``httpx.MockTransport`` that answers at
once (after an untimed warm-up), so the figure is the client's own CPU per call: the pipeline,
httpx, parsing, and whatever watches. Modes:

- ``off``: no hook, no OpenTelemetry, the SDK's logger at its default level (WARNING);
- ``hooks``: a no-op sync function on each of the four hooks;
- ``opentelemetry``: ``OpenTelemetry()`` with the SDK's TracerProvider (every span sampled and
  recorded; no exporter, so no export cost) and MeterProvider with an in-memory reader.

Besides, the ``off`` process times the observation path alone (``Instrumentation.start`` and
the five events a call makes, on the shared no-op observer), to say what nothing-listening
costs next to a whole call.

    .venv/bin/python scripts/bench_telemetry.py [--quick]

``scripts/bench.py`` imports :func:`run`. ``--child`` is internal.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import subprocess
import sys
import time
from typing import Any

import httpx

MODES = ("off", "hooks", "opentelemetry")
CALLS = 2000
WARM_UP = 200
QUIET_LOOPS = 200_000

FOLLOW_UP = {
    "follow_up": {
        "id": "01FCNDV6P870EA6S7TK1DSYDG0",
        "incident_id": "01FCNDV6P870EA6S7TK1DSYDG1",
        "creator": {"api_key": {"id": "01FCNDV6P870EA6S7TK1DSYDG2", "name": "CI key"}},
        "title": "Add alerting on replica lag",
        "status": "outstanding",
        "labels": ["bug"],
        "created_at": "2021-08-17T13:28:57.801578Z",
        "updated_at": "2021-08-17T13:28:57.801578Z",
    }
}


def _options(mode: str) -> dict[str, Any]:
    if mode == "hooks":

        def nothing(event: object) -> None:
            return None

        return {
            "on_request": nothing,
            "on_response": nothing,
            "on_retry": nothing,
            "on_rate_limited": nothing,
        }
    if mode == "opentelemetry":
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider

        from incidentio_async.telemetry import OpenTelemetry

        telemetry = OpenTelemetry(
            tracer_provider=TracerProvider(),
            meter_provider=MeterProvider(metric_readers=[InMemoryMetricReader()]),
        )
        return {"telemetry": telemetry}
    return {}


async def _child(mode: str, calls: int) -> dict[str, float]:
    from incidentio_async import IncidentIO, RateLimiter

    body = json.dumps(FOLLOW_UP).encode()
    headers = {"content-type": "application/json"}
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=body, headers=headers)
    )
    # A bucket that never runs dry: waiting is not what is measured.
    limiter = RateLimiter(capacity=1_000_000, refill_rate=1_000_000.0)
    async with IncidentIO(
        "bench-key", transport=transport, rate_limiter=limiter, **_options(mode)
    ) as client:
        for _ in range(WARM_UP):
            await client.follow_ups_v3.get("01FOLLOWUP")
        gc.collect()
        started = time.process_time()
        for _ in range(calls):
            await client.follow_ups_v3.get("01FOLLOWUP")
        cpu = time.process_time() - started
        result = {"us_per_call": cpu / calls * 1e6}
        if mode == "off":
            result["quiet_path_ns"] = _quiet_path(client)
    return result


def _quiet_path(client: Any) -> float:
    """Nanoseconds for what a call does when nothing listens: ask for an observer and tell it
    the five events of a one-attempt call."""
    from incidentio_async._pipeline import ApiRequest

    instrument = client._pipeline._instrument
    request = ApiRequest("GET", "/v3/follow_ups/01FOLLOWUP")
    attempt = httpx.Request("GET", "https://api.incident.io/v3/follow_ups/01FOLLOWUP")
    response = httpx.Response(200)
    started = time.perf_counter()
    for _ in range(QUIET_LOOPS):
        call = instrument.start(request)
        call.attempt_queued(attempt)
        call.attempt_sending()
        call.attempt_ended(response, None, 0.0)
        call.ended(response, None)
    return (time.perf_counter() - started) / QUIET_LOOPS * 1e9


def _run_child(mode: str, calls: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(calls)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def run(quick: bool = False) -> dict[str, Any]:
    """Every mode in fresh processes, interleaved round after round; medians and ratios."""
    rounds = 1 if quick else 5
    calls = CALLS // 4 if quick else CALLS
    samples: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    for _ in range(rounds):
        for mode in MODES:
            samples[mode].append(_run_child(mode, calls))
    per_call = {mode: statistics.median(s["us_per_call"] for s in samples[mode]) for mode in MODES}
    quiet = statistics.median(s["quiet_path_ns"] for s in samples["off"])
    result = {
        "calls": calls,
        "rounds": rounds,
        "us_per_call": per_call,
        "vs_off": {mode: per_call[mode] / per_call["off"] for mode in MODES},
        "quiet_path_ns": quiet,
        "quiet_share": quiet / 1000 / per_call["off"],
    }
    print(
        "telemetry (client CPU per call):",
        {
            mode: f"{value:.1f} us ({result['vs_off'][mode]:.2f}x)"
            for mode, value in per_call.items()
        },
        f"quiet path {quiet:.0f} ns ({result['quiet_share']:.2%} of a call)",
        flush=True,
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls and rounds")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "CALLS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, calls = args.child
        print(json.dumps(asyncio.run(_child(mode, int(calls)))))
        return 0
    print(json.dumps(run(quick=args.quick), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
