"""Regenerate ``generated/incidentio_api`` from the vendored specs in ``openapi/``.

``python scripts/generate.py`` rewrites the generated package; ``--check`` regenerates into a
temporary directory and exits non-zero, with a summary of the differences, when the committed
package is not exactly what the specs and templates produce.

The specs are merged into one document in memory (openapi-python-client takes one input). A
component schema or security scheme defined differently in two files is an error, as is a path
defined twice.

openapi-python-client writes the models through our templates. Instead of its client and
endpoint functions, this script writes one resource class per tag
(``scripts/templates/resources/``), whose methods call the hand-written core: nothing
generated can send a request outside the client's pipeline. The webhook events (the specs'
``/x-webhooks/`` pseudo-paths) become event types in ``events.py``, not methods.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import filecmp
import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

import codegen_plan
import runtime_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "openapi"
TEMPLATE_DIR = ROOT / "scripts" / "templates"
CONFIG_FILE = ROOT / "scripts" / "codegen-config.yaml"
OVERRIDES_FILE = ROOT / "scripts" / "codegen-overrides.yaml"
PACKAGE_NAME = "incidentio_api"
OUTPUT_DIR = ROOT / "generated" / PACKAGE_NAME

PINNED = {"openapi-python-client": "0.29.1", "ruff": "0.17.6"}
SHARED_TOP_LEVEL = ("openapi", "info", "servers", "security")


class SpecError(Exception):
    """The vendored specs cannot be merged into one document."""


def load_specs(spec_dir: Path = SPEC_DIR) -> list[tuple[str, dict[str, Any]]]:
    """The OpenAPI documents of ``spec_dir``, its ``*.yaml`` files, sorted by file name (the
    refresh tool's configuration lives in a subdirectory, ``vendor/``)."""
    specs = []
    for path in sorted(spec_dir.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        if not isinstance(document, dict) or "openapi" not in document:
            raise SpecError(f"{path.name} is not an OpenAPI document (no 'openapi' version)")
        specs.append((path.name, document))
    if not specs:
        raise SpecError(f"no *.yaml specs in {spec_dir}")
    return specs


def merge_specs(specs: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Merge per-tag specs into one OpenAPI document, refusing any conflicting definition."""
    merged: dict[str, Any] = {}
    tags: dict[str, tuple[str, Any]] = {}
    paths: dict[str, tuple[str, Any]] = {}
    components: dict[str, dict[str, tuple[str, Any]]] = {}
    first_name = ""
    for name, spec in specs:
        if not merged:
            first_name = name
            merged = {key: spec[key] for key in SHARED_TOP_LEVEL if key in spec}
        for key in SHARED_TOP_LEVEL:
            if spec.get(key) != merged.get(key):
                raise SpecError(f"{name}: '{key}' differs from {first_name}")
        for tag in spec.get("tags", []):
            _add_unique(tags, tag["name"], tag, name, "tag")
        for path, item in spec.get("paths", {}).items():
            if path in paths:
                raise SpecError(f"{name}: path {path} is also defined in {paths[path][0]}")
            paths[path] = (name, item)
        for section, entries in spec.get("components", {}).items():
            found = components.setdefault(section, {})
            for entry_name, entry in entries.items():
                _add_unique(found, entry_name, entry, name, f"components.{section}")
    merged["tags"] = [tag for _, tag in tags.values()]
    merged["paths"] = {path: item for path, (_, item) in paths.items()}
    merged["components"] = {
        section: {entry_name: entry for entry_name, (_, entry) in entries.items()}
        for section, entries in components.items()
    }
    return merged


def _add_unique(
    seen: dict[str, tuple[str, Any]], key: str, value: Any, source: str, kind: str
) -> None:
    if key in seen and seen[key][1] != value:
        raise SpecError(f"{kind} '{key}' is defined differently in {seen[key][0]} and {source}")
    seen.setdefault(key, (source, value))


def check_pins() -> None:
    """Refuse to generate with anything but the pinned generator and formatter."""
    from importlib.metadata import PackageNotFoundError, version

    for package, wanted in PINNED.items():
        try:
            found = version(package)
        except PackageNotFoundError:
            found = "not installed"
        if found != wanted:
            raise SystemExit(f"{package} {wanted} is required (found {found}); run `make install`")


def generate_into(
    target: Path, spec_dir: Path = SPEC_DIR, overrides_file: Path = OVERRIDES_FILE
) -> Path:
    """Generate the package into ``target`` and return the package directory."""
    check_pins()
    merged = merge_specs(load_specs(spec_dir))
    package_dir = target / PACKAGE_NAME
    config, data = parse_spec(merged, target)
    try:
        plan = codegen_plan.build_plan(merged, data, codegen_plan.load_overrides(overrides_file))
    except codegen_plan.PlanError as exc:
        raise SystemExit(f"cannot generate the resources: {exc}") from None
    project = _project_class()(
        openapi=data, config=config, custom_template_path=TEMPLATE_DIR, plan=plan
    )
    # The post hooks call `ruff`: make it the pinned one installed beside this interpreter.
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        errors = project.build()
    if errors:
        details = "\n".join(f"{error.header}: {error.detail}" for error in errors)
        raise SystemExit(f"openapi-python-client failed or warned:\n{details}")
    (package_dir / "py.typed").write_text("# Marker file for PEP 561\n", encoding="utf-8")
    (package_dir / runtime_spec.FILE_NAME).write_text(runtime_spec.render(merged), encoding="utf-8")
    return package_dir


def parse_spec(merged: dict[str, Any], target: Path) -> tuple[Any, Any]:
    """openapi-python-client's config and parse of the merged spec (written into ``target``)."""
    from openapi_python_client.config import Config, ConfigFile, MetaType
    from openapi_python_client.parser import GeneratorData
    from openapi_python_client.parser.errors import GeneratorError

    spec_file = target / "openapi.json"
    spec_file.write_text(json.dumps(merged, indent=2, ensure_ascii=False), encoding="utf-8")
    config = Config.from_sources(
        ConfigFile.load_from_path(CONFIG_FILE),
        MetaType.NONE,
        spec_file,
        "utf-8",
        True,
        output_path=target / PACKAGE_NAME,
    )
    data = GeneratorData.from_dict(merged, config=config)
    if isinstance(data, GeneratorError):
        raise SystemExit(
            f"openapi-python-client cannot read the specs: {data.header} {data.detail}"
        )
    return config, data


def _project_class() -> Any:
    """openapi-python-client's project, writing resources where it would write a client."""
    from openapi_python_client import Project

    class ResourceProject(Project):  # type: ignore[misc]
        def __init__(self, *, plan: codegen_plan.Plan, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.plan = plan
            self.env.filters["pyrepr"] = repr

        def _build_api(self) -> None:
            errors_template = self.env.get_template("errors.py.jinja")
            (self.package_dir / "errors.py").write_text(
                errors_template.render(), encoding=self.config.file_encoding
            )
            resources_dir = self.package_dir / "resources"
            shutil.rmtree(resources_dir, ignore_errors=True)
            resources_dir.mkdir()
            init = self.env.get_template("resources/resources_init.py.jinja")
            (resources_dir / "__init__.py").write_text(
                init.render(plan=self.plan), encoding=self.config.file_encoding
            )
            module = self.env.get_template("resources/resource.py.jinja")
            for resource in self.plan.resources:
                (resources_dir / f"{resource.attribute}.py").write_text(
                    module.render(resource=resource), encoding=self.config.file_encoding
                )
            events = self.env.get_template("events.py.jinja")
            (self.package_dir / "events.py").write_text(
                events.render(plan=self.plan), encoding=self.config.file_encoding
            )

    return ResourceProject


def tree_files(root: Path) -> dict[str, Path]:
    """Files under ``root`` by relative path, caches left out."""
    return {
        path.relative_to(root).as_posix(): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and ".ruff_cache" not in path.parts
    }


def describe_drift(expected_root: Path, actual_root: Path, max_lines: int = 40) -> list[str]:
    """Human-readable differences between a fresh generation and the committed package."""
    expected = tree_files(expected_root)
    actual = tree_files(actual_root)
    report = []
    for rel in sorted(expected.keys() - actual.keys()):
        report.append(f"missing from generated/: {rel}")
    for rel in sorted(actual.keys() - expected.keys()):
        report.append(f"not produced by the generator: {rel}")
    for rel in sorted(expected.keys() & actual.keys()):
        if filecmp.cmp(expected[rel], actual[rel], shallow=False):
            continue
        report.append(f"differs: {rel}")
        diff = difflib.unified_diff(
            expected[rel].read_text(encoding="utf-8", errors="replace").splitlines(),
            actual[rel].read_text(encoding="utf-8", errors="replace").splitlines(),
            fromfile=f"regenerated/{rel}",
            tofile=f"committed/{rel}",
            lineterm="",
        )
        lines = list(diff)
        report.extend("    " + line for line in lines[:max_lines])
        if len(lines) > max_lines:
            report.append(f"    ... {len(lines) - max_lines} more diff lines")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail if generated/ differs from what the specs and templates produce",
    )
    parser.add_argument(
        "--output", type=Path, default=OUTPUT_DIR, help="package directory to write or check"
    )
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="incidentio-codegen-") as tmp:
            fresh = generate_into(Path(tmp))
            if args.check:
                drift = describe_drift(fresh, args.output)
                if drift:
                    print(f"{args.output} is out of date with openapi/ and scripts/templates/:")
                    print("\n".join(drift))
                    print("Run `make generate` and commit the result; never edit generated code.")
                    return 1
                print(f"{args.output} is up to date.")
                return 0
            if args.output.exists():
                shutil.rmtree(args.output)
            shutil.copytree(
                fresh, args.output, ignore=shutil.ignore_patterns("__pycache__", ".ruff_cache")
            )
            print(f"generated {args.output}")
            return 0
    except SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
