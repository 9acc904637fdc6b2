"""The merged spec reduced to what the package reads at run time: ``incidentio_api/spec.json``.

The fake incident.io (``incidentio_async.testing``) serves every operation of the specs. For an
operation it has no hand-written handler for, it reads the operation's parameters, request
and response schemas and the examples from this file; the client itself never reads it. Prose
(descriptions, summaries, titles), extensions, error responses, examples of whole requests
and responses, and the document's top-level metadata are left out: they change no request or
response, and each schema keeps its own example.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from codegen_plan import EVENT_PATH_PREFIX, spec_operations

FILE_NAME = "spec.json"
NOTE = (
    "Written by scripts/generate.py from openapi/*.yaml; do not edit. The operations and "
    "schemas the fake incident.io reads at run time."
)
OPERATION_KEYS = ("operationId", "parameters", "requestBody", "responses")
COMPONENT_SECTIONS = ("schemas", "parameters", "requestBodies", "responses")
# Prose, and the examples of whole requests and responses (the schemas' own examples stay).
LEFT_OUT = frozenset({"description", "summary", "title", "externalDocs", "examples"})
# Values under these keys are data (examples, defaults, enum members), kept as they are.
DATA = frozenset({"example", "default", "enum"})
# Mappings whose keys are names (fields, media types, status codes), never spec keywords.
NAMES = frozenset({"properties", "content", "responses"})


def runtime_spec(merged: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of ``merged`` (the document the generator is fed) the package reads."""
    paths: dict[str, Any] = {}
    for method, path, operation in spec_operations(merged):
        if path.startswith(EVENT_PATH_PREFIX):
            continue  # webhook events: deliveries the fake sends, not operations it serves
        kept = {key: operation[key] for key in OPERATION_KEYS if key in operation}
        kept["responses"] = {
            status: response
            for status, response in kept.get("responses", {}).items()
            if str(status).startswith("2")
        }
        paths.setdefault(path, {})[method.lower()] = _reduce(kept)
    components = merged.get("components", {})
    used = _referenced(paths, components)
    return {
        "x-note": NOTE,
        "paths": paths,
        "components": {
            section: {
                name: _reduce(entry)
                for name, entry in components[section].items()
                if f"#/components/{section}/{name}" in used
            }
            for section in COMPONENT_SECTIONS
            if components.get(section)
        },
    }


def _referenced(paths: Mapping[str, Any], components: Mapping[str, Any]) -> set[str]:
    """Every ``$ref`` the kept operations reach, directly or through other components (the
    webhook events' schemas, say, are left out)."""
    found: set[str] = set()
    pending: list[Any] = [paths]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in found:
                found.add(ref)
                _, _, section, name = ref.split("/", 3)
                pending.append(components.get(section, {}).get(name))
            pending.extend(value for key, value in node.items() if key != "$ref")
    return found


def render(merged: Mapping[str, Any]) -> str:
    """``runtime_spec(merged)`` as the file's text: sorted keys, one value per line, so that
    a change in the specs is a readable diff."""
    return json.dumps(runtime_spec(merged), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _reduce(node: Any, *, names: bool = False) -> Any:
    """``node`` without prose or extensions; ``names``: its keys are names, not keywords."""
    if isinstance(node, list):
        return [_reduce(item) for item in node]
    if not isinstance(node, dict):
        return node
    reduced = {}
    for key, value in node.items():
        if names:
            reduced[key] = _reduce(value)
        elif key in LEFT_OUT or key.startswith("x-") or (key == "example" and "schema" in node):
            continue
        elif key in DATA:
            reduced[key] = value
        else:
            reduced[key] = _reduce(value, names=key in NAMES and isinstance(value, dict))
    return reduced
