"""The one request pipeline: auth, the rate limiter, retries, options, and typed errors.

Every request of a client goes through :meth:`Pipeline.send`: the generated methods, the
pager and ``client.request`` alike.
"""

from __future__ import annotations

import gc
import math
import random
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import anyio
import httpx

from ._body import BodyDecodeError, BodyTooLarge, read_response, rebuild_response
from ._options import NO_OPTIONS, CallOptions, Timeouts
from ._redaction import redact_chain
from ._retry_after import retry_after_seconds
from ._secret import Secret
from ._status_errors import invalid_body, status_error
from ._validation import MAX_URL_LENGTH
from .clock import Clock
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    ClientClosedError,
    ErrorDetail,
    IncidentIOError,
    InvalidArgumentError,
    RateLimitError,
    RateLimitInfo,
    format_duration,
)
from .ratelimit.compat import LimiterCalls
from .ratelimit.protocol import LimitedRequest, Limiter, RateLimitBudgetExceeded
from .retries import RetryPolicy, request_may_have_been_sent
from .telemetry.instrument import CallObserver, Instrumentation

if TYPE_CHECKING:
    from ._operation import Operation

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
"""Methods the HTTP specification defines as idempotent: safe to repeat."""


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One call to send: everything but the per-attempt details (auth, timeouts)."""

    method: str
    path: str
    """Percent-encoded, relative to the base URL."""
    query: Sequence[tuple[str, str]] = ()
    body: bytes | None = None
    """JSON, already encoded."""
    idempotency_key: str | None = None
    operation: Operation[Any] | None = None
    """The operation sent (None for ``client.request``): what telemetry names the call by,
    and (its method and path template) the rate limiter's scope."""

    @property
    def scope(self) -> str | None:
        """The rate limiter's scope of this request: its operation's method and path
        template (``GET /v3/follow_ups/{id}``); ``None`` for a request of no known operation."""
        return None if self.operation is None else self.operation.limit_scope

    @property
    def retry_safe(self) -> bool:
        """Whether a retry can never make the API act twice: the method is idempotent, or an
        idempotency key in the body makes the API return the first result for a repeat."""
        return self.method in IDEMPOTENT_METHODS or self.idempotency_key is not None


class Pipeline:
    """Sends the API calls of one client; every attempt goes through the rate limiter."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: httpx.URL,
        api_key: Secret,
        headers: Mapping[str, str],
        timeouts: Timeouts,
        limiter: Limiter,
        policy: RetryPolicy,
        clock: Clock,
        rng: random.Random,
        max_response_bytes: int,
        instrument: Instrumentation | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url
        self._base_path = base_url.raw_path.decode("ascii").rstrip("/")
        self._api_key = api_key
        # Built once; each attempt copies it (cheaply: no header is parsed again).
        self._headers = httpx.Headers(headers)
        self.timeouts = timeouts
        self._limiter = LimiterCalls(limiter, clock)
        self.policy = policy
        self._clock = clock
        self._rng = rng
        self.max_response_bytes = max_response_bytes
        # What watches the calls: hooks, OpenTelemetry, the log (telemetry/).
        self._instrument = instrument or Instrumentation((), clock, base_url, api_key)
        scope_of = getattr(limiter, "scope_of", None)
        if callable(scope_of):
            self._instrument.scope_of = scope_of
        self.closed = False
        # The attempts under way, so that closing the client can stop them: a connection
        # still being set up (a TLS handshake) would otherwise keep its socket open.
        self._in_flight: set[anyio.CancelScope] = set()
        self._idle: anyio.Event | None = None

    @property
    def clock(self) -> Clock:
        """The time source of this client's waits."""
        return self._clock

    def url(self, path: str, query: Sequence[tuple[str, str]] = ()) -> httpx.URL:
        """The absolute URL of ``path`` (percent-encoded) with ``query``, kept byte for byte."""
        target = self._base_path + path
        if query:
            target += "?" + urlencode(query, quote_via=quote)
        if len(target) > MAX_URL_LENGTH:
            raise InvalidArgumentError(
                f"the request's URL would be {len(target):,} characters long; at most "
                f"{MAX_URL_LENGTH:,} are sent (shorten the ids, filters or extra_query)"
            )
        return self._base_url.copy_with(raw_path=target.encode("ascii"))

    def _build(
        self, request: ApiRequest, url: httpx.URL, options: CallOptions, timeouts: Timeouts
    ) -> httpx.Request:
        # A fresh request per attempt: the previous one has had its key redacted.
        headers = self._headers.copy()
        if options.headers:
            headers.update(options.headers)
        headers["Authorization"] = f"Bearer {self._api_key.reveal()}"
        if request.body is not None:
            headers["Content-Type"] = "application/json"
        return self._http.build_request(
            request.method, url, content=request.body, headers=headers, timeout=timeouts.phases
        )

    async def aclose(self) -> None:
        """Refuse new requests; cancel the attempts under way and wait until they stop."""
        self.closed = True
        if not self._in_flight:
            return
        if self._idle is None:  # one event for every aclose waiting (a second must not orphan it)
            self._idle = anyio.Event()
        for scope in list(self._in_flight):
            scope.cancel()
        await self._idle.wait()
        # httpcore leaves the socket of a cancelled TLS handshake to the garbage collector
        # (its clean-up handles exceptions, not cancellation): collect it now, so that no
        # connection outlives the client. Only when requests were cut short.
        gc.collect()

    def _check_open(self) -> None:
        if self.closed:
            raise ClientClosedError("this IncidentIO client is closed; create a new one")
        if self._http.is_closed:
            raise ClientClosedError("the httpx.AsyncClient given as http_client is closed")

    async def send(self, request: ApiRequest, options: CallOptions = NO_OPTIONS) -> httpx.Response:
        """Send the call, retrying as the policy allows; return the 2xx response or raise.

        A DELETE answered 404 on a retry counts as success: an earlier attempt whose answer
        was lost may be what removed the object.
        """
        callers = sys.exception()  # what the caller is handling: chained to our errors, not ours
        call = self._instrument.start(request)
        try:
            response = await self._send(request, options, call)
        except IncidentIOError as error:
            redact_chain(error, callers)
            if request.idempotency_key is not None:
                error.idempotency_key = request.idempotency_key
            call.ended(None, error)
            raise
        except BaseException as error:  # cancelled, or a bug: the call is over all the same
            call.ended(None, error)
            raise
        call.ended(response, None)
        return response

    async def _send(
        self, request: ApiRequest, options: CallOptions, call: CallObserver
    ) -> httpx.Response:
        policy = self.policy
        retries_allowed = policy.max_retries if options.max_retries is None else options.max_retries
        timeouts = options.timeouts or self.timeouts
        url = self.url(request.path, request.query)
        started = self._clock.monotonic()
        failures = 0  # retries spent on failures; being rate limited spends none
        throttled = 0  # how often the API said to slow down
        rate_limit_waited = 0.0  # 429 waits and waits in the limiter
        active = 0.0  # attempts and backoffs: what the call deadline bounds
        # A DELETE answered 404 counts as done only after an attempt that may have deleted
        # it without our hearing back.
        outcome_unknown = False
        while True:
            self._check_open()
            attempt = self._build(request, url, options, timeouts)
            deadline = min(timeouts.attempt, policy.call_deadline - active)
            if (pending := call.attempt_queued(attempt)) is not None:
                await pending  # the user's async on_request hooks
            limited = LimitedRequest(
                request.scope, policy.max_rate_limit_wait - rate_limit_waited, started
            )
            response, error, took, held = await self._attempt(
                attempt, request, deadline, limited, call
            )
            active += took
            rate_limit_waited += held
            if (pending := call.attempt_ended(response, error, took)) is not None:
                await pending
            if response is not None:
                if response.is_success:
                    return response
                if outcome_unknown and request.method == "DELETE" and response.status_code == 404:
                    return response
                # A gateway that gave up waiting does not know what the API did either.
                outcome_unknown = outcome_unknown or response.status_code in _GATEWAY_FAILURES
                assert isinstance(error, APIStatusError)
                rate_limited, retry_after = self._rate_limited(response, error, request.retry_safe)
                if rate_limited:
                    wait = policy.rate_limit_wait(
                        retry_after, rate_limit_waited, throttled, self._rng
                    )
                    if wait is None or active >= policy.call_deadline:
                        raise error
                    throttled += 1
                    rate_limit_waited += wait
                    if (pending := call.rate_limited(retry_after, wait)) is not None:
                        await pending  # the user's async on_rate_limited hooks
                    await self._retrying(call, wait, "rate limited")
                    await self._clock.sleep(wait)
                    continue
                worth_retrying = policy.retries_status(
                    response.status_code, idempotent=request.retry_safe
                )
            else:
                assert isinstance(error, APIConnectionError)
                outcome_unknown = outcome_unknown or error.request_sent
                cause = error.__cause__
                worth_retrying = isinstance(cause, Exception) and policy.retries_exception(
                    cause, idempotent=request.retry_safe
                )
            if not worth_retrying or failures >= retries_allowed:
                raise self._gave_up(error, failures + throttled + 1, started)
            delay = policy.backoff(failures, self._rng)
            if active + delay >= policy.call_deadline:
                # No time left for another attempt.
                raise self._gave_up(error, failures + throttled + 1, started)
            failures += 1
            active += delay
            await self._retrying(call, delay, f"retry {failures} of {retries_allowed}")
            await self._clock.sleep(delay)

    def _gave_up(self, error: IncidentIOError, attempts: int, started: float) -> IncidentIOError:
        """``error``; a timeout says how many attempts the call made and how long it took."""
        if isinstance(error, APITimeoutError):
            error.gave_up(attempts, self._clock.monotonic() - started)
        return error

    def _rate_limited(
        self, response: httpx.Response, error: APIStatusError, retry_safe: bool
    ) -> tuple[bool, float | None]:
        """Whether the API rate limited this request, and how long it asked to wait (None
        when it did not say)."""
        if isinstance(error, RateLimitError):
            return True, error.retry_after
        if response.status_code == 503 and retry_safe and "retry-after" in response.headers:
            return True, retry_after_seconds(response.headers, None, self._clock.time())
        return False, None

    async def _retrying(self, call: CallObserver, wait: float, which: str) -> None:
        """Count the retry, and tell the call's observers (the log, the user's hooks)."""
        self._limiter.record_retry()
        if (pending := call.retrying(wait, which)) is not None:
            await pending

    async def _attempt(
        self,
        attempt: httpx.Request,
        request: ApiRequest,
        deadline: float,
        limited: LimitedRequest,
        call: CallObserver,
    ) -> tuple[httpx.Response | None, IncidentIOError | None, float, float]:
        """One attempt: the response (and its error, if not 2xx), or a connection error; how
        long it took once the limiter let it through, and how long the limiter held it."""
        method, path = request.method, request.path
        queued = self._clock.monotonic()
        try:
            await self._limiter.acquire(limited)
        except RateLimitBudgetExceeded as exc:
            raise _budget_exceeded(exc, attempt) from None
        started = self._clock.monotonic()
        held = started - queued
        try:
            call.attempt_sending()  # the wait for the limiter ends here
            # The client may have been closed while this request waited for the limiter.
            self._check_open()
            # httpx's timeouts apply per phase: a server trickling its answer byte by byte
            # never trips the read timeout. This bounds the whole attempt, body included.
            with self._clock.fail_after(deadline) as scope:
                self._in_flight.add(scope)
                try:
                    streamed = await self._http.send(
                        attempt, auth=None, follow_redirects=False, stream=True
                    )
                    response = await read_response(streamed, self.max_response_bytes)
                finally:
                    self._in_flight.discard(scope)
                    if self._idle is not None and not self._in_flight:
                        self._idle.set()
            if self.closed and scope.cancel_called:
                raise ClientClosedError("the client was closed while this request was in flight")
        except (httpx.TransportError, httpx.DecodingError, BodyDecodeError, TimeoutError) as exc:
            took = self._clock.monotonic() - started
            return None, _connection_error(exc, method, path, deadline), took, held
        except BodyTooLarge as exc:
            if not streamed.is_success:
                # An error answer with a huge body is still that error (and may be retried):
                # only its body, unread, is left out.
                response = _head_only(streamed)
            else:
                raise invalid_body(
                    f"a body larger than the limit of {exc.limit:,} bytes (max_response_bytes)",
                    _head_only(streamed),
                ) from None
        finally:
            self._limiter.release()
            # Errors keep the response and its request: keep the key out of them (and out of
            # anything they are pickled or logged into).
            attempt.headers["Authorization"] = "Bearer [redacted]"
        took = self._clock.monotonic() - started
        if response.is_success:
            await self._limiter.record_response(
                response.status_code, response.headers, None, limited
            )
            return response, None, took, held
        status = status_error(response, now=self._clock.time())
        retry_after = status.retry_after if isinstance(status, RateLimitError) else None
        if retry_after is not None:
            # A pause longer than a call may wait would only block every later request for
            # that long; those raise at once instead when the API answers 429.
            retry_after = min(retry_after, self.policy.longest_pause)
        await self._limiter.record_response(
            response.status_code, response.headers, retry_after, limited
        )
        return response, status, took, held


_GATEWAY_FAILURES = frozenset({502, 504})


def _budget_exceeded(exc: RateLimitBudgetExceeded, attempt: httpx.Request) -> RateLimitError:
    """The error for a request the rate limiter would hold beyond the call's budget: a 429
    made here (``type`` None: not the API's), naming the scope; the API was not called."""
    request = httpx.Request(attempt.method, attempt.url)  # no headers: no key
    retry_after = None if exc.wait is None or math.isnan(exc.wait) else exc.wait
    headers = {}
    if retry_after is not None and retry_after < math.inf:  # "for ever" is no header value
        headers["Retry-After"] = f"{math.ceil(retry_after)}"
    return RateLimitError(
        response=httpx.Response(429, headers=headers, request=request),
        type=None,
        request_id=None,
        errors=(ErrorDetail("rate_limit_budget", str(exc)),),
        retry_after=retry_after,
        rate_limit=RateLimitInfo(name=exc.scope, limit=None, remaining=0, retry_after=None),
    )


def _head_only(streamed: httpx.Response) -> httpx.Response:
    """The status and headers of a response whose body was too large to keep."""
    return rebuild_response(streamed, b"")


def _connection_error(
    exc: Exception, method: str, path: str, deadline: float
) -> APIConnectionError:
    """The error for an attempt that got no usable response."""
    # A transport error can quote what the server sent, an echoed key included, and so can
    # the httpcore and h11 errors it chains to: the message is cleaned as every message is,
    # and the chain by Pipeline.send, which knows where the caller's exceptions begin.
    if isinstance(exc, TimeoutError) and not isinstance(exc, httpx.TimeoutException):
        message = f"no complete response within {format_duration(deadline)}"
    else:
        message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    timed_out = isinstance(exc, (TimeoutError, httpx.TimeoutException))
    error = (APITimeoutError if timed_out else APIConnectionError)(
        message, method=method, path=path, request_sent=request_may_have_been_sent(exc)
    )
    error.__cause__ = exc
    return error
