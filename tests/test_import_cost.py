"""What ``import incidentio_async`` and a first call import, checked in fresh interpreters.

Import time itself is measured by ``make bench`` (scripts/bench.py), never asserted here; these
tests catch the usual way it regresses: a module imported eagerly that only some programs need
(another tag's resource or models, Redis, the fake, the CLI).
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import incidentio_api.models
from incidentio_api.resources import TAGS

import spec_data

GENERATED = Path(incidentio_api.models.__file__).parent.parent


def dependencies_of(distribution: str) -> set[str]:
    """The packages ``distribution`` requires without extras, as importable names."""
    names = set()
    for text in importlib.metadata.requires(distribution) or []:
        if "extra ==" not in text:
            names.add(re.split(r"[\s;<>=!~\[]", text, maxsplit=1)[0].lower().replace("-", "_"))
    return names


# Third-party packages a bare import may bring beyond httpx's own: anyio (the client's waits)
# and what anyio imports (sniffio too, when it is installed).
ALLOWED_THIRD_PARTY = {"incidentio_async", "incidentio_api", "anyio", "sniffio"} | (
    dependencies_of("anyio")
)

# Imported by a call, a client or a feature that needs them; never by the bare import.
NOT_ON_IMPORT = (
    "incidentio_api.models",
    "incidentio_async.models",
    "incidentio_async.pagination",
    "incidentio_async._operation",
    "incidentio_async.ratelimit.local",
    "incidentio_async.ratelimit.redis",
    "incidentio_async.testing",
    "incidentio_async.cli",
    "incidentio_async.telemetry.hooks",
    "incidentio_async.telemetry.events",
    "incidentio_async.ratelimit.stats",
    "incidentio_async._pipeline",
    "incidentio_async.retries",
    "incidentio_async.telemetry.instrument",
    "incidentio_async.telemetry.otel",
    "incidentio_async.telemetry.tracing",
    "incidentio_async.telemetry.metrics",
    "opentelemetry",
    "redis",
    "dateutil",
    "uvicorn",
)

ON_IMPORT = """
import json, sys
import httpx
before = set(sys.modules)
import incidentio_async
print(json.dumps({"before": sorted(before), "after": sorted(sys.modules)}))
"""

ONE_CALL = """
import asyncio, json, sys
import httpx
from incidentio_async import IncidentIO

BODY = json.loads(sys.stdin.read())

async def main():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=BODY))
    async with IncidentIO("key", transport=transport) as client:
        follow_up = await client.follow_ups_v3.get("01FOLLOWUP")
    assert follow_up.id == BODY["follow_up"]["id"], follow_up

asyncio.run(main())
print(json.dumps(sorted(sys.modules)))
"""


def run_child(code: str, stdin: str = "") -> Any:
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def within(modules: list[str] | set[str], name: str) -> list[str]:
    """``name`` and its submodules among ``modules``."""
    return [module for module in modules if module == name or module.startswith(name + ".")]


def models_used(module: str) -> set[str]:
    """The model modules ``module`` (a resource or a model of the generated package) needs,
    directly or through other models, read from the sources: whatever the package imports
    at run time."""
    found: set[str] = set()
    pending = [module]
    while pending:
        current = pending.pop()
        path = GENERATED.joinpath(*current.split(".")[1:]).with_suffix(".py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level != 2:
                continue
            if node.module == "models":  # from ..models import A, B
                names = [
                    getattr(incidentio_api.models, alias.name).__module__ for alias in node.names
                ]
            elif node.module and node.module.startswith("models."):  # from ..models.a import A
                names = [f"incidentio_api.{node.module}"]
            else:
                continue
            for name in names:
                if name not in found:
                    found.add(name)
                    pending.append(name)
    return found


def show_example(schema_name: str) -> dict[str, Any]:
    for _, name, example in spec_data.body_examples():
        if name == schema_name:
            return example
    raise AssertionError(f"no example of {schema_name} in the specs")


def test_every_runtime_dependency_is_imported_by_the_package() -> None:
    """A dependency declared but never imported costs every user an install for nothing."""
    project = tomllib.loads((spec_data.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {
        re.split(r"[\s;<>=!~\[]", text, maxsplit=1)[0].lower()
        for text in project["project"]["dependencies"]
    }
    imported: set[str] = set()
    for root in (spec_data.ROOT / "src", GENERATED):
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    imported.add(node.module.split(".")[0])
    providers = importlib.metadata.packages_distributions()
    used = {dist.lower() for name in imported for dist in providers.get(name, ())}
    assert declared - used == set(), "declared in pyproject.toml but never imported"


def test_import_loads_no_resource_model_or_optional_feature() -> None:
    seen = run_child(ON_IMPORT)
    after = set(seen["after"])
    for name in NOT_ON_IMPORT:
        assert within(after, name) == [], f"import incidentio_async imported {name}"
    resources = within(after, "incidentio_api.resources")
    assert resources == ["incidentio_api.resources"], resources


def test_import_brings_no_third_party_package_beyond_httpx_and_anyio() -> None:
    seen = run_child(ON_IMPORT)
    new = set(seen["after"]) - set(seen["before"])
    top_levels = {module.split(".")[0] for module in new}
    third_party = top_levels - set(sys.stdlib_module_names)
    assert third_party <= ALLOWED_THIRD_PARTY, third_party - ALLOWED_THIRD_PARTY


def test_a_call_imports_its_own_resource_and_models_only() -> None:
    body = show_example("FollowUpsShowResultV3")
    modules = run_child(ONE_CALL, stdin=json.dumps(body))

    resources = within(modules, "incidentio_api.resources")
    assert sorted(resources) == [
        "incidentio_api.resources",
        "incidentio_api.resources.follow_ups_v3",
    ]
    own = models_used("incidentio_api.resources.follow_ups_v3")
    others: set[str] = set()
    for attribute, _, _ in TAGS:
        if attribute != "follow_ups_v3":
            others |= models_used(f"incidentio_api.resources.{attribute}")
    assert own and others - own, "each tag should have models of its own"
    loaded_models = {module for module in modules if module.startswith("incidentio_api.models.")}
    assert loaded_models == own
    for name in (
        "incidentio_async.models",
        "incidentio_async.ratelimit.redis",
        "redis",
        "incidentio_async.telemetry.hooks",
        "opentelemetry",
    ):
        assert within(modules, name) == [], f"a call imported {name}"


MODELS_ON_FIRST_READ = """
import json, sys
import incidentio_async.models as models
import incidentio_api.models as generated
before = sorted(m for m in sys.modules if m.startswith("incidentio_api.models."))
from incidentio_async.models import FollowUpV3
after = sorted(m for m in sys.modules if m.startswith("incidentio_api.models."))
same = all(getattr(models, name) is getattr(generated, name) for name in generated.__all__)
print(json.dumps({"before": before, "after": after, "same": same,
                  "all": models.__all__, "generated": list(generated.__all__)}))
"""


def test_incidentio_async_models_offers_every_model_and_imports_each_when_first_read() -> None:
    seen = run_child(MODELS_ON_FIRST_READ)
    assert seen["before"] == []  # importing the module imports no model
    assert set(seen["after"]) == models_used("incidentio_api.models.follow_up_v3") | {
        "incidentio_api.models.follow_up_v3"
    }
    assert set(seen["generated"]) <= set(seen["all"])
    assert seen["same"] is True


HOOKED_CALL = """
import asyncio, json, sys
import httpx
from incidentio_async import IncidentIO

async def main():
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    events = []
    async with IncidentIO("key", transport=transport, on_response=events.append) as client:
        await client.follow_ups_v3.delete("01FOLLOWUP")
    assert [event.status_code for event in events] == [204], events

asyncio.run(main())
print(json.dumps(sorted(sys.modules)))
"""


def test_hooks_need_no_opentelemetry() -> None:
    modules = run_child(HOOKED_CALL)
    assert within(modules, "incidentio_async.telemetry.hooks") != []
    assert within(modules, "opentelemetry") == []


WITHOUT_OPENTELEMETRY = """
import json, sys
sys.modules["opentelemetry"] = None  # as if the otel extra were not installed
from incidentio_async import ConfigurationError
from incidentio_async.telemetry import OpenTelemetry
try:
    OpenTelemetry()
except ConfigurationError as exc:
    print(json.dumps(str(exc)))
"""


def test_opentelemetry_without_the_extra_says_how_to_install_it() -> None:
    message = run_child(WITHOUT_OPENTELEMETRY)
    assert message == (
        'OpenTelemetry needs the opentelemetry-api package: pip install "incidentio-async[otel]"'
    )


def test_every_export_resolves_in_a_fresh_interpreter() -> None:
    code = """
import json
import incidentio_async, incidentio_async.ratelimit, incidentio_api.models
import incidentio_async.models
import incidentio_async.telemetry
modules = (incidentio_async, incidentio_async.ratelimit, incidentio_api.models,
           incidentio_async.models, incidentio_async.telemetry)
unlisted = [name for module in modules for name in module.__all__ if name not in dir(module)]
from incidentio_async import *
from incidentio_async.ratelimit import *
from incidentio_api.models import *
from incidentio_async.models import *
from incidentio_async.telemetry import *
names = [*incidentio_async.__all__, *incidentio_async.ratelimit.__all__,
         *incidentio_api.models.__all__, *incidentio_async.models.__all__,
         *incidentio_async.telemetry.__all__]
missing = [name for name in names if name not in globals()]
from incidentio_async.ratelimit.redis import RedisRateLimiter as origin
same = incidentio_async.RedisRateLimiter is origin
errors = []
for module in modules:
    try:
        module.NoSuchName
    except AttributeError as exc:
        errors.append(str(exc))
print(json.dumps({"unlisted": unlisted, "missing": missing, "same": same, "errors": errors}))
"""
    seen = run_child(code)
    assert seen["unlisted"] == []
    assert seen["missing"] == []
    assert seen["same"] is True
    assert seen["errors"] == [
        f"module {name!r} has no attribute 'NoSuchName'"
        for name in (
            "incidentio_async",
            "incidentio_async.ratelimit",
            "incidentio_api.models",
            "incidentio_async.models",
            "incidentio_async.telemetry",
        )
    ]
