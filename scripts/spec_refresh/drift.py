"""Compare what a refresh would write with the committed specs, as a readable report.

Each change carries a severity (``spec_refresh.classify``): the text report leads with a
verdict and the breaking changes, so that a reviewer knows in ten seconds whether a refresh
is safe to take.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spec_refresh import RefreshError
from spec_refresh.classify import (
    ABSENT,
    ADDITIVE,
    BREAKING,
    DOCUMENTATION,
    OTHER,
    SEVERITIES,
    Classifier,
)
from spec_refresh.cut import FIELD_MAP_KEYS, HTTP_METHODS
from spec_refresh.source import parse_yaml

# Changes to these keys alter no request or response: reported, but summed up in the text.
DOC_KEYS = frozenset({"description", "summary", "title", "example", "examples", "externalDocs"})
# kind -> (sign, label) for the text report. The JSON report carries the kind itself.
KINDS = {
    "file_added": ("+", "new file"),
    "file_unmanaged": ("?", "unmanaged"),
    "operation_added": ("+", "operation"),
    "operation_removed": ("-", "operation"),
    "parameter_added": ("+", "parameter"),
    "parameter_removed": ("-", "parameter"),
    "parameter_changed": ("~", "parameter"),
    "response_added": ("+", "response"),
    "response_removed": ("-", "response"),
    "schema_added": ("+", "schema"),
    "schema_removed": ("-", "schema"),
    "field_added": ("+", "field"),
    "field_removed": ("-", "field"),
    "required_added": ("+", "required"),
    "required_removed": ("-", "required"),
    "enum_value_added": ("+", "enum value"),
    "enum_value_removed": ("-", "enum value"),
    "deprecated_added": ("+", "deprecated"),
    "deprecated_removed": ("-", "deprecated"),
    "changed": ("~", "changed"),
    "documentation_changed": ("~", "documentation"),
    "formatting_changed": ("~", "formatting"),
}
NOT_IN_SOURCE = "not in source"
"""The status of the file of an optional tag the source does not have."""
DOC_SAMPLES = 3
VALUE_WIDTH = 100
REPORT_WIDTH = 100


MISSING: Any = ABSENT
"""What a side of a change lacks (the classifier's own marker, so it passes through as is)."""
Emit = Callable[..., None]
"""``emit(kind, where, detail, key=None, before=MISSING, after=MISSING)``."""

HEADINGS = {
    BREAKING: "Breaking: existing callers may stop working",
    ADDITIVE: "Additive: new things callers can use",
    OTHER: "Other: no call changes; for review",
}


@dataclass(frozen=True)
class Change:
    """One difference: what a refresh would change in ``file``, and how much it matters."""

    file: str
    kind: str
    where: str
    detail: str = ""
    severity: str = OTHER
    """``breaking``, ``additive``, ``other`` or ``documentation`` (see classify.py)."""
    reason: str = ""


@dataclass
class Report:
    """Every change a refresh from ``source`` would make to the specs in ``spec_dir``."""

    source: str
    spec_dir: str
    files: dict[str, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)

    @property
    def drift(self) -> bool:
        """Whether a refresh would change anything."""
        return bool(self.changes)

    @property
    def breaking(self) -> bool:
        """Whether a refresh would change anything existing callers rely on."""
        return any(change.severity == BREAKING for change in self.changes)

    def counts(self) -> dict[str, int]:
        """How many distinct changes of each severity (a schema several files share counts
        once)."""
        unique = _unique(self.changes)
        return {severity: sum(c.severity == severity for c in unique) for severity in SEVERITIES}

    def to_json(self) -> dict[str, Any]:
        """The report for machines: every change, documentation ones included."""
        return {
            "source": self.source,
            "spec_dir": self.spec_dir,
            "drift": self.drift,
            "breaking": self.breaking,
            "counts": self.counts(),
            "files": self.files,
            "changes": [asdict(change) for change in self.changes],
        }

    def to_text(self) -> str:
        """The report for people: the verdict first, then the changes by severity, the
        documentation ones summed up."""
        unchecked = [name for name, status in self.files.items() if status == NOT_IN_SOURCE]
        note = f" Not checked (not in the source): {', '.join(unchecked)}." if unchecked else ""
        if not self.drift:
            return f"{self.spec_dir} is up to date with {self.source}: no drift.{note}"
        counts = self.counts()
        changed = [
            name
            for name, status in self.files.items()
            if status not in ("unchanged", NOT_IN_SOURCE)
        ]
        lines = [
            f"Upstream drift: a refresh from {self.source} would change "
            f"{', '.join(changed)} in {self.spec_dir}.",
            f"{counts[BREAKING]} breaking, {counts[ADDITIVE]} additive, {counts[OTHER]} other, "
            f"{counts[DOCUMENTATION]} documentation.",
        ]
        if self.breaking:
            lines.append(
                "Verdict: BREAKING. Callers of the changes below may stop working: review "
                "them before taking the refresh."
            )
        else:
            lines.append("Verdict: additive only. Existing callers keep working: take the refresh.")
        unique = _unique(self.changes)
        for severity in (BREAKING, ADDITIVE, OTHER):
            mine = [change for change in unique if change.severity == severity]
            if mine:
                lines.append("")
                lines.append(f"{HEADINGS[severity]} ({len(mine)}):")
                lines.extend(_grouped_lines(mine, reasons=severity != ADDITIVE))
        docs = [change for change in unique if change.severity == DOCUMENTATION]
        if docs:
            sample = ", ".join(f"{c.where} {c.detail}" for c in docs[:DOC_SAMPLES])
            more = ", ..." if len(docs) > DOC_SAMPLES else ""
            lines.append("")
            text = f"Documentation: {len(docs)} text/example changes: {sample}{more}"
            lines.append(_wrap(text, indent=""))
        lines.append("")
        lines.append(
            "Take them with `make refresh-specs SOURCE=...`, review the diff, then `make generate`."
            + note
        )
        return "\n".join(lines)


def _unique(changes: list[Change]) -> list[Change]:
    """The changes without repeats (a schema shared by several files changes in each)."""
    seen: dict[tuple[str, str, str], Change] = {}
    for change in changes:
        seen.setdefault((change.kind, change.where, change.detail), change)
    return list(seen.values())


def _grouped_lines(changes: list[Change], *, reasons: bool) -> list[str]:
    """Text lines, one per run of changes of one kind at one place (13 error responses, ...);
    with ``reasons``, each ends with why it has its severity."""
    groups: list[tuple[str, str, list[str], str]] = []
    for change in changes:
        where, detail = change.where, change.detail
        if change.kind in ("schema_added", "schema_removed"):
            where, detail = "schemas", where.removeprefix("schema ")
        last = groups[-1] if groups else None
        if (
            last is not None
            and last[:2] == (change.kind, where)
            and last[3] == change.reason
            and detail
            and last[2]
        ):
            last[2].append(detail)
        else:
            groups.append((change.kind, where, [detail] if detail else [], change.reason))
    lines = []
    for kind, where, details, reason in groups:
        sign, label = KINDS[kind]
        text = f"{sign} {label:<13} {where}" + (": " + ", ".join(details) if details else "")
        if reasons and reason:
            text += f"  [{reason}]"
        lines.append(_wrap(text))
    return lines


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(
        text,
        width=REPORT_WIDTH,
        initial_indent=indent,
        subsequent_indent=" " * 18,
        break_long_words=False,
        break_on_hyphens=False,
    )


def compare(
    source: str,
    spec_dir: Path,
    written: dict[str, tuple[dict[str, Any], str]],
    skipped: Collection[str] = (),
) -> Report:
    """Compare ``written`` (file name -> (document, text)) with the files in ``spec_dir``;
    ``skipped`` files (of optional tags the source lacks) are reported as not checked."""
    report = Report(source=source, spec_dir=str(spec_dir))
    for name in sorted(skipped):
        report.files[name] = NOT_IN_SOURCE
    for name in sorted(written):
        document, text = written[name]
        path = spec_dir / name
        if not path.exists():
            report.files[name] = "new"
            report.changes.extend(diff_documents(name, {}, document))
            continue
        committed_text = path.read_text(encoding="utf-8")
        if committed_text == text:
            report.files[name] = "unchanged"
            continue
        report.files[name] = "changed"
        try:
            committed = parse_yaml(committed_text, str(path))
        except RefreshError as exc:
            report.changes.append(Change(name, "changed", name, f"the committed file: {exc}"))
            continue
        found = diff_documents(name, committed if isinstance(committed, dict) else {}, document)
        report.changes.extend(
            found or [Change(name, "formatting_changed", name, "same content, other bytes")]
        )
    for path in sorted(spec_dir.glob("*.yaml")):
        if path.name not in written and path.name not in skipped:
            report.files[path.name] = "unmanaged"
            report.changes.append(
                Change(path.name, "file_unmanaged", path.name, "no vendored tag writes this file")
            )
    return report


def diff_documents(file: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Structural differences from ``old`` to ``new``, operation by operation, schema by schema."""
    changes: list[Change] = []
    classifier = Classifier(old, new)

    def emit(
        kind: str,
        where: str,
        detail: str,
        key: str | None = None,
        before: Any = MISSING,
        after: Any = MISSING,
    ) -> None:
        impact = classifier.judge(kind, where, key, before, after)
        changes.append(Change(file, kind, where, detail, impact.severity, impact.reason))

    if not old:
        emit("file_added", file, f"{len(_operations(new))} operations")
    old_ops, new_ops = _operations(old), _operations(new)
    for key in sorted(old_ops.keys() | new_ops.keys(), key=_operation_order):
        if key not in old_ops:
            emit("operation_added", key, _operation_label(new_ops[key]))
        elif key not in new_ops:
            emit("operation_removed", key, _operation_label(old_ops[key]))
        else:
            _diff(old_ops[key], new_ops[key], key, "", emit)
    old_parts, new_parts = old.get("components", {}), new.get("components", {})
    for section in sorted(old_parts.keys() | new_parts.keys()):
        if section != "schemas" and not old:
            continue
        old_section, new_section = old_parts.get(section, {}), new_parts.get(section, {})
        for name in sorted(old_section.keys() | new_section.keys()):
            before, after = old_section.get(name, MISSING), new_section.get(name, MISSING)
            if section != "schemas":
                _diff(before, after, f"components.{section}.{name}", "", emit)
            elif before is MISSING:
                emit("schema_added", f"schema {name}", "")
            elif after is MISSING:
                emit("schema_removed", f"schema {name}", "")
            else:
                _diff(before, after, f"schema {name}", "", emit)
    if not old:
        return changes
    for path in sorted(old.get("paths", {}).keys() | new.get("paths", {}).keys()):
        _diff(_path_level(old, path), _path_level(new, path), f"path {path}", "", emit)
    for key in sorted((old.keys() | new.keys()) - {"paths", "components"}):
        _diff(old.get(key, MISSING), new.get(key, MISSING), key, "", emit)
    return changes


def _diff(old: Any, new: Any, anchor: str, rel: str, emit: Emit, kind: str = "changed") -> None:
    """Emit the changes from ``old`` to ``new`` at ``anchor`` (``rel``: the key path below it)."""
    if old == new:
        return
    if not (isinstance(old, dict) and isinstance(new, dict)):
        key = rel.rsplit(".", 1)[-1] if rel else anchor
        detail = f"{rel}: {_show(old)} -> {_show(new)}" if rel else _arrow(old, new)
        emit(kind, anchor, detail, key, old, new)
        return
    where = f"{anchor} {rel}" if rel else anchor
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key, MISSING), new.get(key, MISSING)
        if before == after:
            continue
        here = f"{rel}.{key}" if rel else key
        if key in DOC_KEYS:
            emit("documentation_changed", anchor, here)
        elif key == "deprecated" and (before is True) != (after is True):
            emit("deprecated_added" if after is True else "deprecated_removed", where, "")
        elif key in ("enum", "required") and _lists(before, after):
            _diff_members(key, before, after, where, emit)
        elif key in FIELD_MAP_KEYS and _dicts(before, after):
            _diff_fields(before, after, where, emit, kind)
        elif key == "parameters" and _lists(before, after):
            _diff_parameters(before, after, where, emit)
        elif key == "responses" and _dicts(before, after):
            _diff_responses(before, after, where, emit, kind)
        elif isinstance(before, dict) and isinstance(after, dict):
            _diff(before, after, anchor, here, emit, kind)
        else:
            emit(kind, anchor, f"{here}: {_show(before)} -> {_show(after)}", key, before, after)


def _diff_members(key: str, before: Any, after: Any, where: str, emit: Emit) -> None:
    kind = "enum_value" if key == "enum" else "required"
    old, new = _as_list(before), _as_list(after)
    added = [value for value in new if value not in old]
    removed = [value for value in old if value not in new]
    for value in added:
        emit(f"{kind}_added", where, _show(value))
    for value in removed:
        emit(f"{kind}_removed", where, _show(value))
    if not (added or removed):
        # Same members: the order changed, or an empty list appeared or went away.
        emit("changed", where, f"{key}: {_show(before)} -> {_show(after)}", key, before, after)


def _diff_fields(before: Any, after: Any, where: str, emit: Emit, kind: str) -> None:
    old, new = _as_dict(before), _as_dict(after)
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            emit("field_added", f"{where}.{name}", "")
        elif name not in new:
            emit("field_removed", f"{where}.{name}", "")
        else:
            _diff(old[name], new[name], f"{where}.{name}", "", emit, kind)


def _diff_parameters(before: Any, after: Any, where: str, emit: Emit) -> None:
    old = {_parameter_key(p): p for p in _as_list(before)}
    new = {_parameter_key(p): p for p in _as_list(after)}
    for key in new:
        if key not in old:
            emit("parameter_added", where, key, None, MISSING, new[key])
    for key in old:
        if key not in new:
            emit("parameter_removed", where, key)
        else:
            _diff(old[key], new[key], f"{where} parameter {key}", "", emit, "parameter_changed")
    common = [key for key in old if key in new]
    if common != [key for key in new if key in old]:
        emit("changed", where, f"parameter order: {common} -> {[k for k in new if k in old]}")


def _diff_responses(before: Any, after: Any, where: str, emit: Emit, kind: str) -> None:
    old, new = _as_dict(before), _as_dict(after)
    for code in sorted(old.keys() | new.keys()):
        if code not in old:
            emit("response_added", where, code, code)
        elif code not in new:
            emit("response_removed", where, code, code)
        else:
            _diff(old[code], new[code], f"{where} response {code}", "", emit, kind)


def _operations(document: dict[str, Any]) -> dict[str, Any]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


def _operation_order(key: str) -> tuple[str, int]:
    method, path = key.split(" ", 1)
    return path, HTTP_METHODS.index(method.lower())


def _operation_label(operation: Any) -> str:
    label = str(operation.get("operationId", "no operationId"))
    return label + (", deprecated" if operation.get("deprecated") is True else "")


def _path_level(document: dict[str, Any], path: str) -> dict[str, Any]:
    item = document.get("paths", {}).get(path, {})
    return {key: value for key, value in item.items() if key not in HTTP_METHODS}


def _parameter_key(parameter: Any) -> str:
    if isinstance(parameter, dict) and "$ref" in parameter:
        return f"$ref {parameter['$ref']}"
    if isinstance(parameter, dict):
        return f"{parameter.get('in')} {parameter.get('name')}"
    return _show(parameter)


def _lists(before: Any, after: Any) -> bool:
    return all(value is MISSING or isinstance(value, list) for value in (before, after))


def _dicts(before: Any, after: Any) -> bool:
    return all(value is MISSING or isinstance(value, dict) for value in (before, after))


def _as_list(value: Any) -> list[Any]:
    return [] if value is MISSING else list(value)


def _as_dict(value: Any) -> dict[str, Any]:
    return {} if value is MISSING else dict(value)


def _arrow(old: Any, new: Any) -> str:
    return f"{_show(old)} -> {_show(new)}"


def _show(value: Any) -> str:
    if value is MISSING:
        return "(absent)"
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= VALUE_WIDTH else text[: VALUE_WIDTH - 3] + "..."
