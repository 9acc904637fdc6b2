"""Every error the client raises. Methods raise; they never return None or an error object.

::

    IncidentIOError
    ├── ConfigurationError        bad constructor arguments, no API key
    ├── InvalidArgumentError      a method argument refused before any request
    ├── ClientClosedError         the client was used after aclose()
    ├── PaginationError           the API broke its pagination (repeats, unusable cursors)
    ├── APIStatusError            the API answered with an error status
    │   ├── BadRequestError            400
    │   ├── AuthenticationError        401
    │   ├── PermissionDeniedError      403
    │   ├── NotFoundError              404
    │   ├── ConflictError              409
    │   ├── UnprocessableEntityError   422 (field errors in ``errors``)
    │   ├── RateLimitError             429 (``retry_after``, ``rate_limit``)
    │   └── ServerError                5xx
    ├── APIConnectionError        no answer (``request_sent`` says if it may have arrived)
    │   └── APITimeoutError       also a builtin TimeoutError
    └── ResponseValidationError   a 2xx whose body is not JSON or does not fit the schema
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import httpx

from ._printable import one_line
from ._redaction import scrub_response
from ._secret import redact_json

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ErrorDetail",
    "IncidentIOError",
    "InvalidArgumentError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "ResponseValidationError",
    "ServerError",
    "UnprocessableEntityError",
]


def format_duration(seconds: float) -> str:
    """A wait as people read it: ``1.5s``, ``4 min``, ``3.2 h``, ``31.7 years``, ``forever``."""
    if math.isnan(seconds) or seconds == math.inf:
        return "forever"
    for size, unit in ((365.25 * 86_400, " years"), (86_400, " days"), (3600, " h"), (60, " min")):
        if seconds >= 2 * size:
            return f"{seconds / size:.3g}{unit}"
    return f"{seconds:.3g}s"


MESSAGE_LIMIT = 300
"""The longest message quoting what a server sent."""


class IncidentIOError(Exception):
    """Base class of every error raised by this client.

    No error ever holds the API key: every message is redacted as it is made, and a response
    kept by an error is a copy with the key (echoed back by a server or proxy) replaced.
    Every message is one printable line: control characters a server sent are escaped.

    Attributes:
        idempotency_key: the key a call with an idempotency key sent (None otherwise):
            call again with the same key to retry without acting twice.
        resume_after: set when the error ended a paginated iteration: the cursor from which
            ``list(..., after=resume_after)`` continues with the first record not yet yielded
            (None: from the start).
    """

    idempotency_key: str | None = None
    resume_after: str | None = None

    def __init__(self, *args: object) -> None:
        super().__init__(*(one_line(arg) if isinstance(arg, str) else arg for arg in args))

    def __reduce__(self) -> tuple[Any, ...]:
        # The subclasses take keyword-only arguments, which the default pickling (calling the
        # class with ``args``) cannot supply; errors must cross process pools intact.
        return (_restore_error, (type(self), str(self), dict(self.__dict__)))


def _restore_error(
    error_class: type[IncidentIOError], message: str, state: dict[str, Any]
) -> IncidentIOError:
    error = error_class.__new__(error_class)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ConfigurationError(IncidentIOError, ValueError):
    """The client was constructed with missing or invalid settings."""


class InvalidArgumentError(IncidentIOError, ValueError):
    """A method argument was refused before any request was sent."""


class ClientClosedError(IncidentIOError, RuntimeError):
    """The client was used after :meth:`~incidentio_async.IncidentIO.aclose`."""


class PaginationError(IncidentIOError):
    """The API's pagination went wrong: a cursor it had already returned (iterating further
    would loop forever), an empty cursor or one the client cannot send back, a record it had
    sent long before, or page after page of nothing new. ``resume_after`` is a cursor
    ``list(after=...)`` accepts."""


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of an error response's ``errors`` list."""

    code: str
    message: str
    field: str | None = None
    """The request field the error is about (``source.field``), if the API named one."""

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


@dataclass(frozen=True)
class RateLimitInfo:
    """The ``rate_limit`` object of a 429 body."""

    name: str | None
    limit: int | None
    remaining: int | None
    retry_after: str | None
    """The timestamp as the API sent it (RFC 3339 or an HTTP date)."""


class APIStatusError(IncidentIOError):
    """The API answered with a non-2xx status.

    Attributes:
        status_code: the HTTP status.
        type: the error ``type`` from the body, e.g. ``validation_error``.
        request_id: the API's request id, to quote to incident.io support.
        errors: the individual errors (code, message, field).
        response: the ``httpx.Response``.
    """

    def __init__(
        self,
        *,
        response: httpx.Response,
        type: str | None,
        request_id: str | None,
        errors: tuple[ErrorDetail, ...],
        body: Any = None,
    ) -> None:
        self.response = response = scrub_response(response)
        self.status_code = response.status_code
        self.type = type
        self.request_id = request_id
        self.errors = errors
        self.body = redact_json(body)
        super().__init__(self._describe())

    def _describe(self) -> str:
        kind = self.type or self.response.reason_phrase or "error"
        text = f"{self.status_code} {kind}"
        if self.errors:
            text += ": " + "; ".join(str(error) for error in self.errors)
        elif self.body is None and self.response.content:
            text += f": {self.response.content[:120].decode('utf-8', 'replace')}"
        if self.request_id:
            text += f" (request_id {self.request_id})"
        return one_line(text, MESSAGE_LIMIT)


class BadRequestError(APIStatusError):
    """400: the request was malformed."""


class AuthenticationError(APIStatusError):
    """401: the API key is missing, wrong or revoked."""


class PermissionDeniedError(APIStatusError):
    """403: the API key lacks the scope this operation needs."""


class NotFoundError(APIStatusError):
    """404: no such object (or route)."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the object's current state."""


class UnprocessableEntityError(APIStatusError):
    """422: validation failed; ``errors`` says which fields and why."""

    @property
    def field_errors(self) -> dict[str, list[str]]:
        """Messages by request field, for mapping onto a form."""
        fields: dict[str, list[str]] = {}
        for error in self.errors:
            if error.field:
                fields.setdefault(error.field, []).append(error.message)
        return fields


class RateLimitError(APIStatusError):
    """429: the API key's rate limit is exhausted.

    Attributes:
        retry_after: seconds to wait before retrying, from ``Retry-After`` or the body.
        rate_limit: the body's ``rate_limit`` object (name, limit, remaining), if any.
    """

    def __init__(
        self,
        *,
        retry_after: float | None,
        rate_limit: RateLimitInfo | None,
        **kwargs: Any,
    ) -> None:
        self.retry_after = retry_after
        self.rate_limit = rate_limit
        super().__init__(**kwargs)

    def _describe(self) -> str:
        text = super()._describe()
        if self.retry_after is not None:
            text += f"; retry after {format_duration(self.retry_after)}"
        return text


class ServerError(APIStatusError):
    """5xx: incident.io failed to handle the request."""


class APIConnectionError(IncidentIOError):
    """No response was received.

    Attributes:
        request_sent: False when the request surely never reached the API (connection refused,
            DNS failure, pool timeout); True when it may have arrived and been acted on.
    """

    def __init__(self, message: str, *, method: str, path: str, request_sent: bool) -> None:
        self.method = method
        self.path = path
        self.request_sent = request_sent
        outcome = (
            "the request may have reached incident.io; its outcome is unknown"
            if request_sent
            else "the request was not sent"
        )
        super().__init__(one_line(f"{method} {path}: {message} ({outcome})", MESSAGE_LIMIT))


class APITimeoutError(APIConnectionError, TimeoutError):
    """The request timed out (see ``request_sent`` for whether it may have arrived).

    Also a builtin :class:`TimeoutError`, so ``except TimeoutError`` catches it.

    Attributes:
        attempts: how many attempts the call made before it gave up (retries included).
        elapsed: seconds from the start of the call until it gave up, backoffs included
            (None until the call has given up).
    """

    attempts: int = 1
    elapsed: float | None = None

    def gave_up(self, attempts: int, elapsed: float) -> None:
        """Record that the call gave up after ``attempts`` attempts and ``elapsed`` seconds
        in all, and say so at the end of the message."""
        self.attempts = attempts
        self.elapsed = elapsed
        noun = "attempt" if attempts == 1 else "attempts"
        self.args = (f"{self}; gave up after {attempts} {noun} in {format_duration(elapsed)}",)


class ResponseValidationError(IncidentIOError):
    """A successful response whose body is not JSON or does not fit the schema.

    Attributes:
        status_code: the HTTP status.
        request_id: the request id header, if the response carried one.
        snippet: the start of the body.
    """

    def __init__(self, reason: str, *, response: httpx.Response, request_id: str | None) -> None:
        self.response = response = scrub_response(response)
        self.status_code = response.status_code
        self.request_id = request_id
        self.snippet = _snippet(response.content)
        text = f"{response.request.method} {response.request.url.path} returned {reason}"
        if request_id:
            text += f" (request_id {request_id})"
        text += f"; body starts: {self.snippet[:120]!r}"
        super().__init__(one_line(text, MESSAGE_LIMIT))


def _snippet(content: bytes) -> str:
    """The start of a body as text, read in the encoding JSON would read it in (UTF-16 and
    UTF-32 bodies are JSON too)."""
    start = content[:800]
    try:
        encoding = json.detect_encoding(start)
    except (TypeError, ValueError):
        encoding = "utf-8"
    return start.decode(encoding, "replace")[:200]
