from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "message",
        "stacktrace",
    )
)


@_attrs_define(kw_only=True)
class ErrorDebug:
    """
    Example:
        {'message': 'Something broke: and something else: and something else', 'stacktrace': ['thing.go:123']}

    Attributes:
        message (str): Original internal error message Example: Something broke: and something else: and something else.
        stacktrace (list[str]): Stacktrace of the error, if applicable Example: ['thing.go:123'].
    """

    message: str
    stacktrace: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        message = self.message

        stacktrace = self.stacktrace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "stacktrace": stacktrace,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build this model from JSON data, keeping unknown fields in ``additional_properties``.

        Raises:
            ModelParseError: the data is not an object, a required field is missing, or a
                value has the wrong type.
        """
        # Reads the fields in place (no copy of the data): parsing pages of records is
        # dominated by allocations and the garbage collector's work on them.
        parsing = ""
        present = 2
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "message"
            message = src_dict["message"]
            if type(message) is not str:
                raise TypeError("expected a JSON string")

            parsing = "stacktrace"
            _stacktrace = src_dict["stacktrace"]
            if not isinstance(_stacktrace, list):
                raise TypeError("expected a JSON array")

            for stacktrace_item_data in _stacktrace:
                if type(stacktrace_item_data) is not str:
                    raise TypeError("expected a JSON array of strings")
            stacktrace = cast(list[str], _stacktrace)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        error_debug = cls(
            message=message,
            stacktrace=stacktrace,
        )
        if len(src_dict) != present:
            error_debug.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        return error_debug

    @property
    def additional_keys(self) -> list[str]:
        """Names of the fields this client's models do not know, as received."""
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
