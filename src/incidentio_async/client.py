"""The client users construct: configuration, the HTTP connection pool and the resources."""

from __future__ import annotations

import functools
import ipaddress
import os
import random
import sys
from collections.abc import Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

import httpx

from incidentio_api.resources import Resources

from ._arguments import encode_json, query_pairs
from ._body import ACCEPT_ENCODING, DEFAULT_MAX_RESPONSE_BYTES, SUPPORTED_CODINGS
from ._log_redaction import redact_library_logs
from ._options import Timeout, Timeouts, call_options, checked_headers, timeouts_of
from ._secret import Secret
from ._validation import check_str, has_control_characters
from ._version import __version__
from .clock import SYSTEM_CLOCK, Clock
from .errors import ConfigurationError, InvalidArgumentError
from .ratelimit import Limiter, shared_rate_limiter
from .telemetry import logs

if TYPE_CHECKING:
    # Annotations only: the request machinery comes with the first client, the events with
    # the hooks (telemetry.hooks).
    from ._pipeline import Pipeline
    from .retries import RetryPolicy
    from .telemetry.events import Hook, RateLimitedEvent, RequestEvent, ResponseEvent, RetryEvent
    from .telemetry.instrument import Consumer
    from .telemetry.otel import OpenTelemetry

if TYPE_CHECKING:
    from .webhooks.refetch import Webhooks

DEFAULT_BASE_URL = "https://api.incident.io"
API_KEY_ENV = "INCIDENT_API_KEY"
BASE_URL_ENV = "INCIDENT_API_BASE_URL"

#: Never "no timeout": a hung connection must not hang the caller.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
"""30 seconds for an attempt, from sending to the last byte; 10 of them at most to connect."""
_DEFAULT_TIMEOUTS = Timeouts(DEFAULT_TIMEOUT, attempt=30.0)
DEFAULT_MAX_RETRIES = 3
#: Enough connections for the limiter's default concurrency.
DEFAULT_LIMITS = httpx.Limits(max_connections=64, max_keepalive_connections=32)

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}

# What platform.python_version() says, without importing platform for it.
_PYTHON_VERSION = ".".join(str(part) for part in sys.version_info[:3])


_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})


class IncidentIO(Resources):
    """Async client for the incident.io API.

    ::

        async with IncidentIO() as client:          # key from INCIDENT_API_KEY
            async for follow_up in client.follow_ups_v3.list(page_size=250):
                ...
            follow_up = await client.follow_ups_v3.get("01H...")

    Each API tag is a resource attribute (``follow_ups_v3``, ``incident_updates_v2``, ...)
    with a method per operation; :meth:`request` reaches any other endpoint through the same
    auth, rate limiting, retries and errors.

    Args:
        api_key: the API key; defaults to the ``INCIDENT_API_KEY`` environment variable.
        base_url: defaults to the ``http_client``'s ``base_url`` if it has one, else
            ``INCIDENT_API_BASE_URL``, else ``https://api.incident.io``.
            Plain ``http://`` is refused except to a loopback host, unless
            ``allow_insecure_http=True``.
        timeout: seconds for each request attempt, from sending to the last byte of the
            answer (default 30, of which at most 10 to connect); or an ``httpx.Timeout`` with
            a limit per phase (connect, write, read, pool), the attempt then bounded by their
            sum. An ``http_client``'s own timeout applies when this is not given. Each method
            also takes ``timeout``.
        max_retries: retries after a failed attempt (default 3; see :class:`RetryPolicy`);
            each method also takes ``max_retries``.
        http_client: an ``httpx.AsyncClient`` to send through (for proxies, custom TLS, ...);
            you close it yourself. Its ``base_url``, ``timeout`` and the headers you set on it
            are used unless this constructor is given ``base_url``, ``timeout`` or ``headers``
            (which take precedence, header by header). It keeps this client's auth (the API
            key; never its ``auth`` or ``Authorization``), ``Accept-Encoding`` (only codings
            inflated under ``max_response_bytes``), rate limiting and retries, and redirects
            are never followed (the key must not go elsewhere).
        transport: an httpx transport for the client this object creates (e.g.
            ``httpx.ASGITransport`` to talk to an in-process app).
        rate_limiter: the limiter every request passes through. None (the default) shares
            one limiter per API key within the process, with the API's documented limits.
        retry_policy: full control over retries (``max_retries`` is a shortcut).
        headers: extra headers for every request (over the ``http_client``'s, name by name).
        clock: the time source for waits (tests pass a virtual clock).
        allow_insecure_http: allow ``http://`` to a non-loopback host.
        max_response_bytes: the largest response body accepted, once decompressed (default
            32 MiB); a larger one is a ``ResponseValidationError`` without reading the rest.
        telemetry: ``OpenTelemetry()`` (from ``incidentio_async.telemetry``; the ``otel``
            extra) for a span per call and metrics of requests, retries and rate limits.
        on_request, on_response, on_retry, on_rate_limited: hooks, sync or async, called
            with a small event (``incidentio_async.telemetry.RequestEvent``, ...) before each
            attempt, after each attempt, before each retry, and when the API rate limits a
            request. A hook that raises is logged; the call goes on.
    """

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        rate_limiter: Limiter | None = None,
        retry_policy: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        allow_insecure_http: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        telemetry: OpenTelemetry | None = None,
        on_request: Hook[RequestEvent] | None = None,
        on_response: Hook[ResponseEvent] | None = None,
        on_retry: Hook[RetryEvent] | None = None,
        on_rate_limited: Hook[RateLimitedEvent] | None = None,
    ) -> None:
        key = _api_key(api_key)
        redact_library_logs()
        logs.add_call_fields()
        self._api_key = key
        if http_client is not None and transport is not None:
            raise ConfigurationError("pass http_client or transport, not both")
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise ConfigurationError("http_client must be an httpx.AsyncClient")
        self.base_url = _base_url(base_url, http_client, allow_insecure_http=allow_insecure_http)
        policy = _retry_policy(max_retries, retry_policy)
        timeouts = _timeouts(timeout, http_client)
        default_headers = _default_headers(headers, http_client)
        self._owns_http = http_client is None
        # A client of our own carries the headers of every request itself, so that a request
        # adds only its key (httpx merges a request's headers into the client's one by one,
        # replacing its defaults each time). A caller's client is left as it is: our headers
        # go with each request.
        self._http = http_client or httpx.AsyncClient(
            transport=transport,
            limits=DEFAULT_LIMITS,
            follow_redirects=False,
            headers=default_headers,
        )
        self.rate_limiter: Limiter = _rate_limiter(rate_limiter, key)
        clock = clock or SYSTEM_CLOCK
        hooks = {
            "on_request": on_request,
            "on_response": on_response,
            "on_retry": on_retry,
            "on_rate_limited": on_rate_limited,
        }
        consumers = _consumers(telemetry, hooks, self.rate_limiter)
        # The request machinery comes with the first client, not with the package: a library
        # that imports this one for its names pays for none of it.
        from ._pipeline import Pipeline
        from .telemetry.instrument import Instrumentation

        self._pipeline: Pipeline = Pipeline(
            http=self._http,
            base_url=self.base_url,
            api_key=key,
            headers=default_headers if http_client is not None else {},
            timeouts=timeouts,
            limiter=self.rate_limiter,
            policy=policy,
            clock=clock,
            rng=random.Random(),
            max_response_bytes=_max_response_bytes(max_response_bytes),
            instrument=Instrumentation(consumers, clock, self.base_url, key),
        )

    @cached_property
    def webhooks(self) -> Webhooks:
        """Webhook helpers that use this client: ``await client.webhooks.refetch(event)``
        (see :mod:`incidentio_async.webhooks` for receiving them)."""
        from .webhooks.refetch import Webhooks

        return Webhooks(self)

    @property
    def is_closed(self) -> bool:
        """Whether :meth:`aclose` has been called."""
        return self._pipeline.closed

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,  # noqa: ASYNC109  (the name every SDK uses)
        max_retries: int | None = None,
    ) -> httpx.Response:
        """Call any endpoint of the API, for one this client does not wrap yet::

            response = await client.request("GET", "/v2/incidents", params={"page_size": 5})
            incidents = response.json()["incidents"]

        The request goes through the same auth, rate limiter, retries and errors as every
        method: a 2xx response is returned, anything else raises the matching
        :class:`~incidentio_async.errors.APIStatusError`. GET, PUT and DELETE are retried like
        the methods; POST and PATCH only when the API surely did not act (a 429, or a
        connection that failed before the request was sent).

        Args:
            method: ``GET``, ``POST``, ``PUT``, ``PATCH`` or ``DELETE``.
            path: the path under the base URL, e.g. ``/v2/incidents/01H...``; characters that
                cannot appear in a URL are percent-encoded, ``%`` escapes are kept.
            params: query parameters (strings, numbers, booleans, or lists of them).
            json: the JSON body.
            headers, timeout, max_retries: as for every method's ``extra_headers``,
                ``timeout`` and ``max_retries``.
        """
        verb = method.upper() if isinstance(method, str) else method
        if verb not in _METHODS:
            raise InvalidArgumentError(
                f"method must be one of {', '.join(sorted(_METHODS))}, not {method!r}"
            )
        options = call_options(headers, timeout, max_retries)
        query = [] if params is None else query_pairs(params, "params")
        body = None if json is None else encode_json(json, "json")
        from ._pipeline import ApiRequest

        request = ApiRequest(verb, _request_path(path), query, body)
        return await self._pipeline.send(request, options)

    async def aclose(self) -> None:
        """Close the connection pool (unless it is a user-supplied ``http_client``) and the
        rate limiter's connection to a shared backend, if it has one (it reconnects when
        another client uses it). Requests still under way fail with ``ClientClosedError``
        and leave no connection open."""
        await self._pipeline.aclose()
        if self._owns_http:
            await self._http.aclose()
        close_limiter = getattr(self.rate_limiter, "aclose", None)
        if callable(close_limiter):
            await close_limiter()

    async def __aenter__(self) -> IncidentIO:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        # Never raises, even for a client whose constructor failed half way.
        base_url = getattr(self, "base_url", None)
        pipeline = getattr(self, "_pipeline", None)
        state = " closed" if pipeline is not None and pipeline.closed else ""
        return f"<IncidentIO base_url={str(base_url)!r}{state}>"


def _api_key(api_key: str | None) -> Secret:
    value = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if value is None or value == "":
        raise ConfigurationError(
            f"no incident.io API key: pass api_key=... or set the {API_KEY_ENV} environment "
            "variable (create a key under Settings → API keys in the dashboard)"
        )
    if not isinstance(value, str):
        raise ConfigurationError(f"api_key must be a string, not {type(value).__name__}")
    if value != value.strip() or any(ord(char) < 0x21 or ord(char) == 0x7F for char in value):
        # Said without the key itself: it must never reach a message.
        raise ConfigurationError("api_key contains whitespace or control characters")
    if not value.isascii():
        # Not from the dashboard, and it could not travel in a header anyway.
        raise ConfigurationError("api_key contains characters that are not ASCII")
    return Secret(value)


def _base_url(
    base_url: str | httpx.URL | None,
    http_client: httpx.AsyncClient | None,
    *,
    allow_insecure_http: bool,
) -> httpx.URL:
    """The base URL: the argument, else the http_client's own, else the environment's, else
    the public API's."""
    what = "base_url"
    raw: str | httpx.URL | None = base_url
    if raw is None and http_client is not None and str(http_client.base_url):
        what, raw = "http_client.base_url", http_client.base_url
    if raw is None:
        raw = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    # Messages quote the URL only once it is known to hold no password.
    shown = repr(str(raw)) if "@" not in str(raw) else "(not shown: it contains '@')"
    try:
        url = httpx.URL(raw)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"{what} is not a valid URL: {shown}") from exc
    if url.userinfo:
        # httpx would send it as Basic auth in place of the API key.
        raise ConfigurationError(
            f"{what} must not contain a user name or password; the API key is the credential"
        )
    if url.scheme not in ("https", "http") or not url.host:
        raise ConfigurationError(f"{what} must be an http(s) URL with a host, not {shown}")
    if url.scheme == "http" and not allow_insecure_http and not _is_loopback(url.host):
        raise ConfigurationError(
            f"refusing plain http:// to {url.host} ({what}): the API key would travel "
            "unencrypted; use https, or pass allow_insecure_http=True if you really mean it"
        )
    if url.query or url.fragment:
        raise ConfigurationError(f"{what} must not have a query or fragment: {shown}")
    try:
        port = url.port
    except (httpx.InvalidURL, ValueError):
        port = -1
    if port is not None and not 0 < port < 65536:
        raise ConfigurationError(f"{what} has a port outside 1-65535: {url.host}")
    return url


def _timeouts(timeout: object, http_client: httpx.AsyncClient | None) -> Timeouts:
    """The argument, else the http_client's own timeout, else the default."""
    if timeout is not DEFAULT_TIMEOUT:
        return timeouts_of(timeout, ConfigurationError)
    if http_client is None:
        # The default bounds the attempt by 30 s, not by the sum of its phases.
        return _DEFAULT_TIMEOUTS
    try:
        return timeouts_of(http_client.timeout, ConfigurationError)
    except ConfigurationError:
        raise ConfigurationError(
            f"http_client.timeout leaves a phase of a request unlimited ({http_client.timeout}); "
            "no request of this client may hang: pass timeout=... to IncidentIO (it takes "
            "precedence over the http_client's) or give the http_client a limit for every phase"
        ) from None


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _retry_policy(max_retries: object, retry_policy: object) -> RetryPolicy:
    from .retries import RetryPolicy

    if retry_policy is not None:
        if max_retries is not None:
            raise ConfigurationError("pass max_retries or retry_policy, not both")
        if not isinstance(retry_policy, RetryPolicy):
            raise ConfigurationError(
                f"retry_policy must be a RetryPolicy, not {type(retry_policy).__name__}"
            )
        return retry_policy
    if max_retries is None:
        return RetryPolicy(max_retries=DEFAULT_MAX_RETRIES)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ConfigurationError(f"max_retries must be an integer >= 0, not {max_retries!r}")
    return RetryPolicy(max_retries=max_retries)


_LIMITER_METHODS = ("acquire", "release", "record_response", "record_retry")


def _rate_limiter(rate_limiter: object, key: Secret) -> Limiter:
    if rate_limiter is None:
        return shared_rate_limiter(key.reveal())
    if not all(callable(getattr(rate_limiter, name, None)) for name in _LIMITER_METHODS):
        raise ConfigurationError(
            "rate_limiter must be a RateLimiter, a RedisRateLimiter or another Limiter, "
            f"not {type(rate_limiter).__name__}"
        )
    bind = getattr(rate_limiter, "bind_api_key", None)
    if callable(bind):
        try:
            bind(key.reveal())
        except ValueError as exc:  # e.g. a RedisRateLimiter already bound to another key
            raise ConfigurationError(f"rate_limiter: {exc}") from None
    return rate_limiter  # type: ignore[return-value]


def _consumers(telemetry: object, hooks: Mapping[str, object], limiter: Limiter) -> list[Consumer]:
    """What watches the client's calls besides the log: OpenTelemetry, the hooks."""
    found: list[Consumer] = []
    if telemetry is not None:
        from .telemetry.otel import OpenTelemetry

        if not isinstance(telemetry, OpenTelemetry):
            raise ConfigurationError(
                "telemetry must be an incidentio_async.telemetry.OpenTelemetry, "
                f"not {type(telemetry).__name__}"
            )
        found += telemetry.consumers(limiter)
    for name, hook in hooks.items():
        if hook is not None and not callable(hook):
            raise ConfigurationError(f"{name} must be a function, not {type(hook).__name__}")
    if any(hook is not None for hook in hooks.values()):
        from .telemetry.hooks import Hooks

        found.append(Hooks(**hooks))  # type: ignore[arg-type]
    return found


def _max_response_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"max_response_bytes must be a positive integer, not {value!r}")
    return value


def _default_headers(
    extra: Mapping[str, str] | None, http_client: httpx.AsyncClient | None
) -> dict[str, str]:
    """The headers of every request: ours, overridden by those set on the http_client,
    overridden by the ``headers`` argument."""
    headers = {
        "Accept": "application/json",
        # Only what can be inflated under the body limit (never an unbounded decoder).
        "Accept-Encoding": ACCEPT_ENCODING,
        "User-Agent": (
            f"incidentio-async/{__version__} python/{_PYTHON_VERSION} httpx/{httpx.__version__}"
        ),
    }
    if http_client is not None:
        _replace_headers(headers, _own_headers(http_client))
    _replace_headers(headers, checked_headers(extra, "headers", ConfigurationError))
    return headers


def _replace_headers(headers: dict[str, str], others: Mapping[str, str]) -> None:
    """Add ``others`` to ``headers``, each replacing any of the same name, whatever its case."""
    for name, value in others.items():
        for same in [key for key in headers if key.lower() == name.lower()]:
            del headers[same]
        headers[name] = value


# Set by this client whatever an http_client says: the key, and how httpx frames a message.
_NOT_TAKEN_FROM_HTTP_CLIENT = frozenset(
    {"authorization", "host", "content-length", "transfer-encoding"}
)


def _own_headers(http_client: httpx.AsyncClient) -> dict[str, str]:
    """The headers the user set on ``http_client``: those httpx did not put there itself."""
    defaults = _httpx_default_headers()
    own = {
        name: value
        for name, value in http_client.headers.items()
        if name not in _NOT_TAKEN_FROM_HTTP_CLIENT and defaults.get(name) != value
    }
    encoding = own.get("accept-encoding")
    if encoding is not None:
        codings = {part.split(";")[0].strip().lower() for part in encoding.split(",")}
        if not codings <= SUPPORTED_CODINGS | {"identity", ""}:
            raise ConfigurationError(
                f"http_client sets Accept-Encoding: {encoding!r}, which names codings this "
                f"client cannot inflate within max_response_bytes; it sends {ACCEPT_ENCODING!r} "
                "(remove the header from the http_client, or pass headers= to IncidentIO)"
            )
    return checked_headers(own, "http_client.headers", ConfigurationError)


@functools.cache
def _httpx_default_headers() -> httpx.Headers:
    """The headers every ``httpx.AsyncClient`` has unless told otherwise (no connection or
    TLS context is made for this)."""
    return httpx.AsyncClient(transport=httpx.AsyncBaseTransport(), trust_env=False).headers


# Characters a path may carry as they are: unreserved, sub-delimiters, ":", "@", "/" and
# the "%" of escapes the caller made.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def _request_path(path: object) -> str:
    """A path for :meth:`IncidentIO.request`, percent-encoded; it can only name a path
    under the base URL (never another host: the key goes with it)."""
    text = check_str(path, "path")
    if not text.startswith("/") or text.startswith("//"):
        raise InvalidArgumentError(f"path must start with a single '/', not {text!r}")
    if has_control_characters(text) or "?" in text or "#" in text:
        raise InvalidArgumentError(
            "path must not contain control characters, '?' or '#' (pass the query as params=)"
        )
    if any(unquote(segment) in (".", "..") for segment in text.split("/")):
        raise InvalidArgumentError(f"path must not contain '.' or '..' segments: {text!r}")
    return quote(text, safe=_PATH_SAFE)
