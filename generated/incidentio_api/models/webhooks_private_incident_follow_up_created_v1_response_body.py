from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.webhook_private_resource_v2 import WebhookPrivateResourceV2
from ..models.webhooks_private_incident_follow_up_created_v1_response_body_event_type import (
    WebhooksPrivateIncidentFollowUpCreatedV1ResponseBodyEventType,
)

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "event_type",
        "private_incident.follow_up_created_v1",
    )
)


@_attrs_define(kw_only=True)
class WebhooksPrivateIncidentFollowUpCreatedV1ResponseBody:
    """
    Example:
        {'event_type': 'private_incident.follow_up_created_v1', 'private_incident.follow_up_created_v1': {'id':
            'abc123'}}

    Attributes:
        event_type (WebhooksPrivateIncidentFollowUpCreatedV1ResponseBodyEventType): What type of event is this webhook
            for? Example: private_incident.follow_up_created_v1.
        private_incident_follow_up_created_v1 (WebhookPrivateResourceV2):  Example: {'id': 'abc123'}.
    """

    event_type: WebhooksPrivateIncidentFollowUpCreatedV1ResponseBodyEventType
    private_incident_follow_up_created_v1: WebhookPrivateResourceV2
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        event_type = self.event_type.value

        private_incident_follow_up_created_v1 = self.private_incident_follow_up_created_v1.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_type": event_type,
                "private_incident.follow_up_created_v1": private_incident_follow_up_created_v1,
            }
        )

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
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "event_type"
            event_type = WebhooksPrivateIncidentFollowUpCreatedV1ResponseBodyEventType.from_value(
                src_dict["event_type"]
            )

            parsing = "private_incident.follow_up_created_v1"
            private_incident_follow_up_created_v1 = WebhookPrivateResourceV2.from_dict(
                src_dict["private_incident.follow_up_created_v1"]
            )

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        webhooks_private_incident_follow_up_created_v1_response_body = cls(
            event_type=event_type,
            private_incident_follow_up_created_v1=private_incident_follow_up_created_v1,
        )
        if len(src_dict) != present:
            webhooks_private_incident_follow_up_created_v1_response_body.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        return webhooks_private_incident_follow_up_created_v1_response_body

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
