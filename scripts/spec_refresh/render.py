"""Byte-stable YAML for the written specs."""

from __future__ import annotations

from typing import Any

import yaml

# The conventional order of an OpenAPI document's top level; everything below it is sorted.
TOP_LEVEL_ORDER = ("openapi", "info", "servers", "security", "tags", "paths", "components")
WIDTH = 100


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, and no anchors for repeated values."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # PyYAML falls back to a quoted scalar by itself when a block cannot hold the text.
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", data, style="|" if "\n" in data else None
    )


_Dumper.add_representer(str, _represent_str)


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with the top level in OpenAPI order and every mapping below it sorted.

    Lists keep their order: for parameters, enums and tags, order is what upstream chose.
    """
    ordered = [key for key in TOP_LEVEL_ORDER if key in document]
    ordered += sorted(key for key in document if key not in TOP_LEVEL_ORDER)
    return {key: _sorted(document[key]) for key in ordered}


def render(document: dict[str, Any], header: str) -> str:
    """The YAML text of ``document`` under a ``#`` comment ``header``."""
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    body = yaml.dump(
        canonical(document),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=WIDTH,
        indent=2,
        default_flow_style=False,
    )
    return comment + body


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value
