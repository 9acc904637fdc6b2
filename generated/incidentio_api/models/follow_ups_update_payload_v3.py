from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.follow_ups_update_payload_v3_status import FollowUpsUpdatePayloadV3Status

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "status",
        "title",
        "assignee_id",
        "assignee_team_id",
        "description",
        "follow_up_category_id",
        "follow_up_priority_option_id",
        "labels",
    )
)


@_attrs_define(kw_only=True)
class FollowUpsUpdatePayloadV3:
    """
    Example:
        {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description':
            'Call the fire brigade', 'follow_up_category_id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'labels': ['bug', 'urgent'], 'status': 'outstanding', 'title': 'Add alerting on
            replica lag'}

    Attributes:
        status (FollowUpsUpdatePayloadV3Status): Status of the follow-up. Setting this to `deleted` is not allowed; use
            the delete endpoint instead. Example: outstanding.
        title (str): Title of the follow-up Example: Add alerting on replica lag.
        assignee_id (None | str): ID of the user this follow-up is assigned to. Set to null to unassign. Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
        assignee_team_id (None | str): ID of the team this follow-up is assigned to. Set to null to unassign. Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
        description (str | None): Description of the follow-up. Supports Markdown. Example: Call the fire brigade.
        follow_up_category_id (str | None): ID of the category for this follow-up Example: 01GNW4BAQ7XRMFF6FHKNXDFPRW.
        follow_up_priority_option_id (str | None): ID of the priority for this follow-up Example:
            01GNW4BAQ7XRMFF6FHKNXDFPRW.
        labels (list[str] | None): Labels associated with this follow-up Example: ['bug', 'urgent'].
    """

    status: FollowUpsUpdatePayloadV3Status
    title: str
    assignee_id: None | str = None
    assignee_team_id: None | str = None
    description: str | None = None
    follow_up_category_id: str | None = None
    follow_up_priority_option_id: str | None = None
    labels: list[str] | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        status = self.status.value

        title = self.title

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "title": title,
            }
        )
        assignee_id = self.assignee_id

        if assignee_id is not None:
            field_dict["assignee_id"] = assignee_id
        elif "assignee_id" in self._null_fields:
            field_dict["assignee_id"] = None
        assignee_team_id = self.assignee_team_id

        if assignee_team_id is not None:
            field_dict["assignee_team_id"] = assignee_team_id
        elif "assignee_team_id" in self._null_fields:
            field_dict["assignee_team_id"] = None
        description = self.description
        if description is not None:
            field_dict["description"] = description
        elif "description" in self._null_fields:
            field_dict["description"] = None
        follow_up_category_id = self.follow_up_category_id
        if follow_up_category_id is not None:
            field_dict["follow_up_category_id"] = follow_up_category_id
        elif "follow_up_category_id" in self._null_fields:
            field_dict["follow_up_category_id"] = None
        follow_up_priority_option_id = self.follow_up_priority_option_id
        if follow_up_priority_option_id is not None:
            field_dict["follow_up_priority_option_id"] = follow_up_priority_option_id
        elif "follow_up_priority_option_id" in self._null_fields:
            field_dict["follow_up_priority_option_id"] = None
        labels: list[str] | None = None
        if self.labels is not None:
            labels = self.labels

        if labels is not None:
            field_dict["labels"] = labels
        elif "labels" in self._null_fields:
            field_dict["labels"] = None

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
            parsing = "status"
            status = FollowUpsUpdatePayloadV3Status.from_value(src_dict["status"])

            parsing = "title"
            title = src_dict["title"]
            if type(title) is not str:
                raise TypeError("expected a JSON string")

            parsing = "assignee_id"
            _assignee_id = src_dict.get("assignee_id")
            assignee_id: None | str = None
            if _assignee_id is not None:
                present += 1
                assignee_id = cast(None | str, _assignee_id)
                if type(assignee_id) is not str:
                    raise TypeError("expected a JSON string or null")

            elif "assignee_id" in src_dict:
                present += 1
                null_fields += ("assignee_id",)

            parsing = "assignee_team_id"
            _assignee_team_id = src_dict.get("assignee_team_id")
            assignee_team_id: None | str = None
            if _assignee_team_id is not None:
                present += 1
                assignee_team_id = cast(None | str, _assignee_team_id)
                if type(assignee_team_id) is not str:
                    raise TypeError("expected a JSON string or null")

            elif "assignee_team_id" in src_dict:
                present += 1
                null_fields += ("assignee_team_id",)

            parsing = "description"
            description = src_dict.get("description")
            if type(description) is str:
                present += 1
            elif description is not None:
                raise TypeError("expected a JSON string")
            elif "description" in src_dict:
                present += 1
                null_fields += ("description",)

            parsing = "follow_up_category_id"
            follow_up_category_id = src_dict.get("follow_up_category_id")
            if type(follow_up_category_id) is str:
                present += 1
            elif follow_up_category_id is not None:
                raise TypeError("expected a JSON string")
            elif "follow_up_category_id" in src_dict:
                present += 1
                null_fields += ("follow_up_category_id",)

            parsing = "follow_up_priority_option_id"
            follow_up_priority_option_id = src_dict.get("follow_up_priority_option_id")
            if type(follow_up_priority_option_id) is str:
                present += 1
            elif follow_up_priority_option_id is not None:
                raise TypeError("expected a JSON string")
            elif "follow_up_priority_option_id" in src_dict:
                present += 1
                null_fields += ("follow_up_priority_option_id",)

            parsing = "labels"
            _labels = src_dict.get("labels")
            labels: list[str] | None = None
            if _labels is not None:
                present += 1
                _labels = _labels
                if not isinstance(_labels, list):
                    raise TypeError("expected a JSON array")

                for labels_item_data in _labels:
                    if type(labels_item_data) is not str:
                        raise TypeError("expected a JSON array of strings")
                labels = cast(list[str], _labels)

            elif "labels" in src_dict:
                present += 1
                null_fields += ("labels",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        follow_ups_update_payload_v3 = cls(
            status=status,
            title=title,
            assignee_id=assignee_id,
            assignee_team_id=assignee_team_id,
            description=description,
            follow_up_category_id=follow_up_category_id,
            follow_up_priority_option_id=follow_up_priority_option_id,
            labels=labels,
        )
        if len(src_dict) != present:
            follow_ups_update_payload_v3.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            follow_ups_update_payload_v3._null_fields = frozenset(null_fields)
        return follow_ups_update_payload_v3

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
