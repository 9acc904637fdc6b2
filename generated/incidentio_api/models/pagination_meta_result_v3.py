from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "page_size",
        "after",
    )
)


@_attrs_define(kw_only=True)
class PaginationMetaResultV3:
    """
    Example:
        {'after': '01FCNDV6P870EA6S7TK1DSYDG0', 'page_size': 25}

    Attributes:
        page_size (int): What was the maximum number of results requested Default: 25. Example: 25.
        after (str | None): If provided, pass this as the 'after' param to load the next page Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
    """

    page_size: int = 25
    after: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        page_size = self.page_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "page_size": page_size,
            }
        )
        after = self.after
        if after is not None:
            field_dict["after"] = after
        elif "after" in self._null_fields:
            field_dict["after"] = None

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
            parsing = "page_size"
            page_size = src_dict["page_size"]
            if type(page_size) is not int:
                raise TypeError("expected a JSON integer")

            parsing = "after"
            after = src_dict.get("after")
            if type(after) is str:
                present += 1
            elif after is not None:
                raise TypeError("expected a JSON string")
            elif "after" in src_dict:
                present += 1
                null_fields += ("after",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        pagination_meta_result_v3 = cls(
            page_size=page_size,
            after=after,
        )
        if len(src_dict) != present:
            pagination_meta_result_v3.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            pagination_meta_result_v3._null_fields = frozenset(null_fields)
        return pagination_meta_result_v3

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
