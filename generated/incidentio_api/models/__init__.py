"""Contains all the data models used in inputs/outputs"""

from .actor_v2 import ActorV2
from .alert_actor_v2 import AlertActorV2
from .api_key_actor_v2 import APIKeyActorV2
from .error_debug import ErrorDebug
from .error_rate_limit import ErrorRateLimit
from .error_response import ErrorResponse
from .error_response_type import ErrorResponseType
from .error_single import ErrorSingle
from .error_single_metadata import ErrorSingleMetadata
from .error_source import ErrorSource
from .external_issue_reference_v2 import ExternalIssueReferenceV2
from .external_issue_reference_v2_provider import ExternalIssueReferenceV2Provider
from .follow_up_category_v3 import FollowUpCategoryV3
from .follow_up_priority_v2 import FollowUpPriorityV2
from .follow_up_v2 import FollowUpV2
from .follow_up_v2_status import FollowUpV2Status
from .follow_up_v3 import FollowUpV3
from .follow_up_v3_status import FollowUpV3Status
from .follow_ups_connect_external_issue_payload_v2 import FollowUpsConnectExternalIssuePayloadV2
from .follow_ups_connect_external_issue_payload_v2_provider import (
    FollowUpsConnectExternalIssuePayloadV2Provider,
)
from .follow_ups_connect_external_issue_payload_v3 import FollowUpsConnectExternalIssuePayloadV3
from .follow_ups_connect_external_issue_payload_v3_provider import (
    FollowUpsConnectExternalIssuePayloadV3Provider,
)
from .follow_ups_connect_external_issue_result_v2 import FollowUpsConnectExternalIssueResultV2
from .follow_ups_connect_external_issue_result_v3 import FollowUpsConnectExternalIssueResultV3
from .follow_ups_create_from_link_payload_v3 import FollowUpsCreateFromLinkPayloadV3
from .follow_ups_create_from_link_result_v3 import FollowUpsCreateFromLinkResultV3
from .follow_ups_create_payload_v2 import FollowUpsCreatePayloadV2
from .follow_ups_create_payload_v3 import FollowUpsCreatePayloadV3
from .follow_ups_create_result_v2 import FollowUpsCreateResultV2
from .follow_ups_create_result_v3 import FollowUpsCreateResultV3
from .follow_ups_list_result_v2 import FollowUpsListResultV2
from .follow_ups_list_result_v3 import FollowUpsListResultV3
from .follow_ups_show_result_v2 import FollowUpsShowResultV2
from .follow_ups_show_result_v3 import FollowUpsShowResultV3
from .follow_ups_update_payload_v2 import FollowUpsUpdatePayloadV2
from .follow_ups_update_payload_v2_status import FollowUpsUpdatePayloadV2Status
from .follow_ups_update_payload_v3 import FollowUpsUpdatePayloadV3
from .follow_ups_update_payload_v3_status import FollowUpsUpdatePayloadV3Status
from .follow_ups_update_result_v2 import FollowUpsUpdateResultV2
from .follow_ups_update_result_v3 import FollowUpsUpdateResultV3
from .follow_ups_v2_list_incident_mode import FollowUpsV2ListIncidentMode
from .follow_ups_v3_list_created_at import FollowUpsV3ListCreatedAt
from .follow_ups_v3_list_incident_mode import FollowUpsV3ListIncidentMode
from .follow_ups_v3_list_updated_at import FollowUpsV3ListUpdatedAt
from .incident_status_v2 import IncidentStatusV2
from .incident_status_v2_category import IncidentStatusV2Category
from .incident_update_v2 import IncidentUpdateV2
from .incident_updates_create_payload_v2 import IncidentUpdatesCreatePayloadV2
from .incident_updates_create_result_v2 import IncidentUpdatesCreateResultV2
from .incident_updates_list_result_v2 import IncidentUpdatesListResultV2
from .pagination_meta_result_v2 import PaginationMetaResultV2
from .pagination_meta_result_v3 import PaginationMetaResultV3
from .severity_v2 import SeverityV2
from .team_slim_v2 import TeamSlimV2
from .user_v2 import UserV2
from .user_v2_role import UserV2Role
from .workflow_actor_v2 import WorkflowActorV2

__all__ = (
    "ActorV2",
    "AlertActorV2",
    "APIKeyActorV2",
    "ErrorDebug",
    "ErrorRateLimit",
    "ErrorResponse",
    "ErrorResponseType",
    "ErrorSingle",
    "ErrorSingleMetadata",
    "ErrorSource",
    "ExternalIssueReferenceV2",
    "ExternalIssueReferenceV2Provider",
    "FollowUpCategoryV3",
    "FollowUpPriorityV2",
    "FollowUpsConnectExternalIssuePayloadV2",
    "FollowUpsConnectExternalIssuePayloadV2Provider",
    "FollowUpsConnectExternalIssuePayloadV3",
    "FollowUpsConnectExternalIssuePayloadV3Provider",
    "FollowUpsConnectExternalIssueResultV2",
    "FollowUpsConnectExternalIssueResultV3",
    "FollowUpsCreateFromLinkPayloadV3",
    "FollowUpsCreateFromLinkResultV3",
    "FollowUpsCreatePayloadV2",
    "FollowUpsCreatePayloadV3",
    "FollowUpsCreateResultV2",
    "FollowUpsCreateResultV3",
    "FollowUpsListResultV2",
    "FollowUpsListResultV3",
    "FollowUpsShowResultV2",
    "FollowUpsShowResultV3",
    "FollowUpsUpdatePayloadV2",
    "FollowUpsUpdatePayloadV2Status",
    "FollowUpsUpdatePayloadV3",
    "FollowUpsUpdatePayloadV3Status",
    "FollowUpsUpdateResultV2",
    "FollowUpsUpdateResultV3",
    "FollowUpsV2ListIncidentMode",
    "FollowUpsV3ListCreatedAt",
    "FollowUpsV3ListIncidentMode",
    "FollowUpsV3ListUpdatedAt",
    "FollowUpV2",
    "FollowUpV2Status",
    "FollowUpV3",
    "FollowUpV3Status",
    "IncidentStatusV2",
    "IncidentStatusV2Category",
    "IncidentUpdatesCreatePayloadV2",
    "IncidentUpdatesCreateResultV2",
    "IncidentUpdatesListResultV2",
    "IncidentUpdateV2",
    "PaginationMetaResultV2",
    "PaginationMetaResultV3",
    "SeverityV2",
    "TeamSlimV2",
    "UserV2",
    "UserV2Role",
    "WorkflowActorV2",
)
