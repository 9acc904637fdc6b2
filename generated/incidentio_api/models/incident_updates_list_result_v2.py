from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.incident_update_v2 import IncidentUpdateV2
from ..models.pagination_meta_result_v2 import PaginationMetaResultV2

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "incident_updates",
        "pagination_meta",
    )
)


@_attrs_define(kw_only=True)
class IncidentUpdatesListResultV2:
    """
    Example:
        {'incident_updates': [{'created_at': '2021-08-17T13:28:57.801578Z', 'id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'incident_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'merged_into_incident_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'message':
            "We're working on a fix, hoping to ship in the next 30 minutes", 'new_incident_status': {'category': 'triage',
            'created_at': '2021-08-17T13:28:57.801578Z', 'description': "Impact has been **fully mitigated**, and we're
            ready to learn from this incident.", 'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Closed', 'rank': 4,
            'updated_at': '2021-08-17T13:28:57.801578Z'}, 'new_severity': {'created_at': '2021-08-17T13:28:57.801578Z',
            'description': 'Issues with **low impact**.', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Minor', 'rank': 1,
            'updated_at': '2021-08-17T13:28:57.801578Z'}, 'updater': {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title':
            '*errors.withMessage: PG::Error failed to connect'}, 'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My
            test API key'}, 'user': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin
            Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'name': 'My little workflow'}}}], 'pagination_meta': {'after': '01FCNDV6P870EA6S7TK1DSYDG0', 'page_size': 25}}

    Attributes:
        incident_updates (list[IncidentUpdateV2]):  Example: [{'created_at': '2021-08-17T13:28:57.801578Z', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'incident_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'merged_into_incident_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'message': "We're working on a fix, hoping to ship in the next 30 minutes",
            'new_incident_status': {'category': 'triage', 'created_at': '2021-08-17T13:28:57.801578Z', 'description':
            "Impact has been **fully mitigated**, and we're ready to learn from this incident.", 'id':
            '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Closed', 'rank': 4, 'updated_at': '2021-08-17T13:28:57.801578Z'},
            'new_severity': {'created_at': '2021-08-17T13:28:57.801578Z', 'description': 'Issues with **low impact**.',
            'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Minor', 'rank': 1, 'updated_at': '2021-08-17T13:28:57.801578Z'},
            'updater': {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title': '*errors.withMessage: PG::Error failed to
            connect'}, 'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My test API key'}, 'user': {'email':
            'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role': 'owner',
            'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My little
            workflow'}}}].
        pagination_meta (PaginationMetaResultV2 | None):  Example: {'after': '01FCNDV6P870EA6S7TK1DSYDG0', 'page_size':
            25}.
    """

    incident_updates: list[IncidentUpdateV2]
    pagination_meta: PaginationMetaResultV2 | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        incident_updates = []
        for incident_updates_item_data in self.incident_updates:
            incident_updates_item = incident_updates_item_data.to_dict()

            incident_updates.append(incident_updates_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "incident_updates": incident_updates,
            }
        )
        pagination_meta: dict[str, Any] | None = None
        if self.pagination_meta is not None:
            pagination_meta = self.pagination_meta.to_dict()

        if pagination_meta is not None:
            field_dict["pagination_meta"] = pagination_meta
        elif "pagination_meta" in self._null_fields:
            field_dict["pagination_meta"] = None

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
            parsing = "incident_updates"
            _incident_updates = src_dict["incident_updates"]
            if not isinstance(_incident_updates, list):
                raise TypeError("expected a JSON array")

            incident_updates = []
            for incident_updates_item_data in _incident_updates:
                incident_updates_item = IncidentUpdateV2.from_dict(incident_updates_item_data)

                incident_updates.append(incident_updates_item)

            parsing = "pagination_meta"
            _pagination_meta = src_dict.get("pagination_meta")
            pagination_meta: PaginationMetaResultV2 | None = None
            if _pagination_meta is not None:
                present += 1
                pagination_meta = PaginationMetaResultV2.from_dict(_pagination_meta)

            elif "pagination_meta" in src_dict:
                present += 1
                null_fields += ("pagination_meta",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        incident_updates_list_result_v2 = cls(
            incident_updates=incident_updates,
            pagination_meta=pagination_meta,
        )
        if len(src_dict) != present:
            incident_updates_list_result_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            incident_updates_list_result_v2._null_fields = frozenset(null_fields)
        return incident_updates_list_result_v2

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
