"""Rate-limit benchmark, fairness under throttling (issue 20, point 9): 200 callers, each
making two calls one after the other, all starting at once behind an empty bucket.

Latency per call (and per caller, both calls) at p50 and p99, and the throughput, for the two
orders the limiter could serve its waiters in: by the start of the call a request belongs to
(what the limiter does: a retry keeps its call's place) and first come, first served (a retry
queues behind every call that arrived while it waited). Two cases:

- the limiter knows the bucket is empty (``initial_tokens=0``): no 429s; every request is a
  call's first attempt, so both orders are the same order;
- it does not (another program drained the key): the first requests meet 429s and wait, and
  the order decides whether their retries go first or last.

The fake refills 100 tokens a second (the API: 20) so that a run takes seconds; latencies
scale with 1/rate, the comparison does not. Run by :func:`bench_ratelimit.run`.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import replace
from typing import Any

from incidentio_async import IncidentIO, RateLimiter
from incidentio_async.errors import IncidentIOError
from incidentio_async.ratelimit import LimitedRequest
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.server import run_in_thread

CALLERS = 200
CALLS_EACH = 2
QUICK_CALLERS = 100
CAPACITY = 100
REFILL_RATE = 100.0
LATENCY = 0.005
ORDERS = ("call start", "arrival")
CASES = ("limiter knows the bucket is empty", "limiter does not know (429s)")


class ArrivalOrder(RateLimiter):
    """The same limiter serving waiters first come, first served: it is not told when a
    request's call started, so a retry counts as a newcomer."""

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        if request is not None:
            request = replace(request, call_started=None)
        await super().acquire(request)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0.5, 0.99) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def callers_run(
    base_url: str, key: str, follow_up_id: str, limiter: RateLimiter, callers: int
) -> dict[str, Any]:
    """Every caller makes its calls one after the other, all callers at once."""
    calls: list[float] = []
    per_caller: list[float] = []
    failed = 0
    async with IncidentIO(api_key=key, base_url=base_url, rate_limiter=limiter) as client:

        async def caller() -> None:
            nonlocal failed
            first = time.perf_counter()
            for _ in range(CALLS_EACH):
                began = time.perf_counter()
                try:
                    await client.follow_ups_v3.get(follow_up_id)
                except IncidentIOError:
                    failed += 1
                calls.append(time.perf_counter() - began)
            per_caller.append(time.perf_counter() - first)

        began = time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(callers)))
        total = time.perf_counter() - began
    return {
        "call_p50": statistics.median(calls),
        "call_p99": percentile(calls, 0.99),
        "call_max": max(calls),
        "caller_p50": statistics.median(per_caller),
        "caller_p99": percentile(per_caller, 0.99),
        "seconds": total,
        "throughput": len(calls) / total,
        "failed": failed,
    }


def run(quick: bool = False) -> dict[str, Any]:
    """Every case in both orders, interleaved, each on a fresh key of its own fake."""
    callers = QUICK_CALLERS if quick else CALLERS
    fake = FakeIncidentIO(
        seed=2, capacity=CAPACITY, refill_rate=REFILL_RATE, latency=LATENCY, record_requests=False
    )
    follow_up_id = next(iter(fake.state.follow_ups))
    rows = []
    with run_in_thread(fake) as base_url:
        for case in CASES:
            for order in ORDERS:
                key = fake.add_api_key(f"fairness-{len(fake.state.api_keys)}")
                knows = case == CASES[0]
                kind = RateLimiter if order == "call start" else ArrivalOrder
                limiter = kind(CAPACITY, REFILL_RATE, initial_tokens=0 if knows else None)
                with fake.state.lock:  # another program has just emptied the key's bucket
                    fake.limits.bucket(key).tokens = 0.0
                figures = asyncio.run(callers_run(base_url, key, follow_up_id, limiter, callers))
                figures.update(case=case, order=order, rejected=fake.key_stats(key).rejected)
                rows.append(figures)
                print(f"  fairness: {summary(figures)}", file=sys.stderr, flush=True)
    return {
        "callers": callers,
        "calls_each": CALLS_EACH,
        "capacity": CAPACITY,
        "refill_rate": REFILL_RATE,
        "rows": rows,
        "verdicts": verdicts(rows),
        "quick": quick,
    }


def verdicts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each case: does serving by call start lower p99 without lowering throughput?"""
    out = []
    for case in CASES:
        by_order = {row["order"]: row for row in rows if row["case"] == case}
        ours, fifo = by_order["call start"], by_order["arrival"]
        out.append(
            {
                "case": case,
                "p99_ratio": ours["call_p99"] / fifo["call_p99"],
                "throughput_ratio": ours["throughput"] / fifo["throughput"],
            }
        )
    return out


def summary(row: dict[str, Any]) -> str:
    """One line about a row."""
    return (
        f"{row['case']}, by {row['order']}: per call p50 {row['call_p50']:.2f} s, p99 "
        f"{row['call_p99']:.2f} s; per caller p50 {row['caller_p50']:.2f} s, p99 "
        f"{row['caller_p99']:.2f} s; {row['throughput']:.1f} calls/s; {row['rejected']} x 429"
    )


def report(result: dict[str, Any]) -> str:
    """The rows as text."""
    lines = [
        f"Fairness: {result['callers']} callers x {result['calls_each']} calls behind an empty "
        f"bucket ({result['capacity']} at {result['refill_rate']:g}/s)"
    ]
    lines += [f"  {summary(row)}" for row in result["rows"]]
    lines += [
        f"  {v['case']}: call-start order p99 {v['p99_ratio']:.2f}x FIFO's, throughput "
        f"{v['throughput_ratio']:.3f}x"
        for v in result["verdicts"]
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run(quick="--quick" in sys.argv)))
