from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(())


@_attrs_define(kw_only=True)
class FollowUpsV3ListCreatedAt:
    """Filter on follow-up created at timestamp. Accepted operators are 'gte', 'lte' and 'date_range'.

    Example:
        {'gte': ['2025-01-01']}

    """

    additional_properties: dict[str, list[str]] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = prop

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
        present = 0
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        follow_ups_v3_list_created_at = cls()
        if len(src_dict) != present:
            for prop_name, prop_dict in src_dict.items():
                if prop_name in _FIELD_NAMES:
                    continue
                try:
                    _additional_property = prop_dict
                    if not isinstance(_additional_property, list):
                        raise TypeError("expected a JSON array")

                    for additional_property_item_data in _additional_property:
                        if type(additional_property_item_data) is not str:
                            raise TypeError("expected a JSON array of strings")
                    additional_property = cast(list[str], _additional_property)

                except ModelParseError as exc:
                    raise exc.within(cls.__name__, prop_name) from None
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    raise ModelParseError(
                        cls.__name__, (prop_name,), f"invalid value: {exc}"
                    ) from exc
                follow_ups_v3_list_created_at.additional_properties[prop_name] = additional_property
        return follow_ups_v3_list_created_at

    @property
    def additional_keys(self) -> list[str]:
        """Names of the fields this client's models do not know, as received."""
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> list[str]:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: list[str]) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
