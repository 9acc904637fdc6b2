from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.follow_ups_create_payload_v2 import FollowUpsCreatePayloadV2
from ...models.follow_ups_create_result_v2 import FollowUpsCreateResultV2
from ...types import Response


def _get_kwargs(
    *,
    body: FollowUpsCreatePayloadV2,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/follow_ups",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FollowUpsCreateResultV2 | None:
    if response.status_code == 201:
        response_201 = FollowUpsCreateResultV2.from_dict(response.json())

        return response_201

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[FollowUpsCreateResultV2]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsCreatePayloadV2,
) -> Response[FollowUpsCreateResultV2]:
    """Create Follow-ups V2

     Create a new incident follow-up.

    Args:
        body (FollowUpsCreatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'external_issue_reference_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'follow_up_category_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'incident_id': '01FCNDV6P870EA6S7TK1DSYD5H', 'labels':
            ['bug', 'urgent'], 'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsCreateResultV2]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsCreatePayloadV2,
) -> FollowUpsCreateResultV2 | None:
    """Create Follow-ups V2

     Create a new incident follow-up.

    Args:
        body (FollowUpsCreatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'external_issue_reference_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'follow_up_category_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'incident_id': '01FCNDV6P870EA6S7TK1DSYD5H', 'labels':
            ['bug', 'urgent'], 'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsCreateResultV2
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsCreatePayloadV2,
) -> Response[FollowUpsCreateResultV2]:
    """Create Follow-ups V2

     Create a new incident follow-up.

    Args:
        body (FollowUpsCreatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'external_issue_reference_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'follow_up_category_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'incident_id': '01FCNDV6P870EA6S7TK1DSYD5H', 'labels':
            ['bug', 'urgent'], 'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsCreateResultV2]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: FollowUpsCreatePayloadV2,
) -> FollowUpsCreateResultV2 | None:
    """Create Follow-ups V2

     Create a new incident follow-up.

    Args:
        body (FollowUpsCreatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'external_issue_reference_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'follow_up_category_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'incident_id': '01FCNDV6P870EA6S7TK1DSYD5H', 'labels':
            ['bug', 'urgent'], 'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsCreateResultV2
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
