"""Read the vendored OpenAPI specs for tests: merged document, examples, sample bodies."""

from __future__ import annotations

import copy
import functools
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import generate  # noqa: E402  (scripts/ is not a package)


@functools.cache
def merged_spec() -> dict[str, Any]:
    """The document the generator is fed."""
    return generate.merge_specs(generate.load_specs())


def schemas() -> dict[str, Any]:
    return dict(merged_spec()["components"]["schemas"])


def resolve(schema: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """Follow a ``$ref``: (component name or None, schema)."""
    ref = schema.get("$ref")
    if ref is None:
        return None, schema
    name = ref.rsplit("/", 1)[-1]
    return name, schemas()[name]


def model_class(schema_name: str) -> Any:
    """The generated model class for a component schema."""
    module = importlib.import_module("incidentio_api.models")
    return getattr(module, schema_name)


def object_schema_names() -> list[str]:
    return sorted(name for name, s in schemas().items() if s.get("type") == "object")


def event_envelope_names() -> set[str]:
    """The schemas of whole webhook bodies (``{"event_type": T, T: payload}``): the client
    parses the payload with its own model, never the envelope."""
    return {
        resolve(content["schema"])[0] or ""
        for path, item in merged_spec()["paths"].items()
        if path.startswith("/x-webhooks/")
        for operation in item.values()
        for response in operation.get("responses", {}).values()
        for content in response.get("content", {}).values()
    }


def body_examples() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(label, schema name, example) for every request and response example in the specs."""
    for path, item in merged_spec()["paths"].items():
        for method, operation in item.items():
            bodies = []
            request = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if request:
                bodies.append(("request", request))
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json")
                if content:
                    bodies.append((status, content))
            for where, content in bodies:
                if "example" in content:
                    name, _ = resolve(content["schema"])
                    assert name is not None
                    yield f"{method.upper()} {path} {where}", name, content["example"]
    for name, schema in schemas().items():
        if "example" in schema and schema.get("type") == "object":
            yield f"components.schemas.{name}", name, schema["example"]


def sample(schema: dict[str, Any], *, full: bool = True) -> Any:
    """A valid value for ``schema``: its example where it has one, else built from its parts.

    With ``full`` every optional property is present, so mutations can reach all of them.
    """
    _, schema = resolve(schema)
    kind = schema.get("type")
    if kind == "object":
        value = {}
        for prop_name, prop in schema.get("properties", {}).items():
            if full or prop_name in schema.get("required", []):
                value[prop_name] = sample(prop, full=full)
        return value
    if kind == "array" and (resolve(schema["items"])[1].get("type") == "object"):
        # Not the array's example: its records may predate fields the spec has added since.
        return [sample(schema["items"], full=full)]
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "array":
        return [sample(schema["items"], full=full)]
    if kind == "integer":
        return schema.get("default", 1)
    if kind == "string":
        return "2021-08-17T13:28:57.801578Z" if schema.get("format") == "date-time" else "text"
    raise AssertionError(f"no sample for {schema}")


def is_json_kind(kind: str, value: Any) -> bool:
    """Whether ``value`` (as json.loads gives it) is of JSON type ``kind``; an integer field
    takes no float, not even 3.0, and bool is no integer or number."""
    if kind == "string":
        return type(value) is str
    if kind == "integer":
        return type(value) is int
    if kind == "number":
        return type(value) in (int, float)
    return kind == "boolean" and type(value) is bool
