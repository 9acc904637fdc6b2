"""A library that wraps this client, as its author would write it under mypy --strict.

Type-checked, not run (`make typecheck` and tests/test_typecheck.py): the per-call options are
a public type it can take and pass on, and every model comes from ``incidentio_async.models``.
"""

from __future__ import annotations

from typing import Unpack

from incidentio_async import IncidentIO, ListOptions, RequestOptions
from incidentio_async.models import (
    FollowUpsUpdatePayloadV3Status,
    FollowUpV3,
    FollowUpV3Status,
    IncidentUpdateV2,
    ModelParseError,
)


class FollowUpService:
    """Our wrapper: callers may pass any per-call option of the client through it."""

    def __init__(self, client: IncidentIO) -> None:
        self._client = client

    async def close(self, follow_up_id: str, **options: Unpack[RequestOptions]) -> FollowUpV3:
        follow_up = await self._client.follow_ups_v3.get(follow_up_id, **options)
        if follow_up.status is FollowUpV3Status.COMPLETED:
            return follow_up
        return await self._client.follow_ups_v3.update(
            follow_up_id, title=follow_up.title, status="completed", **options
        )

    async def decline(self, follow_up_id: str, title: str) -> FollowUpV3:
        # A status incident.io added after this release: the open enum takes it as it is.
        return await self._client.follow_ups_v3.update(
            follow_up_id, title=title, status=FollowUpsUpdatePayloadV3Status("declined")
        )

    async def updates(
        self, incident_id: str, **options: Unpack[ListOptions]
    ) -> list[IncidentUpdateV2]:
        pager = self._client.incident_updates_v2.list(incident_id=incident_id, **options)
        return await pager.to_list()


def quiet(options: RequestOptions) -> RequestOptions:
    return {**options, "max_retries": 0, "timeout": 2.5, "extra_headers": {"X-Quiet": "1"}}


def describe(error: ModelParseError) -> str:
    return str(error)
