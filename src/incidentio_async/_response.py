"""A successful response as received, for callers who need its headers or request id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

from ._status_errors import request_id_of
from .errors import IncidentIOError

R = TypeVar("R")

_UNPARSED: object = object()


class RawResponse(Generic[R]):
    """What ``client.<resource>.with_raw_response.<method>(...)`` returns.

    Attributes:
        http_response: the ``httpx.Response`` (its request's key is redacted).
        idempotency_key: the key the call sent, for operations that take one.
    """

    __slots__ = ("_parse", "_parsed", "http_response", "idempotency_key")

    def __init__(
        self,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], R],
        *,
        idempotency_key: str | None = None,
    ) -> None:
        self.http_response = http_response
        self.idempotency_key = idempotency_key
        self._parse = parse
        self._parsed: object = _UNPARSED

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (``X-RateLimit-*`` among them)."""
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        """The API's id for this request (to quote to incident.io support), if it sent one."""
        return request_id_of(self.http_response)

    def parse(self) -> R:
        """The result the method returns without ``with_raw_response`` (parsed once).

        Raises:
            ResponseValidationError: the body does not fit the API schema.
        """
        if self._parsed is _UNPARSED:
            try:
                self._parsed = self._parse(self.http_response)
            except IncidentIOError as error:
                error.idempotency_key = self.idempotency_key
                raise
        return self._parsed  # type: ignore[return-value]

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<RawResponse {request.method} {request.url.path} {self.status_code}>"
