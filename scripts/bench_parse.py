"""Parse speed of the generated models alone: microseconds per record, 250-record pages.

A focused companion to the parse part of ``scripts/bench.py`` for template work: it needs
neither the official SDK nor a server, and it can time a saved copy of the package beside the
current one, round after round in the same process, so that a template change is judged by a
ratio rather than by absolute times on a noisy machine.

    python scripts/bench_parse.py [--rounds N] [--compare DIR]

``--compare DIR``: DIR holds an older ``incidentio_api`` package, e.g. from
``git worktree add /tmp/old <commit>`` (then ``--compare /tmp/old/generated``); it is imported
under another name. A round times ``json.loads`` plus ``from_dict`` of one page with each
package, back to back (garbage collector on, as in ``bench.py``), in process CPU time; pages are
a page of incident updates from the fake and a page of follow-ups built from the spec's example.
Printed: the median time of each package and the median of the rounds' ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import copy
import gc
import importlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))

from incidentio_async.testing import FakeIncidentIO  # noqa: E402

from spec_data import body_examples  # noqa: E402

PAGE_SIZE = 250


def incident_updates_page() -> bytes:
    """One page of incident updates, as the fake serves it (the page ``bench.py`` parses)."""
    fake = FakeIncidentIO(seed=1, rate_limit=False, record_requests=False)
    incident_id = fake.add_incident_updates(PAGE_SIZE)

    async def fetch() -> bytes:
        async with fake.http_client() as client:
            response = await client.get(
                "/v2/incident_updates", params={"incident_id": incident_id, "page_size": PAGE_SIZE}
            )
            return response.content

    return asyncio.run(fetch())


def follow_ups_page() -> bytes:
    """A page of follow-ups with every field set: the spec's example, repeated."""
    example = next(e for label, _, e in body_examples() if label == "GET /v2/follow_ups 200")
    record = example["follow_ups"][0]
    records = []
    for index in range(PAGE_SIZE):
        one = copy.deepcopy(record)
        one["id"] = f"01FCNDV6P870EA6S7TK1D{index:05d}"
        records.append(one)
    return json.dumps({"follow_ups": records}).encode()


def load_models(package_root: Path | None) -> Any:
    """``incidentio_api.models``, or that of the package under ``package_root`` (renamed)."""
    if package_root is None:
        return importlib.import_module("incidentio_api.models")
    copied = Path(tempfile.mkdtemp(prefix="bench-parse-"))
    # Imported until the process ends: removed then.
    atexit.register(shutil.rmtree, copied, ignore_errors=True)
    shutil.copytree(package_root / "incidentio_api", copied / "incidentio_api_compared")
    sys.path.insert(0, str(copied))
    return importlib.import_module("incidentio_api_compared.models")


def page_parser(model: Any, body: bytes) -> Callable[[], object]:
    return lambda: model.from_dict(json.loads(body))


def time_page(parse: Callable[[], object]) -> float:
    """CPU time, not wall time: other processes on a shared machine then count for less."""
    started = time.process_time()
    parse()
    return (time.process_time() - started) / PAGE_SIZE * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--compare", type=Path, help="directory holding an older incidentio_api")
    args = parser.parse_args(argv)

    packages = {"current": load_models(None)}
    if args.compare is not None:
        packages["compared"] = load_models(args.compare)
    pages = {
        "IncidentUpdatesListResultV2": incident_updates_page(),
        "FollowUpsListResultV2": follow_ups_page(),
    }
    print(f"us/record, {args.rounds} rounds of one page of {PAGE_SIZE} per package:")
    for model_name, body in pages.items():
        parsers = [
            (package, page_parser(getattr(models, model_name), body))
            for package, models in packages.items()
        ]
        for _, parse in parsers:
            parse()  # warm up; any parse error shows here
        times: dict[str, list[float]] = {package: [] for package, _ in parsers}
        ratios = []
        gc.collect()
        for _ in range(args.rounds):
            for package, parse in parsers:
                times[package].append(time_page(parse))
            # Neither package always runs first, on a cache the other has warmed.
            parsers.reverse()
            if args.compare is not None:
                ratios.append(times["current"][-1] / times["compared"][-1])
        line = f"  {model_name:28} current {statistics.median(times['current']):6.2f}"
        if args.compare is not None:
            # The two timings of a round are moments apart, under the same load from other
            # processes: their ratio is steadier than a ratio of separate medians.
            line += f"  compared {statistics.median(times['compared']):6.2f}"
            line += f"  median ratio of rounds {statistics.median(ratios):5.3f}"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
