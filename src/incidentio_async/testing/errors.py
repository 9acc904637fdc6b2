"""Error responses in the API's documented shape.

Every error body is ``{type, status, request_id, errors: [{code, message, source?: {field}}]}``;
``source`` is present when the error is about one field of the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of ``errors``."""

    code: str
    message: str
    field: str | None = None

    def to_dict(self) -> JsonObject:
        """The entry as JSON data."""
        body: JsonObject = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["source"] = {"field": self.field}
        return body


class ApiError(Exception):
    """An error answer: handlers raise it, the app turns it into a JSON response."""

    def __init__(
        self,
        status: int,
        type: str,
        errors: Sequence[ErrorDetail],
        *,
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {type}: " + "; ".join(e.message for e in errors))
        self.status = status
        self.type = type
        self.errors = list(errors)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    def body(self, request_id: str) -> JsonObject:
        """The response body, with ``request_id`` filled in."""
        body: JsonObject = {"type": self.type, "status": self.status, "request_id": request_id}
        body.update(self.extra)
        body["errors"] = [e.to_dict() for e in self.errors]
        return body


def error_body(
    status: int,
    type: str,
    code: str,
    message: str,
    *,
    field: str | None = None,
    request_id: str | None = None,
) -> JsonObject:
    """An error body with one entry, e.g. for a scripted response.

    ``request_id`` defaults to a fresh random UUID.
    """
    error = ApiError(status, type, [ErrorDetail(code, message, field)])
    return error.body(request_id or str(uuid.uuid4()))


def validation_error(field: str, code: str, message: str) -> ApiError:
    """422 ``validation_error`` about one field of the request."""
    return ApiError(422, "validation_error", [ErrorDetail(code, message, field)])


def required(field: str, what: str) -> ApiError:
    """422 for a missing required field."""
    return validation_error(field, "is_required", f"{what} is required")


def invalid_type(field: str, expected: str) -> ApiError:
    """422 for a value of the wrong JSON type."""
    return validation_error(field, "invalid_type", f"{field} must be {expected}")


def bad_request(code: str, message: str) -> ApiError:
    """400 ``bad_request``: a body that is not JSON, or not an object."""
    return ApiError(400, "bad_request", [ErrorDetail(code, message)])


def not_found(message: str) -> ApiError:
    """404 ``not_found``: an unknown record or route."""
    return ApiError(404, "not_found", [ErrorDetail("not_found", message)])


def method_not_allowed(method: str, allowed: Sequence[str]) -> ApiError:
    """405 for a route that exists, with a method it does not take."""
    return ApiError(
        405,
        "method_not_allowed",
        [ErrorDetail("method_not_allowed", f"{method} is not allowed here")],
        headers={"Allow": ", ".join(allowed)},
    )


def missing_authorization() -> ApiError:
    """401 for a request without ``Authorization: Bearer``, as documented."""
    return ApiError(
        401,
        "authentication_error",
        [
            ErrorDetail(
                "missing_authorization_material", "No authorization material provided in request"
            )
        ],
    )


def invalid_api_key() -> ApiError:
    """401 for a bearer token that is not one of the fake's keys."""
    return ApiError(
        401,
        "authentication_error",
        [ErrorDetail("invalid_authorization_material", "The API key provided is not valid")],
    )


SERVER_ERROR_TYPES = {
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


def server_error(status: int) -> ApiError:
    """A 5xx answer, for fault injection."""
    kind = SERVER_ERROR_TYPES.get(status, "internal_error")
    return ApiError(status, kind, [ErrorDetail(kind, "Injected server error (fake incident.io)")])
