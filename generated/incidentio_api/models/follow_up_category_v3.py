from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "id",
        "name",
        "rank",
        "description",
    )
)


@_attrs_define(kw_only=True)
class FollowUpCategoryV3:
    """
    Example:
        {'description': 'Follow-ups related to infrastructure changes.', 'id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'name':
            'Infrastructure', 'rank': 10}

    Attributes:
        id (str): Unique identifier for the follow-up category Example: 01GNW4BAQ7XRMFF6FHKNXDFPRW.
        name (str): Name of the follow-up category Example: Infrastructure.
        rank (int): Rank is used to order the follow-up categories correctly Example: 10.
        description (str | None): Description of the follow-up category Example: Follow-ups related to infrastructure
            changes..
    """

    id: str
    name: str
    rank: int
    description: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        id = self.id

        name = self.name

        rank = self.rank

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "rank": rank,
            }
        )
        description = self.description
        if description is not None:
            field_dict["description"] = description
        elif "description" in self._null_fields:
            field_dict["description"] = None

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
        present = 3
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

            parsing = "rank"
            rank = src_dict["rank"]
            if type(rank) is not int:
                raise TypeError("expected a JSON integer")

            parsing = "description"
            description = src_dict.get("description")
            if type(description) is str:
                present += 1
            elif description is not None:
                raise TypeError("expected a JSON string")
            elif "description" in src_dict:
                present += 1
                null_fields += ("description",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        follow_up_category_v3 = cls(
            id=id,
            name=name,
            rank=rank,
            description=description,
        )
        if len(src_dict) != present:
            follow_up_category_v3.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            follow_up_category_v3._null_fields = frozenset(null_fields)
        return follow_up_category_v3

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
