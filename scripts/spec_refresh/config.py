"""The vendoring config (which tags go to which file) and our patch list."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spec_refresh import RefreshError
from spec_refresh.source import read_yaml_file

CONFIG_KEYS = {"tags", "servers", "security", "drop_extensions", "patches"}
PATCH_KEYS = {"target", "set", "reason"}
TAG_KEYS = {"file", "paths", "optional"}


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
    """Each vendored tag and the file it is written to."""
    paths: dict[str, tuple[str, ...]]
    """For a tag vendored in part: the paths (fnmatch patterns) of the operations kept."""
    optional: frozenset[str]
    """Tags a copy of the document may lack (its file is then left as it is)."""
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
    raw_tags = raw.get("tags")
    if not isinstance(raw_tags, dict) or not raw_tags:
        raise RefreshError(f"{path}: 'tags' must map each vendored tag to a file name")
    tags: dict[str, str] = {}
    paths: dict[str, tuple[str, ...]] = {}
    optional = set()
    for tag, entry in raw_tags.items():
        file, patterns = _tag_entry(entry, f"{path}: tag {tag!r}")
        tags[tag] = file
        if patterns:
            paths[tag] = patterns
        if isinstance(entry, dict) and entry.get("optional", False) is True:
            optional.add(tag)
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
        tags=tags,
        paths=paths,
        optional=frozenset(optional),
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


def _tag_entry(entry: Any, where: str) -> tuple[str, tuple[str, ...]]:
    """A tag's file, and the path patterns when only some of its operations are vendored
    (``{file: name.yaml, paths: [patterns], optional: true}``)."""
    patterns: Any = ()
    if isinstance(entry, dict):
        unknown = sorted(entry.keys() - TAG_KEYS)
        if unknown or "file" not in entry:
            raise RefreshError(f"{where}: expected the keys {sorted(TAG_KEYS)}, 'file' required")
        file, patterns = entry["file"], entry.get("paths", [])
        if not isinstance(patterns, list) or ("paths" in entry and not patterns):
            raise RefreshError(f"{where}: 'paths' must be a non-empty list of path patterns")
        if not isinstance(entry.get("optional", False), bool):
            raise RefreshError(f"{where}: 'optional' must be true or false")
        if not all(isinstance(p, str) and p.startswith("/") for p in patterns):
            raise RefreshError(f"{where}: every path pattern must start with '/'")
    else:
        file = entry
    if not isinstance(file, str) or not _is_plain_yaml_name(file):
        raise RefreshError(f"{where}: {file!r} is not a plain *.yaml file name")
    return file, tuple(patterns)


def _is_plain_yaml_name(name: str) -> bool:
    return name.endswith(".yaml") and "/" not in name and "\\" not in name and name != ".yaml"


def _list_of_mappings(raw: dict[str, Any], key: str, path: Path) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
        raise RefreshError(f"{path}: '{key}' must be a non-empty list of mappings")
    return value
