from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "id",
        "name",
        "aliases",
        "external_id",
    )
)


@_attrs_define(kw_only=True)
class EmbeddedCatalogEntryV2:
    """
    Example:
        {'aliases': ['lawrence@incident.io', 'lawrence'], 'external_id': '761722cd-d1d7-477b-ac7e-90f9e079dc33', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Primary On-call'}

    Attributes:
        id (str): ID of this catalog entry Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        name (str): Name is the human readable name of this entry Example: Primary On-call.
        aliases (list[str] | None): Optional aliases that can be used to reference this entry Example:
            ['lawrence@incident.io', 'lawrence'].
        external_id (str | None): An optional alternative ID for this entry, which is ensured to be unique for the type
            Example: 761722cd-d1d7-477b-ac7e-90f9e079dc33.
    """

    id: str
    name: str
    aliases: list[str] | None = None
    external_id: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        id = self.id

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
            }
        )
        aliases: list[str] | None = None
        if self.aliases is not None:
            aliases = self.aliases

        if aliases is not None:
            field_dict["aliases"] = aliases
        elif "aliases" in self._null_fields:
            field_dict["aliases"] = None
        external_id = self.external_id
        if external_id is not None:
            field_dict["external_id"] = external_id
        elif "external_id" in self._null_fields:
            field_dict["external_id"] = None

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
            parsing = "id"
            id = src_dict["id"]
            if type(id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "name"
            name = src_dict["name"]
            if type(name) is not str:
                raise TypeError("expected a JSON string")

            parsing = "aliases"
            _aliases = src_dict.get("aliases")
            aliases: list[str] | None = None
            if _aliases is not None:
                present += 1
                _aliases = _aliases
                if not isinstance(_aliases, list):
                    raise TypeError("expected a JSON array")

                for aliases_item_data in _aliases:
                    if type(aliases_item_data) is not str:
                        raise TypeError("expected a JSON array of strings")
                aliases = cast(list[str], _aliases)

            elif "aliases" in src_dict:
                present += 1
                null_fields += ("aliases",)

            parsing = "external_id"
            external_id = src_dict.get("external_id")
            if type(external_id) is str:
                present += 1
            elif external_id is not None:
                raise TypeError("expected a JSON string")
            elif "external_id" in src_dict:
                present += 1
                null_fields += ("external_id",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        embedded_catalog_entry_v2 = cls(
            id=id,
            name=name,
            aliases=aliases,
            external_id=external_id,
        )
        if len(src_dict) != present:
            embedded_catalog_entry_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            embedded_catalog_entry_v2._null_fields = frozenset(null_fields)
        return embedded_catalog_entry_v2

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
