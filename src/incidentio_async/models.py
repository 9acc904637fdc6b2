"""The API's models: the generated classes, plus short names for the ones used most.

Every class of ``incidentio_api.models`` is importable from here. Models keep fields the
API added after this release in ``additional_properties``, accept enum values it added
(``is_known`` tells them apart), read absent or null optional fields as ``None``, and
``to_dict()`` gives back what was received.
"""

from incidentio_api.errors import ModelParseError
from incidentio_api.models import *  # noqa: F403  (re-exported on purpose)
from incidentio_api.models import (
    ActorV2,
    ExternalIssueReferenceV2,
    ExternalIssueReferenceV2Provider,
    FollowUpPriorityV2,
    FollowUpsConnectExternalIssuePayloadV2Provider,
    FollowUpsUpdatePayloadV2Status,
    FollowUpsV2ListIncidentMode,
    FollowUpV2,
    FollowUpV2Status,
    IncidentStatusV2,
    IncidentStatusV2Category,
    IncidentUpdateV2,
    SeverityV2,
    TeamSlimV2,
    UserV2,
    UserV2Role,
)
from incidentio_api.models import __all__ as _generated

FollowUp = FollowUpV2
FollowUpStatus = FollowUpV2Status
FollowUpUpdateStatus = FollowUpsUpdatePayloadV2Status
FollowUpPriority = FollowUpPriorityV2
IncidentMode = FollowUpsV2ListIncidentMode
ExternalIssueProvider = FollowUpsConnectExternalIssuePayloadV2Provider
ExternalIssueReference = ExternalIssueReferenceV2
ExternalIssueReferenceProvider = ExternalIssueReferenceV2Provider
IncidentUpdate = IncidentUpdateV2
IncidentStatus = IncidentStatusV2
IncidentStatusCategory = IncidentStatusV2Category
Severity = SeverityV2
Actor = ActorV2
User = UserV2
UserRole = UserV2Role
Team = TeamSlimV2

__all__ = [
    *_generated,
    "Actor",
    "ExternalIssueProvider",
    "ExternalIssueReference",
    "ExternalIssueReferenceProvider",
    "FollowUp",
    "FollowUpPriority",
    "FollowUpStatus",
    "FollowUpUpdateStatus",
    "IncidentMode",
    "IncidentStatus",
    "IncidentStatusCategory",
    "IncidentUpdate",
    "ModelParseError",
    "Severity",
    "Team",
    "User",
    "UserRole",
]
