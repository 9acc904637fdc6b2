from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.follow_ups_update_payload_v2 import FollowUpsUpdatePayloadV2
from ...models.follow_ups_update_result_v2 import FollowUpsUpdateResultV2
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: FollowUpsUpdatePayloadV2,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v2/follow_ups/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FollowUpsUpdateResultV2 | None:
    if response.status_code == 200:
        response_200 = FollowUpsUpdateResultV2.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[FollowUpsUpdateResultV2]:
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
    body: FollowUpsUpdatePayloadV2,
) -> Response[FollowUpsUpdateResultV2]:
    """Update Follow-ups V2

     Update an existing incident follow-up.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsUpdatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'follow_up_category_id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'labels': ['bug', 'urgent'], 'status': 'outstanding',
            'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsUpdateResultV2]
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
    body: FollowUpsUpdatePayloadV2,
) -> FollowUpsUpdateResultV2 | None:
    """Update Follow-ups V2

     Update an existing incident follow-up.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsUpdatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'follow_up_category_id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'labels': ['bug', 'urgent'], 'status': 'outstanding',
            'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsUpdateResultV2
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
    body: FollowUpsUpdatePayloadV2,
) -> Response[FollowUpsUpdateResultV2]:
    """Update Follow-ups V2

     Update an existing incident follow-up.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsUpdatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'follow_up_category_id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'labels': ['bug', 'urgent'], 'status': 'outstanding',
            'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FollowUpsUpdateResultV2]
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
    body: FollowUpsUpdatePayloadV2,
) -> FollowUpsUpdateResultV2 | None:
    """Update Follow-ups V2

     Update an existing incident follow-up.

    Args:
        id (str): Unique identifier for the follow-up Example: 01FCNDV6P870EA6S7TK1DSYDG0.
        body (FollowUpsUpdatePayloadV2):  Example: {'assignee_id': '01FCNDV6P870EA6S7TK1DSYDG0',
            'assignee_team_id': '01FCNDV6P870EA6S7TK1DSYDG0', 'description': 'Call the fire brigade',
            'follow_up_category_id': '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'follow_up_priority_option_id':
            '01GNW4BAQ7XRMFF6FHKNXDFPRW', 'labels': ['bug', 'urgent'], 'status': 'outstanding',
            'title': 'Add alerting on replica lag'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FollowUpsUpdateResultV2
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
