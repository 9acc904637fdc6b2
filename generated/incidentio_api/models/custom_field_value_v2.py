from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.custom_field_option_v2 import CustomFieldOptionV2
from ..models.embedded_catalog_entry_v2 import EmbeddedCatalogEntryV2

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "value_catalog_entry",
        "value_link",
        "value_numeric",
        "value_option",
        "value_text",
    )
)


@_attrs_define(kw_only=True)
class CustomFieldValueV2:
    """
    Example:
        {'value_catalog_entry': {'aliases': ['lawrence@incident.io', 'lawrence'], 'external_id':
            '761722cd-d1d7-477b-ac7e-90f9e079dc33', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Primary On-call'},
            'value_link': 'https://google.com/', 'value_numeric': '123.456', 'value_option': {'custom_field_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'sort_key': 10, 'value': 'Product'},
            'value_text': 'This is my text field, I hope you like it'}

    Attributes:
        value_catalog_entry (EmbeddedCatalogEntryV2 | None):  Example: {'aliases': ['lawrence@incident.io', 'lawrence'],
            'external_id': '761722cd-d1d7-477b-ac7e-90f9e079dc33', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Primary On-
            call'}.
        value_link (str | None): If the custom field type is 'link', this will contain the value assigned. Example:
            https://google.com/.
        value_numeric (str | None): If the custom field type is 'numeric', this will contain the value assigned.
            Example: 123.456.
        value_option (CustomFieldOptionV2 | None):  Example: {'custom_field_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'sort_key': 10, 'value': 'Product'}.
        value_text (str | None): If the custom field type is 'text', this will contain the value assigned. Example: This
            is my text field, I hope you like it.
    """

    value_catalog_entry: EmbeddedCatalogEntryV2 | None = None
    value_link: str | None = None
    value_numeric: str | None = None
    value_option: CustomFieldOptionV2 | None = None
    value_text: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        value_catalog_entry: dict[str, Any] | None = None
        if self.value_catalog_entry is not None:
            value_catalog_entry = self.value_catalog_entry.to_dict()

        if value_catalog_entry is not None:
            field_dict["value_catalog_entry"] = value_catalog_entry
        elif "value_catalog_entry" in self._null_fields:
            field_dict["value_catalog_entry"] = None
        value_link = self.value_link
        if value_link is not None:
            field_dict["value_link"] = value_link
        elif "value_link" in self._null_fields:
            field_dict["value_link"] = None
        value_numeric = self.value_numeric
        if value_numeric is not None:
            field_dict["value_numeric"] = value_numeric
        elif "value_numeric" in self._null_fields:
            field_dict["value_numeric"] = None
        value_option: dict[str, Any] | None = None
        if self.value_option is not None:
            value_option = self.value_option.to_dict()

        if value_option is not None:
            field_dict["value_option"] = value_option
        elif "value_option" in self._null_fields:
            field_dict["value_option"] = None
        value_text = self.value_text
        if value_text is not None:
            field_dict["value_text"] = value_text
        elif "value_text" in self._null_fields:
            field_dict["value_text"] = None

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
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "value_catalog_entry"
            _value_catalog_entry = src_dict.get("value_catalog_entry")
            value_catalog_entry: EmbeddedCatalogEntryV2 | None = None
            if _value_catalog_entry is not None:
                present += 1
                value_catalog_entry = EmbeddedCatalogEntryV2.from_dict(_value_catalog_entry)

            elif "value_catalog_entry" in src_dict:
                present += 1
                null_fields += ("value_catalog_entry",)

            parsing = "value_link"
            value_link = src_dict.get("value_link")
            if type(value_link) is str:
                present += 1
            elif value_link is not None:
                raise TypeError("expected a JSON string")
            elif "value_link" in src_dict:
                present += 1
                null_fields += ("value_link",)

            parsing = "value_numeric"
            value_numeric = src_dict.get("value_numeric")
            if type(value_numeric) is str:
                present += 1
            elif value_numeric is not None:
                raise TypeError("expected a JSON string")
            elif "value_numeric" in src_dict:
                present += 1
                null_fields += ("value_numeric",)

            parsing = "value_option"
            _value_option = src_dict.get("value_option")
            value_option: CustomFieldOptionV2 | None = None
            if _value_option is not None:
                present += 1
                value_option = CustomFieldOptionV2.from_dict(_value_option)

            elif "value_option" in src_dict:
                present += 1
                null_fields += ("value_option",)

            parsing = "value_text"
            value_text = src_dict.get("value_text")
            if type(value_text) is str:
                present += 1
            elif value_text is not None:
                raise TypeError("expected a JSON string")
            elif "value_text" in src_dict:
                present += 1
                null_fields += ("value_text",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        custom_field_value_v2 = cls(
            value_catalog_entry=value_catalog_entry,
            value_link=value_link,
            value_numeric=value_numeric,
            value_option=value_option,
            value_text=value_text,
        )
        if len(src_dict) != present:
            custom_field_value_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            custom_field_value_v2._null_fields = frozenset(null_fields)
        return custom_field_value_v2

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
