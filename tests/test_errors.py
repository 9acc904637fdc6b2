"""Every failure becomes a typed exception with a one-line message."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from incidentio_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    IncidentIOError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
    UnprocessableEntityError,
)
from incidentio_async.clock import VirtualClock

from client_factory import CALLS_FOLLOW_UPS_V2, FOLLOW_UP, Recorder, json_response, mock_client

pytestmark = [pytest.mark.anyio, CALLS_FOLLOW_UPS_V2]


def error_body(status: int, kind: str, *errors: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "status": status,
        "request_id": f"req-{status}",
        "errors": list(errors),
        **extra,
    }


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, APIStatusError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (500, ServerError),
        (502, ServerError),
        (503, ServerError),
        (599, ServerError),
    ],
)
async def test_status_maps_to_its_error_class(
    status: int, error_class: type[APIStatusError]
) -> None:
    answer = json_response(status, error_body(status, "some_error", {"code": "c", "message": "m"}))
    async with mock_client(Recorder(answer), max_retries=0) as client:
        with pytest.raises(error_class) as caught:
            await client.follow_ups.get("01FU")
    error = caught.value
    assert type(error) is error_class
    assert isinstance(error, IncidentIOError)
    assert error.status_code == status
    assert error.request_id == f"req-{status}"
    assert error.type == "some_error"
    assert error.response.status_code == status
    assert str(error) == f"{status} some_error: m (request_id req-{status})"


async def test_validation_errors_are_readable_by_field() -> None:
    body = error_body(
        422,
        "validation_error",
        {"code": "is_required", "message": "A title is required", "source": {"field": "title"}},
        {"code": "invalid", "message": "Unknown label", "source": {"field": "labels"}},
        {"code": "other", "message": "Something else"},
    )
    async with mock_client(Recorder(json_response(422, body))) as client:
        with pytest.raises(UnprocessableEntityError) as caught:
            await client.follow_ups.create(incident_id="01INC", title="")
    error = caught.value
    assert [(e.code, e.field) for e in error.errors] == [
        ("is_required", "title"),
        ("invalid", "labels"),
        ("other", None),
    ]
    assert error.field_errors == {"title": ["A title is required"], "labels": ["Unknown label"]}
    assert str(error) == (
        "422 validation_error: title: A title is required; labels: Unknown label; "
        "Something else (request_id req-422)"
    )


def rate_limited(retry_after_header: str | None, body_retry_after: str | None) -> httpx.Response:
    body = error_body(
        429,
        "too_many_requests",
        {"code": "too_many_requests", "message": "Too many requests hit the API too quickly."},
        rate_limit={
            "name": "ci key",
            "limit": 1200,
            "remaining": 0,
            "retry_after": body_retry_after,
        },
    )
    headers = {"Retry-After": retry_after_header} if retry_after_header else {}
    return json_response(429, body, **headers)


@pytest.mark.parametrize(
    ("header", "body_value", "expected"),
    [
        ("7", None, 7.0),
        ("2.5", "2025-04-17T11:17:18Z", 2.5),  # the header wins over the body
        (None, "RELATIVE+30", 30.0),  # RFC 3339, as the API sends today
        (None, "HTTPDATE+45", 45.0),  # HTTP date with "UTC", as it sent before
        ("HTTPDATE+12", None, 12.0),  # Retry-After as an HTTP date
        (None, "RELATIVE-30", 0.0),  # already past: retry now
        (None, None, None),
        ("soon", "later", None),  # unparseable: unknown
    ],
)
async def test_rate_limit_error_reads_retry_after_in_every_format(
    header: str | None, body_value: str | None, expected: float | None
) -> None:
    clock = VirtualClock(wall_start=1_744_888_638.0)  # 2025-04-17T11:17:18Z

    def stamp(value: str | None) -> str | None:
        import email.utils
        from datetime import UTC, datetime

        if value is None or value[:8] not in ("RELATIVE", "HTTPDATE"):
            return value
        moment = datetime.fromtimestamp(clock.time() + float(value[8:]), UTC)
        if value.startswith("RELATIVE"):
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        return email.utils.format_datetime(moment, usegmt=True).replace("GMT", "UTC")

    answer = rate_limited(stamp(header), stamp(body_value))
    no_waiting = RetryPolicy(max_retries=0, max_rate_limit_wait=0)
    # A Retry-After already past is retried at once, then given up on (the budget is 0).
    recorder = Recorder(answer, answer)
    async with mock_client(recorder, clock=clock, retry_policy=no_waiting) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.follow_ups.get("01FU")
    error = caught.value
    assert error.retry_after == expected
    assert error.rate_limit is not None
    assert (error.rate_limit.name, error.rate_limit.limit, error.rate_limit.remaining) == (
        "ci key",
        1200,
        0,
    )
    assert "\n" not in str(error)


async def test_error_body_that_is_not_json_still_gives_a_clear_error() -> None:
    answer = httpx.Response(502, text="<html>\n<h1>Bad gateway</h1>\n</html>")
    async with mock_client(Recorder(answer), max_retries=0) as client:
        with pytest.raises(ServerError) as caught:
            await client.follow_ups.get("01FU")
    assert caught.value.errors == ()
    assert str(caught.value).startswith("502 Bad Gateway: <html> <h1>Bad gateway</h1>")
    assert "\n" not in str(caught.value)


async def test_success_that_is_not_json_raises_response_validation_error() -> None:
    answer = httpx.Response(200, text="<html>proxy login</html>", headers={"X-Request-Id": "r-9"})
    async with mock_client(Recorder(answer)) as client:
        with pytest.raises(ResponseValidationError) as caught:
            await client.follow_ups.get("01FU")
    error = caught.value
    assert error.request_id == "r-9"
    assert error.snippet == "<html>proxy login</html>"
    assert str(error) == (
        "GET /v2/follow_ups/01FU returned a body that is not JSON (request_id r-9); "
        "body starts: '<html>proxy login</html>'"
    )


async def test_success_that_does_not_fit_the_schema_names_the_field() -> None:
    broken = {k: v for k, v in FOLLOW_UP.items() if k != "title"}
    async with mock_client(Recorder(json_response(200, {"follow_up": broken}))) as client:
        with pytest.raises(ResponseValidationError) as caught:
            await client.follow_ups.get("01FU")
    message = str(caught.value)
    assert "FollowUpsShowResultV2.follow_up.title: required field 'title' of FollowUpV2" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("exception", "error_class", "sent"),
    [
        (httpx.ConnectError("connection refused"), APIConnectionError, False),
        (httpx.ConnectTimeout("connect timed out"), APITimeoutError, False),
        (httpx.PoolTimeout("no free connection"), APITimeoutError, False),
        (httpx.ReadTimeout("read timed out"), APITimeoutError, True),
        (httpx.WriteTimeout("write timed out"), APITimeoutError, True),
        (httpx.ReadError("connection reset"), APIConnectionError, True),
        (httpx.RemoteProtocolError("server closed the connection"), APIConnectionError, True),
    ],
)
async def test_transport_failures_become_connection_errors(
    exception: Exception, error_class: type[APIConnectionError], sent: bool
) -> None:
    async with mock_client(Recorder(exception), max_retries=0) as client:
        with pytest.raises(error_class) as caught:
            await client.follow_ups.create(incident_id="01INC", title="t")
    error = caught.value
    assert type(error) is error_class
    assert error.request_sent is sent
    assert error.__cause__ is exception
    assert ("outcome is unknown" in str(error)) is sent
    assert str(error).startswith(f"POST /v2/follow_ups: {type(exception).__name__}")
