from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.action_v1_status import ActionV1Status
from ..models.external_issue_reference_v1 import ExternalIssueReferenceV1
from ..models.user_v1 import UserV1
from ..types import format_datetime, parse_datetime

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "created_at",
        "follow_up",
        "id",
        "incident_id",
        "status",
        "updated_at",
        "assignee",
        "completed_at",
        "description",
        "external_issue_reference",
    )
)


@_attrs_define(kw_only=True)
class ActionV1:
    """
    Example:
        {'assignee': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis',
            'role': 'viewer', 'slack_user_id': 'U02AYNF2XJM'}, 'completed_at': '2021-08-17T13:28:57.801578Z', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': 'Call the fire brigade', 'external_issue_reference':
            {'issue_name': 'INC-123', 'issue_permalink': 'https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-
            write-up', 'provider': 'asana'}, 'follow_up': True, 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'incident_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'status': 'outstanding', 'updated_at': '2021-08-17T13:28:57.801578Z'}

    Attributes:
        created_at (datetime.datetime): When the action was created Example: 2021-08-17T13:28:57.801578Z.
        follow_up (bool): Whether an action is marked as follow-up Example: True.
        id (str): Unique identifier for the action Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        incident_id (str): Unique identifier of the incident the action belongs to Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        status (ActionV1Status): Status of the action Example: outstanding.
        updated_at (datetime.datetime): When the action was last updated Example: 2021-08-17T13:28:57.801578Z.
        assignee (UserV1 | None):  Example: {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name':
            'Lisa Karlin Curtis', 'role': 'viewer', 'slack_user_id': 'U02AYNF2XJM'}.
        completed_at (datetime.datetime | None): When the action was completed Example: 2021-08-17T13:28:57.801578Z.
        description (str | None): Description of the action Example: Call the fire brigade.
        external_issue_reference (ExternalIssueReferenceV1 | None):  Example: {'issue_name': 'INC-123',
            'issue_permalink': 'https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-write-up', 'provider':
            'asana'}.
    """

    created_at: datetime.datetime
    follow_up: bool
    id: str
    incident_id: str
    status: ActionV1Status
    updated_at: datetime.datetime
    assignee: UserV1 | None = None
    completed_at: datetime.datetime | None = None
    description: str | None = None
    external_issue_reference: ExternalIssueReferenceV1 | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        created_at = format_datetime(self.created_at)

        follow_up = self.follow_up

        id = self.id

        incident_id = self.incident_id

        status = self.status.value

        updated_at = format_datetime(self.updated_at)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "follow_up": follow_up,
                "id": id,
                "incident_id": incident_id,
                "status": status,
                "updated_at": updated_at,
            }
        )
        assignee: dict[str, Any] | None = None
        if self.assignee is not None:
            assignee = self.assignee.to_dict()

        if assignee is not None:
            field_dict["assignee"] = assignee
        elif "assignee" in self._null_fields:
            field_dict["assignee"] = None
        completed_at: str | None = None
        if self.completed_at is not None:
            completed_at = format_datetime(self.completed_at)

        if completed_at is not None:
            field_dict["completed_at"] = completed_at
        elif "completed_at" in self._null_fields:
            field_dict["completed_at"] = None
        description = self.description
        if description is not None:
            field_dict["description"] = description
        elif "description" in self._null_fields:
            field_dict["description"] = None
        external_issue_reference: dict[str, Any] | None = None
        if self.external_issue_reference is not None:
            external_issue_reference = self.external_issue_reference.to_dict()

        if external_issue_reference is not None:
            field_dict["external_issue_reference"] = external_issue_reference
        elif "external_issue_reference" in self._null_fields:
            field_dict["external_issue_reference"] = None

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
        present = 6
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "created_at"
            created_at = parse_datetime(src_dict["created_at"])

            parsing = "follow_up"
            follow_up = src_dict["follow_up"]
            if type(follow_up) is not bool:
                raise TypeError("expected a JSON boolean")

            parsing = "id"
            id = src_dict["id"]
            if type(id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "incident_id"
            incident_id = src_dict["incident_id"]
            if type(incident_id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "status"
            status = ActionV1Status.from_value(src_dict["status"])

            parsing = "updated_at"
            updated_at = parse_datetime(src_dict["updated_at"])

            parsing = "assignee"
            _assignee = src_dict.get("assignee")
            assignee: UserV1 | None = None
            if _assignee is not None:
                present += 1
                assignee = UserV1.from_dict(_assignee)

            elif "assignee" in src_dict:
                present += 1
                null_fields += ("assignee",)

            parsing = "completed_at"
            _completed_at = src_dict.get("completed_at")
            completed_at: datetime.datetime | None = None
            if _completed_at is not None:
                present += 1
                completed_at = parse_datetime(_completed_at)

            elif "completed_at" in src_dict:
                present += 1
                null_fields += ("completed_at",)

            parsing = "description"
            description = src_dict.get("description")
            if type(description) is str:
                present += 1
            elif description is not None:
                raise TypeError("expected a JSON string")
            elif "description" in src_dict:
                present += 1
                null_fields += ("description",)

            parsing = "external_issue_reference"
            _external_issue_reference = src_dict.get("external_issue_reference")
            external_issue_reference: ExternalIssueReferenceV1 | None = None
            if _external_issue_reference is not None:
                present += 1
                external_issue_reference = ExternalIssueReferenceV1.from_dict(
                    _external_issue_reference
                )

            elif "external_issue_reference" in src_dict:
                present += 1
                null_fields += ("external_issue_reference",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        action_v1 = cls(
            created_at=created_at,
            follow_up=follow_up,
            id=id,
            incident_id=incident_id,
            status=status,
            updated_at=updated_at,
            assignee=assignee,
            completed_at=completed_at,
            description=description,
            external_issue_reference=external_issue_reference,
        )
        if len(src_dict) != present:
            action_v1.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            action_v1._null_fields = frozenset(null_fields)
        return action_v1

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
