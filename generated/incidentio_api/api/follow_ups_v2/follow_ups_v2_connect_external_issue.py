from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.follow_ups_connect_external_issue_payload_v2 import (
    FollowUpsConnectExternalIssuePayloadV2,
)
from ...models.follow_ups_connect_external_issue_result_v2 import (
    FollowUpsConnectExternalIssueResultV2,
)
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: FollowUpsConnectExternalIssuePayloadV2,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/follow_ups/{id}/actions/connect_external_issue".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FollowUpsConnectExternalIssueResultV2 | None:
    if response.status_code == 200:
        response_200 = FollowUpsConnectExternalIssueResultV2.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[FollowUpsConnectExternalIssueResultV2]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsConnectExternalIssuePayloadV2,
) -> Response[FollowUpsConnectExternalIssueResultV2]:
    """ConnectExternalIssue Follow-ups V2

     Connect a follow-up to an existing issue in an issue tracker, using the URL of the issue.

    This will not work if the follow-up is already connected to an external issue.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsConnectExternalIssuePayloadV2):  Example: {'provider': 'linear', 'url':
            'https://linear.app/incident/issue/INC-123'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsConnectExternalIssueResultV2]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsConnectExternalIssuePayloadV2,
) -> FollowUpsConnectExternalIssueResultV2 | None:
    """ConnectExternalIssue Follow-ups V2

     Connect a follow-up to an existing issue in an issue tracker, using the URL of the issue.

    This will not work if the follow-up is already connected to an external issue.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsConnectExternalIssuePayloadV2):  Example: {'provider': 'linear', 'url':
            'https://linear.app/incident/issue/INC-123'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsConnectExternalIssueResultV2
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsConnectExternalIssuePayloadV2,
) -> Response[FollowUpsConnectExternalIssueResultV2]:
    """ConnectExternalIssue Follow-ups V2

     Connect a follow-up to an existing issue in an issue tracker, using the URL of the issue.

    This will not work if the follow-up is already connected to an external issue.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsConnectExternalIssuePayloadV2):  Example: {'provider': 'linear', 'url':
            'https://linear.app/incident/issue/INC-123'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsConnectExternalIssueResultV2]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsConnectExternalIssuePayloadV2,
) -> FollowUpsConnectExternalIssueResultV2 | None:
    """ConnectExternalIssue Follow-ups V2

     Connect a follow-up to an existing issue in an issue tracker, using the URL of the issue.

    This will not work if the follow-up is already connected to an external issue.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsConnectExternalIssuePayloadV2):  Example: {'provider': 'linear', 'url':
            'https://linear.app/incident/issue/INC-123'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsConnectExternalIssueResultV2
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
