"""Cut one tag's operations, and every component they reference, out of the document."""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Iterator
from typing import Any

from spec_refresh import RefreshError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Values under these keys are data (examples, defaults), not spec objects: never rewritten.
LITERAL_KEYS = frozenset({"example", "default", "enum", "const", "value"})
# Mappings whose keys are names (fields, status codes, media types), not spec keywords.
NAME_MAP_KEYS = frozenset(
    {
        "properties",
        "patternProperties",
        "paths",
        "responses",
        "schemas",
        "parameters",
        "requestBodies",
        "securitySchemes",
        "headers",
        "content",
        "links",
        "callbacks",
        "encoding",
        "variables",
        "examples",
        "mapping",
    }
)
# Field names are the API's data; an x- field must survive whatever we drop.
FIELD_MAP_KEYS = frozenset({"properties", "patternProperties"})
COMPONENT_REF = "#/components/"


def home_tag(operation: Any) -> str | None:
    """The tag an operation is vendored under: its first one, as generators group by it."""
    tags = operation.get("tags") if isinstance(operation, dict) else None
    if isinstance(tags, list) and tags and isinstance(tags[0], str):
        return tags[0]
    return None


def has_tag(document: dict[str, Any], tag: str) -> bool:
    """Whether any operation of ``document`` is vendored under ``tag``."""
    return any(
        method in HTTP_METHODS and home_tag(operation) == tag
        for item in document["paths"].values()
        if isinstance(item, dict)
        for method, operation in item.items()
    )


def cut_tag(
    document: dict[str, Any],
    tag: str,
    *,
    servers: list[Any],
    security: list[Any],
    drop_extensions: tuple[str, ...],
    path_patterns: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A standalone OpenAPI document with ``tag``'s operations and what they reference.

    ``servers`` and ``security`` apply when the document has none at its top level.
    ``path_patterns`` (fnmatch), when given, keep only the operations of matching paths; each
    pattern must match one at least, so that a rename upstream stops the refresh.
    """
    paths: dict[str, Any] = {}
    matched: set[str] = set()
    for path, item in document["paths"].items():
        if not isinstance(item, dict):
            continue
        hits = {p for p in path_patterns if fnmatch.fnmatchcase(path, p)}
        if path_patterns and not hits:
            continue
        operations = {
            method: op
            for method, op in item.items()
            if method in HTTP_METHODS and home_tag(op) == tag
        }
        if operations:
            matched |= hits
            shared = {key: value for key, value in item.items() if key not in HTTP_METHODS}
            paths[path] = {**shared, **operations}
    if not paths and not (path_patterns and has_tag(document, tag)):
        raise RefreshError(
            f"tag {tag!r} has no operations in the source: upstream dropped or renamed it, "
            "or this is not the right document (a document in parts: pass every part)"
        )
    unmatched = [p for p in path_patterns if p not in matched]
    if unmatched:
        raise RefreshError(
            f"tag {tag!r}: no operation of the source has a path matching {unmatched}: "
            "upstream renamed or dropped it; update openapi/vendor/config.yaml"
        )
    components = _referenced_components(document, paths)
    schemes = document.get("components", {}).get("securitySchemes", {})
    top_security = document.get("security") or security
    for requirement in top_security:
        for name in requirement:
            if name not in schemes:
                raise RefreshError(f"security scheme {name!r} is not in components.securitySchemes")
    components["securitySchemes"] = schemes
    cut = {
        "openapi": document["openapi"],
        "info": document["info"],
        "servers": document.get("servers") or servers,
        "security": top_security,
        "tags": [_tag_object(document, tag)],
        "paths": paths,
        "components": components,
    }
    stripped: dict[str, Any] = strip_extensions(copy.deepcopy(cut), drop_extensions)
    return stripped


def strip_extensions(node: Any, patterns: tuple[str, ...], *, kind: str = "object") -> Any:
    """``node`` without the x- keys matching ``patterns``; data values are left as they are.

    ``kind`` says what ``node`` is: a spec ``object``, a map of ``names`` (status codes, media
    types, component names) or of API ``fields`` (schema properties, never dropped).
    """
    if isinstance(node, list):
        return [strip_extensions(item, patterns) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if kind != "fields" and any(fnmatch.fnmatchcase(key, p) for p in patterns):
            continue
        if kind == "object" and _is_literal(key, value):
            result[key] = value
        else:
            result[key] = strip_extensions(value, patterns, kind=_child_kind(kind, key, value))
    return result


def spec_objects(node: Any, *, kind: str = "object") -> Iterator[dict[str, Any]]:
    """Every mapping under ``node`` that is a spec object, not example or default data."""
    if isinstance(node, list):
        for item in node:
            yield from spec_objects(item)
        return
    if not isinstance(node, dict):
        return
    if kind == "object":
        yield node
    for key, value in node.items():
        if not (kind == "object" and _is_literal(key, value)):
            yield from spec_objects(value, kind=_child_kind(kind, key, value))


def _child_kind(kind: str, key: str, value: Any) -> str:
    # The values of a name map are spec objects whatever their names are.
    if kind != "object" or not isinstance(value, dict):
        return "object"
    if key in FIELD_MAP_KEYS:
        return "fields"
    return "names" if key in NAME_MAP_KEYS else "object"


def _is_literal(key: str, value: Any) -> bool:
    return key in LITERAL_KEYS or (key == "examples" and isinstance(value, list))


def _referenced_components(document: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    """Components that ``paths`` reference, directly or through other components."""
    available = document.get("components", {})
    found: dict[str, dict[str, Any]] = {}
    pending = list(_refs(paths))
    while pending:
        ref = pending.pop()
        section, name = _split_ref(ref)
        if name in found.get(section, {}):
            continue
        target = available.get(section, {}).get(name)
        if target is None:
            raise RefreshError(f"$ref {ref!r} points at nothing in the source document")
        found.setdefault(section, {})[name] = target
        pending.extend(_refs(target))
    return {section: dict(sorted(entries.items())) for section, entries in sorted(found.items())}


def _refs(node: Any) -> Iterator[str]:
    for obj in spec_objects(node):
        ref = obj.get("$ref")
        if isinstance(ref, str):
            yield ref
        discriminator = obj.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
            yield from (v for v in discriminator["mapping"].values() if isinstance(v, str))


def _split_ref(ref: str) -> tuple[str, str]:
    parts = ref[len(COMPONENT_REF) :].split("/") if ref.startswith(COMPONENT_REF) else []
    if len(parts) != 2:
        raise RefreshError(
            f"$ref {ref!r} is not a local '#/components/<section>/<name>' reference; "
            "the tool only follows those"
        )
    section, name = (part.replace("~1", "/").replace("~0", "~") for part in parts)
    return section, name


def _tag_object(document: dict[str, Any], tag: str) -> dict[str, Any]:
    for entry in document.get("tags", []):
        if isinstance(entry, dict) and entry.get("name") == tag:
            return entry
    return {"name": tag}
