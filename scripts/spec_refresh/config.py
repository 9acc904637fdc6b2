"""The vendoring config (which tags go to which file) and our patch list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spec_refresh import RefreshError
from spec_refresh.source import read_yaml_file

CONFIG_KEYS = {"tags", "servers", "security", "drop_extensions", "patches"}
PATCH_KEYS = {"target", "set", "reason"}


@dataclass(frozen=True)
class Patch:
    """Set ``values`` on the mapping at JSON pointer ``pointer`` of the written ``file``."""

    file: str
    pointer: str
    values: dict[str, Any]
    reason: str

    @property
    def target(self) -> str:
        """The patch's target as written in the patch list."""
        return f"{self.file}#{self.pointer}"


@dataclass(frozen=True)
class VendorConfig:
    """What to cut from the published document and how to write it."""

    tags: dict[str, str]
    servers: list[Any]
    security: list[Any]
    drop_extensions: tuple[str, ...]
    patches: tuple[Patch, ...]
    patch_file: Path


def load_config(path: Path) -> VendorConfig:
    """Read and validate the config at ``path`` and the patch list it names."""
    raw = read_yaml_file(path)
    if not isinstance(raw, dict):
        raise RefreshError(f"{path}: expected a mapping")
    unknown = sorted(raw.keys() - CONFIG_KEYS)
    if unknown:
        raise RefreshError(f"{path}: unknown keys {unknown} (known: {sorted(CONFIG_KEYS)})")
    tags = raw.get("tags")
    if not isinstance(tags, dict) or not tags:
        raise RefreshError(f"{path}: 'tags' must map each vendored tag to a file name")
    for tag, file in tags.items():
        if not isinstance(file, str) or not _is_plain_yaml_name(file):
            raise RefreshError(f"{path}: tag {tag!r}: {file!r} is not a plain *.yaml file name")
    if len(set(tags.values())) != len(tags):
        raise RefreshError(f"{path}: two tags share one output file")
    servers = _list_of_mappings(raw, "servers", path)
    security = _list_of_mappings(raw, "security", path)
    drop = raw.get("drop_extensions", [])
    if not isinstance(drop, list) or not all(
        isinstance(item, str) and item.startswith("x-") for item in drop
    ):
        raise RefreshError(f"{path}: 'drop_extensions' must list x- key patterns")
    patch_name = raw.get("patches")
    if not isinstance(patch_name, str):
        raise RefreshError(f"{path}: 'patches' must name the patch list file")
    patch_file = path.parent / patch_name
    return VendorConfig(
        tags=dict(tags),
        servers=servers,
        security=security,
        drop_extensions=tuple(drop),
        patches=load_patches(patch_file, set(tags.values())),
        patch_file=patch_file,
    )


def load_patches(path: Path, files: set[str]) -> tuple[Patch, ...]:
    """Read and validate the patch list; every target must name one of ``files``."""
    raw = read_yaml_file(path)
    entries = raw.get("patches") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise RefreshError(f"{path}: expected a mapping with a 'patches' list")
    patches = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: patch {number}"
        if not isinstance(entry, dict) or entry.keys() != PATCH_KEYS:
            raise RefreshError(f"{where}: needs exactly the keys {sorted(PATCH_KEYS)}")
        target, values, reason = entry["target"], entry["set"], entry["reason"]
        if not isinstance(target, str) or "#/" not in target:
            raise RefreshError(f"{where}: target must look like 'file.yaml#/json/pointer'")
        file, pointer = target.split("#", 1)
        if file not in files:
            raise RefreshError(
                f"{where}: {file!r} is not one of the vendored files {sorted(files)}"
            )
        if not isinstance(values, dict) or not values:
            raise RefreshError(f"{where}: 'set' must be a non-empty mapping of keys to values")
        if not isinstance(reason, str) or not reason.strip():
            raise RefreshError(f"{where}: every patch needs a reason")
        patches.append(Patch(file=file, pointer=pointer, values=dict(values), reason=reason))
    return tuple(patches)


def _is_plain_yaml_name(name: str) -> bool:
    return name.endswith(".yaml") and "/" not in name and "\\" not in name and name != ".yaml"


def _list_of_mappings(raw: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise RefreshError(f"{path}: '{key}' must be a non-empty list of mappings")
    return value
