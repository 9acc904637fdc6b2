"""Build clients wired to a mock transport, with controlled time and their own limiter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from incidentio_async import IncidentIO
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import RateLimiter

TEST_KEY = "inc_test_0123456789abcdefSECRETKEY"

CALLS_FOLLOW_UPS_V2 = pytest.mark.filterwarnings(
    "ignore::incidentio_async.IncidentIODeprecationWarning"
)
"""For tests that call the deprecated Follow-ups V2 on purpose: it must keep working until
incident.io removes it, and its methods are as good examples of GET, POST, PUT and DELETE as
any. (Warnings fail the suite; the deprecation itself is tested in test_call_options.py and
test_follow_ups.py.)"""

FOLLOW_UP: dict[str, Any] = {
    "id": "01FCNDV6P870EA6S7TK1DSYDG0",
    "incident_id": "01FCNDV6P870EA6S7TK1DSYD5H",
    "creator": {"api_key": {"id": "01FCNDV6P870EA6S7TK1DSYDG1", "name": "CI key"}},
    "title": "Add alerting on replica lag",
    "status": "outstanding",
    "labels": ["bug"],
    "created_at": "2021-08-17T13:28:57.801578Z",
    "updated_at": "2021-08-17T13:28:57.801578Z",
}


def update_record(index: int, incident_id: str = "01INCIDENT") -> dict[str, Any]:
    """A minimal valid incident update whose id sorts by ``index``."""
    return {
        "id": f"01UPDATE{index:018d}",
        "incident_id": incident_id,
        "new_incident_status": {
            "id": "01STATUS",
            "name": "Investigating",
            "description": "Looking into it",
            "rank": 1,
            "category": "live",
            "created_at": "2021-08-17T13:28:57.801578Z",
            "updated_at": "2021-08-17T13:28:57.801578Z",
        },
        "updater": {"api_key": {"id": "01KEY", "name": "bot"}},
        "created_at": "2021-08-17T13:28:57.801578Z",
    }


def json_response(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def mock_client(
    handler: Callable[[httpx.Request], Any],
    *,
    clock: VirtualClock | None = None,
    limiter: RateLimiter | None = None,
    **kwargs: Any,
) -> IncidentIO:
    """An IncidentIO whose requests go to ``handler``, timed by ``clock``, with a limiter of
    its own (so no test shares the process-wide per-key limiter)."""
    clock = clock or VirtualClock()
    return IncidentIO(
        api_key=TEST_KEY,
        transport=httpx.MockTransport(handler),
        rate_limiter=limiter or RateLimiter(clock=clock),
        clock=clock,
        **kwargs,
    )


class Recorder:
    """A mock transport handler that answers from a queue and records every request."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []
        self.sent_headers: list[httpx.Headers] = []
        """Each request's headers as sent (the client redacts the key afterwards)."""

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.sent_headers.append(httpx.Headers(request.headers))
        if not self.responses:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        answer = self.responses.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer
