from enum import StrEnum
from typing import Any, Self


class WebhooksPublicIncidentFollowUpUpdatedV1ResponseBodyEventType(StrEnum):
    """WebhooksPublicIncidentFollowUpUpdatedV1ResponseBodyEventType values documented by the API; unknown values are accepted as they are.

    The API may add enum values without notice, so a value this version does not know
    parses to a pseudo-member that keeps its string value and round-trips unchanged.
    """

    PRIVATE_ALERT_ALERT_CREATED_V1 = "private_alert.alert_created_v1"
    PRIVATE_ALERT_ALERT_RESOLVED_V1 = "private_alert.alert_resolved_v1"
    PRIVATE_ESCALATION_ESCALATION_CREATED_V1 = "private_escalation.escalation_created_v1"
    PRIVATE_ESCALATION_ESCALATION_STATUS_UPDATED_V1 = (
        "private_escalation.escalation_status_updated_v1"
    )
    PRIVATE_INCIDENT_ACTION_CREATED_V1 = "private_incident.action_created_v1"
    PRIVATE_INCIDENT_ACTION_UPDATED_V1 = "private_incident.action_updated_v1"
    PRIVATE_INCIDENT_FOLLOW_UP_CREATED_V1 = "private_incident.follow_up_created_v1"
    PRIVATE_INCIDENT_FOLLOW_UP_CREATED_V2 = "private_incident.follow_up_created_v2"
    PRIVATE_INCIDENT_FOLLOW_UP_UPDATED_V1 = "private_incident.follow_up_updated_v1"
    PRIVATE_INCIDENT_FOLLOW_UP_UPDATED_V2 = "private_incident.follow_up_updated_v2"
    PRIVATE_INCIDENT_INCIDENT_CREATED_V2 = "private_incident.incident_created_v2"
    PRIVATE_INCIDENT_INCIDENT_UPDATED_V2 = "private_incident.incident_updated_v2"
    PRIVATE_INCIDENT_MEMBERSHIP_GRANTED_V1 = "private_incident.membership_granted_v1"
    PRIVATE_INCIDENT_MEMBERSHIP_REVOKED_V1 = "private_incident.membership_revoked_v1"
    PRIVATE_INCIDENT_POSTMORTEM_DOCUMENT_STATUS_UPDATED_V1 = (
        "private_incident.postmortem_document_status_updated_v1"
    )
    PUBLIC_ALERT_ALERT_CREATED_V1 = "public_alert.alert_created_v1"
    PUBLIC_ALERT_ALERT_RESOLVED_V1 = "public_alert.alert_resolved_v1"
    PUBLIC_ESCALATION_ESCALATION_CREATED_V1 = "public_escalation.escalation_created_v1"
    PUBLIC_ESCALATION_ESCALATION_STATUS_UPDATED_V1 = (
        "public_escalation.escalation_status_updated_v1"
    )
    PUBLIC_INCIDENT_ACTION_CREATED_V1 = "public_incident.action_created_v1"
    PUBLIC_INCIDENT_ACTION_UPDATED_V1 = "public_incident.action_updated_v1"
    PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V1 = "public_incident.follow_up_created_v1"
    PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2 = "public_incident.follow_up_created_v2"
    PUBLIC_INCIDENT_FOLLOW_UP_UPDATED_V1 = "public_incident.follow_up_updated_v1"
    PUBLIC_INCIDENT_FOLLOW_UP_UPDATED_V2 = "public_incident.follow_up_updated_v2"
    PUBLIC_INCIDENT_INCIDENT_CREATED_V2 = "public_incident.incident_created_v2"
    PUBLIC_INCIDENT_INCIDENT_STATUS_UPDATED_V2 = "public_incident.incident_status_updated_v2"
    PUBLIC_INCIDENT_INCIDENT_UPDATED_V2 = "public_incident.incident_updated_v2"
    PUBLIC_INCIDENT_POSTMORTEM_DOCUMENT_STATUS_UPDATED_V1 = (
        "public_incident.postmortem_document_status_updated_v1"
    )
    SCHEDULE_CREATED_V1 = "schedule.created_v1"
    SCHEDULE_DELETED_V1 = "schedule.deleted_v1"
    SCHEDULE_SHIFT_CHANGE_V1 = "schedule.shift_change_v1"
    SCHEDULE_UPDATED_V1 = "schedule.updated_v1"
    STATUS_PAGE_INCIDENT_UPDATE_SHARED_V1 = "status_page_incident.update_shared_v1"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether this value is one of the members documented when the client was generated."""
        return self._value_ in type(self)._value2member_map_

    @classmethod
    def from_value(cls, value: Any) -> Self:
        """The member for ``value`` (what ``from_dict`` uses): a plain dictionary lookup for
        documented values, much cheaper than calling the class; new values as for ``cls(value)``."""
        try:
            return cls._value2member_map_[value]  # type: ignore[return-value]
        except (KeyError, TypeError):
            return cls(value)

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = value
        pseudo_member._value_ = value
        return pseudo_member
