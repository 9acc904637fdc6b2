"""``client.incident_updates``: the updates posted to incidents (Incident Updates V2)."""

from __future__ import annotations

import httpx

from incidentio_api.api.incident_updates_v2 import incident_updates_v2_list
from incidentio_api.models import IncidentUpdatesListResultV2, IncidentUpdateV2

from .._requester import Requester, model_from
from .._status_errors import json_of
from .._validation import (
    check_max_items,
    check_max_retries,
    check_optional_str,
    check_page_size,
)
from ..errors import ResponseValidationError
from ..pagination import AsyncPager, RawPage


class IncidentUpdates:
    """Incident updates: status, severity and message changes posted to incidents."""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    def list(
        self,
        *,
        incident_id: str | None = None,
        page_size: int | None = None,
        max_items: int | None = None,
        lookahead: bool = True,
        max_retries: int | None = None,
    ) -> AsyncPager[IncidentUpdateV2]:
        """Every incident update of the organisation, or of one incident, page by page.

        Returns an :class:`~incidentio_async.pagination.AsyncPager`: ``async for update in
        ...`` yields updates across pages, ``.pages()`` yields pages. Arguments are checked
        now; requests start when iteration does.

        Args:
            incident_id: only this incident's updates.
            page_size: records per request, 1 to 250 (the API's default is 25; 250 means
                fewer requests against the rate limit).
            max_items: stop after this many updates, without requesting further pages.
            lookahead: request the next page while the caller works on the current one.
            max_retries: overrides the client's retry count for these calls.
        """
        incident_id = check_optional_str(incident_id, "incident_id")
        page_size = None if page_size is None else check_page_size(page_size)
        max_retries = check_max_retries(max_retries)
        requester = self._requester

        async def fetch_page(after: str | None) -> RawPage[IncidentUpdateV2]:
            kwargs = incident_updates_v2_list._get_kwargs(
                incident_id=incident_id, page_size=page_size, after=after
            )
            response = await requester.request(
                kwargs["method"], kwargs["url"], params=kwargs["params"], max_retries=max_retries
            )
            return _raw_page(response)

        return AsyncPager(
            fetch_page,
            max_items=check_max_items(max_items),
            lookahead=lookahead,
            cursor_of=lambda update: update.id,
        )


def _raw_page(response: httpx.Response) -> RawPage[IncidentUpdateV2]:
    """The page's cursor and size, read straight from the JSON so that the next request can
    start before the records are built."""
    data = json_of(response)
    meta = data.get("pagination_meta") if isinstance(data, dict) else None
    cursor = meta.get("after") if isinstance(meta, dict) else None
    if cursor is not None and not isinstance(cursor, str):
        raise ResponseValidationError(
            f"a pagination cursor that is not a string ({type(cursor).__name__})",
            response=response,
            request_id=None,
        )
    records = data.get("incident_updates") if isinstance(data, dict) else None
    return RawPage(
        after=cursor or None,  # an empty cursor cannot name a record: treat it as the end
        count=len(records) if isinstance(records, list) else 0,
        build=lambda: model_from(IncidentUpdatesListResultV2, data, response).incident_updates,
    )
