from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.actor_v2 import ActorV2
from ..models.custom_field_entry_v2 import CustomFieldEntryV2
from ..models.external_issue_reference_v2 import ExternalIssueReferenceV2
from ..models.incident_duration_metric_with_value_v2 import IncidentDurationMetricWithValueV2
from ..models.incident_role_assignment_v2 import IncidentRoleAssignmentV2
from ..models.incident_status_v2 import IncidentStatusV2
from ..models.incident_timestamp_with_value_v2 import IncidentTimestampWithValueV2
from ..models.incident_type_v2 import IncidentTypeV2
from ..models.incident_v2_mode import IncidentV2Mode
from ..models.incident_v2_visibility import IncidentV2Visibility
from ..models.severity_v2 import SeverityV2
from ..types import format_datetime, parse_datetime

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "created_at",
        "creator",
        "custom_field_entries",
        "id",
        "incident_role_assignments",
        "incident_status",
        "last_activity_at",
        "mode",
        "name",
        "reference",
        "slack_channel_id",
        "slack_team_id",
        "team_ids",
        "updated_at",
        "visibility",
        "call_url",
        "duration_metrics",
        "external_issue_reference",
        "has_debrief",
        "incident_timestamp_values",
        "incident_type",
        "ms_teams_channel_url",
        "permalink",
        "postmortem_document_ids",
        "postmortem_document_url",
        "severity",
        "slack_channel_name",
        "slack_channel_url",
        "summary",
        "workload_minutes_late",
        "workload_minutes_sleeping",
        "workload_minutes_total",
        "workload_minutes_working",
    )
)


@_attrs_define(kw_only=True)
class IncidentV2:
    """
    Example:
        {'call_url': 'https://zoom.us/foo', 'created_at': '2021-08-17T13:28:57.801578Z', 'creator': {'alert': {'id':
            '01GW2G3V0S59R238FAHPDS1R66', 'title': '*errors.withMessage: PG::Error failed to connect'}, 'api_key': {'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My test API key'}, 'user': {'email': 'lisa@incident.io', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'},
            'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My little workflow'}}, 'custom_field_entries':
            [{'custom_field': {'description': 'Which team is impacted by this issue', 'field_type': 'single_select', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Affected Team', 'options': [{'custom_field_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'sort_key': 10, 'value': 'Product'}]},
            'values': [{'value_catalog_entry': {'aliases': ['lawrence@incident.io', 'lawrence'], 'external_id':
            '761722cd-d1d7-477b-ac7e-90f9e079dc33', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Primary On-call'},
            'value_link': 'https://google.com/', 'value_numeric': '123.456', 'value_option': {'custom_field_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'sort_key': 10, 'value': 'Product'},
            'value_text': 'This is my text field, I hope you like it'}]}], 'duration_metrics': [{'duration_metric': {'id':
            '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Lasted'}, 'status': 'success', 'value_seconds': 10800}],
            'external_issue_reference': {'issue_name': 'INC-123', 'issue_permalink': 'https://linear.app/incident-
            io/issue/INC-1609/find-copywriter-to-write-up', 'provider': 'asana'}, 'has_debrief': False, 'id':
            '01FDAG4SAP5TYPT98WGR2N7W91', 'incident_role_assignments': [{'assignee': {'email': 'lisa@incident.io', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'},
            'role': {'created_at': '2021-08-17T13:28:57.801578Z', 'description': 'The person currently coordinating the
            incident', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'instructions': 'Take point on the incident; Make sure people are
            clear on responsibilities', 'name': 'Incident Lead', 'required': False, 'role_type': 'lead', 'shortform':
            'lead', 'updated_at': '2021-08-17T13:28:57.801578Z'}}], 'incident_status': {'category': 'triage', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': "Impact has been **fully mitigated**, and we're ready to learn
            from this incident.", 'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Closed', 'rank': 4, 'updated_at':
            '2021-08-17T13:28:57.801578Z'}, 'incident_timestamp_values': [{'incident_timestamp': {'id':
            '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Impact started', 'rank': 1}, 'value': {'value':
            '2021-08-17T13:28:57.801578Z'}}], 'incident_type': {'create_in_triage': 'always', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': 'Customer facing production outages', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'is_default': False, 'name': 'Production Outage', 'private_incidents_only': False,
            'updated_at': '2021-08-17T13:28:57.801578Z'}, 'last_activity_at': '2021-08-17T13:28:57.801578Z', 'mode':
            'standard', 'ms_teams_channel_url': 'https://teams.microsoft.com/l/channel/19%some-
            hex%40thread.tacv2/inc-123-title?groupId=some-uuid&tenantId=another-uuid', 'name': 'Our database is sad',
            'permalink': 'https://app.incident.io/incidents/123', 'postmortem_document_ids': ['01FCNDV6P870EA6S7TK1DSYD5H'],
            'postmortem_document_url': 'https://docs.google.com/my_doc_id', 'reference': 'INC-123', 'severity':
            {'created_at': '2021-08-17T13:28:57.801578Z', 'description': 'Issues with **low impact**.', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Minor', 'rank': 1, 'updated_at': '2021-08-17T13:28:57.801578Z'},
            'slack_channel_id': 'C02AW36C1M5', 'slack_channel_name': 'inc-165-green-parrot', 'slack_channel_url':
            'https://slack.com/app_redirect?team=T1234&channel=C5678', 'slack_team_id': 'T02A1FSLE8J', 'summary': "Our
            database is really really sad, and we don't know why yet.", 'team_ids': ['01JPQA75EPNEES4479P16P4XAB'],
            'updated_at': '2021-08-17T13:28:57.801578Z', 'visibility': 'public', 'workload_minutes_late': 40.7,
            'workload_minutes_sleeping': 0, 'workload_minutes_total': 60.7, 'workload_minutes_working': 20}

    Attributes:
        created_at (datetime.datetime): When the incident was created Example: 2021-08-17T13:28:57.801578Z.
        creator (ActorV2):  Example: {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title': '*errors.withMessage:
            PG::Error failed to connect'}, 'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My test API key'},
            'user': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role':
            'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My little
            workflow'}}.
        custom_field_entries (list[CustomFieldEntryV2]): Custom field entries for this incident Example:
            [{'custom_field': {'description': 'Which team is impacted by this issue', 'field_type': 'single_select', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Affected Team', 'options': [{'custom_field_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'sort_key': 10, 'value': 'Product'}]},
            'values': [{'value_catalog_entry': {'aliases': ['lawrence@incident.io', 'lawrence'], 'external_id':
            '761722cd-d1d7-477b-ac7e-90f9e079dc33', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Primary On-call'},
            'value_link': 'https://google.com/', 'value_numeric': '123.456', 'value_option': {'custom_field_id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'sort_key': 10, 'value': 'Product'},
            'value_text': 'This is my text field, I hope you like it'}]}].
        id (str): Unique identifier for the incident Example: 01FDAG4SAP5TYPT98WGR2N7W91.
        incident_role_assignments (list[IncidentRoleAssignmentV2]): A list of who is assigned to each role for this
            incident Example: [{'assignee': {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa
            Karlin Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'}, 'role': {'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': 'The person currently coordinating the incident', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'instructions': 'Take point on the incident; Make sure people are clear on
            responsibilities', 'name': 'Incident Lead', 'required': False, 'role_type': 'lead', 'shortform': 'lead',
            'updated_at': '2021-08-17T13:28:57.801578Z'}}].
        incident_status (IncidentStatusV2):  Example: {'category': 'triage', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': "Impact has been **fully mitigated**, and we're ready to learn
            from this incident.", 'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Closed', 'rank': 4, 'updated_at':
            '2021-08-17T13:28:57.801578Z'}.
        last_activity_at (datetime.datetime): When the incident last recorded 'activity' Example:
            2021-08-17T13:28:57.801578Z.
        mode (IncidentV2Mode): Whether the incident is real, a test, a tutorial, or importing as a retrospective
            incident Example: standard.
        name (str): Explanation of the incident Example: Our database is sad.
        reference (str): Reference to this incident, as displayed across the product Example: INC-123.
        slack_channel_id (str): ID of the Slack channel in the organisation Slack workspace. Note that the channel is
            sometimes created asynchronously, so may not be present when the incident is just created. Example: C02AW36C1M5.
        slack_team_id (str): ID of the Slack team / workspace. This is only required if you are using a Slack Enterprise
            Grid with multiple teams. Example: T02A1FSLE8J.
        team_ids (list[str]): IDs of the teams that own this incident, resolved from your team settings. Empty when no
            teams match. Example: ['01JPQA75EPNEES4479P16P4XAB'].
        updated_at (datetime.datetime): When the incident was last updated Example: 2021-08-17T13:28:57.801578Z.
        visibility (IncidentV2Visibility): Whether the incident should be open to anyone in your Slack workspace
            (public), or invite-only (private). For more information on Private Incidents see our
            [docs](https://docs.incident.io/incidents/sensitive-incidents). Example: public.
        call_url (str | None): The call URL attached to this incident Example: https://zoom.us/foo.
        duration_metrics (list[IncidentDurationMetricWithValueV2] | None): Incident duration metrics and their
            measurements for this incident Example: [{'duration_metric': {'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name':
            'Lasted'}, 'status': 'success', 'value_seconds': 10800}].
        external_issue_reference (ExternalIssueReferenceV2 | None):  Example: {'issue_name': 'INC-123',
            'issue_permalink': 'https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-write-up', 'provider':
            'asana'}.
        has_debrief (bool | None): If this incident has a debrief attached Example: False.
        incident_timestamp_values (list[IncidentTimestampWithValueV2] | None): Incident lifecycle events and when they
            occurred Example: [{'incident_timestamp': {'id': '01FCNDV6P870EA6S7TK1DSYD5H', 'name': 'Impact started', 'rank':
            1}, 'value': {'value': '2021-08-17T13:28:57.801578Z'}}].
        incident_type (IncidentTypeV2 | None):  Example: {'create_in_triage': 'always', 'created_at':
            '2021-08-17T13:28:57.801578Z', 'description': 'Customer facing production outages', 'id':
            '01FCNDV6P870EA6S7TK1DSYDG0', 'is_default': False, 'name': 'Production Outage', 'private_incidents_only': False,
            'updated_at': '2021-08-17T13:28:57.801578Z'}.
        ms_teams_channel_url (str | None): URL to link to the Microsoft Teams channel Example:
            https://teams.microsoft.com/l/channel/19%some-hex%40thread.tacv2/inc-123-title?groupId=some-
            uuid&tenantId=another-uuid.
        permalink (str | None): A permanent link to the homepage for this incident Example:
            https://app.incident.io/incidents/123.
        postmortem_document_ids (list[str] | None): An array of IDs of postmortem documents for this incident Example:
            ['01FCNDV6P870EA6S7TK1DSYD5H'].
        postmortem_document_url (str | None): The URL of the incident post-mortem document Example:
            https://docs.google.com/my_doc_id.
        severity (SeverityV2 | None):  Example: {'created_at': '2021-08-17T13:28:57.801578Z', 'description': 'Issues
            with **low impact**.', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Minor', 'rank': 1, 'updated_at':
            '2021-08-17T13:28:57.801578Z'}.
        slack_channel_name (str | None): Name of the slack channel Example: inc-165-green-parrot.
        slack_channel_url (str | None): URL to link to the slack channel Example:
            https://slack.com/app_redirect?team=T1234&channel=C5678.
        summary (str | None): Detailed description of the incident Example: Our database is really really sad, and we
            don't know why yet..
        workload_minutes_late (float | None): Amount of time spent on the incident in late hours Example: 40.7.
        workload_minutes_sleeping (float | None): Amount of time spent on the incident in sleeping hours Example: 0.
        workload_minutes_total (float | None): Amount of time spent on the incident in total Example: 60.7.
        workload_minutes_working (float | None): Amount of time spent on the incident in working hours Example: 20.
    """

    created_at: datetime.datetime
    creator: ActorV2
    custom_field_entries: list[CustomFieldEntryV2]
    id: str
    incident_role_assignments: list[IncidentRoleAssignmentV2]
    incident_status: IncidentStatusV2
    last_activity_at: datetime.datetime
    mode: IncidentV2Mode
    name: str
    reference: str
    slack_channel_id: str
    slack_team_id: str
    team_ids: list[str]
    updated_at: datetime.datetime
    visibility: IncidentV2Visibility
    call_url: str | None = None
    duration_metrics: list[IncidentDurationMetricWithValueV2] | None = None
    external_issue_reference: ExternalIssueReferenceV2 | None = None
    has_debrief: bool | None = None
    incident_timestamp_values: list[IncidentTimestampWithValueV2] | None = None
    incident_type: IncidentTypeV2 | None = None
    ms_teams_channel_url: str | None = None
    permalink: str | None = None
    postmortem_document_ids: list[str] | None = None
    postmortem_document_url: str | None = None
    severity: SeverityV2 | None = None
    slack_channel_name: str | None = None
    slack_channel_url: str | None = None
    summary: str | None = None
    workload_minutes_late: float | None = None
    workload_minutes_sleeping: float | None = None
    workload_minutes_total: float | None = None
    workload_minutes_working: float | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        created_at = format_datetime(self.created_at)

        creator = self.creator.to_dict()

        custom_field_entries = []
        for custom_field_entries_item_data in self.custom_field_entries:
            custom_field_entries_item = custom_field_entries_item_data.to_dict()

            custom_field_entries.append(custom_field_entries_item)

        id = self.id

        incident_role_assignments = []
        for incident_role_assignments_item_data in self.incident_role_assignments:
            incident_role_assignments_item = incident_role_assignments_item_data.to_dict()

            incident_role_assignments.append(incident_role_assignments_item)

        incident_status = self.incident_status.to_dict()

        last_activity_at = format_datetime(self.last_activity_at)

        mode = self.mode.value

        name = self.name

        reference = self.reference

        slack_channel_id = self.slack_channel_id

        slack_team_id = self.slack_team_id

        team_ids = self.team_ids

        updated_at = format_datetime(self.updated_at)

        visibility = self.visibility.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "creator": creator,
                "custom_field_entries": custom_field_entries,
                "id": id,
                "incident_role_assignments": incident_role_assignments,
                "incident_status": incident_status,
                "last_activity_at": last_activity_at,
                "mode": mode,
                "name": name,
                "reference": reference,
                "slack_channel_id": slack_channel_id,
                "slack_team_id": slack_team_id,
                "team_ids": team_ids,
                "updated_at": updated_at,
                "visibility": visibility,
            }
        )
        call_url = self.call_url
        if call_url is not None:
            field_dict["call_url"] = call_url
        elif "call_url" in self._null_fields:
            field_dict["call_url"] = None
        duration_metrics: list[dict[str, Any]] | None = None
        if self.duration_metrics is not None:
            duration_metrics = []
            for duration_metrics_item_data in self.duration_metrics:
                duration_metrics_item = duration_metrics_item_data.to_dict()

                duration_metrics.append(duration_metrics_item)

        if duration_metrics is not None:
            field_dict["duration_metrics"] = duration_metrics
        elif "duration_metrics" in self._null_fields:
            field_dict["duration_metrics"] = None
        external_issue_reference: dict[str, Any] | None = None
        if self.external_issue_reference is not None:
            external_issue_reference = self.external_issue_reference.to_dict()

        if external_issue_reference is not None:
            field_dict["external_issue_reference"] = external_issue_reference
        elif "external_issue_reference" in self._null_fields:
            field_dict["external_issue_reference"] = None
        has_debrief = self.has_debrief
        if has_debrief is not None:
            field_dict["has_debrief"] = has_debrief
        elif "has_debrief" in self._null_fields:
            field_dict["has_debrief"] = None
        incident_timestamp_values: list[dict[str, Any]] | None = None
        if self.incident_timestamp_values is not None:
            incident_timestamp_values = []
            for incident_timestamp_values_item_data in self.incident_timestamp_values:
                incident_timestamp_values_item = incident_timestamp_values_item_data.to_dict()

                incident_timestamp_values.append(incident_timestamp_values_item)

        if incident_timestamp_values is not None:
            field_dict["incident_timestamp_values"] = incident_timestamp_values
        elif "incident_timestamp_values" in self._null_fields:
            field_dict["incident_timestamp_values"] = None
        incident_type: dict[str, Any] | None = None
        if self.incident_type is not None:
            incident_type = self.incident_type.to_dict()

        if incident_type is not None:
            field_dict["incident_type"] = incident_type
        elif "incident_type" in self._null_fields:
            field_dict["incident_type"] = None
        ms_teams_channel_url = self.ms_teams_channel_url
        if ms_teams_channel_url is not None:
            field_dict["ms_teams_channel_url"] = ms_teams_channel_url
        elif "ms_teams_channel_url" in self._null_fields:
            field_dict["ms_teams_channel_url"] = None
        permalink = self.permalink
        if permalink is not None:
            field_dict["permalink"] = permalink
        elif "permalink" in self._null_fields:
            field_dict["permalink"] = None
        postmortem_document_ids: list[str] | None = None
        if self.postmortem_document_ids is not None:
            postmortem_document_ids = self.postmortem_document_ids

        if postmortem_document_ids is not None:
            field_dict["postmortem_document_ids"] = postmortem_document_ids
        elif "postmortem_document_ids" in self._null_fields:
            field_dict["postmortem_document_ids"] = None
        postmortem_document_url = self.postmortem_document_url
        if postmortem_document_url is not None:
            field_dict["postmortem_document_url"] = postmortem_document_url
        elif "postmortem_document_url" in self._null_fields:
            field_dict["postmortem_document_url"] = None
        severity: dict[str, Any] | None = None
        if self.severity is not None:
            severity = self.severity.to_dict()

        if severity is not None:
            field_dict["severity"] = severity
        elif "severity" in self._null_fields:
            field_dict["severity"] = None
        slack_channel_name = self.slack_channel_name
        if slack_channel_name is not None:
            field_dict["slack_channel_name"] = slack_channel_name
        elif "slack_channel_name" in self._null_fields:
            field_dict["slack_channel_name"] = None
        slack_channel_url = self.slack_channel_url
        if slack_channel_url is not None:
            field_dict["slack_channel_url"] = slack_channel_url
        elif "slack_channel_url" in self._null_fields:
            field_dict["slack_channel_url"] = None
        summary = self.summary
        if summary is not None:
            field_dict["summary"] = summary
        elif "summary" in self._null_fields:
            field_dict["summary"] = None
        workload_minutes_late = self.workload_minutes_late
        if workload_minutes_late is not None:
            field_dict["workload_minutes_late"] = workload_minutes_late
        elif "workload_minutes_late" in self._null_fields:
            field_dict["workload_minutes_late"] = None
        workload_minutes_sleeping = self.workload_minutes_sleeping
        if workload_minutes_sleeping is not None:
            field_dict["workload_minutes_sleeping"] = workload_minutes_sleeping
        elif "workload_minutes_sleeping" in self._null_fields:
            field_dict["workload_minutes_sleeping"] = None
        workload_minutes_total = self.workload_minutes_total
        if workload_minutes_total is not None:
            field_dict["workload_minutes_total"] = workload_minutes_total
        elif "workload_minutes_total" in self._null_fields:
            field_dict["workload_minutes_total"] = None
        workload_minutes_working = self.workload_minutes_working
        if workload_minutes_working is not None:
            field_dict["workload_minutes_working"] = workload_minutes_working
        elif "workload_minutes_working" in self._null_fields:
            field_dict["workload_minutes_working"] = None

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
        present = 15
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "created_at"
            created_at = parse_datetime(src_dict["created_at"])

            parsing = "creator"
            creator = ActorV2.from_dict(src_dict["creator"])

            parsing = "custom_field_entries"
            _custom_field_entries = src_dict["custom_field_entries"]
            if not isinstance(_custom_field_entries, list):
                raise TypeError("expected a JSON array")

            custom_field_entries = []
            for custom_field_entries_item_data in _custom_field_entries:
                custom_field_entries_item = CustomFieldEntryV2.from_dict(
                    custom_field_entries_item_data
                )

                custom_field_entries.append(custom_field_entries_item)

            parsing = "id"
            id = src_dict["id"]
            if type(id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "incident_role_assignments"
            _incident_role_assignments = src_dict["incident_role_assignments"]
            if not isinstance(_incident_role_assignments, list):
                raise TypeError("expected a JSON array")

            incident_role_assignments = []
            for incident_role_assignments_item_data in _incident_role_assignments:
                incident_role_assignments_item = IncidentRoleAssignmentV2.from_dict(
                    incident_role_assignments_item_data
                )

                incident_role_assignments.append(incident_role_assignments_item)

            parsing = "incident_status"
            incident_status = IncidentStatusV2.from_dict(src_dict["incident_status"])

            parsing = "last_activity_at"
            last_activity_at = parse_datetime(src_dict["last_activity_at"])

            parsing = "mode"
            mode = IncidentV2Mode.from_value(src_dict["mode"])

            parsing = "name"
            name = src_dict["name"]
            if type(name) is not str:
                raise TypeError("expected a JSON string")

            parsing = "reference"
            reference = src_dict["reference"]
            if type(reference) is not str:
                raise TypeError("expected a JSON string")

            parsing = "slack_channel_id"
            slack_channel_id = src_dict["slack_channel_id"]
            if type(slack_channel_id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "slack_team_id"
            slack_team_id = src_dict["slack_team_id"]
            if type(slack_team_id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "team_ids"
            _team_ids = src_dict["team_ids"]
            if not isinstance(_team_ids, list):
                raise TypeError("expected a JSON array")

            for team_ids_item_data in _team_ids:
                if type(team_ids_item_data) is not str:
                    raise TypeError("expected a JSON array of strings")
            team_ids = cast(list[str], _team_ids)

            parsing = "updated_at"
            updated_at = parse_datetime(src_dict["updated_at"])

            parsing = "visibility"
            visibility = IncidentV2Visibility.from_value(src_dict["visibility"])

            parsing = "call_url"
            call_url = src_dict.get("call_url")
            if type(call_url) is str:
                present += 1
            elif call_url is not None:
                raise TypeError("expected a JSON string")
            elif "call_url" in src_dict:
                present += 1
                null_fields += ("call_url",)

            parsing = "duration_metrics"
            _duration_metrics = src_dict.get("duration_metrics")
            duration_metrics: list[IncidentDurationMetricWithValueV2] | None = None
            if _duration_metrics is not None:
                present += 1
                _duration_metrics = _duration_metrics
                if not isinstance(_duration_metrics, list):
                    raise TypeError("expected a JSON array")

                duration_metrics = []
                for duration_metrics_item_data in _duration_metrics:
                    duration_metrics_item = IncidentDurationMetricWithValueV2.from_dict(
                        duration_metrics_item_data
                    )

                    duration_metrics.append(duration_metrics_item)

            elif "duration_metrics" in src_dict:
                present += 1
                null_fields += ("duration_metrics",)

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

            parsing = "has_debrief"
            has_debrief = src_dict.get("has_debrief")
            if type(has_debrief) is bool:
                present += 1
            elif has_debrief is not None:
                raise TypeError("expected a JSON boolean")
            elif "has_debrief" in src_dict:
                present += 1
                null_fields += ("has_debrief",)

            parsing = "incident_timestamp_values"
            _incident_timestamp_values = src_dict.get("incident_timestamp_values")
            incident_timestamp_values: list[IncidentTimestampWithValueV2] | None = None
            if _incident_timestamp_values is not None:
                present += 1
                _incident_timestamp_values = _incident_timestamp_values
                if not isinstance(_incident_timestamp_values, list):
                    raise TypeError("expected a JSON array")

                incident_timestamp_values = []
                for incident_timestamp_values_item_data in _incident_timestamp_values:
                    incident_timestamp_values_item = IncidentTimestampWithValueV2.from_dict(
                        incident_timestamp_values_item_data
                    )

                    incident_timestamp_values.append(incident_timestamp_values_item)

            elif "incident_timestamp_values" in src_dict:
                present += 1
                null_fields += ("incident_timestamp_values",)

            parsing = "incident_type"
            _incident_type = src_dict.get("incident_type")
            incident_type: IncidentTypeV2 | None = None
            if _incident_type is not None:
                present += 1
                incident_type = IncidentTypeV2.from_dict(_incident_type)

            elif "incident_type" in src_dict:
                present += 1
                null_fields += ("incident_type",)

            parsing = "ms_teams_channel_url"
            ms_teams_channel_url = src_dict.get("ms_teams_channel_url")
            if type(ms_teams_channel_url) is str:
                present += 1
            elif ms_teams_channel_url is not None:
                raise TypeError("expected a JSON string")
            elif "ms_teams_channel_url" in src_dict:
                present += 1
                null_fields += ("ms_teams_channel_url",)

            parsing = "permalink"
            permalink = src_dict.get("permalink")
            if type(permalink) is str:
                present += 1
            elif permalink is not None:
                raise TypeError("expected a JSON string")
            elif "permalink" in src_dict:
                present += 1
                null_fields += ("permalink",)

            parsing = "postmortem_document_ids"
            _postmortem_document_ids = src_dict.get("postmortem_document_ids")
            postmortem_document_ids: list[str] | None = None
            if _postmortem_document_ids is not None:
                present += 1
                _postmortem_document_ids = _postmortem_document_ids
                if not isinstance(_postmortem_document_ids, list):
                    raise TypeError("expected a JSON array")

                for postmortem_document_ids_item_data in _postmortem_document_ids:
                    if type(postmortem_document_ids_item_data) is not str:
                        raise TypeError("expected a JSON array of strings")
                postmortem_document_ids = cast(list[str], _postmortem_document_ids)

            elif "postmortem_document_ids" in src_dict:
                present += 1
                null_fields += ("postmortem_document_ids",)

            parsing = "postmortem_document_url"
            postmortem_document_url = src_dict.get("postmortem_document_url")
            if type(postmortem_document_url) is str:
                present += 1
            elif postmortem_document_url is not None:
                raise TypeError("expected a JSON string")
            elif "postmortem_document_url" in src_dict:
                present += 1
                null_fields += ("postmortem_document_url",)

            parsing = "severity"
            _severity = src_dict.get("severity")
            severity: SeverityV2 | None = None
            if _severity is not None:
                present += 1
                severity = SeverityV2.from_dict(_severity)

            elif "severity" in src_dict:
                present += 1
                null_fields += ("severity",)

            parsing = "slack_channel_name"
            slack_channel_name = src_dict.get("slack_channel_name")
            if type(slack_channel_name) is str:
                present += 1
            elif slack_channel_name is not None:
                raise TypeError("expected a JSON string")
            elif "slack_channel_name" in src_dict:
                present += 1
                null_fields += ("slack_channel_name",)

            parsing = "slack_channel_url"
            slack_channel_url = src_dict.get("slack_channel_url")
            if type(slack_channel_url) is str:
                present += 1
            elif slack_channel_url is not None:
                raise TypeError("expected a JSON string")
            elif "slack_channel_url" in src_dict:
                present += 1
                null_fields += ("slack_channel_url",)

            parsing = "summary"
            summary = src_dict.get("summary")
            if type(summary) is str:
                present += 1
            elif summary is not None:
                raise TypeError("expected a JSON string")
            elif "summary" in src_dict:
                present += 1
                null_fields += ("summary",)

            parsing = "workload_minutes_late"
            workload_minutes_late = src_dict.get("workload_minutes_late")
            if type(workload_minutes_late) is float or type(workload_minutes_late) is int:
                present += 1
            elif workload_minutes_late is not None:
                raise TypeError("expected a JSON number")
            elif "workload_minutes_late" in src_dict:
                present += 1
                null_fields += ("workload_minutes_late",)

            parsing = "workload_minutes_sleeping"
            workload_minutes_sleeping = src_dict.get("workload_minutes_sleeping")
            if type(workload_minutes_sleeping) is float or type(workload_minutes_sleeping) is int:
                present += 1
            elif workload_minutes_sleeping is not None:
                raise TypeError("expected a JSON number")
            elif "workload_minutes_sleeping" in src_dict:
                present += 1
                null_fields += ("workload_minutes_sleeping",)

            parsing = "workload_minutes_total"
            workload_minutes_total = src_dict.get("workload_minutes_total")
            if type(workload_minutes_total) is float or type(workload_minutes_total) is int:
                present += 1
            elif workload_minutes_total is not None:
                raise TypeError("expected a JSON number")
            elif "workload_minutes_total" in src_dict:
                present += 1
                null_fields += ("workload_minutes_total",)

            parsing = "workload_minutes_working"
            workload_minutes_working = src_dict.get("workload_minutes_working")
            if type(workload_minutes_working) is float or type(workload_minutes_working) is int:
                present += 1
            elif workload_minutes_working is not None:
                raise TypeError("expected a JSON number")
            elif "workload_minutes_working" in src_dict:
                present += 1
                null_fields += ("workload_minutes_working",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        incident_v2 = cls(
            created_at=created_at,
            creator=creator,
            custom_field_entries=custom_field_entries,
            id=id,
            incident_role_assignments=incident_role_assignments,
            incident_status=incident_status,
            last_activity_at=last_activity_at,
            mode=mode,
            name=name,
            reference=reference,
            slack_channel_id=slack_channel_id,
            slack_team_id=slack_team_id,
            team_ids=team_ids,
            updated_at=updated_at,
            visibility=visibility,
            call_url=call_url,
            duration_metrics=duration_metrics,
            external_issue_reference=external_issue_reference,
            has_debrief=has_debrief,
            incident_timestamp_values=incident_timestamp_values,
            incident_type=incident_type,
            ms_teams_channel_url=ms_teams_channel_url,
            permalink=permalink,
            postmortem_document_ids=postmortem_document_ids,
            postmortem_document_url=postmortem_document_url,
            severity=severity,
            slack_channel_name=slack_channel_name,
            slack_channel_url=slack_channel_url,
            summary=summary,
            workload_minutes_late=workload_minutes_late,
            workload_minutes_sleeping=workload_minutes_sleeping,
            workload_minutes_total=workload_minutes_total,
            workload_minutes_working=workload_minutes_working,
        )
        if len(src_dict) != present:
            incident_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            incident_v2._null_fields = frozenset(null_fields)
        return incident_v2

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
