"""Upstream additions, hands-free: refresh, regenerate, test and use them, with no edit.

In a copy of the project, the real tools run on a newer published document built from the
vendored one (``upstream_scenario``: two new fields on ``FollowUpV3``, a new enum value, a new
query parameter on ``GET /v3/follow_ups``, a new action and a new paginated list), as a
user's CI would run them:

1. ``refresh_specs.py --check`` calls the drift additive (exit 0; 1 with ``--fail-on any``),
   and calls a breaking document breaking (exit 1);
2. ``refresh_specs.py`` and ``generate.py`` rewrite ``openapi/`` and ``generated/``;
3. the spec-derived tests pass on the result: the contract test (every operation against
   Prism), the fake's every-operation tests, the generated operations and models tests, and
   the property tests of every schema the refresh changed;
4. the new methods work against the fake, typed (a fresh interpreter; and mypy --strict on
   code using them);

and neither ``src/`` nor ``tests/`` needed a change for any of it.

A minute or more, so ``make test`` leaves it to its own CI step, ``make test-upstream``
(``.ci/run`` runs both); a plain ``pytest`` runs it with the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from prism_server import PRISM_DIR, ensure_prism

from spec_data import ROOT
from upstream_scenario import breaking_document, newer_document

pytestmark = pytest.mark.upstream

COPIED = ("src", "generated", "scripts", "tests", "openapi", "tools", "pyproject.toml", "Makefile")
SKIPPED = shutil.ignore_patterns(
    "__pycache__", "node_modules", ".hypothesis", ".mypy_cache", ".pytest_cache", ".ruff_cache"
)
TIMEOUT = 600


def digest(directory: Path) -> dict[str, str]:
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not set(path.parts) & {"__pycache__", ".hypothesis"}
    }


@dataclass
class Project:
    """The copy of the project, and how to run things in it."""

    root: Path
    documents: Path
    """Where the newer (and the breaking) published documents are."""
    before: dict[str, dict[str, str]]
    """The digests of ``src/`` and ``tests/`` before anything ran."""
    report: dict[str, Any] | None = None
    """The JSON drift report of the newer document, taken before the refresh."""
    checks: dict[str, subprocess.CompletedProcess[str]] | None = None
    """The text drift reports taken before the refresh, by ``--fail-on``."""

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {
            **os.environ,
            # The copy's packages first: the virtualenv's editable install points at ours.
            "PYTHONPATH": os.pathsep.join([str(self.root / "src"), str(self.root / "generated")]),
            **env,
        }
        return subprocess.run(
            [sys.executable, *args],
            cwd=self.root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def refresh(self, source: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        return self.run("scripts/refresh_specs.py", str(source), *extra)


def succeeded(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    return result.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """A copy of the project, refreshed from the newer document and regenerated."""
    ensure_prism()  # installed once, in our tools/prism, and shared with the copy
    root = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=SKIPPED)
        else:
            shutil.copy2(source, root / name)
    (root / "tools" / "prism" / "node_modules").symlink_to(PRISM_DIR / "node_modules")
    documents = tmp_path_factory.mktemp("upstream")
    for name, document in (("newer", newer_document()), ("breaking", breaking_document())):
        text = json.dumps(document, indent=1)
        (documents / f"{name}.json").write_text(text, encoding="utf-8")
    before = {name: digest(root / name) for name in ("src", "tests")}
    copy = Project(root, documents, before)
    newer = documents / "newer.json"
    copy.checks = {
        fail_on: copy.refresh(newer, "--check", "--fail-on", fail_on)
        for fail_on in ("breaking", "any")
    }
    check = copy.refresh(newer, "--check", "--json")
    assert check.returncode == 0, check.stdout + check.stderr
    copy.report = json.loads(check.stdout)
    succeeded(copy.refresh(documents / "newer.json"))
    succeeded(copy.run("scripts/generate.py"))
    yield copy


def test_the_check_calls_the_additions_additive(project: Project) -> None:
    assert project.checks is not None
    text = project.checks["breaking"]
    assert text.returncode == 0, text.stdout + text.stderr
    lines = text.stdout.splitlines()
    assert "Verdict: additive only. Existing callers keep working: take the refresh." in lines
    for line in (
        "  + operation     POST /v3/follow_ups/{id}/actions/reschedule: Follow-ups V3#Reschedule",
        "  + operation     GET /v3/follow_up_categories: Follow-ups V3#ListCategories",
        "  + parameter     GET /v3/follow_ups: query status",
        "  + field         schema FollowUpV3.due_at",
        "  + field         schema FollowUpV3.effort",
        "  + field         schema FollowUpsCreatePayloadV3.due_at",
        '  + enum value    schema FollowUpV3.status: "in_progress"',
    ):
        assert line in lines, line
    assert project.checks["any"].returncode == 1
    assert project.report is not None
    assert project.report["breaking"] is False
    assert project.report["counts"]["additive"] >= 9


def test_the_check_calls_removals_and_narrowings_breaking(project: Project) -> None:
    result = project.refresh(project.documents / "breaking.json", "--check")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].startswith("Verdict: BREAKING.")
    for reason in (
        "[operation removed]",
        "[field removed]",
        "[enum value removed]",
        "[type changed]",
        "[request field now required]",
        "[new required parameter]",
        "[deprecation announced]",
    ):
        assert any(line.endswith(reason) for line in lines), reason


def test_regeneration_gives_typed_methods_and_no_drift(project: Project) -> None:
    resource = (project.root / "generated/incidentio_api/resources/follow_ups_v3.py").read_text()
    assert "def reschedule(" in resource and "def list_categories(" in resource
    # The new enum query parameter: its enum, or a Literal of its values (in_progress among
    # them), so a typo is a type error.
    signature = " ".join(resource.split())
    assert (
        "status: FollowUpsV3ListStatus | Literal"
        '["outstanding", "completed", "deleted", "not_doing", "in_progress"]'
        " | NotGiven | None = NOT_GIVEN" in signature
    )
    succeeded(project.run("scripts/generate.py", "--check"))


def test_the_spec_derived_tests_pass_without_an_edit(project: Project) -> None:
    assert project.report is not None
    changed = sorted(
        {
            change["where"].removeprefix("schema ").split(".")[0].split(" ")[0]
            for change in project.report["changes"]
            if change["where"].startswith("schema ") and change["severity"] != "documentation"
        }
    )
    assert {"FollowUpV3", "FollowUpEffortV3", "FollowUpsListCategoriesResultV3"} <= set(changed)
    contract = "tests/test_contract_prism.py::"
    selected = [
        contract + "test_every_operation_is_accepted_and_parsed",
        contract + "test_operations_the_contract_tests_cannot_call_are_reported_by_name",
        "tests/test_fake_every_operation.py",
        "tests/test_generated_operations.py",
        "tests/test_generated_models.py",
        "tests/test_properties.py",
    ]
    pytest_run = ("-m", "pytest", "-p", "no:cacheprovider", *selected)
    # Every contract, fake and generated operations and models test; the property tests of
    # the schemas the refresh changed (all of them take minutes).
    only = ["-k", "not test_properties or " + " or ".join(changed)]
    ran = succeeded(project.run(*pytest_run, *only, "-v"))
    passed = {line.split(" PASSED")[0] for line in ran.splitlines() if " PASSED" in line}
    for operation in ("Follow-ups V3#Reschedule", "Follow-ups V3#ListCategories"):
        contract = "test_every_operation_is_accepted_and_parsed"
        assert any(f"{contract}[asyncio-examples-{operation} (everything)]" in t for t in passed)
        fake = "test_every_operation_works_against_the_fake"
        assert any(f"{fake}[asyncio-{operation}-everything]" in t for t in passed)
    for schema_test in (
        "test_missing_required_field_raises_model_parse_error[FollowUpV3]",
        "test_bodies_parse_and_round_trip_exactly[FollowUpEffortV3]",
        "test_a_scalar_of_the_wrong_json_type_raises_model_parse_error[FollowUpEffortV3]",
    ):
        assert any(schema_test in test for test in passed), schema_test


SCENARIO = textwrap.dedent(
    '''
    """The new methods against the fake, in a fresh interpreter on the regenerated package."""
    import typing

    import anyio

    from incidentio_api.models import FollowUpCategoryV3, FollowUpEffortV3, FollowUpV3
    from incidentio_api.models import FollowUpV3Status
    from incidentio_async import AsyncPager, BadRequestError
    from incidentio_async.testing import FakeIncidentIO


    async def main() -> None:
        fake = FakeIncidentIO(seed=11)
        async with fake.client() as client:
            v3 = client.follow_ups_v3
            assert typing.get_type_hints(v3.reschedule)["return"] is FollowUpV3
            assert typing.get_type_hints(FollowUpV3)["effort"] is not None
            everything = await v3.list(page_size=250).to_list()
            completed = [f for f in everything if f.status is FollowUpV3Status.COMPLETED]

            # The new query parameter filters: never ignored.
            found = await v3.list(status="completed", page_size=3).to_list()
            assert [f.id for f in found] == [f.id for f in completed], (found, completed)

            # The new enum value, through the hand-written update.
            target = everything[0]
            moved = await v3.update(target.id, title=target.title, status="in_progress")
            assert moved.status is FollowUpV3Status.IN_PROGRESS
            in_progress = await v3.list(status="in_progress").to_list()
            assert [f.id for f in in_progress] == [target.id]

            # The new action, served generically on the hand-written follow-ups.
            rescheduled = await v3.reschedule(target.id, due_at="2026-03-01T09:00:00Z")
            assert isinstance(rescheduled, FollowUpV3)
            assert rescheduled.due_at.isoformat() == "2026-03-01T09:00:00+00:00"
            shown = await v3.get(target.id)
            assert shown.due_at == rescheduled.due_at and shown.title == target.title
            v2 = await client.follow_ups_v2.get(target.id)
            assert v2.status == "in_progress"

            # The new field set on create, which the hand-written handler does not know.
            made = await v3.create(
                incident_id=fake.add_incident(), title="Renew", due_at="2026-04-01T00:00:00Z"
            )
            assert made.due_at.isoformat() == "2026-04-01T00:00:00+00:00"
            assert (await v3.get(made.id)).due_at == made.due_at

            # The new paginated list, from the schema's example.
            pager = v3.list_categories(page_size=2)
            assert isinstance(pager, AsyncPager)
            categories = await pager.to_list()
            assert len(categories) == 3
            assert all(isinstance(c, FollowUpCategoryV3) for c in categories)
            assert [c.id for c in categories] == sorted(c.id for c in categories)
            pages = [page async for page in v3.list_categories(page_size=2).pages()]
            assert [len(page.items) for page in pages] == [2, 1]

            # A new field the fake has no value for is absent, and typed when present.
            assert FollowUpEffortV3.from_dict({"estimate_minutes": 90}).estimate_minutes == 90
        print("ok")


    anyio.run(main)
    '''
)

TYPED = textwrap.dedent(
    """
    import datetime

    from incidentio_api.models import FollowUpCategoryV3, FollowUpV3
    from incidentio_async import IncidentIO


    async def use(client: IncidentIO) -> list[str]:
        moved: FollowUpV3 = await client.follow_ups_v3.reschedule("01F", due_at="2026-03-01")
        due: datetime.datetime | None = moved.due_at if moved.due_at else None
        names = [str(due)]
        async for category in client.follow_ups_v3.list_categories(page_size=10):
            kept: FollowUpCategoryV3 = category
            names.append(kept.name)
        async for follow_up in client.follow_ups_v3.list(status="in_progress"):
            names.append(follow_up.title)
        return names
    """
)


def test_the_new_methods_work_against_the_fake(project: Project) -> None:
    script = project.root / "scenario.py"
    script.write_text(SCENARIO, encoding="utf-8")
    assert succeeded(project.run(str(script))).strip() == "ok"


def test_code_using_the_new_methods_type_checks(project: Project) -> None:
    user = project.root / "typed_user.py"
    user.write_text(TYPED, encoding="utf-8")
    mypy = [
        "-m",
        "mypy",
        "--strict",
        "--config-file",
        os.devnull,
        "--cache-dir",
        str(project.root / ".mypy_cache"),
        str(user),
    ]
    paths = os.pathsep.join([str(project.root / "generated"), str(project.root / "src")])
    succeeded(project.run(*mypy, MYPYPATH=paths))


def test_none_of_it_needed_a_hand_edit(project: Project) -> None:
    for name, before in project.before.items():  # type: ignore[attr-defined]
        assert digest(project.root / name) == before, f"{name}/ changed"
