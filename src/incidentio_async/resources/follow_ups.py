"""``client.follow_ups``: incident follow-ups (Follow-ups V2)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from incidentio_api.api.follow_ups_v2 import (
    follow_ups_v2_connect_external_issue,
    follow_ups_v2_create,
    follow_ups_v2_delete,
    follow_ups_v2_list,
    follow_ups_v2_show,
    follow_ups_v2_update,
)
from incidentio_api.models import (
    FollowUpsConnectExternalIssuePayloadV2,
    FollowUpsConnectExternalIssuePayloadV2Provider,
    FollowUpsConnectExternalIssueResultV2,
    FollowUpsCreatePayloadV2,
    FollowUpsCreateResultV2,
    FollowUpsListResultV2,
    FollowUpsShowResultV2,
    FollowUpsUpdatePayloadV2,
    FollowUpsUpdatePayloadV2Status,
    FollowUpsUpdateResultV2,
    FollowUpsV2ListIncidentMode,
    FollowUpV2,
)

from .._deprecation import warn_follow_ups_v2_deprecated
from .._not_given import NOT_GIVEN, NotGiven
from .._requester import Requester
from .._validation import (
    check_id,
    check_labels,
    check_max_retries,
    check_optional_str,
    check_str,
    coerce_enum,
)
from ..errors import InvalidArgumentError

M = TypeVar("M")


class FollowUps:
    """Follow-ups: work to do after an incident. Every method raises on failure.

    incident.io deprecated Follow-ups V2 (removal on 31 December 2026, successor
    ``/v3/follow_ups``); the first call in a process emits a ``DeprecationWarning``.
    """

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    async def list(
        self,
        *,
        incident_id: str | None = None,
        incident_mode: FollowUpsV2ListIncidentMode | str | None = None,
        assignee_team_id: str | None = None,
        max_retries: int | None = None,
    ) -> list[FollowUpV2]:
        """Every follow-up of the organisation, or of one incident (the API does not paginate).

        Args:
            incident_id: only this incident's follow-ups.
            incident_mode: only follow-ups of incidents in this mode (``standard``,
                ``retrospective``, ``test``, ``tutorial``, ``stream``). Without it the API
                returns follow-ups of standard and retrospective incidents.
            assignee_team_id: only follow-ups assigned to this team.
            max_retries: overrides the client's retry count for this call.
        """
        warn_follow_ups_v2_deprecated()
        kwargs = follow_ups_v2_list._get_kwargs(
            incident_id=check_optional_str(incident_id, "incident_id"),
            incident_mode=None
            if incident_mode is None
            else coerce_enum(FollowUpsV2ListIncidentMode, incident_mode, "incident_mode"),
            assignee_team_id=check_optional_str(assignee_team_id, "assignee_team_id"),
        )
        result = await self._send(FollowUpsListResultV2, kwargs, max_retries)
        return result.follow_ups

    async def get(self, follow_up_id: str, *, max_retries: int | None = None) -> FollowUpV2:
        """One follow-up by id; :class:`~incidentio_async.errors.NotFoundError` if none."""
        warn_follow_ups_v2_deprecated()
        kwargs = follow_ups_v2_show._get_kwargs(id=check_id(follow_up_id, "follow_up_id"))
        result = await self._send(FollowUpsShowResultV2, kwargs, max_retries)
        return result.follow_up

    async def create(
        self,
        *,
        incident_id: str,
        title: str,
        description: str | None = None,
        assignee_id: str | None = None,
        assignee_team_id: str | None = None,
        external_issue_reference_id: str | None = None,
        follow_up_category_id: str | None = None,
        follow_up_priority_option_id: str | None = None,
        labels: Sequence[str] | None = None,
        max_retries: int | None = None,
    ) -> FollowUpV2:
        """Create a follow-up on an incident and return it.

        A create is retried only when the API surely did not act on it (a 429, or a connection
        that failed before the request was sent), so it never creates a duplicate. When the
        outcome is unknown, :class:`~incidentio_async.errors.APIConnectionError` says so.
        """
        warn_follow_ups_v2_deprecated()
        payload = FollowUpsCreatePayloadV2(
            incident_id=check_id(incident_id, "incident_id"),
            title=check_str(title, "title"),
            description=check_optional_str(description, "description"),
            assignee_id=check_optional_str(assignee_id, "assignee_id"),
            assignee_team_id=check_optional_str(assignee_team_id, "assignee_team_id"),
            external_issue_reference_id=check_optional_str(
                external_issue_reference_id, "external_issue_reference_id"
            ),
            follow_up_category_id=check_optional_str(
                follow_up_category_id, "follow_up_category_id"
            ),
            follow_up_priority_option_id=check_optional_str(
                follow_up_priority_option_id, "follow_up_priority_option_id"
            ),
            labels=None if labels is None else check_labels(labels),
        )
        kwargs = follow_ups_v2_create._get_kwargs(body=payload)
        result = await self._send(FollowUpsCreateResultV2, kwargs, max_retries)
        return result.follow_up

    async def update(
        self,
        follow_up_id: str,
        *,
        title: str,
        status: FollowUpsUpdatePayloadV2Status | str,
        description: str | NotGiven = NOT_GIVEN,
        assignee_id: str | NotGiven | None = NOT_GIVEN,
        assignee_team_id: str | NotGiven | None = NOT_GIVEN,
        follow_up_category_id: str | NotGiven = NOT_GIVEN,
        follow_up_priority_option_id: str | NotGiven = NOT_GIVEN,
        labels: Sequence[str] | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
    ) -> FollowUpV2:
        """Update a follow-up and return it.

        The API requires ``title`` and ``status``. Other arguments that are not given are not
        sent, so the API leaves those fields as they are; ``assignee_id=None`` or
        ``assignee_team_id=None`` unassigns (the API takes an explicit null for that).
        ``status="deleted"`` is refused: use :meth:`delete`.
        """
        warn_follow_ups_v2_deprecated()
        follow_up_id = check_id(follow_up_id, "follow_up_id")
        status_value = coerce_enum(FollowUpsUpdatePayloadV2Status, status, "status")
        if status_value is FollowUpsUpdatePayloadV2Status.DELETED:
            raise InvalidArgumentError(
                "status='deleted' is not allowed by the API; "
                "call client.follow_ups.delete(follow_up_id) instead"
            )
        payload = FollowUpsUpdatePayloadV2(title=check_str(title, "title"), status=status_value)
        explicit_nulls: list[str] = []
        for name, value in (("assignee_id", assignee_id), ("assignee_team_id", assignee_team_id)):
            if value is None:
                explicit_nulls.append(name)
            elif value is not NOT_GIVEN:
                setattr(payload, name, check_str(value, name))
        for name, value in (
            ("description", description),
            ("follow_up_category_id", follow_up_category_id),
            ("follow_up_priority_option_id", follow_up_priority_option_id),
        ):
            if value is not NOT_GIVEN:
                setattr(payload, name, check_str(value, name))
        if labels is not NOT_GIVEN:
            payload.labels = check_labels(labels)
        kwargs = follow_ups_v2_update._get_kwargs(id=follow_up_id, body=payload)
        for name in explicit_nulls:
            kwargs["json"][name] = None
        result = await self._send(FollowUpsUpdateResultV2, kwargs, max_retries)
        return result.follow_up

    async def delete(self, follow_up_id: str, *, max_retries: int | None = None) -> None:
        """Delete a follow-up; :class:`~incidentio_async.errors.NotFoundError` if there is none.

        A 404 answering a *retry* counts as success: the earlier attempt, whose answer was
        lost, may be what deleted it.
        """
        warn_follow_ups_v2_deprecated()
        kwargs = follow_ups_v2_delete._get_kwargs(id=check_id(follow_up_id, "follow_up_id"))
        await self._requester.request(
            kwargs["method"],
            kwargs["url"],
            max_retries=check_max_retries(max_retries),
            gone_is_done=True,
        )

    async def connect_external_issue(
        self,
        follow_up_id: str,
        *,
        provider: FollowUpsConnectExternalIssuePayloadV2Provider | str,
        url: str,
        max_retries: int | None = None,
    ) -> FollowUpV2:
        """Link a follow-up to an existing issue in an issue tracker, by the issue's URL.

        The API refuses this when the follow-up is already connected to an issue.
        """
        warn_follow_ups_v2_deprecated()
        payload = FollowUpsConnectExternalIssuePayloadV2(
            provider=coerce_enum(
                FollowUpsConnectExternalIssuePayloadV2Provider, provider, "provider"
            ),
            url=check_str(url, "url"),
        )
        kwargs = follow_ups_v2_connect_external_issue._get_kwargs(
            id=check_id(follow_up_id, "follow_up_id"), body=payload
        )
        result = await self._send(FollowUpsConnectExternalIssueResultV2, kwargs, max_retries)
        return result.follow_up

    async def _send(self, model: type[M], kwargs: dict[str, Any], max_retries: int | None) -> M:
        return await self._requester.request_model(
            model,
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            json_body=kwargs.get("json"),
            max_retries=check_max_retries(max_retries),
        )
