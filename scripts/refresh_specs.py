"""Vendor our tags of incident.io's published OpenAPI document into ``openapi/``.

    python scripts/refresh_specs.py SOURCE                       # rewrite openapi/<file>.yaml
    python scripts/refresh_specs.py SOURCE --check               # drift report, exit 1 if breaking
    python scripts/refresh_specs.py SOURCE --check --fail-on any # exit 1 on any drift
    python scripts/refresh_specs.py SOURCE --check --json        # the same report as JSON

SOURCE is the published document (JSON or YAML) as an http(s) URL or a file path; a document
in parts (a cut of the API operations and one of the webhook events) is given as several
SOURCEs, merged before the cut. For each tag
in ``openapi/vendor/config.yaml`` the tool cuts that tag's operations and every component they
reference, drops documentation-only extensions, applies ``openapi/vendor/patches.yaml`` and
writes one byte-stable file. ``--check`` writes nothing and reports each change as breaking
(existing callers may stop working), additive, other or documentation. Exit status: 0 written,
or no breaking drift; 1 breaking drift (with ``--fail-on any``: any drift); 2 the source cannot
be read, the config is wrong, or a patch no longer applies.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

from spec_refresh import RefreshError
from spec_refresh.config import VendorConfig, load_config
from spec_refresh.cut import HTTP_METHODS, cut_tag, has_tag
from spec_refresh.drift import compare
from spec_refresh.patches import apply_patches, check_shared_components
from spec_refresh.render import render
from spec_refresh.source import read_sources

ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = ROOT / "openapi"
# Not in openapi/ itself: scripts/generate.py reads every openapi/*.yaml as a spec.
CONFIG_FILE = SPEC_DIR / "vendor" / "config.yaml"
DEFAULT_TIMEOUT = 60.0
HEADER = (
    "{tag}: written by scripts/refresh_specs.py from incident.io's published OpenAPI document,\n"
    "with our patch list applied. Do not edit by hand: see openapi/README.md."
)

Written = dict[str, tuple[dict[str, Any], str]]


def build(document: dict[str, Any], config: VendorConfig) -> tuple[Written, list[str], set[str]]:
    """Every file a refresh writes (name -> (document, text)), the warnings, and the files
    of optional tags the document lacks (left as they are)."""
    skipped = {
        file
        for tag, file in config.tags.items()
        if tag in config.optional and not has_tag(document, tag)
    }
    warnings = [
        f"tag {tag!r} is not in the source: {file} is left as it is and not checked "
        "(pass the part of the document that has it too)"
        for tag, file in sorted(config.tags.items())
        if file in skipped
    ]
    documents = {
        file: cut_tag(
            document,
            tag,
            servers=config.servers,
            security=config.security,
            drop_extensions=config.drop_extensions,
            path_patterns=config.paths.get(tag, ()),
        )
        for tag, file in config.tags.items()
        if file not in skipped
    }
    warnings += apply_patches(documents, config.patches)
    check_shared_components(documents)
    written = {
        file: (documents[file], render(documents[file], HEADER.format(tag=tag)))
        for tag, file in sorted(config.tags.items(), key=lambda item: item[1])
        if file not in skipped
    }
    return written, warnings, skipped


def write(spec_dir: Path, written: Written, skipped: Collection[str] = ()) -> list[str]:
    """Write the files that changed; one summary line per file."""
    spec_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for name, (document, text) in written.items():
        path = spec_dir / name
        counts = (
            f"{sum(m in HTTP_METHODS for item in document['paths'].values() for m in item)} "
            "operations, "
            f"{len(document['components'].get('schemas', {}))} schemas"
        )
        if path.exists() and path.read_text(encoding="utf-8") == text:
            lines.append(f"unchanged {path} ({counts})")
            continue
        # Replace in one step, so an interrupted run never leaves half a spec behind.
        partial = path.with_name(f".{name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
        lines.append(f"wrote {path} ({counts})")
    for path in sorted(spec_dir.glob("*.yaml")):
        if path.name not in written and path.name not in skipped:
            lines.append(f"warning: {path} is written by no vendored tag; the generator reads it")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").splitlines()[0],
        epilog=(
            "Exit status: 0 done, or no breaking drift; 1 breaking drift (--check; with "
            "--fail-on any, any drift); 2 error."
        ),
    )
    parser.add_argument(
        "source",
        nargs="+",
        help="the published OpenAPI document: http(s) URL or file (several: parts of one)",
    )
    parser.add_argument("--check", action="store_true", help="report drift, write nothing")
    parser.add_argument("--json", action="store_true", help="with --check: report as JSON")
    parser.add_argument(
        "--fail-on",
        choices=("breaking", "any"),
        default="breaking",
        help="with --check: exit 1 on breaking drift only (default), or on any drift",
    )
    parser.add_argument("--spec-dir", type=Path, default=SPEC_DIR, help="where the specs live")
    parser.add_argument("--config", type=Path, default=CONFIG_FILE, help="the vendoring config")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds, for a URL source"
    )
    # Sources may come before and after the options.
    args = parser.parse_intermixed_args(argv)
    if args.json and not args.check:
        parser.error("--json only applies to --check")
    source = " + ".join(args.source)
    try:
        config = load_config(args.config)
        written, warnings, skipped = build(read_sources(args.source, args.timeout), config)
    except RefreshError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if args.json:
            print(json.dumps({"source": source, "error": str(exc)}, indent=2))
        return 2
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        report = compare(source, args.spec_dir, written, skipped)
        print(json.dumps(report.to_json(), indent=2) if args.json else report.to_text())
        failing = report.breaking if args.fail_on == "breaking" else report.drift
        return 1 if failing else 0
    print("\n".join(write(args.spec_dir, written, skipped)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
