"""Compare the vendored specs with incident.io's published OpenAPI document.

    python scripts/compare_reference.py [path/to/reference.json]

Prints every structural difference (paths, methods, operation ids, parameters, schemas,
required lists, enums, formats, bounds) for the operations the vendored specs cover, ignoring
examples, descriptions and documentation extensions. A maintenance aid for whoever updates
``openapi/``; the build and the tests never read the reference.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import generate

DEFAULT_REFERENCE = (
    generate.ROOT.parent / "shared" / "reference" / "incident-io-public-spec-subset.json"
)
IGNORED_KEYS = {"example", "examples", "description", "summary"}


def structure(value: Any) -> Any:
    """``value`` without documentation-only keys."""
    if isinstance(value, dict):
        return {
            key: structure(item)
            for key, item in value.items()
            if key not in IGNORED_KEYS and not key.startswith("x-")
        }
    if isinstance(value, list):
        return [structure(item) for item in value]
    return value


def differences(ours: Any, theirs: Any, where: str = "") -> list[str]:
    """Leaf-level differences between two JSON values."""
    if isinstance(ours, dict) and isinstance(theirs, dict):
        found = []
        for key in sorted(ours.keys() | theirs.keys()):
            here = f"{where}.{key}" if where else key
            if key not in theirs:
                found.append(f"{here}: only in the vendored specs")
            elif key not in ours:
                found.append(f"{here}: only in the reference")
            else:
                found.extend(differences(ours[key], theirs[key], here))
        return found
    if ours != theirs:
        return [f"{where}: vendored {json.dumps(ours)} != reference {json.dumps(theirs)}"]
    return []


def main(argv: list[str]) -> int:
    reference_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_REFERENCE
    reference = json.loads(reference_path.read_text(encoding="utf-8"))
    ours = generate.merge_specs(generate.load_specs())
    report = differences(structure(ours["paths"]), structure(reference["paths"]), "paths")
    report += differences(
        structure(ours["components"]["schemas"]),
        structure(reference["components"]["schemas"]),
        "components.schemas",
    )
    print("\n".join(report) if report else "no structural differences")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
