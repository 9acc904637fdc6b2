from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.embedded_incident_role_v2_role_type import EmbeddedIncidentRoleV2RoleType
from ..types import format_datetime, parse_datetime

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "created_at",
        "description",
        "id",
        "instructions",
        "name",
        "role_type",
        "shortform",
        "updated_at",
        "required",
    )
)


@_attrs_define(kw_only=True)
class EmbeddedIncidentRoleV2:
    """
    Example:
        {'created_at': '2021-08-17T13:28:57.801578Z', 'description': 'The person currently coordinating the incident',
            'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'instructions': 'Take point on the incident; Make sure people are clear on
            responsibilities', 'name': 'Incident Lead', 'required': False, 'role_type': 'lead', 'shortform': 'lead',
            'updated_at': '2021-08-17T13:28:57.801578Z'}

    Attributes:
        created_at (datetime.datetime): When the role was created Example: 2021-08-17T13:28:57.801578Z.
        description (str): Describes the purpose of the role Example: The person currently coordinating the incident.
        id (str): Unique identifier for the role Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        instructions (str): Provided to whoever is nominated for the role. Note that this will be empty for the
            'reporter' role. Example: Take point on the incident; Make sure people are clear on responsibilities.
        name (str): Human readable name of the incident role Example: Incident Lead.
        role_type (EmbeddedIncidentRoleV2RoleType): Type of incident role Example: lead.
        shortform (str): Short human readable name for Slack. Note that this will be empty for the 'reporter' role.
            Example: lead.
        updated_at (datetime.datetime): When the role was last updated Example: 2021-08-17T13:28:57.801578Z.
        required (bool | None): This field is deprecated. Example: False.
    """

    created_at: datetime.datetime
    description: str
    id: str
    instructions: str
    name: str
    role_type: EmbeddedIncidentRoleV2RoleType
    shortform: str
    updated_at: datetime.datetime
    required: bool | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        created_at = format_datetime(self.created_at)

        description = self.description

        id = self.id

        instructions = self.instructions

        name = self.name

        role_type = self.role_type.value

        shortform = self.shortform

        updated_at = format_datetime(self.updated_at)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "description": description,
                "id": id,
                "instructions": instructions,
                "name": name,
                "role_type": role_type,
                "shortform": shortform,
                "updated_at": updated_at,
            }
        )
        required = self.required
        if required is not None:
            field_dict["required"] = required
        elif "required" in self._null_fields:
            field_dict["required"] = None

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
        present = 8
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "created_at"
            created_at = parse_datetime(src_dict["created_at"])

            parsing = "description"
            description = src_dict["description"]
            if type(description) is not str:
                raise TypeError("expected a JSON string")

            parsing = "id"
            id = src_dict["id"]
            if type(id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "instructions"
            instructions = src_dict["instructions"]
            if type(instructions) is not str:
                raise TypeError("expected a JSON string")

            parsing = "name"
            name = src_dict["name"]
            if type(name) is not str:
                raise TypeError("expected a JSON string")

            parsing = "role_type"
            role_type = EmbeddedIncidentRoleV2RoleType.from_value(src_dict["role_type"])

            parsing = "shortform"
            shortform = src_dict["shortform"]
            if type(shortform) is not str:
                raise TypeError("expected a JSON string")

            parsing = "updated_at"
            updated_at = parse_datetime(src_dict["updated_at"])

            parsing = "required"
            required = src_dict.get("required")
            if type(required) is bool:
                present += 1
            elif required is not None:
                raise TypeError("expected a JSON boolean")
            elif "required" in src_dict:
                present += 1
                null_fields += ("required",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        embedded_incident_role_v2 = cls(
            created_at=created_at,
            description=description,
            id=id,
            instructions=instructions,
            name=name,
            role_type=role_type,
            shortform=shortform,
            updated_at=updated_at,
            required=required,
        )
        if len(src_dict) != present:
            embedded_incident_role_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            embedded_incident_role_v2._null_fields = frozenset(null_fields)
        return embedded_incident_role_v2

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
