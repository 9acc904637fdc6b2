"""The request and response objects the fake's handlers work with (not ASGI messages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from incidentio_async.testing.records import ApiKey, dumps
from incidentio_async.testing.spec_check import json_object


@dataclass
class Request:
    """A request as the handlers see it: decoded, with the route's path parameters."""

    method: str
    path: str
    """Decoded."""
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-case names; repeated headers joined with ``, ``."""
    body: bytes
    raw_path: str = ""
    """As received, percent-encoded: what routing splits."""
    path_params: dict[str, str] = field(default_factory=dict)
    api_key: ApiKey | None = None
    """The key the request authenticated with (set before a handler runs)."""
    json: dict[str, Any] | None = None
    """The body as a JSON object, once read (the spec check reads it before a handler runs)."""

    def json_body(self) -> dict[str, Any]:
        """The body as a JSON object, read once.

        Raises:
            ApiError: 400 for a body that is not a JSON object.
        """
        if self.json is None:
            self.json = json_object(self.body)
        return self.json


@dataclass
class Response:
    """A response to send: status, body bytes and extra headers."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "application/json"
    request_id: str | None = None
    """The ``request_id`` of an error body."""

    @classmethod
    def json(cls, status: int, value: Any) -> Response:
        """A JSON response."""
        return cls(status, dumps(value))

    @classmethod
    def empty(cls, status: int = 204) -> Response:
        """A response without a body (``204 No Content``)."""
        return cls(status, b"", content_type=None)
