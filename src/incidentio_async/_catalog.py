"""Every generated resource and operation, for the parts that work from all of them (the
command line, the fake)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from incidentio_api.resources import ALIASES, TAGS

from ._operation import Operation


@dataclass(frozen=True)
class ResourceInfo:
    """One generated resource."""

    attribute: str
    """The client's attribute (``follow_ups_v3``)."""
    tag: str
    """The API tag (``Follow-ups V3``)."""
    aliases: tuple[str, ...]
    operations: tuple[Operation[Any], ...]


def resources() -> Iterator[ResourceInfo]:
    """Each resource, in the generated order (this imports every resource's module)."""
    for attribute, tag, class_name in TAGS:
        module = importlib.import_module(f"incidentio_api.resources.{attribute}")
        aliases = tuple(alias for alias, target in ALIASES.items() if target == attribute)
        yield ResourceInfo(attribute, tag, aliases, getattr(module, class_name).OPERATIONS)


def operations() -> Iterator[Operation[Any]]:
    """Every operation of every resource."""
    for resource in resources():
        yield from resource.operations
