"""Rate-limit benchmark: how close to the bucket's ideal throughput, with how many 429s.

A local fake incident.io (``incidentio_async.testing``, served over a real socket) enforces a
token bucket scaled down so that a run is short: CAPACITY tokens, refilled at REFILL_RATE per
second. Each contender sends N cheap GETs (show one follow-up) on a fresh API key, so it starts
with a full bucket. With a full bucket at t=0, N requests cannot finish before
``(N - CAPACITY) / REFILL_RATE`` seconds: that is the ideal, and ``ideal / measured`` is the
fraction of it achieved (measured from the first request sent to the last response). The 429s
are the fake's own count for the key, not what a client says it saw.

Contenders, run one after another in an interleaved order:

- ours (``IncidentIO`` with ``RateLimiter``), 1, 16 and 64 concurrent tasks in one process;
- ours across 3 OS processes x 16 tasks sharing the key through ``RedisRateLimiter`` (a
  throwaway ``redis-server`` on a free loopback port);
- the official ``incident-io`` SDK: ``asyncio.gather`` over all N requests. Its README suggests
  no retry loop at all; we add the one the API's 429 body recommends (exponential backoff),
  honouring ``Retry-After``;
- a plain ``asyncio.Semaphore(16)`` around raw httpx GETs, with the same retry loop.

Targets (ours): >= 0.97 of ideal with zero 429s in one process, >= 0.95 with zero 429s across
three processes.

Two more scenarios run in the same ``make bench`` (their own modules):
:mod:`bench_ratelimit_scopes` (bulk GETs beside a saturated operation with a limit of its own,
locally and through Redis) and :mod:`bench_ratelimit_fairness` (latency per call of 200
callers behind an empty bucket, by call start and first come first served).

Run ``.venv/bin/python scripts/bench_ratelimit.py`` (``--quick`` for a smoke run, ``--output``
to change where the JSON goes; default ``bench-results/ratelimit.json``). ``scripts/bench.py``
imports :func:`run`. ``--worker`` is internal: one process of the Redis contender.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from incidentio_async import IncidentIO, RateLimiter, RedisRateLimiter
from incidentio_async.errors import IncidentIOError
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.server import run_in_thread

CAPACITY = 100
"""The fake's bucket size (the real API's is 1200)."""
REFILL_RATE = 20.0
"""The fake's refill rate, tokens per second (as the real API's)."""
LATENCY = 0.005
"""Seconds the fake waits before answering each request."""
FULL_REQUESTS = 280
"""N for a full run: (280 - 100) / 20 = 9 s ideal."""
QUICK_REQUESTS = 160
"""N for ``--quick``: 3 s ideal."""
REDIS_PROCESSES = 3
REDIS_TASKS = 16
SEMAPHORE_SLOTS = 16
TARGET_ONE_PROCESS = 0.97
TARGET_REDIS = 0.95

BACKOFF_BASE = 0.5
"""Reference retry loop: first backoff in seconds, doubled per attempt..."""
BACKOFF_CAP = 8.0
"""... up to this ..."""
BACKOFF_JITTER = 0.25
"""... stretched by up to this fraction at random, and never shorter than Retry-After."""
MAX_ATTEMPTS = 15
"""Attempts per request in the reference retry loop before it counts as failed."""

DEFAULT_OUTPUT = Path("bench-results/ratelimit.json")
WORKER_TIMEOUT = 120.0
"""Longest a Redis worker process may take, start-up included."""
RETRY_LOOP_NOTE = (
    "the official SDK's README suggests no retry loop; its and the semaphore's loop is the one "
    "the API's 429 body recommends: exponential backoff (0.5 s doubling, cap 8 s, +0-25% "
    "jitter), never shorter than Retry-After"
)


@dataclass
class Row:
    """One contender's figures."""

    contender: str
    """``ours`` or the reference's name."""
    setup: str
    tasks: int
    processes: int
    requests: int
    ideal_seconds: float
    seconds: float | None = None
    fraction_of_ideal: float | None = None
    rejected: int | None = None
    """429s, as counted by the fake."""
    admitted: int | None = None
    failed: int = 0
    target_fraction: float | None = None
    """Required fraction (with zero 429s); ``None`` for the reference contenders."""
    met: bool | None = None
    status: str = "ok"
    """``ok`` or ``not run``."""
    note: str = ""


@dataclass
class Outcome:
    """What one contender's requests came to, as its client saw them."""

    ok: int = 0
    failed: int = 0
    started: float = 0.0
    ended: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Bench:
    """The served fake and the run's parameters."""

    fake: FakeIncidentIO
    base_url: str
    follow_up_id: str
    requests: int
    quick: bool = False
    redis_url: str | None = None
    redis_missing: str = ""
    slow_follow_ups: list[str] = field(default_factory=list)
    """Follow-ups not yet connected to an external issue, for the slow operation to use."""

    def fresh_key(self, label: str) -> str:
        """A new API key on the fake: its own, full bucket."""
        return self.fake.add_api_key(f"bench-{label}-{len(self.fake.state.api_keys)}")

    @property
    def ideal_seconds(self) -> float:
        """The least time N requests can take against a full bucket."""
        return max(0.0, (self.requests - CAPACITY) / REFILL_RATE)

    @property
    def path(self) -> str:
        """The GET every contender sends."""
        return f"/v2/follow_ups/{self.follow_up_id}"


# -- the reference retry loop ----------------------------------------------------------------


def retry_after_of(headers: httpx.Headers) -> float:
    """``Retry-After`` in seconds (0 when absent or not a number of seconds)."""
    try:
        return max(0.0, float(headers.get("retry-after", "0")))
    except ValueError:
        return 0.0


def backoff_delay(attempt: int, retry_after: float, rng: random.Random) -> float:
    """Exponential backoff with jitter for retry ``attempt`` (0-based), at least Retry-After."""
    backoff = min(BACKOFF_CAP, BACKOFF_BASE * 2.0**attempt)
    return max(retry_after, backoff) * (1.0 + BACKOFF_JITTER * rng.random())


async def with_backoff(
    send: Callable[[], Awaitable[tuple[int, httpx.Headers]]], rng: random.Random
) -> bool:
    """Call ``send`` until it answers anything but 429 (True if 2xx), backing off in between;
    False after :data:`MAX_ATTEMPTS` attempts."""
    for attempt in range(MAX_ATTEMPTS):
        status, headers = await send()
        if status != 429:
            return 200 <= status < 300
        await asyncio.sleep(backoff_delay(attempt, retry_after_of(headers), rng))
    return False


# -- contenders ------------------------------------------------------------------------------


async def drive_ours(client: IncidentIO, follow_up_id: str, requests: int, tasks: int) -> Outcome:
    """Send ``requests`` GETs through ``client`` from ``tasks`` workers sharing one queue."""
    outcome = Outcome()
    pending = iter(range(requests))

    async def worker() -> None:
        for _ in pending:  # the iterator is shared: each item goes to exactly one worker
            try:
                await client.follow_ups.get(follow_up_id)
                outcome.ok += 1
            except IncidentIOError:
                outcome.failed += 1

    outcome.started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(tasks)))
    outcome.ended = time.perf_counter()
    return outcome


SLOW_CALLERS_PER_PROCESS = 2
"""Callers of the slow operation in each process of the mixed Redis scenario."""


@dataclass
class SlowOutcome:
    """What the calls of the slow operation came to."""

    ok: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


async def slow_caller(
    client: IncidentIO, follow_up_ids: list[str], stop: asyncio.Event, outcome: SlowOutcome
) -> None:
    """Connect one follow-up after another to an external issue until ``stop`` is set (the
    call under way then finishes)."""
    while not stop.is_set() and follow_up_ids:
        follow_up_id = follow_up_ids.pop()
        try:
            await client.follow_ups_v3.connect_external_issue(
                follow_up_id,
                provider="jira",
                url=f"https://example.atlassian.net/browse/BENCH-{follow_up_id[-6:]}",
            )
            outcome.ok += 1
        except IncidentIOError as error:
            outcome.failed += 1
            outcome.errors.append(str(error)[:200])


async def beside_slow_callers(
    client: IncidentIO,
    follow_up_id: str,
    requests: int,
    tasks: int,
    slow_ids: list[str],
    slow: SlowOutcome,
    callers: int,
) -> Outcome:
    """:func:`drive_ours`, with ``callers`` tasks keeping the slow operation saturated for as
    long as the GETs last; returns the GETs' outcome once the slow calls have finished too."""
    stop = asyncio.Event()

    async def bulk() -> Outcome:
        try:
            return await drive_ours(client, follow_up_id, requests, tasks)
        finally:
            stop.set()

    outcome, *_ = await asyncio.gather(
        bulk(), *(slow_caller(client, slow_ids, stop, slow) for _ in range(callers))
    )
    return outcome


async def ours_in_process(bench: Bench, key: str, tasks: int) -> Outcome:
    """Ours in this process: ``RateLimiter`` sized like the fake's bucket."""
    limiter = RateLimiter(capacity=CAPACITY, refill_rate=REFILL_RATE, max_concurrency=tasks)
    async with IncidentIO(api_key=key, base_url=bench.base_url, rate_limiter=limiter) as client:
        outcome = await drive_ours(client, bench.follow_up_id, bench.requests, tasks)
    outcome.extra = {"limiter_stats": asdict(limiter.stats)}
    return outcome


async def official_sdk(bench: Bench, key: str) -> Outcome:
    """The official SDK: ``asyncio.gather`` over every request, each with the retry loop."""
    from incident_io import AuthenticatedClient
    from incident_io.api.follow_ups_v2 import follow_ups_v2_show

    rng = random.Random(1)
    outcome = Outcome()
    async with AuthenticatedClient(base_url=bench.base_url, token=key) as client:

        async def send() -> tuple[int, httpx.Headers]:
            response = await follow_ups_v2_show.asyncio_detailed(bench.follow_up_id, client=client)
            return int(response.status_code), httpx.Headers(response.headers)

        outcome.started = time.perf_counter()
        results = await asyncio.gather(*(with_backoff(send, rng) for _ in range(bench.requests)))
        outcome.ended = time.perf_counter()
    outcome.ok = sum(results)
    outcome.failed = len(results) - outcome.ok
    return outcome


async def plain_semaphore(bench: Bench, key: str) -> Outcome:
    """Raw httpx GETs, each request (retries included) holding a slot of a Semaphore(16)."""
    rng = random.Random(2)
    outcome = Outcome()
    slots = asyncio.Semaphore(SEMAPHORE_SLOTS)
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=bench.base_url, headers=headers) as http:

        async def send() -> tuple[int, httpx.Headers]:
            response = await http.get(bench.path)
            return response.status_code, response.headers

        async def one() -> bool:
            async with slots:
                return await with_backoff(send, rng)

        outcome.started = time.perf_counter()
        results = await asyncio.gather(*(one() for _ in range(bench.requests)))
        outcome.ended = time.perf_counter()
    outcome.ok = sum(results)
    outcome.failed = len(results) - outcome.ok
    return outcome


async def round_trip(bench: Bench, key: str, samples: int = 15) -> float:
    """Median seconds of one GET sent alone over a warm connection (raw httpx): one task can
    never do better than one request per round trip."""
    headers = {"Authorization": f"Bearer {key}"}
    times: list[float] = []
    async with httpx.AsyncClient(base_url=bench.base_url, headers=headers) as http:
        await http.get(bench.path)
        for _ in range(samples):
            began = time.perf_counter()
            await http.get(bench.path)
            times.append(time.perf_counter() - began)
    return statistics.median(times)


# -- ours across processes, through Redis ----------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_redis(url: str, process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Return once Redis at ``url`` answers PING; raise if it exits or stays silent."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {process.returncode}")
            with contextlib.suppress(redis.exceptions.ConnectionError):
                if client.ping():
                    return
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not answer PING in time")
            time.sleep(0.05)
    finally:
        client.close()


def redis_unavailable() -> str:
    """Why the Redis contender cannot run here ('' if it can)."""
    if shutil.which("redis-server") is None:
        return "redis-server not found on PATH"
    try:
        import redis  # noqa: F401
    except ImportError:
        return "the redis package is not installed (pip install 'incidentio-async[redis]')"
    return ""


@contextlib.contextmanager
def throwaway_redis() -> Iterator[str]:
    """A redis-server on a free loopback port, without persistence; yields its URL."""
    port = free_port()
    command = [
        shutil.which("redis-server") or "redis-server",
        "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--loglevel", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for_redis(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def split(total: int, parts: int) -> list[int]:
    """``total`` spread as evenly as possible over ``parts``."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def spawn_worker(
    bench: Bench,
    key: str,
    requests: int,
    tasks: int = REDIS_TASKS,
    slow_ids: list[str] | None = None,
) -> subprocess.Popen[str]:
    """Start one Redis worker process (it prints READY, then waits for a start time); with
    ``slow_ids``, it also keeps two callers connecting those follow-ups while its GETs last."""
    assert bench.redis_url is not None
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker",
        "--base-url", bench.base_url, "--redis-url", bench.redis_url,
        "--follow-up-id", bench.follow_up_id,
        "--requests", str(requests), "--tasks", str(tasks),
    ]  # fmt: skip
    if slow_ids:
        command += ["--slow-ids", ",".join(slow_ids)]
    env = dict(os.environ, INCIDENT_API_KEY=key)
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )


def await_ready(process: subprocess.Popen[str]) -> None:
    """Block until a worker has printed READY (raise if it died first)."""
    assert process.stdout is not None
    line = process.stdout.readline()
    if line.strip() != "READY":
        process.kill()
        raise RuntimeError(f"a Redis worker failed to start (said {line.strip()!r})")


def collect(process: subprocess.Popen[str]) -> dict[str, Any]:
    """The JSON result a worker printed last."""
    try:
        out, _ = process.communicate(timeout=WORKER_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError("a Redis worker timed out") from None
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"a Redis worker failed (exit {process.returncode})")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def ours_redis(
    bench: Bench, key: str, tasks: int = REDIS_TASKS, slow_ids: list[list[str]] | None = None
) -> Outcome:
    """Ours across processes: each sends its share, all starting at the same wall-clock time.
    Times are wall-clock (comparable across processes): first start to last end."""
    shares = split(bench.requests, REDIS_PROCESSES)
    workers = [
        spawn_worker(bench, key, n, tasks, None if slow_ids is None else slow_ids[i])
        for i, n in enumerate(shares)
    ]
    try:
        for process in workers:
            await_ready(process)
        start_at = time.time() + 0.25
        for process in workers:
            assert process.stdin is not None
            process.stdin.write(f"{start_at!r}\n")
            process.stdin.flush()
        results = [collect(process) for process in workers]
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
    return Outcome(
        ok=sum(r["ok"] for r in results),
        failed=sum(r["failed"] for r in results),
        started=min(r["started"] for r in results),
        ended=max(r["ended"] for r in results),
        extra={"workers": results},
    )


async def worker_main(args: argparse.Namespace) -> dict[str, Any]:
    """One Redis worker: set up, say READY, wait for the start time on stdin, send, report."""
    slow_ids = [i for i in (args.slow_ids or "").split(",") if i]
    limiter = RedisRateLimiter(
        args.redis_url,
        capacity=CAPACITY,
        refill_rate=REFILL_RATE,
        max_concurrency=args.tasks + (SLOW_CALLERS_PER_PROCESS if slow_ids else 0),
    )
    slow = SlowOutcome()
    async with IncidentIO(base_url=args.base_url, rate_limiter=limiter) as client:
        # Connects to Redis and loads the script (takes no token), and proves Redis is up.
        reachable = await limiter.peek_tokens() is not None
        print("READY", flush=True)
        start_at = float(await asyncio.to_thread(sys.stdin.readline))
        await asyncio.sleep(max(0.0, start_at - time.time()))
        started = time.time()
        if slow_ids:
            outcome = await beside_slow_callers(
                client, args.follow_up_id, args.requests, args.tasks, slow_ids, slow,
                SLOW_CALLERS_PER_PROCESS,
            )  # fmt: skip
        else:
            outcome = await drive_ours(client, args.follow_up_id, args.requests, args.tasks)
        ended = started + (outcome.ended - outcome.started)
    return {
        "slow_ok": slow.ok,
        "slow_failed": slow.failed,
        "scopes": sorted(limiter.scope_stats()),
        "ok": outcome.ok,
        "failed": outcome.failed,
        "started": started,
        "ended": ended,
        "redis_reachable_at_start": reachable,
        "redis_reachable_at_end": limiter.backend_available,
        "limiter_stats": asdict(limiter.stats),
    }


# -- running and reporting -------------------------------------------------------------------


def make_row(
    bench: Bench, contender: tuple[str, str], tasks: int, processes: int, key: str, outcome: Outcome
) -> Row:
    """Figures for one finished contender, the 429s and admissions from the fake."""
    stats = bench.fake.key_stats(key)
    seconds = outcome.ended - outcome.started
    row = Row(
        contender=contender[0],
        setup=contender[1],
        tasks=tasks,
        processes=processes,
        requests=bench.requests,
        ideal_seconds=bench.ideal_seconds,
        seconds=seconds,
        fraction_of_ideal=bench.ideal_seconds / seconds if seconds > 0 else None,
        rejected=stats.rejected,
        admitted=stats.admitted,
        failed=bench.requests - outcome.ok,
    )
    return row


def judge(bench: Bench, row: Row, target: float | None) -> Row:
    """Set the row's target and whether it was met (fraction, zero 429s, no failures). A quick
    run has no targets: they are for the full run, whose ideal is three times longer."""
    row.target_fraction = None if bench.quick else target
    fraction = row.fraction_of_ideal
    if row.target_fraction is not None and fraction is not None:
        row.met = fraction >= row.target_fraction and row.rejected == 0 and row.failed == 0
    return row


def run_in_process(bench: Bench, kind: str, tasks: int) -> Row:
    """Run one single-process contender on a fresh key; return its row."""
    key = bench.fresh_key(f"{kind}-{tasks}")
    if kind == "ours":
        outcome = asyncio.run(ours_in_process(bench, key, tasks))
        setup = f"RateLimiter, 1 process x {tasks} task{'s' if tasks > 1 else ''}"
        row = make_row(bench, ("ours", setup), tasks, 1, key, outcome)
        row.note = f"limiter: {outcome.extra['limiter_stats']}"
        return judge(bench, row, TARGET_ONE_PROCESS)
    if kind == "official":
        outcome = asyncio.run(official_sdk(bench, key))
        setup = f"asyncio.gather over all {bench.requests}, retry with backoff"
        row = make_row(bench, ("official incident-io SDK", setup), bench.requests, 1, key, outcome)
    else:
        outcome = asyncio.run(plain_semaphore(bench, key))
        setup = f"asyncio.Semaphore({tasks}), retry with backoff"
        row = make_row(bench, ("httpx + asyncio.Semaphore", setup), tasks, 1, key, outcome)
    row.note = RETRY_LOOP_NOTE
    return judge(bench, row, None)


def run_redis(bench: Bench) -> Row:
    """Run ours across processes through Redis, or a 'not run' row saying why not."""
    contender = ("ours", f"RedisRateLimiter, {REDIS_PROCESSES} processes x {REDIS_TASKS} tasks")
    if bench.redis_url is None:
        print(f"\n*** NOT RUN: {contender[1]}: {bench.redis_missing} ***\n", file=sys.stderr)
        return Row(
            contender=contender[0],
            setup=contender[1],
            tasks=REDIS_TASKS,
            processes=REDIS_PROCESSES,
            requests=bench.requests,
            ideal_seconds=bench.ideal_seconds,
            target_fraction=None if bench.quick else TARGET_REDIS,
            status="not run",
            note=bench.redis_missing,
        )
    key = bench.fresh_key("redis")
    outcome = ours_redis(bench, key)
    row = make_row(bench, contender, REDIS_TASKS, REDIS_PROCESSES, key, outcome)
    workers = outcome.extra["workers"]
    down = [
        w for w in workers if not w["redis_reachable_at_start"] or not w["redis_reachable_at_end"]
    ]
    row.note = f"per-process limiter stats: {[w['limiter_stats'] for w in workers]}"
    if down:
        row.note = f"REDIS UNREACHABLE in {len(down)} worker(s) (fell back); " + row.note
    return judge(bench, row, TARGET_REDIS)


def schedule(bench: Bench) -> list[tuple[str, Callable[[], Row]]]:
    """The contenders in the order they run: ours and the references interleaved."""
    return [
        ("ours x1", lambda: run_in_process(bench, "ours", 1)),
        ("official", lambda: run_in_process(bench, "official", bench.requests)),
        ("ours x16", lambda: run_in_process(bench, "ours", 16)),
        ("semaphore", lambda: run_in_process(bench, "semaphore", SEMAPHORE_SLOTS)),
        ("ours x64", lambda: run_in_process(bench, "ours", 64)),
        ("redis 3x16", lambda: run_redis(bench)),
    ]


DISPLAY_ORDER = ("ours x1", "ours x16", "ours x64", "redis 3x16", "official", "semaphore")


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """Where the figures were taken."""
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }


SLOW_FOLLOW_UPS = 400
"""Follow-ups made for the slow operation to connect (each can be connected once)."""


def make_bench(fake: FakeIncidentIO, base_url: str, requests: int, quick: bool) -> Bench:
    """The run's parameters, with the follow-up every request shows and those the slow
    operation connects."""
    follow_up_id = next(iter(fake.state.follow_ups))
    incident = fake.add_incident("Bench: follow-ups to connect")
    slow = [fake.add_follow_up(incident, f"Connect me {n}").id for n in range(SLOW_FOLLOW_UPS)]
    return Bench(fake, base_url, follow_up_id, requests, quick, slow_follow_ups=slow)


def contend(requests: int, quick: bool) -> tuple[dict[str, Row], float, list[dict[str, Any]]]:
    """Serve the fake (and Redis), run the contenders and the mixed workload; return their
    rows and the round trip."""
    import bench_ratelimit_scopes

    fake = FakeIncidentIO(
        seed=1,
        capacity=CAPACITY,
        refill_rate=REFILL_RATE,
        latency=LATENCY,
        record_requests=False,
        endpoint_limits={bench_ratelimit_scopes.SLOW_OPERATION: bench_ratelimit_scopes.SLOW_LIMIT},
    )
    rows: dict[str, Row] = {}
    with run_in_thread(fake) as base_url, contextlib.ExitStack() as stack:
        bench = make_bench(fake, base_url, requests, quick)
        rtt = asyncio.run(round_trip(bench, bench.fresh_key("rtt")))
        bench.redis_missing = redis_unavailable()
        if not bench.redis_missing:
            bench.redis_url = stack.enter_context(throwaway_redis())
        for name, contender in schedule(bench):
            rows[name] = contender()
            print(f"  {name}: {summary(rows[name])}", file=sys.stderr, flush=True)
        mixed = bench_ratelimit_scopes.run(bench)
    return rows, rtt, mixed


def caveats(rows: dict[str, Row], rtt: float, quick: bool) -> list[str]:
    """What a reader of the figures must know about this run."""
    found = []
    if quick:
        found.append("quick run: no targets (they are for the full run's longer ideal)")
    if rtt > LATENCY + 0.025:
        found.append(
            f"one GET alone takes {rtt * 1000:.0f} ms against a fake that waits "
            f"{LATENCY * 1000:g} ms, which caps one task at {1 / rtt:.0f} requests/s; the likely "
            "cause is Nagle + delayed ACK (~40 ms): the fake's listening socket is made with "
            "proto 0, so asyncio does not set TCP_NODELAY on its connections"
        )
    for row in rows.values():
        if row.status != "ok":
            found.append(f"NOT RUN: {row.contender}, {row.setup}: {row.note}")
        elif row.note.startswith("REDIS UNREACHABLE"):
            found.append(f"{row.setup}: Redis was unreachable, its figures are not valid")
    return found


def targets_met(rows: dict[str, Row], quick: bool) -> bool | None:
    """Whether every row with a target met it (``None`` for a quick run or a row not run)."""
    if quick:
        return None
    judged = [row.met for row in rows.values() if row.target_fraction is not None]
    if any(met is None for met in judged):
        return None
    return all(judged)


def run(quick: bool = False) -> dict[str, Any]:
    """Run every contender once, then the mixed workload and the fairness scenario
    (synchronously; about 2.5 min, ``quick`` about 1 min) and return the metadata and rows
    (``rows`` in display order)."""
    requests = QUICK_REQUESTS if quick else FULL_REQUESTS
    began = time.perf_counter()
    with warnings.catch_warnings():
        # Both SDKs warn that Follow-ups V2 is deprecated; not news here.
        warnings.simplefilter("ignore", DeprecationWarning)
        rows, rtt, mixed = contend(requests, quick)
        import bench_ratelimit_fairness
        import bench_ratelimit_scopes

        fairness = bench_ratelimit_fairness.run(quick)
    found = caveats(rows, rtt, quick)
    return {
        "benchmark": "ratelimit",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "parameters": {
            "capacity": CAPACITY,
            "refill_rate": REFILL_RATE,
            "latency_seconds": LATENCY,
            "requests": requests,
            "ideal_seconds": max(0.0, (requests - CAPACITY) / REFILL_RATE),
            "quick": quick,
            "round_trip_ms": round(rtt * 1000, 2),
            "request": "GET /v2/follow_ups/{id}",
            "retry_loop": RETRY_LOOP_NOTE,
        },
        "rows": [asdict(rows[name]) for name in DISPLAY_ORDER],
        "mixed": mixed,
        "mixed_description": bench_ratelimit_scopes.DESCRIPTION,
        "fairness": fairness,
        "targets_met": targets_met(rows, quick),
        "caveats": found,
        "description": description(requests),
        "notes": [*found, f"Reference retry loop: {RETRY_LOOP_NOTE}."],
        "run_seconds": round(time.perf_counter() - began, 1),
    }


def description(requests: int) -> str:
    """What the rows measure, in a sentence or three (for BENCHMARKS.md)."""
    ideal = max(0.0, (requests - CAPACITY) / REFILL_RATE)
    return (
        f"{requests} GETs per contender against the local fake enforcing a token bucket of "
        f"{CAPACITY} refilled at {REFILL_RATE:g}/s (the real API's is 1200 at 20/s), each "
        f"contender on a fresh key. With a full bucket they cannot take less than {ideal:g} s; "
        "throughput / ideal is that over the measured time (first request sent to last "
        "response). 429s are counted by the fake. Targets for ours: >= "
        f"{TARGET_ONE_PROCESS:.2f} of ideal with zero 429s in one process, >= {TARGET_REDIS:.2f} "
        "with zero 429s across three processes sharing the key through Redis."
    )


def summary(row: Row) -> str:
    """One line about a row, for progress output."""
    if row.status != "ok":
        return f"NOT RUN ({row.note})"
    return f"{row.seconds:.2f} s, fraction {row.fraction_of_ideal:.3f}, {row.rejected} x 429"


def fmt(value: float | None, spec: str) -> str:
    """``value`` formatted, or a dash."""
    return "-" if value is None else format(value, spec)


def table(result: dict[str, Any]) -> str:
    """The rows as a plain-text table."""
    head = ("contender", "setup", "requests", "seconds", "ideal", "fraction", "429s", "failed",
            "target", "met")  # fmt: skip
    lines = [head]
    for row in result["rows"]:
        met = {True: "yes", False: "NO", None: "-"}[row["met"]]
        if row["status"] != "ok":
            met = "NOT RUN"
        target = row["target_fraction"]
        lines.append((
            row["contender"], row["setup"], str(row["requests"]), fmt(row["seconds"], ".2f"),
            fmt(row["ideal_seconds"], ".2f"), fmt(row["fraction_of_ideal"], ".3f"),
            fmt(row["rejected"], "d"), str(row["failed"]),
            "-" if target is None else f">={target:.2f}, 0x429", met,
        ))  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    rendered = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
                for line in lines]  # fmt: skip
    rendered.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in rendered)


def report(result: dict[str, Any]) -> str:
    """The table with its context."""
    p, m = result["parameters"], result["machine"]
    verdict = {True: "yes", False: "NO", None: "not judged"}[result["targets_met"]]
    return "\n".join([
        f"Rate-limit benchmark, {result['date']}: {m['cpu']}, {m['cores']} cores, "
        f"Python {m['python']}",
        f"Fake bucket {p['capacity']} at {p['refill_rate']:g}/s, latency {p['latency_seconds']}"
        f" s; {p['requests']} x {p['request']} per contender, each on a fresh key; "
        f"ideal {p['ideal_seconds']:.2f} s; fraction = ideal / measured; 429s counted by the "
        "fake.",
        f"One GET alone over a warm connection takes {p['round_trip_ms']:.1f} ms (median): one "
        f"task cannot exceed {1000 / p['round_trip_ms']:.0f} requests/s.",
        "",
        table(result),
        "",
        f"Targets met: {verdict}.",
        *(f"CAVEAT: {caveat}." for caveat in result["caveats"]),
        f"Reference retry loop: {p['retry_loop']}.",
        f"Run time: {result['run_seconds']} s.",
    ])  # fmt: skip


def write(result: dict[str, Any], output: Path) -> None:
    """Save the figures as JSON."""
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options (the ``--worker`` ones are internal)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller N, for a smoke run")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON results file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for option in ("--base-url", "--redis-url", "--follow-up-id"):
        parser.add_argument(option, help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--tasks", type=int, default=REDIS_TASKS, help=argparse.SUPPRESS)
    parser.add_argument("--slow-ids", default="", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with ``--worker``, one Redis worker process)."""
    args = parse_args(argv)
    if args.worker:
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        print(json.dumps(asyncio.run(worker_main(args))), flush=True)
        return 0
    result = run(quick=args.quick)
    print(report(result))
    import bench_ratelimit_fairness
    import bench_ratelimit_scopes

    print(bench_ratelimit_scopes.report(result["mixed"]))
    print(bench_ratelimit_fairness.report(result["fairness"]))
    write(result, args.output)
    print(f"Figures written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
