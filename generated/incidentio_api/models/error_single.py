from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.error_single_metadata import ErrorSingleMetadata
from ..models.error_source import ErrorSource

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "code",
        "message",
        "metadata",
        "source",
    )
)


@_attrs_define(kw_only=True)
class ErrorSingle:
    """
    Example:
        {'code': 'trial_expired', 'message': 'Default incident call link must be a valid URL', 'metadata': {'abc123':
            'abc123'}, 'source': {'field': 'default_call_url', 'pointer': '/settings/default_call_url'}}

    Attributes:
        code (str): Machine-readable identifier for this specific error Example: trial_expired.
        message (str): Human readable description of the error Example: Default incident call link must be a valid URL.
        metadata (ErrorSingleMetadata | None): Additional metadata about the error, keyed by a string identifier
            Example: {'abc123': 'abc123'}.
        source (ErrorSource | None):  Example: {'field': 'default_call_url', 'pointer': '/settings/default_call_url'}.
    """

    code: str
    message: str
    metadata: ErrorSingleMetadata | None = None
    source: ErrorSource | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        code = self.code

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        metadata: dict[str, Any] | None = None
        if self.metadata is not None:
            metadata = self.metadata.to_dict()

        if metadata is not None:
            field_dict["metadata"] = metadata
        elif "metadata" in self._null_fields:
            field_dict["metadata"] = None
        source: dict[str, Any] | None = None
        if self.source is not None:
            source = self.source.to_dict()

        if source is not None:
            field_dict["source"] = source
        elif "source" in self._null_fields:
            field_dict["source"] = None

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
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "code"
            code = src_dict["code"]
            if type(code) is not str:
                raise TypeError("expected a JSON string")

            parsing = "message"
            message = src_dict["message"]
            if type(message) is not str:
                raise TypeError("expected a JSON string")

            parsing = "metadata"
            _metadata = src_dict.get("metadata")
            metadata: ErrorSingleMetadata | None = None
            if _metadata is not None:
                present += 1
                metadata = ErrorSingleMetadata.from_dict(_metadata)

            elif "metadata" in src_dict:
                present += 1
                null_fields += ("metadata",)

            parsing = "source"
            _source = src_dict.get("source")
            source: ErrorSource | None = None
            if _source is not None:
                present += 1
                source = ErrorSource.from_dict(_source)

            elif "source" in src_dict:
                present += 1
                null_fields += ("source",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        error_single = cls(
            code=code,
            message=message,
            metadata=metadata,
            source=source,
        )
        if len(src_dict) != present:
            error_single.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            error_single._null_fields = frozenset(null_fields)
        return error_single

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
