from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.actor_v2 import ActorV2
from ..models.incident_status_v2 import IncidentStatusV2
from ..models.severity_v2 import SeverityV2
from ..types import format_datetime, parse_datetime

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "created_at",
        "id",
        "incident_id",
        "new_incident_status",
        "updater",
        "merged_into_incident_id",
        "message",
        "new_severity",
    )
)


@_attrs_define(kw_only=True)
class IncidentUpdateV2:
    """
    Example:
        {'created_at': '2021-08-17T13:28:57.801578Z', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'incident_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'merged_into_incident_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'message': "We're working
            on a fix, hoping to ship in the next 30 minutes", 'new_incident_status': {'category': 'triage', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': "Impact has been **fully mitigated**, and we're ready to learn
            from this incident.", 'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Closed', 'rank': 4, 'updated_at':
            '2021-08-17T13:28:57.801578Z'}, 'new_severity': {'created_at': '2021-08-17T13:28:57.801578Z', 'description':
            'Issues with **low impact**.', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Minor', 'rank': 1, 'updated_at':
            '2021-08-17T13:28:57.801578Z'}, 'updater': {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title':
            '*errors.withMessage: PG::Error failed to connect'}, 'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My
            test API key'}, 'user': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin
            Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'name': 'My little workflow'}}}

    Attributes:
        created_at (datetime.datetime): When the update was created Example: 2021-08-17T13:28:57.801578Z.
        id (str): Unique identifier for this incident update Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        incident_id (str): The incident this update relates to Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        new_incident_status (IncidentStatusV2):  Example: {'category': 'triage', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': "Impact has been **fully mitigated**, and we're ready to learn
            from this incident.", 'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Closed', 'rank': 4, 'updated_at':
            '2021-08-17T13:28:57.801578Z'}.
        updater (ActorV2):  Example: {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title': '*errors.withMessage:
            PG::Error failed to connect'}, 'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My test API key'},
            'user': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role':
            'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My little
            workflow'}}.
        merged_into_incident_id (str | None): The ID of the incident this incident was merged into, if the to state of
            this update is 'merged'. Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        message (str | None): Message that explains the context behind the update Example: We're working on a fix,
            hoping to ship in the next 30 minutes.
        new_severity (SeverityV2 | None):  Example: {'created_at': '2021-08-17T13:28:57.801578Z', 'description': 'Issues
            with **low impact**.', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Minor', 'rank': 1, 'updated_at':
            '2021-08-17T13:28:57.801578Z'}.
    """

    created_at: datetime.datetime
    id: str
    incident_id: str
    new_incident_status: IncidentStatusV2
    updater: ActorV2
    merged_into_incident_id: str | None = None
    message: str | None = None
    new_severity: SeverityV2 | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        created_at = format_datetime(self.created_at)

        id = self.id

        incident_id = self.incident_id

        new_incident_status = self.new_incident_status.to_dict()

        updater = self.updater.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "incident_id": incident_id,
                "new_incident_status": new_incident_status,
                "updater": updater,
            }
        )
        merged_into_incident_id = self.merged_into_incident_id
        if merged_into_incident_id is not None:
            field_dict["merged_into_incident_id"] = merged_into_incident_id
        elif "merged_into_incident_id" in self._null_fields:
            field_dict["merged_into_incident_id"] = None
        message = self.message
        if message is not None:
            field_dict["message"] = message
        elif "message" in self._null_fields:
            field_dict["message"] = None
        new_severity: dict[str, Any] | None = None
        if self.new_severity is not None:
            new_severity = self.new_severity.to_dict()

        if new_severity is not None:
            field_dict["new_severity"] = new_severity
        elif "new_severity" in self._null_fields:
            field_dict["new_severity"] = None

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
        present = 5
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "created_at"
            created_at = parse_datetime(src_dict["created_at"])

            parsing = "id"
            id = src_dict["id"]
            if type(id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "incident_id"
            incident_id = src_dict["incident_id"]
            if type(incident_id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "new_incident_status"
            new_incident_status = IncidentStatusV2.from_dict(src_dict["new_incident_status"])

            parsing = "updater"
            updater = ActorV2.from_dict(src_dict["updater"])

            parsing = "merged_into_incident_id"
            merged_into_incident_id = src_dict.get("merged_into_incident_id")
            if type(merged_into_incident_id) is str:
                present += 1
            elif merged_into_incident_id is not None:
                raise TypeError("expected a JSON string")
            elif "merged_into_incident_id" in src_dict:
                present += 1
                null_fields += ("merged_into_incident_id",)

            parsing = "message"
            message = src_dict.get("message")
            if type(message) is str:
                present += 1
            elif message is not None:
                raise TypeError("expected a JSON string")
            elif "message" in src_dict:
                present += 1
                null_fields += ("message",)

            parsing = "new_severity"
            _new_severity = src_dict.get("new_severity")
            new_severity: SeverityV2 | None = None
            if _new_severity is not None:
                present += 1
                new_severity = SeverityV2.from_dict(_new_severity)

            elif "new_severity" in src_dict:
                present += 1
                null_fields += ("new_severity",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        incident_update_v2 = cls(
            created_at=created_at,
            id=id,
            incident_id=incident_id,
            new_incident_status=new_incident_status,
            updater=updater,
            merged_into_incident_id=merged_into_incident_id,
            message=message,
            new_severity=new_severity,
        )
        if len(src_dict) != present:
            incident_update_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            incident_update_v2._null_fields = frozenset(null_fields)
        return incident_update_v2

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
