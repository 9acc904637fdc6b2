"""Apply our patch list to the freshly cut documents."""

from __future__ import annotations

from typing import Any

from spec_refresh import RefreshError
from spec_refresh.config import Patch


def apply_patches(documents: dict[str, dict[str, Any]], patches: tuple[Patch, ...]) -> list[str]:
    """Apply every patch in place; return warnings for patches upstream already satisfies.

    A patch whose target is gone is an error, never skipped: it is a deviation we would lose.
    """
    warnings = []
    for patch in patches:
        if patch.file not in documents:
            continue  # an optional tag the source does not have: its file is not rewritten
        target = resolve_pointer(documents[patch.file], patch)
        if all(key in target and target[key] == value for key, value in patch.values.items()):
            warnings.append(
                f"patch {patch.target} is redundant: upstream already has "
                f"{_describe(patch.values)}; consider removing it from the patch list"
            )
            continue
        target.update(patch.values)
    return warnings


def resolve_pointer(document: dict[str, Any], patch: Patch) -> dict[str, Any]:
    """The mapping at ``patch.pointer`` (RFC 6901) in ``document``."""
    node: Any = document
    walked = ""
    for raw in patch.pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        walked += "/" + raw
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise RefreshError(
                f"patch {patch.target}: {patch.file}#{walked} does not exist after the refresh "
                f"(renamed or removed upstream?). Update or delete the patch; it exists because: "
                f"{patch.reason.strip()}"
            )
    if not isinstance(node, dict):
        raise RefreshError(f"patch {patch.target}: the target is not a mapping, cannot set keys")
    return node


def check_shared_components(documents: dict[str, dict[str, Any]]) -> None:
    """Fail when a component differs between files: the generator merges them by name."""
    seen: dict[tuple[str, str], tuple[str, Any]] = {}
    for file, document in sorted(documents.items()):
        for section, entries in document.get("components", {}).items():
            for name, entry in entries.items():
                first = seen.setdefault((section, name), (file, entry))
                if first[1] != entry:
                    raise RefreshError(
                        f"components.{section}.{name} differs between {first[0]} and {file} "
                        "(a patch applied to only one of them?); patch every file that has it"
                    )


def _describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{key}: {value!r}" for key, value in sorted(values.items()))
