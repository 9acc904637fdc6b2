from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.actor_v2 import ActorV2
from ..models.external_issue_reference_v2 import ExternalIssueReferenceV2
from ..models.follow_up_category_v3 import FollowUpCategoryV3
from ..models.follow_up_priority_v2 import FollowUpPriorityV2
from ..models.follow_up_v3_status import FollowUpV3Status
from ..models.team_slim_v2 import TeamSlimV2
from ..models.user_v2 import UserV2
from ..types import format_datetime, parse_datetime

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "created_at",
        "creator",
        "id",
        "incident_id",
        "labels",
        "status",
        "title",
        "updated_at",
        "assignee",
        "assignee_team",
        "category",
        "completed_at",
        "description",
        "external_issue_reference",
        "priority",
    )
)


@_attrs_define(kw_only=True)
class FollowUpV3:
    """
    Example:
        {'assignee': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis',
            'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'assignee_team': {'id': 'abc123', 'name': 'abc123'},
            'category': {'description': 'Follow-ups related to infrastructure changes.', 'id': '01GNW4BAQ7XRMFF6FHKNXDFPRW',
            'name': 'Infrastructure', 'rank': 10}, 'completed_at': '2021-08-17T13:28:57.801578Z', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'creator': {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title':
            '*errors.withMessage: PG::Error failed to connect'}, 'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My
            test API key'}, 'user': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin
            Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'name': 'My little workflow'}}, 'description': 'Call the fire brigade', 'external_issue_reference':
            {'issue_name': 'INC-123', 'issue_permalink': 'https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-
            write-up', 'provider': 'asana'}, 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'incident_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'labels': ['bug', 'urgent'], 'priority': {'description': 'A follow-up that
            requires immediate attention.', 'id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'name': 'Urgent', 'rank': 10}, 'status':
            'outstanding', 'title': 'Cat is stuck in the tree', 'updated_at': '2021-08-17T13:28:57.801578Z'}

    Attributes:
        created_at (datetime.datetime): When the follow-up was created Example: 2021-08-17T13:28:57.801578Z.
        creator (ActorV2):  Example: {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title': '*errors.withMessage:
            PG::Error failed to connect'}, 'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My test API key'},
            'user': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role':
            'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My little
            workflow'}}.
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        incident_id (str): Unique identifier of the incident the follow-up belongs to Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
        labels (list[str]): Labels associated with this follow-up Example: ['bug', 'urgent'].
        status (FollowUpV3Status): Status of the follow-up Example: outstanding.
        title (str): Title of the follow-up Example: Cat is stuck in the tree.
        updated_at (datetime.datetime): When the follow-up was last updated Example: 2021-08-17T13:28:57.801578Z.
        assignee (UserV2 | None):  Example: {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name':
            'Lisa Karlin Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'}.
        assignee_team (TeamSlimV2 | None):  Example: {'id': 'abc123', 'name': 'abc123'}.
        category (FollowUpCategoryV3 | None):  Example: {'description': 'Follow-ups related to infrastructure changes.',
            'id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'name': 'Infrastructure', 'rank': 10}.
        completed_at (datetime.datetime | None): When the follow-up was completed Example: 2021-08-17T13:28:57.801578Z.
        description (str | None): Description of the follow-up Example: Call the fire brigade.
        external_issue_reference (ExternalIssueReferenceV2 | None):  Example: {'issue_name': 'INC-123',
            'issue_permalink': 'https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-write-up', 'provider':
            'asana'}.
        priority (FollowUpPriorityV2 | None):  Example: {'description': 'A follow-up that requires immediate
            attention.', 'id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'name': 'Urgent', 'rank': 10}.
    """

    created_at: datetime.datetime
    creator: ActorV2
    id: str
    incident_id: str
    labels: list[str]
    status: FollowUpV3Status
    title: str
    updated_at: datetime.datetime
    assignee: UserV2 | None = None
    assignee_team: TeamSlimV2 | None = None
    category: FollowUpCategoryV3 | None = None
    completed_at: datetime.datetime | None = None
    description: str | None = None
    external_issue_reference: ExternalIssueReferenceV2 | None = None
    priority: FollowUpPriorityV2 | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        created_at = format_datetime(self.created_at)

        creator = self.creator.to_dict()

        id = self.id

        incident_id = self.incident_id

        labels = self.labels

        status = self.status.value

        title = self.title

        updated_at = format_datetime(self.updated_at)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "creator": creator,
                "id": id,
                "incident_id": incident_id,
                "labels": labels,
                "status": status,
                "title": title,
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
        assignee_team: dict[str, Any] | None = None
        if self.assignee_team is not None:
            assignee_team = self.assignee_team.to_dict()

        if assignee_team is not None:
            field_dict["assignee_team"] = assignee_team
        elif "assignee_team" in self._null_fields:
            field_dict["assignee_team"] = None
        category: dict[str, Any] | None = None
        if self.category is not None:
            category = self.category.to_dict()

        if category is not None:
            field_dict["category"] = category
        elif "category" in self._null_fields:
            field_dict["category"] = None
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
        priority: dict[str, Any] | None = None
        if self.priority is not None:
            priority = self.priority.to_dict()

        if priority is not None:
            field_dict["priority"] = priority
        elif "priority" in self._null_fields:
            field_dict["priority"] = None

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

            parsing = "creator"
            creator = ActorV2.from_dict(src_dict["creator"])

            parsing = "id"
            id = src_dict["id"]
            if type(id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "incident_id"
            incident_id = src_dict["incident_id"]
            if type(incident_id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "labels"
            _labels = src_dict["labels"]
            if not isinstance(_labels, list):
                raise TypeError("expected a JSON array")

            for labels_item_data in _labels:
                if type(labels_item_data) is not str:
                    raise TypeError("expected a JSON array of strings")
            labels = cast(list[str], _labels)

            parsing = "status"
            status = FollowUpV3Status.from_value(src_dict["status"])

            parsing = "title"
            title = src_dict["title"]
            if type(title) is not str:
                raise TypeError("expected a JSON string")

            parsing = "updated_at"
            updated_at = parse_datetime(src_dict["updated_at"])

            parsing = "assignee"
            _assignee = src_dict.get("assignee")
            assignee: UserV2 | None = None
            if _assignee is not None:
                present += 1
                assignee = UserV2.from_dict(_assignee)

            elif "assignee" in src_dict:
                present += 1
                null_fields += ("assignee",)

            parsing = "assignee_team"
            _assignee_team = src_dict.get("assignee_team")
            assignee_team: TeamSlimV2 | None = None
            if _assignee_team is not None:
                present += 1
                assignee_team = TeamSlimV2.from_dict(_assignee_team)

            elif "assignee_team" in src_dict:
                present += 1
                null_fields += ("assignee_team",)

            parsing = "category"
            _category = src_dict.get("category")
            category: FollowUpCategoryV3 | None = None
            if _category is not None:
                present += 1
                category = FollowUpCategoryV3.from_dict(_category)

            elif "category" in src_dict:
                present += 1
                null_fields += ("category",)

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
            external_issue_reference: ExternalIssueReferenceV2 | None = None
            if _external_issue_reference is not None:
                present += 1
                external_issue_reference = ExternalIssueReferenceV2.from_dict(
                    _external_issue_reference
                )

            elif "external_issue_reference" in src_dict:
                present += 1
                null_fields += ("external_issue_reference",)

            parsing = "priority"
            _priority = src_dict.get("priority")
            priority: FollowUpPriorityV2 | None = None
            if _priority is not None:
                present += 1
                priority = FollowUpPriorityV2.from_dict(_priority)

            elif "priority" in src_dict:
                present += 1
                null_fields += ("priority",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        follow_up_v3 = cls(
            created_at=created_at,
            creator=creator,
            id=id,
            incident_id=incident_id,
            labels=labels,
            status=status,
            title=title,
            updated_at=updated_at,
            assignee=assignee,
            assignee_team=assignee_team,
            category=category,
            completed_at=completed_at,
            description=description,
            external_issue_reference=external_issue_reference,
            priority=priority,
        )
        if len(src_dict) != present:
            follow_up_v3.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            follow_up_v3._null_fields = frozenset(null_fields)
        return follow_up_v3

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
