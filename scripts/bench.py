"""``make bench``: this client side by side with the official SDK and raw httpx.

Measures pagination (wall time against the latency bound, client CPU), parsing (microseconds
per record), memory while streaming 100,000 records, import time, the pipeline's own CPU per
request against the floor and where it goes (scripts/bench_cpu.py), what telemetry costs per
call (scripts/bench_telemetry.py), the rate-limit benchmark of scripts/bench_ratelimit.py and
the export benchmark of scripts/bench_export.py (20,000 Follow-ups V3: the cursor chain
against list(concurrency=N)); prints the figures and writes them to
BENCHMARKS.md (and bench-results/bench.json). Contenders run interleaved, round after round,
and results are medians and ratios: the machine is noisy, absolute times are not the point.

    python scripts/bench.py [--quick] [--skip-ratelimit] [--skip-export]
    python scripts/bench.py --only webhooks    # one scenario, its section of BENCHMARKS.md
    python scripts/bench.py --only cpu [--quick] [--instructions]    # issue 22's, likewise
    python scripts/bench.py --only import    # import time, into the last full run's figures
    python scripts/bench.py --only ratelimit    # the rate-limit scenarios, likewise
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gc
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench_parse import PAGE_SIZE  # noqa: E402
from bench_parse import incident_updates_page as page_body  # noqa: E402

from incidentio_async import IncidentIO, RateLimiter  # noqa: E402
from incidentio_async.testing.server import ServerProcess, run_in_subprocess  # noqa: E402

PAGES = 100
LATENCY = 0.050
WORK_PER_PAGE = 0.040
MEMORY_RECORDS = 100_000


class Contender(Protocol):
    """Walks the incident's updates (every page, or the first ``pages``); returns how many."""

    def __call__(self, server: ServerProcess, work: float, pages: int = ...) -> Awaitable[int]: ...


# -- pagination contenders: each walks every update of the incident, page by page ----------


async def ours(server: ServerProcess, work: float, pages: int = PAGES) -> int:
    """This client: the async pager (lookahead on, the default)."""
    records = 0
    async with IncidentIO(
        server.api_key, base_url=server.base_url, rate_limiter=RateLimiter()
    ) as client:
        pager = client.incident_updates.list(incident_id=server.incident_id, page_size=PAGE_SIZE)
        async with pager.pages() as iterator:
            async for page in iterator:
                records += len(page.items)
                if work:
                    await asyncio.sleep(work)
                pages -= 1
                if not pages:
                    break
    return records


async def official(server: ServerProcess, work: float, pages: int = PAGES) -> int:
    """The official SDK, with the cursor loop from its README (async variant)."""
    from incident_io import AuthenticatedClient
    from incident_io.api.incident_updates_v2 import incident_updates_v2_list
    from incident_io.models import IncidentUpdatesListResultV2
    from incident_io.types import UNSET, Unset

    records = 0
    after: str | Unset = UNSET
    async with AuthenticatedClient(base_url=server.base_url, token=server.api_key) as client:
        for _ in range(pages):
            page = await incident_updates_v2_list.asyncio(
                client=client, incident_id=server.incident_id, page_size=PAGE_SIZE, after=after
            )
            if not isinstance(page, IncidentUpdatesListResultV2):
                raise RuntimeError(f"request failed: {page}")
            records += len(page.incident_updates)
            if work:
                await asyncio.sleep(work)
            if isinstance(page.pagination_meta, Unset) or isinstance(
                page.pagination_meta.after, Unset
            ):
                break
            after = page.pagination_meta.after
    return records


async def raw_httpx(server: ServerProcess, work: float, pages: int = PAGES) -> int:
    """httpx and json.loads, no models: the floor of a sequential cursor chain."""
    return await _raw_loop(server, work, pages, models=False)


async def raw_httpx_models(server: ServerProcess, work: float, pages: int = PAGES) -> int:
    """The raw httpx loop building our models of each page: the work no client can avoid,
    the floor of our CPU per request (scripts/bench_cpu.py)."""
    return await _raw_loop(server, work, pages, models=True)


async def _raw_loop(server: ServerProcess, work: float, pages: int, models: bool) -> int:
    if models:  # imported by that contender only: raw httpx pays for no module of ours
        from incidentio_api.models import IncidentUpdatesListResultV2
    records = 0
    params: dict[str, Any] = {"incident_id": server.incident_id, "page_size": PAGE_SIZE}
    headers = {"Authorization": f"Bearer {server.api_key}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers) as client:
        for _ in range(pages):
            response = await client.get("/v2/incident_updates", params=params)
            response.raise_for_status()
            data = json.loads(response.content)
            if models:
                # Held until the next page is built, as a consumer of the records holds them.
                page = IncidentUpdatesListResultV2.from_dict(data)
                records += len(page.incident_updates)
            else:
                records += len(data["incident_updates"])
            if work:
                await asyncio.sleep(work)
            after = data.get("pagination_meta", {}).get("after")
            if not after:
                break
            params["after"] = after
    return records


CONTENDERS: dict[str, Contender] = {"ours": ours, "official": official, "raw httpx": raw_httpx}


def pagination(rounds: int) -> dict[str, Any]:
    """Walk 25,000 updates with each contender, interleaved, with and without per-page work.

    Every run is a fresh process holding one contender, as an application holds one SDK: in
    a shared process each collection of the garbage collector would also walk every other
    contender's modules (the official SDK imports over a thousand), and charge that to
    whichever contender happens to be allocating."""
    results: dict[str, Any] = {"pages": PAGES, "page_size": PAGE_SIZE, "latency_s": LATENCY}
    with run_in_subprocess(
        seed=1, incident_updates=PAGES * PAGE_SIZE, latency_ms=LATENCY * 1000, rate_limit=False
    ) as server:
        for label, work in (
            ("no work", 0.0),
            (f"{WORK_PER_PAGE * 1000:.0f} ms per page", WORK_PER_PAGE),
        ):
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in CONTENDERS}
            for _ in range(rounds):
                for name in CONTENDERS:
                    runs[name].append(_run_in_child(server, name, work))
            bound = PAGES * max(LATENCY, work)
            results[label] = {
                name: {
                    "wall_s": statistics.median(w for w, _ in samples),
                    "cpu_s": statistics.median(c for _, c in samples),
                    "wall_over_bound": statistics.median(w for w, _ in samples) / bound,
                    "cpu_ms_per_request": statistics.median(c for _, c in samples) / PAGES * 1000,
                    "bound_s": bound,
                }
                for name, samples in runs.items()
            }
            print(f"pagination ({label}):", _brief(results[label]), flush=True)
    return results


def _run_in_child(server: ServerProcess, contender: str, work: float) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``contender``, in a fresh process."""
    wall, cpu = _child("--pagination-child", server, contender, str(work))
    return float(wall), float(cpu)


def _child(flag: str, server: ServerProcess, *extra: str) -> Any:
    """What this script prints last (as JSON) when run as ``flag``'s child against
    ``server``."""
    incident = server.incident_id or ""
    output = subprocess.run(
        [sys.executable, __file__, flag, server.base_url, server.api_key, incident, *extra],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


async def _pagination_child(
    base_url: str, api_key: str, incident_id: str, contender: str, work: float
) -> tuple[float, float]:
    server = ServerProcess(base_url, api_key, incident_id, process=None)  # type: ignore[arg-type]
    run = CONTENDERS[contender]
    # Imports and the first connection are not what is measured: a short untimed warm-up.
    await run(server, 0.0, pages=2)
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    records = await run(server, work)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if records != PAGES * PAGE_SIZE:
        raise RuntimeError(f"{contender} saw {records} records")
    return wall, cpu


def _brief(table: dict[str, dict[str, float]]) -> str:
    return "; ".join(
        f"{name} {row['wall_s']:.2f}s ({row['wall_over_bound']:.2f}x bound, "
        f"cpu {row['cpu_s']:.2f}s)"
        for name, row in table.items()
    )


# -- parsing --------------------------------------------------------------------------------


def parsing(repeats: int) -> dict[str, Any]:
    """Microseconds per record to turn a 250-record page into models (best of ``repeats``)."""
    from incident_io.models import IncidentUpdatesListResultV2 as Official

    from incidentio_api.models import IncidentUpdatesListResultV2 as Ours

    body = page_body()
    parsers: dict[str, Callable[[], object]] = {
        "ours": lambda: Ours.from_dict(json.loads(body)),
        "official": lambda: Official.from_dict(json.loads(body)),
        "json.loads alone": lambda: json.loads(body),
    }
    best: dict[str, float] = {name: float("inf") for name in parsers}
    per_round = 40
    for _ in range(repeats):
        for name, parse in parsers.items():
            # With the garbage collector on, as in real use: its work is part of the cost.
            gc.collect()
            started = time.perf_counter()
            for _ in range(per_round):
                parse()
            elapsed = (time.perf_counter() - started) / per_round / PAGE_SIZE * 1e6
            best[name] = min(best[name], elapsed)
    print("parse (us/record):", {k: round(v, 2) for k, v in best.items()}, flush=True)
    return {"us_per_record": best, "records_per_page": PAGE_SIZE, "page_bytes": len(body)}


# -- memory ---------------------------------------------------------------------------------


async def _memory_child(base_url: str, api_key: str, incident_id: str) -> dict[str, Any]:
    import psutil

    process = psutil.Process()
    samples: list[int] = []
    records = 0
    async with IncidentIO(api_key, base_url=base_url, rate_limiter=RateLimiter()) as client:
        pager = client.incident_updates.list(incident_id=incident_id, page_size=PAGE_SIZE)
        async for page in pager.pages():
            records += len(page.items)
            samples.append(process.memory_info().rss)
        baseline = samples[0]
        collected_before = process.memory_info().rss
        everything = await pager.to_list()
        collected = process.memory_info().rss - collected_before
    mib = 1024 * 1024
    quarters = [samples[len(samples) * q // 4 - 1] for q in (1, 2, 3, 4)]
    return {
        "records": records,
        "baseline_mib": baseline / mib,
        "growth_at_quarters_mib": [(rss - baseline) / mib for rss in quarters],
        "peak_growth_mib": (max(samples) - baseline) / mib,
        "collect_all_growth_mib": collected / mib,
        "two_pages_of_models_mib": collected / mib / len(everything) * 2 * PAGE_SIZE,
    }


def memory() -> dict[str, Any]:
    """RSS growth while streaming 100,000 records, measured in a fresh process."""
    with run_in_subprocess(
        seed=1, incident_updates=MEMORY_RECORDS, sample_data=False, rate_limit=False
    ) as server:
        result: dict[str, Any] = _child("--memory-child", server)
    print("memory:", result, flush=True)
    return result


# -- import time ----------------------------------------------------------------------------


IMPORTED = ("incidentio_async", "httpx")

IMPORT_SETTINGS = {
    "as installed": "",
    # httpx imports its command line (click, rich, pygments) whenever those are installed, as
    # they are in this venv (uvicorn and openapi-python-client bring them); an application's
    # environment usually has none of them. Blocking click makes httpx skip its CLI, as there.
    "without httpx's CLI": "sys.modules['click'] = None\n",
}
"""The environments an import is timed in: this venv as it is, and without httpx's CLI."""


def _bytecode_env(cache: str) -> dict[str, str]:
    """The environment of the timed interpreters: both packages import from bytecode, as
    installed packages do. pip compiled httpx's, but our editable sources would be compiled
    on every import where PYTHONDONTWRITEBYTECODE is set; a private cache, warmed by an
    untimed import, puts both on the same footing without writing into the tree."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _timed_import(module: str, setup: str, env: dict[str, str]) -> float:
    code = (
        f"import sys, time\n{setup}"
        f"t = time.perf_counter()\nimport {module}\nprint(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    return float(out)


def import_time(repeats: int) -> dict[str, Any]:
    """Median seconds to import each module in a fresh interpreter, in each setting of
    :data:`IMPORT_SETTINGS`; every module and setting in turn, round after round."""
    samples: dict[tuple[str, str], list[float]] = {
        (setting, module): [] for setting in IMPORT_SETTINGS for module in IMPORTED
    }
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as cache:
        env = _bytecode_env(cache)
        for module in IMPORTED:
            _timed_import(module, "", env)
        for _ in range(repeats):
            for setting, setup in IMPORT_SETTINGS.items():
                for module in IMPORTED:
                    samples[setting, module].append(_timed_import(module, setup, env))
    result: dict[str, Any] = {
        "runs": repeats,
        "httpx_cli_installed": all(
            importlib.util.find_spec(name) is not None for name in ("click", "rich")
        ),
    }
    for setting in IMPORT_SETTINGS:
        medians = {module: statistics.median(samples[setting, module]) for module in IMPORTED}
        result[setting] = {**medians, "ratio": medians["incidentio_async"] / medians["httpx"]}
        figures = {k: round(v, 4) for k, v in result[setting].items()}
        print(f"import ({setting}):", figures, flush=True)
    return result


# -- the report -----------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    """What this ran on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "httpx": httpx.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    parser.add_argument("--skip-ratelimit", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument(
        "--only",
        choices=("webhooks", "cpu", "import", "ratelimit"),
        help="run one scenario and update only its figures (and its section of BENCHMARKS.md)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="cpu: also count instructions per request with valgrind (a few minutes more)",
    )
    parser.add_argument("--markdown", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--json", type=Path, default=ROOT / "bench-results" / "bench.json")
    parser.add_argument(
        "--render-only", action="store_true", help="rewrite BENCHMARKS.md from the JSON file"
    )
    parser.add_argument("--memory-child", nargs=3, metavar=("URL", "KEY", "INCIDENT"))
    parser.add_argument(
        "--pagination-child", nargs=5, metavar=("URL", "KEY", "INCIDENT", "CONTENDER", "WORK")
    )
    args = parser.parse_args(argv)
    if args.pagination_child:
        url, key, incident, contender, work = args.pagination_child
        timing = asyncio.run(_pagination_child(url, key, incident, contender, float(work)))
        print(json.dumps(timing))
        return 0
    if args.memory_child:
        print(json.dumps(asyncio.run(_memory_child(*args.memory_child))))
        return 0
    from bench_report import render

    if args.render_only:
        args.markdown.write_text(render(json.loads(args.json.read_text())))
        return 0
    if args.only == "webhooks":
        return _only_webhooks(args)
    if args.only == "cpu":
        return _only_cpu(args)
    if args.only in ("import", "ratelimit"):
        return _only_again(args)

    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    results["parse"] = parsing(repeats=3 if args.quick else 7)
    results["import"] = import_time(repeats=5 if args.quick else 21)
    results["pagination"] = pagination(rounds=1 if args.quick else 5)
    results["memory"] = memory()
    import bench_cpu

    results["cpu"] = bench_cpu.run(quick=args.quick, instructions=args.instructions)
    import bench_telemetry

    results["telemetry"] = bench_telemetry.run(quick=args.quick)
    import bench_webhooks

    results["webhooks"] = bench_webhooks.run(quick=args.quick)
    if not args.skip_ratelimit:
        import bench_ratelimit

        results["ratelimit"] = bench_ratelimit.run(quick=args.quick)
    if not args.skip_export:
        import bench_export

        results["export"] = bench_export.run(quick=args.quick)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    args.markdown.write_text(render(results))
    print(f"wrote {args.markdown} and {args.json}")
    return 0


def _only_cpu(args: argparse.Namespace) -> int:
    """Measure the CPU scenario alone (issue 22): into the last full run's figures when there
    are some, else into its own section of BENCHMARKS.md."""
    import bench_cpu

    figures = bench_cpu.run(quick=args.quick, instructions=args.instructions)
    section = bench_cpu.section
    _replace_section(args, "cpu", figures, bench_cpu.CPU_START, bench_cpu.CPU_END, section)
    print(f"wrote the CPU figures to {args.markdown}")
    return 0


def _replace_section(
    args: argparse.Namespace,
    key: str,
    figures: dict[str, Any],
    start: str,
    end: str,
    section: Callable[[dict[str, Any]], list[str]],
) -> None:
    """Put one scenario's ``figures`` into the last full run's, or its section alone into
    BENCHMARKS.md (between its markers)."""
    from bench_report import render

    if args.json.exists():
        results = json.loads(args.json.read_text())
        _note_rerun(results, key)
        results[key] = figures
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
        args.markdown.write_text(render(results))
        return
    text = args.markdown.read_text() if args.markdown.exists() else "# Benchmarks\n\n"
    block = "\n".join(section(figures))
    if start in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1].lstrip("\n")
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block
    args.markdown.write_text(text)


def _note_rerun(results: dict[str, Any], scenario: str) -> None:
    """Record in the full run's figures that ``scenario`` was measured again alone, and when."""
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    results.setdefault("reruns", {})[scenario] = when


def _only_again(args: argparse.Namespace) -> int:
    """Run one scenario again (import times, or the rate-limit scenarios) into the last full
    run's figures (its JSON file), and write BENCHMARKS.md from them."""
    if not args.json.exists():
        print(f"no {args.json}: run the whole bench once first", file=sys.stderr)
        return 1
    from bench_report import render

    results = json.loads(args.json.read_text())
    _note_rerun(results, args.only)
    if args.only == "import":
        results["import"] = import_time(repeats=5 if args.quick else 21)
    else:
        import bench_ratelimit

        results["ratelimit"] = bench_ratelimit.run(quick=args.quick)
    args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    args.markdown.write_text(render(results))
    print(f"wrote the {args.only} figures to {args.markdown} and {args.json}")
    return 0


def _only_webhooks(args: argparse.Namespace) -> int:
    """Measure the webhook scenario alone: into the last full run's figures when there are
    some, else into its own section of BENCHMARKS.md."""
    import bench_webhooks
    from bench_report import WEBHOOKS_END, WEBHOOKS_START, webhooks_section

    figures = bench_webhooks.run(quick=args.quick)
    _replace_section(args, "webhooks", figures, WEBHOOKS_START, WEBHOOKS_END, webhooks_section)
    print(f"wrote the webhook figures to {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
