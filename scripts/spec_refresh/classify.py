"""Which drift breaks existing callers, and which only adds to what they can do.

incident.io promises to add without notice (endpoints, response properties, optional request
parameters, enum values) and to version anything else. A refresh that only adds is taken
without a second thought; one that removes, narrows or retypes needs a person. Each change
the drift report finds gets a severity:

* ``breaking``: an operation, field, schema, parameter or enum value removed; a type changed;
  a new required parameter or request field; a request bound tightened; a deprecation
  announced; a response field that may now be absent or null; and, to be safe, any structural
  change this module does not know.
* ``additive``: a new operation, schema, optional parameter or field, response or enum value;
  a request made more lenient.
* ``other``: changes that alter no call (an extension, a default, the order of a list, the
  document's ``info``), shown for review.
* ``documentation``: descriptions and examples, counted.

Whether a schema change breaks depends on where the schema travels: a new required field
breaks a request body and is harmless in a response; a field that becomes optional is the
other way round. Schemas are placed by following ``$ref`` from each operation's parameters
and request body (request) and responses (response); a schema on both sides gets the stricter
verdict.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spec_refresh.cut import HTTP_METHODS, spec_objects

BREAKING = "breaking"
ADDITIVE = "additive"
OTHER = "other"
DOCUMENTATION = "documentation"
SEVERITIES = (BREAKING, ADDITIVE, OTHER, DOCUMENTATION)

REQUEST = "request"
RESPONSE = "response"

# Keys whose change alters the type of what travels.
TYPE_KEYS = frozenset(
    {"type", "$ref", "format", "items", "style", "explode", "in", "name", "schema", "content"}
)
# Keys whose change alters no call.
NEUTRAL_KEYS = frozenset(
    {"default", "allowEmptyValue", "readOnly", "writeOnly", "operationId", "tags", "openapi"}
)
NEUTRAL_TOP_LEVEL = frozenset({"info", "tags", "openapi", "externalDocs"})
LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems"})
UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems"})


class _Absent:
    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class Impact:
    """A change's severity, and why, in a few words."""

    severity: str
    reason: str


def schema_sides(document: dict[str, Any]) -> dict[str, set[str]]:
    """For each component schema, whether it travels in requests, responses or both."""
    components = document.get("components", {})
    sides: dict[str, set[str]] = {}
    for item in document.get("paths", {}).values():
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            shared = item.get("parameters", [])
            request = [operation.get("parameters", []), shared, operation.get("requestBody", {})]
            for side, roots in ((REQUEST, request), (RESPONSE, [operation.get("responses", {})])):
                for name in _reachable(components, roots):
                    sides.setdefault(name, set()).add(side)
    return sides


def _reachable(components: dict[str, Any], roots: list[Any]) -> Iterator[str]:
    """Component schemas reachable from ``roots`` through ``$ref`` (any section)."""
    seen: set[tuple[str, str]] = set()
    pending = list(_refs(roots))
    while pending:
        section, name = pending.pop()
        if (section, name) in seen:
            continue
        seen.add((section, name))
        target = components.get(section, {}).get(name)
        if section == "schemas":
            yield name
        if target is not None:
            pending.extend(_refs(target))


def _refs(node: Any) -> Iterator[tuple[str, str]]:
    for obj in spec_objects(node):
        ref = obj.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            section, _, name = ref[len("#/components/") :].partition("/")
            yield section, name


class Classifier:
    """Judges the changes between two versions of one document."""

    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.sides = schema_sides(old)
        for name, found in schema_sides(new).items():
            self.sides.setdefault(name, set()).update(found)
        self._components = new.get("components", {})

    def _resolved(self, node: Any) -> Any:
        """``node``, or what its ``$ref`` names in the new document's components (a
        parameter's ``required`` is on the component, not on the reference)."""
        for _ in range(16):  # a chain of references, never a cycle for ever
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/components/"):
                return node
            section, _, name = ref[len("#/components/") :].partition("/")
            node = self._components.get(section, {}).get(name)
        return node

    def side(self, where: str) -> set[str]:
        """Where the thing at ``where`` (a drift report location) travels."""
        if where.startswith("schema "):
            name = where.removeprefix("schema ").split(".", 1)[0].split(" ", 1)[0]
            return self.sides.get(name) or {REQUEST, RESPONSE}
        if " parameter " in where or " requestBody" in where:
            return {REQUEST}
        if " response " in where:
            return {RESPONSE}
        if where.startswith(("components.parameters", "components.requestBodies")):
            return {REQUEST}
        if where.startswith("components.responses"):
            return {RESPONSE}
        return {REQUEST, RESPONSE}

    def judge(
        self,
        kind: str,
        where: str,
        key: str | None = None,
        before: Any = ABSENT,
        after: Any = ABSENT,
    ) -> Impact:
        """The impact of one change of ``kind`` at ``where``; ``key`` is the keyword that
        changed (for ``changed`` and ``parameter_changed``), with its values."""
        sides = self.side(where)
        simple = _SIMPLE.get(kind)
        if simple is not None:
            return simple
        if kind == "parameter_added":
            after = self._resolved(after)
            if isinstance(after, dict) and after.get("required") is True:
                return Impact(BREAKING, "new required parameter")
            return Impact(ADDITIVE, "new optional parameter")
        if kind == "response_removed":
            if str(key).startswith("2"):
                return Impact(BREAKING, "success response removed")
            return Impact(OTHER, "error response removed")
        if kind == "required_added":
            if REQUEST in sides:
                return Impact(BREAKING, "request field now required")
            return Impact(ADDITIVE, "response field now always present")
        if kind == "required_removed":
            if RESPONSE in sides:
                return Impact(BREAKING, "response field may now be absent")
            return Impact(ADDITIVE, "request field now optional")
        return self._changed(where, sides, key, before, after)

    def _changed(
        self, where: str, sides: set[str], key: str | None, before: Any, after: Any
    ) -> Impact:
        if key is None:
            return Impact(OTHER, "order or layout changed")
        if where.startswith("components.") and key == where:  # a whole component
            if before is ABSENT:
                return Impact(ADDITIVE, "new component")
            if after is ABSENT:
                return Impact(BREAKING, "component removed")
        if where in NEUTRAL_TOP_LEVEL or where.split(" ", 1)[0] in NEUTRAL_TOP_LEVEL:
            return Impact(OTHER, f"{where} changed")
        if key.startswith("x-") or key in NEUTRAL_KEYS:
            return Impact(OTHER, f"{key} changed")
        if key in ("enum", "required") and (isinstance(before, list) or isinstance(after, list)):
            return Impact(OTHER, f"{key}: same members")
        if key == "required":
            if after is True:
                return Impact(BREAKING, "now required")
            return Impact(ADDITIVE, "now optional")
        if key == "nullable":
            now_nullable = after is True
            if (REQUEST in sides and not now_nullable) or (RESPONSE in sides and now_nullable):
                return Impact(BREAKING, "may now be null" if now_nullable else "no longer nullable")
            return Impact(ADDITIVE, "now nullable" if now_nullable else "never null any more")
        if key in LOWER_BOUNDS | UPPER_BOUNDS or key == "pattern":
            if _tighter(key, before, after):
                if REQUEST in sides:
                    return Impact(BREAKING, f"{key} tightened")
                return Impact(OTHER, f"{key} tightened")
            return Impact(ADDITIVE, f"{key} loosened")
        if key in TYPE_KEYS:
            return Impact(BREAKING, f"{key} changed")
        return Impact(BREAKING, f"{key} changed (unclassified: review it)")


def _tighter(key: str, before: Any, after: Any) -> bool:
    """Whether the new bound accepts less than the old one."""
    if after is ABSENT:
        return False
    if before is ABSENT:
        return True
    if key == "pattern":
        return bool(before != after)
    try:
        if key in LOWER_BOUNDS:
            return bool(after > before)
        return bool(after < before)
    except TypeError:
        return True


_SIMPLE = {
    "file_added": Impact(ADDITIVE, "new file"),
    "file_unmanaged": Impact(OTHER, "no vendored tag writes this file"),
    "formatting_changed": Impact(OTHER, "same content, other bytes"),
    "documentation_changed": Impact(DOCUMENTATION, "text or example"),
    "operation_added": Impact(ADDITIVE, "new operation"),
    "operation_removed": Impact(BREAKING, "operation removed"),
    "parameter_removed": Impact(BREAKING, "parameter removed"),
    "response_added": Impact(ADDITIVE, "new response"),
    "schema_added": Impact(ADDITIVE, "new schema"),
    "schema_removed": Impact(BREAKING, "schema (a model class) removed"),
    "field_added": Impact(ADDITIVE, "new field"),
    "field_removed": Impact(BREAKING, "field removed"),
    "enum_value_added": Impact(ADDITIVE, "new enum value"),
    "enum_value_removed": Impact(BREAKING, "enum value removed"),
    "deprecated_added": Impact(BREAKING, "deprecation announced"),
    "deprecated_removed": Impact(ADDITIVE, "deprecation withdrawn"),
}
