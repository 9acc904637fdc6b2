"""Per-call options, raw responses and ``client.request``: one pipeline for every request."""

from __future__ import annotations

import json
import warnings
from typing import Any

import httpx
import pytest

from incidentio_async import (
    APITimeoutError,
    IncidentIODeprecationWarning,
    InvalidArgumentError,
    NotFoundError,
    RateLimitError,
    ServerError,
    _deprecation,
)
from incidentio_async._catalog import operations
from incidentio_async.clock import VirtualClock
from incidentio_async.models import FollowUp, IncidentUpdate

from client_factory import (
    CALLS_FOLLOW_UPS_V2,
    FOLLOW_UP,
    Recorder,
    json_response,
    mock_client,
    update_record,
)

pytestmark = [pytest.mark.anyio, CALLS_FOLLOW_UPS_V2]

ONE = {"follow_up": FOLLOW_UP}


async def test_extra_headers_query_and_body_are_sent() -> None:
    recorder = Recorder(json_response(201, ONE))
    async with mock_client(recorder) as client:
        await client.follow_ups.create(
            incident_id="01INC",
            title="t",
            extra_headers={"X-Trace": "abc"},
            extra_query={"dry_run": True, "tag": ["a", "b"]},
            extra_body={"new_field": {"nested": 1}, "title": "overridden"},
        )
    (request,) = recorder.requests
    assert request.headers["x-trace"] == "abc"
    assert request.url.query == b"dry_run=true&tag=a&tag=b"
    assert json.loads(request.content) == {
        "incident_id": "01INC",
        "title": "overridden",
        "new_field": {"nested": 1},
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"extra_headers": {"X-Bad": "line\r\nbreak"}}, "printable ASCII"),
        ({"extra_headers": {"X-Accent": "é"}}, "printable ASCII"),
        ({"extra_headers": {"Bad Name": "x"}}, "not a valid header name"),
        ({"extra_headers": {"Authorization": "Bearer other"}}, "api_key"),
        ({"extra_query": {"x": object()}}, "extra_query"),
        ({"extra_body": {"x": object()}}, "not JSON data"),
        ({"timeout": 0}, "timeout must be a positive number"),
        ({"timeout": float("inf")}, "timeout must be a positive number"),
        ({"max_retries": -1}, "max_retries must be"),
    ],
)
async def test_bad_options_are_refused_before_any_request(
    options: dict[str, Any], message: str
) -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            await client.follow_ups.create(incident_id="01INC", title="t", **options)
    assert recorder.requests == []


async def test_extra_body_on_an_operation_without_a_body_is_refused() -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError, match="sends no request body"):
            await client.follow_ups.get("01FU", extra_body={"x": 1})
    assert recorder.requests == []


async def test_max_retries_per_call() -> None:
    recorder = Recorder(httpx.Response(503), json_response(200, ONE))
    clock = VirtualClock()
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        with pytest.raises(ServerError):
            await client.follow_ups.get("01FU", max_retries=0)
        assert len(recorder.requests) == 1
        recorder.responses[:0] = [httpx.Response(503)]
        assert (await client.follow_ups.get("01FU", max_retries=1)).id == FOLLOW_UP["id"]


async def test_a_number_timeout_bounds_the_whole_attempt() -> None:
    clock = VirtualClock()

    async def silent(request: httpx.Request) -> httpx.Response:
        await clock.sleep(30)
        raise AssertionError("unreachable")

    async with clock.running(), mock_client(silent, clock=clock, max_retries=0) as client:
        with pytest.raises(APITimeoutError, match=r"within 0\.05s"):
            await client.follow_ups.get("01FU", timeout=0.05)
        assert clock.monotonic() == pytest.approx(0.05)
        # An httpx.Timeout keeps its per-phase meaning; the attempt is bounded by the sum.
        with pytest.raises(APITimeoutError, match=r"within 0\.08s"):
            await client.follow_ups.get("01FU", timeout=httpx.Timeout(0.02))
        assert clock.monotonic() == pytest.approx(0.13)


async def test_per_call_timeout_reaches_httpx_per_phase() -> None:
    recorder = Recorder(json_response(200, ONE))
    async with mock_client(recorder) as client:
        await client.follow_ups.get("01FU", timeout=7.5)
    assert recorder.requests[0].extensions["timeout"] == httpx.Timeout(7.5).as_dict()


async def test_raw_response_carries_status_headers_request_id_and_parses() -> None:
    recorder = Recorder(
        httpx.Response(503),
        json_response(200, ONE, **{"X-Request-Id": "req-1", "X-RateLimit-Remaining": "41"}),
    )
    clock = VirtualClock()
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        raw = await client.follow_ups.with_raw_response.get("01FU")
    assert raw.status_code == 200
    assert raw.request_id == "req-1"
    assert raw.headers["x-ratelimit-remaining"] == "41"
    assert raw.http_response.request.url.path == "/v2/follow_ups/01FU"
    follow_up = raw.parse()
    assert isinstance(follow_up, FollowUp) and raw.parse() is follow_up
    assert len(recorder.requests) == 2  # the retry happened before the raw response


async def test_raw_response_of_a_delete_parses_to_none_and_errors_still_raise() -> None:
    recorder = Recorder(httpx.Response(204), json_response(404, {"type": "not_found"}))
    async with mock_client(recorder) as client:
        raw = await client.follow_ups.with_raw_response.delete("01FU")
        assert raw.status_code == 204 and raw.parse() is None
        with pytest.raises(NotFoundError):
            await client.follow_ups.with_raw_response.get("01FU")


async def test_pages_expose_their_raw_response() -> None:
    first = {
        "incident_updates": [update_record(2), update_record(1)],
        "pagination_meta": {"after": update_record(1)["id"], "page_size": 2},
    }
    second = {"incident_updates": [update_record(0)], "pagination_meta": {"page_size": 2}}
    recorder = Recorder(
        json_response(200, first, **{"X-Request-Id": "p1"}),
        json_response(200, second, **{"X-Request-Id": "p2"}),
    )
    async with mock_client(recorder) as client:
        pages = [page async for page in client.incident_updates.list(page_size=2).pages()]
    assert [page.raw_response.request_id for page in pages if page.raw_response] == ["p1", "p2"]
    assert all(isinstance(u, IncidentUpdate) for u in pages[0].items)
    assert pages[0].raw_response is not None and pages[0].raw_response.parse() == pages[0].items


async def test_list_starts_after_a_given_cursor() -> None:
    recorder = Recorder(
        json_response(
            200, {"incident_updates": [update_record(0)], "pagination_meta": {"page_size": 25}}
        )
    )
    async with mock_client(recorder) as client:
        updates = await client.incident_updates.list(after="01CURSOR").to_list()
    assert recorder.requests[0].url.params["after"] == "01CURSOR"
    assert len(updates) == 1


async def test_request_reaches_any_endpoint_through_the_pipeline() -> None:
    recorder = Recorder(
        json_response(429, {"type": "too_many_requests"}, **{"Retry-After": "1"}),
        json_response(200, {"incidents": []}),
    )
    clock = VirtualClock()
    async with clock.running(), mock_client(recorder, clock=clock) as client:
        response = await client.request(
            "get", "/v2/incidents", params={"page_size": 5, "status": ["live", "triage"]}
        )
    assert response.json() == {"incidents": []}
    request = recorder.requests[-1]
    assert request.url.raw_path == b"/v2/incidents?page_size=5&status=live&status=triage"
    assert recorder.sent_headers[-1]["authorization"].startswith("Bearer ")
    assert client.rate_limiter.stats.rate_limited == 1 and len(recorder.requests) == 2


async def test_request_does_not_retry_a_post_whose_outcome_is_unknown() -> None:
    recorder = Recorder(json_response(500, {"type": "internal_error"}))
    async with mock_client(recorder) as client:
        with pytest.raises(ServerError):
            await client.request("POST", "/v2/incidents", json={"name": "x"})
    assert len(recorder.requests) == 1
    assert json.loads(recorder.requests[0].content) == {"name": "x"}
    assert recorder.requests[0].headers["content-type"] == "application/json"


async def test_request_raises_typed_errors() -> None:
    recorder = Recorder(
        # Beyond what a call waits for the rate limit: raised at once.
        json_response(429, {"type": "too_many_requests"}, **{"Retry-After": "3600"}),
    )
    async with mock_client(recorder) as client:
        with pytest.raises(RateLimitError):
            await client.request("GET", "/v2/incidents", max_retries=0)


@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        ("GET", "https://evil.example/v2/x", "must start with a single '/'"),
        ("GET", "//evil.example/v2/x", "must start with a single '/'"),
        ("GET", "/v2/../admin", "'..'"),
        ("GET", "/v2/x?y=1", "pass the query as params="),
        ("TRACE", "/v2/x", "method must be one of"),
        ("GET", 5, "path must be a string"),
    ],
)
async def test_request_refuses_paths_that_could_leave_the_api(
    method: str, path: Any, message: str
) -> None:
    recorder = Recorder()
    async with mock_client(recorder) as client:
        with pytest.raises(InvalidArgumentError, match=message):
            await client.request(method, path)
    assert recorder.requests == []


async def test_request_encodes_what_a_url_cannot_carry() -> None:
    recorder = Recorder(json_response(200, {}))
    async with mock_client(recorder) as client:
        await client.request("GET", "/v2/things/a b%2Fc/é")
    assert recorder.requests[0].url.raw_path == b"/v2/things/a%20b%2Fc/%C3%A9"


def deprecated_operation() -> Any:
    return next((op for op in operations() if op.deprecation and op.name == "list"), None)


async def test_deprecated_operations_warn_once_with_our_own_filterable_class() -> None:
    operation = deprecated_operation()
    if operation is None:
        pytest.fail("the vendored specs mark no operation deprecated")
    assert issubclass(IncidentIODeprecationWarning, DeprecationWarning)
    _deprecation._warned.discard(operation.id)
    recorder = Recorder(*[json_response(200, {"follow_ups": []})] * 3)
    async with mock_client(recorder) as client:
        method = getattr(getattr(client, operation.resource), operation.name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with (
                pytest.raises(IncidentIODeprecationWarning, match="31 December 2026"),
                warnings.catch_warnings(),
            ):
                warnings.filterwarnings("error", category=IncidentIODeprecationWarning)
                await method()
            await method()
            await method()
        ours = [w for w in caught if issubclass(w.category, IncidentIODeprecationWarning)]
        assert len(ours) == 1
        assert ours[0].filename == __file__  # it points at the caller's line
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=IncidentIODeprecationWarning)
            warnings.filterwarnings("error")
            await method()


async def test_the_default_timeout_bounds_an_attempt_by_30_seconds() -> None:
    clock = VirtualClock()

    async def silent(request: httpx.Request) -> httpx.Response:
        await clock.sleep(3600)
        raise AssertionError("unreachable")

    async with clock.running(), mock_client(silent, clock=clock, max_retries=0) as client:
        with pytest.raises(APITimeoutError, match="within 30s"):
            await client.follow_ups_v3.get("01FU")
    assert clock.monotonic() == pytest.approx(30)
    assert client._pipeline.timeouts.phases.connect == 10
