"""The spec drives the client: an operation added to a spec becomes a working, typed method
through regeneration alone, with no hand-written line.

The test copies the vendored specs, adds a plain operation and a paginated one to a tag,
regenerates into a temporary directory, and calls both in a fresh interpreter that imports the
regenerated package (and the untouched core) against a small server. It also type-checks code
using them with mypy --strict.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from spec_data import ROOT, generate

TAG = "Incident Updates V2"


def _operations() -> dict[str, Any]:
    update = {"$ref": "#/components/schemas/IncidentUpdateV2"}
    return {
        "/v2/incident_updates/{id}": {
            "get": {
                "tags": [TAG],
                "summary": "Show Incident Updates V2",
                "description": "Get one incident update.",
                "operationId": "Incident Updates V2#Show",
                "parameters": [
                    {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}},
                    {
                        "in": "query",
                        "name": "preview_length",
                        "description": "Characters of the message to return.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ShowResultProbe"}
                            }
                        },
                    }
                },
            }
        },
        "/v2/incident_update_archive": {
            "get": {
                "tags": [TAG],
                "summary": "List archived Incident Updates V2",
                "description": "Archived updates, oldest first.",
                "operationId": "Incident Updates V2#ListArchive",
                "parameters": [
                    {"in": "query", "name": "after", "schema": {"type": "string"}},
                    {
                        "in": "query",
                        "name": "page_size",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ArchiveResultProbe"}
                            }
                        },
                    }
                },
            }
        },
    }, {
        "ShowResultProbe": {
            "type": "object",
            "properties": {"incident_update": update},
            "required": ["incident_update"],
        },
        "ArchiveResultProbe": {
            "type": "object",
            "properties": {
                "incident_updates": {"type": "array", "items": update},
                "pagination_meta": {"$ref": "#/components/schemas/PaginationMetaResultV2"},
            },
            "required": ["incident_updates", "pagination_meta"],
        },
    }


CALLER = textwrap.dedent(
    '''
    """Runs against the regenerated package: PYTHONPATH puts it first."""
    import json
    import sys
    import typing

    import anyio
    import httpx

    from incidentio_api.models import IncidentUpdateV2
    from incidentio_async import AsyncPager, IncidentIO, InvalidArgumentError, NotGiven
    from incidentio_async import RateLimiter
    from incidentio_async.clock import VirtualClock

    UPDATE = json.loads(sys.argv[1])
    requests = []
    throttled = []


    def record(index):
        return dict(UPDATE, id=f"01ARCHIVE{index:04d}")


    def server(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path.startswith("/v2/incident_updates/"):
            if len([r for r in requests if r.url.path == request.url.path]) == 1:
                return httpx.Response(503)  # retried, like every GET
            return httpx.Response(200, json={"incident_update": UPDATE})
        after = request.url.params.get("after")
        if after == "01ARCHIVE0001" and not throttled:
            throttled.append(request)
            return httpx.Response(429, headers={"Retry-After": "2"})
        start = 0 if after is None else int(after[-4:]) + 1
        page = [record(i) for i in range(start, min(start + 2, 5))]
        meta = {"page_size": 2}
        if start + 2 < 5:
            meta["after"] = page[-1]["id"]
        return httpx.Response(200, json={"incident_updates": page, "pagination_meta": meta})


    async def main() -> None:
        clock = VirtualClock()
        limiter = RateLimiter(clock=clock)
        client = IncidentIO(
            "key", transport=httpx.MockTransport(server), clock=clock, rate_limiter=limiter
        )
        async with clock.running(), client:
            resource = client.incident_updates_v2
            hints = typing.get_type_hints(resource.get)
            assert hints["return"] is IncidentUpdateV2, hints
            assert hints["preview_length"] == int | NotGiven | None, hints

            try:
                await resource.get("01U", preview_length=0)
            except InvalidArgumentError as error:
                assert "preview_length" in str(error), error
            else:
                raise AssertionError("preview_length=0 was not refused")
            assert requests == [], "a request was sent for a refused argument"

            update = await resource.get("01U/x", preview_length=5)
            assert isinstance(update, IncidentUpdateV2) and update.id == UPDATE["id"]
            assert [r.url.raw_path for r in requests] == [
                b"/v2/incident_updates/01U%2Fx?preview_length=5"
            ] * 2

            pager = resource.list_archive(page_size=2)
            assert isinstance(pager, AsyncPager)
            ids = [u.id for u in await pager.to_list()]
            assert ids == [f"01ARCHIVE{i:04d}" for i in range(5)], ids
            try:
                resource.list_archive(page_size=51)
            except InvalidArgumentError:
                pass
            else:
                raise AssertionError("page_size=51 was not refused")

            stats = limiter.stats
            # 2 show attempts, 3 pages and one 429 answered by a retry: each went through
            # the limiter, and both retries were counted.
            assert stats.acquired == 6 and stats.retries == 2 and stats.rate_limited == 1, stats
        print("ok")


    anyio.run(main)
    '''
)

TYPED_USER = textwrap.dedent(
    """
    from incidentio_api.models import IncidentUpdateV2
    from incidentio_async import IncidentIO


    async def use(client: IncidentIO) -> list[str]:
        update: IncidentUpdateV2 = await client.incident_updates_v2.get("01U", preview_length=3)
        ids = [update.id]
        async for archived in client.incident_updates_v2.list_archive(page_size=10):
            ids.append(archived.id)
        raw = await client.incident_updates_v2.with_raw_response.get("01U")
        parsed: IncidentUpdateV2 = raw.parse()
        ids.append(parsed.id)
        return ids
    """
)


def _digest(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec_dir = tmp_path_factory.mktemp("openapi")
    for spec in (ROOT / "openapi").glob("*.yaml"):
        shutil.copy(spec, spec_dir / spec.name)
    target = spec_dir / "incident-updates-v2.yaml"
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    paths, schemas = _operations()
    document["paths"].update(paths)
    document["components"]["schemas"].update(schemas)
    target.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    output = tmp_path_factory.mktemp("generated")
    generate.generate_into(output, spec_dir=spec_dir)
    return output


def _run(command: list[str], pythonpath: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, PYTHONPATH=str(pythonpath), **env)
    return subprocess.run(
        command, capture_output=True, text=True, env=environment, cwd=pythonpath, check=False
    )


def test_added_operations_work_without_a_hand_written_line(regenerated: Path) -> None:
    before = _digest(ROOT / "src")
    update = yaml.safe_load((ROOT / "openapi" / "incident-updates-v2.yaml").read_text())
    example = update["components"]["schemas"]["IncidentUpdatesListResultV2"]["example"]
    script = regenerated / "caller.py"
    script.write_text(CALLER, encoding="utf-8")
    record = json.dumps(example["incident_updates"][0])
    result = _run([sys.executable, str(script), record], regenerated)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"
    assert _digest(ROOT / "src") == before


def test_added_operations_are_typed_for_mypy_strict(regenerated: Path) -> None:
    user = regenerated / "typed_user.py"
    user.write_text(TYPED_USER, encoding="utf-8")
    mypy = Path(sys.executable).parent / "mypy"
    result = _run(
        [
            str(mypy),
            "--strict",
            "--config-file",
            os.devnull,
            "--cache-dir",
            str(regenerated / ".mypy_cache"),
            str(user),
        ],
        regenerated,
        MYPYPATH=os.pathsep.join([str(regenerated), str(ROOT / "src")]),
    )
    assert result.returncode == 0, result.stdout + result.stderr
