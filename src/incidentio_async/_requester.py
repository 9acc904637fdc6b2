"""Send one API call: auth, the rate limiter, retries, and errors instead of bad responses."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Mapping
from typing import Any, TypeVar

import anyio
import httpx

from incidentio_api.errors import ModelParseError

from ._retry_after import retry_after_seconds
from ._secret import Secret
from ._status_errors import json_of, request_id_of, status_error
from .clock import Clock
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    IncidentIOError,
    RateLimitError,
    ResponseValidationError,
)
from .ratelimit.protocol import Limiter
from .retries import RetryPolicy, request_may_have_been_sent

logger = logging.getLogger("incidentio_async")

M = TypeVar("M")

_IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


class Requester:
    """Sends API calls for one client; every attempt goes through the rate limiter."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: httpx.URL,
        api_key: Secret,
        headers: Mapping[str, str],
        timeout: httpx.Timeout,
        limiter: Limiter,
        policy: RetryPolicy,
        clock: Clock,
        rng: random.Random,
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._base_path = base_url.raw_path.decode("ascii").rstrip("/")
        self._api_key = api_key
        self._headers = dict(headers)
        self._timeout = timeout
        self._attempt_deadline = sum(
            part or 0.0 for part in (timeout.connect, timeout.read, timeout.write, timeout.pool)
        )
        self.limiter = limiter
        self.policy = policy
        self._clock = clock
        self._rng = rng
        self.closed = False

    def _url(self, path: str) -> httpx.URL:
        # ``path`` comes percent-encoded from the generated client; keep it byte for byte.
        return self._base_url.copy_with(raw_path=(self._base_path + path).encode("ascii"))

    def _build(
        self, method: str, path: str, params: Mapping[str, Any] | None, content: bytes | None
    ) -> httpx.Request:
        # A fresh request per attempt: the previous one has had its key redacted.
        headers = httpx.Headers(self._headers)
        headers["Authorization"] = f"Bearer {self._api_key.reveal()}"
        if content is not None:
            headers["Content-Type"] = "application/json"
        return self._http.build_request(
            method,
            self._url(path),
            params=params,
            content=content,
            headers=headers,
            timeout=self._timeout,
        )

    def _check_open(self) -> None:
        if self.closed:
            raise ClientClosedError("this IncidentIO client is closed; create a new one")
        if self._http.is_closed:
            raise ClientClosedError("the httpx.AsyncClient given as http_client is closed")

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        max_retries: int | None = None,
        gone_is_done: bool = False,
    ) -> httpx.Response:
        """Send the call, retrying as the policy allows; return the 2xx response or raise.

        ``gone_is_done``: a 404 answering a retry counts as success. For a DELETE, an
        earlier attempt whose answer was lost may be what removed the object.
        """
        method = method.upper()
        retries_allowed = self.policy.max_retries if max_retries is None else max_retries
        idempotent = method in _IDEMPOTENT
        content = None if json_body is None else json.dumps(json_body).encode()
        retry = 0
        while True:
            self._check_open()
            request = self._build(method, path, params, content)
            response, error = await self._attempt(request, method, path)
            retry_after: float | None = None
            if response is not None:
                if response.is_success or (
                    gone_is_done and retry > 0 and response.status_code == 404
                ):
                    return response
                assert isinstance(error, APIStatusError)
                if isinstance(error, RateLimitError):
                    retry_after = error.retry_after
                elif response.status_code == 503 and "retry-after" in response.headers:
                    retry_after = retry_after_seconds(response.headers, None, self._clock.time())
                worth_retrying = self.policy.retries_status(
                    response.status_code, idempotent=idempotent
                )
            else:
                assert isinstance(error, APIConnectionError)
                cause = error.__cause__
                worth_retrying = isinstance(cause, Exception) and self.policy.retries_exception(
                    cause, idempotent=idempotent
                )
            delay = (
                self.policy.delay(retry, retry_after, self._rng)
                if worth_retrying and retry < retries_allowed
                else None
            )
            if delay is None:
                raise error
            retry += 1
            logger.info(
                "Retrying %s %s in %.2fs after %s (retry %d of %d)",
                method,
                path,
                delay,
                _reason(response, error),
                retry,
                retries_allowed,
            )
            self.limiter.record_retry()
            await self._clock.sleep(delay)

    async def _attempt(
        self, request: httpx.Request, method: str, path: str
    ) -> tuple[httpx.Response | None, IncidentIOError | None]:
        """One attempt: the response (and its error, if not 2xx), or a connection error."""
        await self.limiter.acquire()
        started = self._clock.monotonic()
        try:
            # The client may have been closed while this request waited for the limiter.
            self._check_open()
            # httpx's timeouts apply per phase: a server trickling its answer byte by byte
            # never trips the read timeout. This bounds the whole attempt.
            with anyio.fail_after(self._attempt_deadline):
                response = await self._http.send(request, auth=None, follow_redirects=False)
        except (httpx.TransportError, httpx.DecodingError, TimeoutError) as exc:
            return None, _connection_error(exc, method, path, self._attempt_deadline)
        finally:
            self.limiter.release()
            # Errors keep the response and its request: keep the key out of them (and out of
            # anything they are pickled or logged into).
            request.headers["Authorization"] = "Bearer [redacted]"
        logger.debug(
            "%s %s -> %d (%.3fs)",
            method,
            path,
            response.status_code,
            self._clock.monotonic() - started,
        )
        if response.is_success:
            await self.limiter.record_response(response.status_code, response.headers, None)
            return response, None
        status = status_error(response, now=self._clock.time())
        retry_after = status.retry_after if isinstance(status, RateLimitError) else None
        if retry_after is not None:
            # A pause longer than this client would wait for would only block every later
            # request for that long; those raise at once instead when the API answers 429.
            retry_after = min(retry_after, self.policy.max_retry_after)
        await self.limiter.record_response(response.status_code, response.headers, retry_after)
        return response, status

    async def request_model(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        max_retries: int | None = None,
    ) -> M:
        """Send the call and parse its body into ``model``."""
        response = await self.request(
            method, path, params=params, json_body=json_body, max_retries=max_retries
        )
        return parse_model(model, response)


def model_from(model: type[M], data: Any, response: httpx.Response) -> M:
    """``model.from_dict(data)`` for ``response``'s body, or ResponseValidationError."""
    try:
        return model.from_dict(data)  # type: ignore[attr-defined,no-any-return]
    except ModelParseError as exc:
        raise ResponseValidationError(
            f"a body that does not fit the API schema: {exc}",
            response=response,
            request_id=request_id_of(response),
        ) from exc


def parse_model(model: type[M], response: httpx.Response) -> M:
    """The response body parsed into ``model``, or ResponseValidationError."""
    return model_from(model, json_of(response), response)


def _connection_error(
    exc: Exception, method: str, path: str, deadline: float
) -> APIConnectionError:
    """The error for an attempt that got no usable response."""
    if isinstance(exc, TimeoutError) and not isinstance(exc, httpx.TimeoutException):
        message = f"no complete response within {deadline:g}s"
    else:
        message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    timed_out = isinstance(exc, (TimeoutError, httpx.TimeoutException))
    error = (APITimeoutError if timed_out else APIConnectionError)(
        message, method=method, path=path, request_sent=request_may_have_been_sent(exc)
    )
    error.__cause__ = exc
    logger.debug("%s %s failed: %s", method, path, type(exc).__name__)
    return error


def _reason(response: httpx.Response | None, error: IncidentIOError) -> str:
    if response is not None:
        kind = error.type if isinstance(error, APIStatusError) and error.type else ""
        return f"{response.status_code} {kind}".strip()
    cause = error.__cause__
    return type(cause).__name__ if cause is not None else type(error).__name__
