"""Contains all the data models used in inputs/outputs"""

from .actor_v2 import ActorV2
from .alert_actor_v2 import AlertActorV2
from .api_key_actor_v2 import APIKeyActorV2
from .external_issue_reference_v2 import ExternalIssueReferenceV2
from .external_issue_reference_v2_provider import ExternalIssueReferenceV2Provider
from .follow_up_priority_v2 import FollowUpPriorityV2
from .follow_up_v2 import FollowUpV2
from .follow_up_v2_status import FollowUpV2Status
from .follow_ups_connect_external_issue_payload_v2 import FollowUpsConnectExternalIssuePayloadV2
from .follow_ups_connect_external_issue_payload_v2_provider import (
    FollowUpsConnectExternalIssuePayloadV2Provider,
)
from .follow_ups_connect_external_issue_result_v2 import FollowUpsConnectExternalIssueResultV2
from .follow_ups_create_payload_v2 import FollowUpsCreatePayloadV2
from .follow_ups_create_result_v2 import FollowUpsCreateResultV2
from .follow_ups_list_result_v2 import FollowUpsListResultV2
from .follow_ups_show_result_v2 import FollowUpsShowResultV2
from .follow_ups_update_payload_v2 import FollowUpsUpdatePayloadV2
from .follow_ups_update_payload_v2_status import FollowUpsUpdatePayloadV2Status
from .follow_ups_update_result_v2 import FollowUpsUpdateResultV2
from .follow_ups_v2_list_incident_mode import FollowUpsV2ListIncidentMode
from .incident_status_v2 import IncidentStatusV2
from .incident_status_v2_category import IncidentStatusV2Category
from .incident_update_v2 import IncidentUpdateV2
from .incident_updates_list_result_v2 import IncidentUpdatesListResultV2
from .pagination_meta_result_v2 import PaginationMetaResultV2
from .severity_v2 import SeverityV2
from .team_slim_v2 import TeamSlimV2
from .user_v2 import UserV2
from .user_v2_role import UserV2Role
from .workflow_actor_v2 import WorkflowActorV2

__all__ = (
    "ActorV2",
    "AlertActorV2",
    "APIKeyActorV2",
    "ExternalIssueReferenceV2",
    "ExternalIssueReferenceV2Provider",
    "FollowUpPriorityV2",
    "FollowUpsConnectExternalIssuePayloadV2",
    "FollowUpsConnectExternalIssuePayloadV2Provider",
    "FollowUpsConnectExternalIssueResultV2",
    "FollowUpsCreatePayloadV2",
    "FollowUpsCreateResultV2",
    "FollowUpsListResultV2",
    "FollowUpsShowResultV2",
    "FollowUpsUpdatePayloadV2",
    "FollowUpsUpdatePayloadV2Status",
    "FollowUpsUpdateResultV2",
    "FollowUpsV2ListIncidentMode",
    "FollowUpV2",
    "FollowUpV2Status",
    "IncidentStatusV2",
    "IncidentStatusV2Category",
    "IncidentUpdatesListResultV2",
    "IncidentUpdateV2",
    "PaginationMetaResultV2",
    "SeverityV2",
    "TeamSlimV2",
    "UserV2",
    "UserV2Role",
    "WorkflowActorV2",
)
