from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.incident_duration_metric_v2 import IncidentDurationMetricV2
from ..models.incident_duration_metric_with_value_v2_status import (
    IncidentDurationMetricWithValueV2Status,
)

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "duration_metric",
        "status",
        "value_seconds",
    )
)


@_attrs_define(kw_only=True)
class IncidentDurationMetricWithValueV2:
    """
    Example:
        {'duration_metric': {'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Lasted'}, 'status': 'success',
            'value_seconds': 10800}

    Attributes:
        duration_metric (IncidentDurationMetricV2):  Example: {'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Lasted'}.
        status (IncidentDurationMetricWithValueV2Status): Whether value_seconds matches this incident's current
            timestamps ('success'), or why it doesn't Example: success.
        value_seconds (int | None): The duration we last calculated for this metric, omitted if we've never calculated
            one. If status isn't 'success', this incident's timestamps have changed since and no longer match this value
            Example: 10800.
    """

    duration_metric: IncidentDurationMetricV2
    status: IncidentDurationMetricWithValueV2Status
    value_seconds: int | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        duration_metric = self.duration_metric.to_dict()

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "duration_metric": duration_metric,
                "status": status,
            }
        )
        value_seconds = self.value_seconds
        if value_seconds is not None:
            field_dict["value_seconds"] = value_seconds
        elif "value_seconds" in self._null_fields:
            field_dict["value_seconds"] = None

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
            parsing = "duration_metric"
            duration_metric = IncidentDurationMetricV2.from_dict(src_dict["duration_metric"])

            parsing = "status"
            status = IncidentDurationMetricWithValueV2Status.from_value(src_dict["status"])

            parsing = "value_seconds"
            value_seconds = src_dict.get("value_seconds")
            if type(value_seconds) is int:
                present += 1
            elif value_seconds is not None:
                raise TypeError("expected a JSON integer")
            elif "value_seconds" in src_dict:
                present += 1
                null_fields += ("value_seconds",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        incident_duration_metric_with_value_v2 = cls(
            duration_metric=duration_metric,
            status=status,
            value_seconds=value_seconds,
        )
        if len(src_dict) != present:
            incident_duration_metric_with_value_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            incident_duration_metric_with_value_v2._null_fields = frozenset(null_fields)
        return incident_duration_metric_with_value_v2

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
