"""Turn an error response into the matching :class:`~incidentio_async.errors.APIStatusError`."""

from __future__ import annotations

import json
from typing import Any

import httpx

from ._redaction import scrub_response
from ._retry_after import retry_after_seconds
from .errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RateLimitInfo,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
}


def json_of(response: httpx.Response) -> Any:
    """The response body as JSON, or ResponseValidationError."""
    try:
        return json.loads(response.content)
    except (ValueError, RecursionError):
        pass
    # Raised outside the except block: the decoding error (which keeps the whole body, an
    # echoed key included) must not become its context.
    raise invalid_body("a body that is not JSON", response)


def invalid_body(problem: str, response: httpx.Response) -> ResponseValidationError:
    """The error for a successful ``response`` whose body cannot be used (``problem`` says
    why)."""
    return ResponseValidationError(problem, response=response, request_id=request_id_of(response))


MAX_BODY_DEPTH = 64
"""How deeply an error body may nest and still be kept decoded (``error.body``): ``repr``,
``pickle`` and ``copy`` recurse through it, so a body nested hundreds of levels deep would make
the error itself fail to print or to cross a process pool. The API's errors nest four levels."""


def json_body(response: httpx.Response) -> Any:
    """The response body as JSON, or None when it is not JSON (error bodies may be HTML) or
    nests deeper than :data:`MAX_BODY_DEPTH`."""
    try:
        body = json_of(response)
    except ResponseValidationError:
        return None
    return body if _nests_within(body, MAX_BODY_DEPTH) else None


def _nests_within(value: Any, limit: int) -> bool:
    """Whether ``value`` holds no list or object more than ``limit`` levels deep (iteratively:
    the depth is what is in question)."""
    pending = [(value, 1)]
    while pending:
        current, depth = pending.pop()
        if isinstance(current, dict):
            current = list(current.values())
        if isinstance(current, list):
            if depth > limit:
                return False
            pending += [(item, depth + 1) for item in current]
    return True


def request_id_of(response: httpx.Response, body: Any = None) -> str | None:
    """The API's request id: from an error body, else a request-id header."""
    if isinstance(body, dict) and isinstance(body.get("request_id"), str):
        return str(body["request_id"])
    header: str | None = response.headers.get("x-request-id")
    return header


def _details(body: Any) -> tuple[ErrorDetail, ...]:
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return ()
    details = []
    for error in body["errors"]:
        if not isinstance(error, dict):
            continue
        source = error.get("source")
        field = source.get("field") if isinstance(source, dict) else None
        details.append(
            ErrorDetail(
                code=str(error.get("code", "")),
                message=str(error.get("message", "")),
                field=str(field) if field is not None else None,
            )
        )
    return tuple(details)


def _rate_limit_info(body: Any) -> RateLimitInfo | None:
    if not isinstance(body, dict) or not isinstance(body.get("rate_limit"), dict):
        return None
    info = body["rate_limit"]

    def number(key: str) -> int | None:
        value = info.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    name, retry_after = info.get("name"), info.get("retry_after")
    return RateLimitInfo(
        name=name if isinstance(name, str) else None,
        limit=number("limit"),
        remaining=number("remaining"),
        retry_after=retry_after if isinstance(retry_after, str) else None,
    )


def status_error(response: httpx.Response, now: float) -> APIStatusError:
    """The error for a non-2xx ``response``; ``now`` (unix seconds) dates ``retry_after``.

    Everything the error says comes from a copy of the response without the API key."""
    response = scrub_response(response)
    body = json_body(response)
    kind = body.get("type") if isinstance(body, dict) else None
    fields: dict[str, Any] = {
        "response": response,
        "type": kind if isinstance(kind, str) else None,
        "request_id": request_id_of(response, body),
        "errors": _details(body),
        "body": body,
    }
    status = response.status_code
    if status == 429:
        return RateLimitError(
            retry_after=retry_after_seconds(response.headers, body, now),
            rate_limit=_rate_limit_info(body),
            **fields,
        )
    if status >= 500:
        return ServerError(**fields)
    return _BY_STATUS.get(status, APIStatusError)(**fields)
