"""Rate-limit benchmark, mixed workload: bulk GETs beside a saturated operation that has a
limit of its own (issue 17).

The fake of :mod:`bench_ratelimit` (bucket of 100 at 20/s per key) gives
``Follow-ups V3#ConnectExternalIssue`` a limit of its own: 2, refilled at 0.2/s. The same N
GETs are sent alone, then beside callers that keep connecting follow-ups for as long as the
GETs last, each on a fresh key; locally (one process, 24 tasks, 4 slow callers) and through
Redis (3 processes x 8 tasks, 2 slow callers each). The GETs must take no longer beside the
slow operation than alone (>= 0.97 of the alone throughput), meet no 429, and every slow call
must succeed (its 429s, before its limit is learned, are waited out).

Run by :func:`bench_ratelimit.run` (``make bench``); the figures are written to
BENCHMARKS.md by scripts/bench_report.py.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from bench_ratelimit import (
    CAPACITY,
    REDIS_PROCESSES,
    REFILL_RATE,
    SLOW_CALLERS_PER_PROCESS,
    Bench,
    Outcome,
    SlowOutcome,
    beside_slow_callers,
    drive_ours,
    ours_redis,
)

from incidentio_async import IncidentIO, RateLimiter

SLOW_OPERATION = "Follow-ups V3#ConnectExternalIssue"
SLOW_LIMIT = (2, 0.2)
"""The slow operation's own limit: a bucket of 2, refilled at 0.2 per second."""
BULK_OPERATION = "Follow-ups V2#Show"
"""What the bulk GETs are (the same as the single-scope rows')."""
LOCAL_TASKS = 24
LOCAL_SLOW_CALLERS = 4
REDIS_TASKS = 8
"""GET tasks per process through Redis (24 in all, as locally)."""
TARGET = 0.97


def take_follow_ups(bench: Bench, count: int) -> list[str]:
    """``count`` follow-ups for the slow operation, never used before."""
    taken, bench.slow_follow_ups[:] = bench.slow_follow_ups[:count], bench.slow_follow_ups[count:]
    return taken


async def in_process(bench: Bench, key: str, slow_callers: int) -> tuple[Outcome, SlowOutcome]:
    """The GETs through one client, beside ``slow_callers`` callers of the slow operation."""
    limiter = RateLimiter(capacity=CAPACITY, refill_rate=REFILL_RATE)
    slow = SlowOutcome()
    async with IncidentIO(api_key=key, base_url=bench.base_url, rate_limiter=limiter) as client:
        if slow_callers:
            ids = take_follow_ups(bench, 60)
            outcome = await beside_slow_callers(
                client, bench.follow_up_id, bench.requests, LOCAL_TASKS, ids, slow, slow_callers
            )
        else:
            outcome = await drive_ours(client, bench.follow_up_id, bench.requests, LOCAL_TASKS)
    outcome.extra = {"scopes": sorted(limiter.scope_stats())}
    return outcome, slow


def row(
    bench: Bench,
    setup: str,
    alone: Outcome,
    mixed: Outcome,
    slow_ok: int,
    slow_failed: int,
    key: str,
) -> dict[str, Any]:
    """One row: the GETs' throughput beside the slow operation as a fraction of alone."""
    stats = bench.fake.key_stats(key)
    alone_s, mixed_s = alone.ended - alone.started, mixed.ended - mixed.started
    fraction = alone_s / mixed_s if mixed_s > 0 else None
    bulk_429s = stats.rejected_by_operation.get(BULK_OPERATION, 0)
    failed = bench.requests - mixed.ok
    target = None if bench.quick else TARGET
    met = None
    if target is not None and fraction is not None:
        met = fraction >= target and bulk_429s == 0 and failed == 0 and slow_failed == 0
    return {
        "setup": setup,
        "requests": bench.requests,
        "alone_seconds": alone_s,
        "mixed_seconds": mixed_s,
        "fraction_of_alone": fraction,
        "bulk_429s": bulk_429s,
        "bulk_failed": failed,
        "slow_ok": slow_ok,
        "slow_failed": slow_failed,
        "slow_429s": stats.rejected_by_operation.get(SLOW_OPERATION, 0),
        "target_fraction": target,
        "met": met,
        "status": "ok",
    }


def local(bench: Bench) -> dict[str, Any]:
    """The mixed workload in one process."""
    alone, _ = asyncio.run(in_process(bench, bench.fresh_key("mixed-alone"), 0))
    key = bench.fresh_key("mixed")
    mixed, slow = asyncio.run(in_process(bench, key, LOCAL_SLOW_CALLERS))
    setup = f"RateLimiter, 1 process x {LOCAL_TASKS} tasks + {LOCAL_SLOW_CALLERS} slow callers"
    result = row(bench, setup, alone, mixed, slow.ok, slow.failed, key)
    result["errors"] = slow.errors[:3]
    return result


def redis(bench: Bench) -> dict[str, Any]:
    """The mixed workload across processes sharing the key through Redis."""
    setup = (
        f"RedisRateLimiter, {REDIS_PROCESSES} processes x {REDIS_TASKS} tasks + "
        f"{SLOW_CALLERS_PER_PROCESS} slow callers each"
    )
    if bench.redis_url is None:
        return {"setup": setup, "status": "not run", "note": bench.redis_missing, "met": None}
    alone = ours_redis(bench, bench.fresh_key("mixed-redis-alone"), REDIS_TASKS)
    key = bench.fresh_key("mixed-redis")
    ids = [take_follow_ups(bench, 40) for _ in range(REDIS_PROCESSES)]
    mixed = ours_redis(bench, key, REDIS_TASKS, ids)
    workers = mixed.extra["workers"]
    result = row(
        bench,
        setup,
        alone,
        mixed,
        sum(w["slow_ok"] for w in workers),
        sum(w["slow_failed"] for w in workers),
        key,
    )
    down = [w for w in workers if not w["redis_reachable_at_start"]]
    if down:
        result["note"] = f"REDIS UNREACHABLE in {len(down)} worker(s): figures not valid"
    return result


def run(bench: Bench) -> list[dict[str, Any]]:
    """Both rows (the fake and Redis already serving)."""
    rows = []
    for contender in (local, redis):
        rows.append(contender(bench))
        print(f"  mixed: {summary(rows[-1])}", file=sys.stderr, flush=True)
    return rows


def summary(result: dict[str, Any]) -> str:
    """One line about a row."""
    if result["status"] != "ok":
        return f"{result['setup']}: NOT RUN ({result.get('note', '')})"
    fraction = result["fraction_of_alone"]
    return (
        f"{result['setup']}: {result['mixed_seconds']:.2f} s vs {result['alone_seconds']:.2f} s "
        f"alone ({fraction:.3f}), {result['bulk_429s']} x 429 on the GETs, slow calls "
        f"{result['slow_ok']} ok / {result['slow_failed']} failed ({result['slow_429s']} x 429)"
    )


DESCRIPTION = (
    "The same GETs alone, then beside callers that keep an operation with a limit of its own "
    f"saturated (`{SLOW_OPERATION}`: {SLOW_LIMIT[0]} requests, refilled at {SLOW_LIMIT[1]:g}/s; "
    "the key's bucket is the single-scope rows' own), each on a fresh key. The GETs' "
    "throughput beside the slow operation is given as a fraction of theirs alone. Targets: "
    f">= {TARGET:.2f} of alone, no 429 on the GETs, every slow call succeeds (the slow "
    "operation's 429s come before any answer has told of its limit, and are waited out)."
)


def report(rows: list[dict[str, Any]]) -> str:
    """The rows as text."""
    return "\n".join(["Mixed workload: " + DESCRIPTION, *(f"  {summary(r)}" for r in rows)])
