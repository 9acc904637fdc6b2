from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.incident_timestamp_v2 import IncidentTimestampV2
from ..models.incident_timestamp_value_v2 import IncidentTimestampValueV2

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "incident_timestamp",
        "value",
    )
)


@_attrs_define(kw_only=True)
class IncidentTimestampWithValueV2:
    """
    Example:
        {'incident_timestamp': {'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Impact started', 'rank': 1}, 'value':
            {'value': '2021-08-17T13:28:57.801578Z'}}

    Attributes:
        incident_timestamp (IncidentTimestampV2):  Example: {'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Impact
            started', 'rank': 1}.
        value (IncidentTimestampValueV2 | None):  Example: {'value': '2021-08-17T13:28:57.801578Z'}.
    """

    incident_timestamp: IncidentTimestampV2
    value: IncidentTimestampValueV2 | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        incident_timestamp = self.incident_timestamp.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "incident_timestamp": incident_timestamp,
            }
        )
        value: dict[str, Any] | None = None
        if self.value is not None:
            value = self.value.to_dict()

        if value is not None:
            field_dict["value"] = value
        elif "value" in self._null_fields:
            field_dict["value"] = None

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
        present = 1
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "incident_timestamp"
            incident_timestamp = IncidentTimestampV2.from_dict(src_dict["incident_timestamp"])

            parsing = "value"
            _value = src_dict.get("value")
            value: IncidentTimestampValueV2 | None = None
            if _value is not None:
                present += 1
                value = IncidentTimestampValueV2.from_dict(_value)

            elif "value" in src_dict:
                present += 1
                null_fields += ("value",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        incident_timestamp_with_value_v2 = cls(
            incident_timestamp=incident_timestamp,
            value=value,
        )
        if len(src_dict) != present:
            incident_timestamp_with_value_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            incident_timestamp_with_value_v2._null_fields = frozenset(null_fields)
        return incident_timestamp_with_value_v2

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
