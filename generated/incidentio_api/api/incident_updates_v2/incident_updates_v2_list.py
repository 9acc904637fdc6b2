from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.incident_updates_list_result_v2 import IncidentUpdatesListResultV2
from ...types import Response


def _get_kwargs(
    *,
    incident_id: str | None = None,
    page_size: int | None = 25,
    after: str | None = None,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["incident_id"] = incident_id

    params["page_size"] = page_size

    params["after"] = after

    params = {k: v for k, v in params.items() if v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/incident_updates",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> IncidentUpdatesListResultV2 | None:
    if response.status_code == 200:
        response_200 = IncidentUpdatesListResultV2.from_dict(response.json())

        return response_200

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[IncidentUpdatesListResultV2]:
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
    page_size: int | None = 25,
    after: str | None = None,
) -> Response[IncidentUpdatesListResultV2]:
    """List Incident Updates V2

     List all incident updates for an organisation, or for a specific incident.

    Args:
        incident_id (str | None): Incident whose updates you want to list Example:
            01G0J1EXE7AXZ2C93K61WBPYEH.
        page_size (int | None): Integer number of records to return Default: 25. Example: 25.
        after (str | None): An record's ID. This endpoint will return a list of records after this
            ID in relation to the API response order. Example: 01FDAG4SAP5TYPT98WGR2N7W91.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IncidentUpdatesListResultV2]
    """

    kwargs = _get_kwargs(
        incident_id=incident_id,
        page_size=page_size,
        after=after,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    incident_id: str | None = None,
    page_size: int | None = 25,
    after: str | None = None,
) -> IncidentUpdatesListResultV2 | None:
    """List Incident Updates V2

     List all incident updates for an organisation, or for a specific incident.

    Args:
        incident_id (str | None): Incident whose updates you want to list Example:
            01G0J1EXE7AXZ2C93K61WBPYEH.
        page_size (int | None): Integer number of records to return Default: 25. Example: 25.
        after (str | None): An record's ID. This endpoint will return a list of records after this
            ID in relation to the API response order. Example: 01FDAG4SAP5TYPT98WGR2N7W91.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IncidentUpdatesListResultV2
    """

    return sync_detailed(
        client=client,
        incident_id=incident_id,
        page_size=page_size,
        after=after,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    incident_id: str | None = None,
    page_size: int | None = 25,
    after: str | None = None,
) -> Response[IncidentUpdatesListResultV2]:
    """List Incident Updates V2

     List all incident updates for an organisation, or for a specific incident.

    Args:
        incident_id (str | None): Incident whose updates you want to list Example:
            01G0J1EXE7AXZ2C93K61WBPYEH.
        page_size (int | None): Integer number of records to return Default: 25. Example: 25.
        after (str | None): An record's ID. This endpoint will return a list of records after this
            ID in relation to the API response order. Example: 01FDAG4SAP5TYPT98WGR2N7W91.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[IncidentUpdatesListResultV2]
    """

    kwargs = _get_kwargs(
        incident_id=incident_id,
        page_size=page_size,
        after=after,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    incident_id: str | None = None,
    page_size: int | None = 25,
    after: str | None = None,
) -> IncidentUpdatesListResultV2 | None:
    """List Incident Updates V2

     List all incident updates for an organisation, or for a specific incident.

    Args:
        incident_id (str | None): Incident whose updates you want to list Example:
            01G0J1EXE7AXZ2C93K61WBPYEH.
        page_size (int | None): Integer number of records to return Default: 25. Example: 25.
        after (str | None): An record's ID. This endpoint will return a list of records after this
            ID in relation to the API response order. Example: 01FDAG4SAP5TYPT98WGR2N7W91.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        IncidentUpdatesListResultV2
    """

    return (
        await asyncio_detailed(
            client=client,
            incident_id=incident_id,
            page_size=page_size,
            after=after,
        )
    ).parsed
