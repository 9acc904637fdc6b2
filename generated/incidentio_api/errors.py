"""Contains shared errors types that can be raised from API functions and model parsing."""

from collections.abc import Mapping
from typing import Any


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


def _json_type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


class ModelParseError(ValueError):
    """Raised by a model's ``from_dict`` when the data does not fit the model.

    The message names the outermost model and the path to the offending field, for example
    ``FollowUpV2.creator.user.id: required field 'id' of UserV2 is missing``.
    """

    def __init__(self, model: str, path: tuple[str, ...], reason: str) -> None:
        self.model = model
        self.path = path
        self.reason = reason
        location = ".".join((model, *path))
        super().__init__(f"{location}: {reason}")

    @classmethod
    def from_exception(cls, model: str, field: str, data: Any, exc: Exception) -> "ModelParseError":
        """Describe ``exc``, raised while ``model`` was reading ``field`` of ``data``."""
        if not isinstance(data, Mapping):
            return cls(model, (), f"expected a JSON object, got {_json_type_name(data)}")
        if isinstance(exc, KeyError) and field not in data:
            return cls(model, (field,), f"required field {field!r} of {model} is missing")
        value = data.get(field)
        return cls(model, (field,), f"invalid value ({_json_type_name(value)}): {exc}")

    def within(self, model: str, field: str) -> "ModelParseError":
        """The same error seen from ``model``, which was reading ``field`` when it happened."""
        return ModelParseError(model, (field, *self.path), self.reason)


__all__ = ["ModelParseError", "UnexpectedStatus"]
