from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.follow_ups_list_result_v2 import FollowUpsListResultV2
from ...models.follow_ups_v2_list_incident_mode import FollowUpsV2ListIncidentMode
from ...types import Response


def _get_kwargs(
    *,
    incident_id: str | None = None,
    incident_mode: FollowUpsV2ListIncidentMode | None = None,
    assignee_team_id: str | None = None,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["incident_id"] = incident_id

    json_incident_mode: str | None = None
    if incident_mode is not None:
        json_incident_mode = incident_mode.value

    params["incident_mode"] = json_incident_mode

    params["assignee_team_id"] = assignee_team_id

    params = {k: v for k, v in params.items() if v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/follow_ups",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FollowUpsListResultV2 | None:
    if response.status_code == 200:
        response_200 = FollowUpsListResultV2.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[FollowUpsListResultV2]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    incident_id: str | None = None,
    incident_mode: FollowUpsV2ListIncidentMode | None = None,
    assignee_team_id: str | None = None,
) -> Response[FollowUpsListResultV2]:
    """List Follow-ups V2

     List all follow-ups for an organisation.

    Args:
        incident_id (str | None): Find follow-ups related to this incident Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
        incident_mode (FollowUpsV2ListIncidentMode | None): Filter to follow-ups from incidents of
            the given mode. If not set, only follow-ups from `standard` and `retrospective` incidents
            are returned Example: standard.
        assignee_team_id (str | None): Filter follow-ups that are assigned to the given team
            Example: 01FCNDV6P870EA6S7TK1DSYDG0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsListResultV2]
    """

    kwargs = _get_kwargs(
        incident_id=incident_id,
        incident_mode=incident_mode,
        assignee_team_id=assignee_team_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    incident_id: str | None = None,
    incident_mode: FollowUpsV2ListIncidentMode | None = None,
    assignee_team_id: str | None = None,
) -> FollowUpsListResultV2 | None:
    """List Follow-ups V2

     List all follow-ups for an organisation.

    Args:
        incident_id (str | None): Find follow-ups related to this incident Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
        incident_mode (FollowUpsV2ListIncidentMode | None): Filter to follow-ups from incidents of
            the given mode. If not set, only follow-ups from `standard` and `retrospective` incidents
            are returned Example: standard.
        assignee_team_id (str | None): Filter follow-ups that are assigned to the given team
            Example: 01FCNDV6P870EA6S7TK1DSYDG0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsListResultV2
    """

    return sync_detailed(
        client=client,
        incident_id=incident_id,
        incident_mode=incident_mode,
        assignee_team_id=assignee_team_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    incident_id: str | None = None,
    incident_mode: FollowUpsV2ListIncidentMode | None = None,
    assignee_team_id: str | None = None,
) -> Response[FollowUpsListResultV2]:
    """List Follow-ups V2

     List all follow-ups for an organisation.

    Args:
        incident_id (str | None): Find follow-ups related to this incident Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
        incident_mode (FollowUpsV2ListIncidentMode | None): Filter to follow-ups from incidents of
            the given mode. If not set, only follow-ups from `standard` and `retrospective` incidents
            are returned Example: standard.
        assignee_team_id (str | None): Filter follow-ups that are assigned to the given team
            Example: 01FCNDV6P870EA6S7TK1DSYDG0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsListResultV2]
    """

    kwargs = _get_kwargs(
        incident_id=incident_id,
        incident_mode=incident_mode,
        assignee_team_id=assignee_team_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    incident_id: str | None = None,
    incident_mode: FollowUpsV2ListIncidentMode | None = None,
    assignee_team_id: str | None = None,
) -> FollowUpsListResultV2 | None:
    """List Follow-ups V2

     List all follow-ups for an organisation.

    Args:
        incident_id (str | None): Find follow-ups related to this incident Example:
            01FCNDV6P870EA6S7TK1DSYDG0.
        incident_mode (FollowUpsV2ListIncidentMode | None): Filter to follow-ups from incidents of
            the given mode. If not set, only follow-ups from `standard` and `retrospective` incidents
            are returned Example: standard.
        assignee_team_id (str | None): Filter follow-ups that are assigned to the given team
            Example: 01FCNDV6P870EA6S7TK1DSYDG0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsListResultV2
    """

    return (
        await asyncio_detailed(
            client=client,
            incident_id=incident_id,
            incident_mode=incident_mode,
            assignee_team_id=assignee_team_id,
        )
    ).parsed
