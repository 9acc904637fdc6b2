from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.user_v1_role import UserV1Role

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "id",
        "name",
        "role",
        "email",
        "slack_user_id",
    )
)


@_attrs_define(kw_only=True)
class UserV1:
    """
    Example:
        {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role':
            'viewer', 'slack_user_id': 'U02AYNF2XJM'}

    Attributes:
        id (str): Unique identifier of the user Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        name (str): Name of the user Example: Lisa Karlin Curtis.
        role (UserV1Role): DEPRECATED: Role of the user as of March 9th 2023, this value is no longer updated. Example:
            viewer.
        email (str | None): Email address of the user. Example: lisa@incident.io.
        slack_user_id (str | None): Slack ID of the user Example: U02AYNF2XJM.
    """

    id: str
    name: str
    role: UserV1Role
    email: str | None = None
    slack_user_id: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        id = self.id

        name = self.name

        role = self.role.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "role": role,
            }
        )
        email = self.email
        if email is not None:
            field_dict["email"] = email
        elif "email" in self._null_fields:
            field_dict["email"] = None
        slack_user_id = self.slack_user_id
        if slack_user_id is not None:
            field_dict["slack_user_id"] = slack_user_id
        elif "slack_user_id" in self._null_fields:
            field_dict["slack_user_id"] = None

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

            parsing = "role"
            role = UserV1Role.from_value(src_dict["role"])

            parsing = "email"
            email = src_dict.get("email")
            if type(email) is str:
                present += 1
            elif email is not None:
                raise TypeError("expected a JSON string")
            elif "email" in src_dict:
                present += 1
                null_fields += ("email",)

            parsing = "slack_user_id"
            slack_user_id = src_dict.get("slack_user_id")
            if type(slack_user_id) is str:
                present += 1
            elif slack_user_id is not None:
                raise TypeError("expected a JSON string")
            elif "slack_user_id" in src_dict:
                present += 1
                null_fields += ("slack_user_id",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        user_v1 = cls(
            id=id,
            name=name,
            role=role,
            email=email,
            slack_user_id=slack_user_id,
        )
        if len(src_dict) != present:
            user_v1.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            user_v1._null_fields = frozenset(null_fields)
        return user_v1

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
