"""Read an OpenAPI document, JSON or YAML, from an http(s) URL or a file."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from spec_refresh import RefreshError

# The published document is a few MB; anything far larger is not what we asked for.
MAX_BYTES = 64 * 1024 * 1024
USER_AGENT = "incidentio-async scripts/refresh_specs.py"


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader that keeps unquoted dates as strings, as JSON would have them."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, where: str) -> Any:
    """Parse YAML (or JSON) text with string keys and dates left as strings."""
    try:
        return _string_keys(yaml.load(text, Loader=_PlainLoader))
    except yaml.YAMLError as exc:
        raise RefreshError(f"{where}: not valid JSON or YAML: {exc}") from exc


def read_yaml_file(path: Path) -> Any:
    """A YAML file of ours (config, patch list, committed spec)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RefreshError(f"cannot read {path}: {exc.strerror or exc}") from exc
    return parse_yaml(text, str(path))


def read_source(source: str, timeout: float) -> dict[str, Any]:
    """The OpenAPI document at ``source`` (http(s) URL or file path), checked to be OpenAPI 3."""
    raw = _fetch(source, timeout) if _is_url(source) else _read_file(source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RefreshError(f"{source}: not UTF-8 text: {exc}") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        document = parse_yaml(text, source)
    if not isinstance(document, dict):
        raise RefreshError(f"{source}: not an OpenAPI document (top level is not an object)")
    version = document.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.")):
        raise RefreshError(f"{source}: not an OpenAPI 3 document ('openapi' is {version!r})")
    for key in ("info", "paths"):
        if not isinstance(document.get(key), dict):
            raise RefreshError(f"{source}: not an OpenAPI document (no '{key}' object)")
    return document


def read_sources(sources: list[str], timeout: float) -> dict[str, Any]:
    """The published document, from one source or from several parts of it.

    incident.io publishes one document (its webhook events are pseudo-paths of it), but a copy
    may come in parts, as cuts of it do. The first part gives the top level (``info``, ...);
    the others add paths and components. A path or component two parts define differently is
    an error: they are not parts of one document.
    """
    document = read_source(sources[0], timeout)
    for source in sources[1:]:
        _merge_part(document, read_source(source, timeout), source)
    return document


def _merge_part(document: dict[str, Any], part: dict[str, Any], source: str) -> None:
    paths = document["paths"]
    for path, item in part["paths"].items():
        if paths.setdefault(path, item) != item:
            raise RefreshError(f"{source}: path {path} differs from an earlier source's")
    components = document.setdefault("components", {})
    for section, entries in (part.get("components") or {}).items():
        if not isinstance(entries, dict):
            raise RefreshError(f"{source}: components.{section} is not an object")
        merged = components.setdefault(section, {})
        for name, entry in entries.items():
            if merged.setdefault(name, entry) != entry:
                raise RefreshError(
                    f"{source}: components.{section}.{name} differs from an earlier source's"
                )
    known = {tag.get("name") for tag in document.get("tags", []) if isinstance(tag, dict)}
    for tag in part.get("tags", []):
        if isinstance(tag, dict) and tag.get("name") not in known:
            document.setdefault("tags", []).append(tag)


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json, application/yaml"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise RefreshError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise RefreshError(f"{url}: cannot fetch: {exc.reason}") from exc
    except (TimeoutError, OSError) as exc:
        raise RefreshError(f"{url}: cannot fetch: {exc}") from exc
    if len(body) > MAX_BYTES:
        raise RefreshError(f"{url}: larger than {MAX_BYTES} bytes, refusing it")
    return body


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise RefreshError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _string_keys(value: Any) -> Any:
    # YAML reads `200:` as an int key; JSON, and the rest of the tool, only has string keys.
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_string_keys(item) for item in value]
    return value
