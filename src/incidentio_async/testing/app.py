""":class:`FakeIncidentIO`: the fake API as a plain ASGI application."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import anyio
import httpx

from incidentio_async import _catalog as catalog
from incidentio_async.clock import SYSTEM_CLOCK, Clock
from incidentio_async.testing.asgi import (
    Receive,
    Scope,
    Send,
    abort_response,
    headers_of,
    query_of,
    raw_path_of,
    read_body,
    rebuild_request,
    send_response,
    transport_error,
)
from incidentio_async.testing.bucket import (
    EndpointLimits,
    KeyStats,
    RateLimits,
    RetryAfterFormat,
)
from incidentio_async.testing.errors import (
    ApiError,
    invalid_api_key,
    missing_authorization,
    server_error,
)
from incidentio_async.testing.faults import DropWhen, Faults, ScriptedResponse
from incidentio_async.testing.handlers import Handlers
from incidentio_async.testing.messages import Request, Response
from incidentio_async.testing.recording import RecordedRequest
from incidentio_async.testing.records import ApiKey, FollowUp, dumps
from incidentio_async.testing.samples import SampleSizes, install_reference_data, populate
from incidentio_async.testing.spec_check import check_request
from incidentio_async.testing.state import FakeState
from incidentio_async.testing.webhooks import ASGIApp, FakeWebhooks, WebhookEndpoint

if TYPE_CHECKING:
    from incidentio_async import IncidentIO

BASE_URL = "https://api.incident.io"
"""The base URL the in-process helpers use (any would do: nothing leaves the process)."""

DEFAULT_API_KEY = "fake-incident-io-api-key"
"""The key a fake accepts when no ``api_keys`` are given. It is not a real key."""

DEFAULT_API_KEY_NAME = "Fake API key"

DropMode = Literal["auto", "raise", "abort"]
"""How a dropped connection shows: ``raise`` an httpx transport error from the app (for
``httpx.ASGITransport``), ``abort`` the response (under a real server), or ``auto``: abort once
a server has sent the ASGI lifespan startup, raise otherwise."""


class FakeIncidentIO:
    """A stateful, in-process fake of the incident.io API: every operation of the vendored
    specs, delivering webhooks (:meth:`add_webhook_endpoint`).

    It is an ASGI application: use it through ``httpx.ASGITransport(app=fake)`` (see
    :meth:`http_client` and :meth:`client`) or serve it with uvicorn (see
    :mod:`incidentio_async.testing.server`). Everything is deterministic given ``seed`` and
    ``clock``: sample data, IDs, request IDs and injected faults.

    Args:
        seed: Seeds the sample data, the IDs and the random faults.
        sample_data: Add sample users, teams, incidents, follow-ups and incident updates
            (``True`` for the default :class:`SampleSizes`). Statuses, severities and
            priorities are always there.
        api_keys: Keys to accept, as ``{key: name}`` or a list of keys; default
            :data:`DEFAULT_API_KEY`.
        clock: Time for rate limits, latency and timestamps; a ``VirtualClock`` in tests.
        rate_limit: ``False`` or ``None`` to turn the per-key token bucket off.
        capacity: Bucket size (requests) of each key.
        refill_rate: Tokens per second.
        endpoint_limits: Operations with a lower limit of their own, per key, by operation id:
            ``{"Follow-ups V3#ConnectExternalIssue": (2, 0.2)}`` (a bucket of 2 refilled at
            0.2/s). Their requests take a token from both buckets, and the headers list both
            limits as the API does. Default: none, the key's bucket only.
        retry_after_format: How 429 bodies write ``rate_limit.retry_after``.
        latency: Seconds to wait (on ``clock``) before handling each request.
        error_rate: Fraction of requests answered with a 5xx.
        drop_mode: How dropped connections show (see :data:`DropMode`).
        record_requests: Keep every request in :attr:`requests` (turn off for long runs).
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        sample_data: bool | SampleSizes = True,
        api_keys: Mapping[str, str] | Iterable[str] | None = None,
        clock: Clock | None = None,
        rate_limit: bool | None = True,
        capacity: int = 1200,
        refill_rate: float = 20.0,
        retry_after_format: RetryAfterFormat = "rfc3339",
        endpoint_limits: EndpointLimits | None = None,
        latency: float = 0.0,
        error_rate: float = 0.0,
        drop_mode: DropMode = "auto",
        record_requests: bool = True,
    ) -> None:
        self.seed = seed
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.state = FakeState(seed=seed, clock=self.clock)
        """The data: read it, or add to it with its ``add_*`` methods."""
        install_reference_data(self.state)
        if api_keys is None:
            api_keys = {DEFAULT_API_KEY: DEFAULT_API_KEY_NAME}
        elif not isinstance(api_keys, Mapping):
            keys = list(api_keys)
            api_keys = {
                key: DEFAULT_API_KEY_NAME if len(keys) == 1 else f"{DEFAULT_API_KEY_NAME} {n}"
                for n, key in enumerate(keys, start=1)
            }
        for key, name in api_keys.items():
            self.state.add_api_key(key, name)
        if sample_data:
            populate(self.state, SampleSizes() if sample_data is True else sample_data)
        _check_operations(endpoint_limits or {})
        self.limits = RateLimits(
            self.clock,
            enabled=bool(rate_limit),
            capacity=capacity,
            refill_rate=refill_rate,
            retry_after_format=retry_after_format,
            endpoint_limits=endpoint_limits,
        )
        """The per-key token buckets and their counters."""
        self.faults = Faults(seed)
        """Latency, errors, drops and scripted responses to inject."""
        self.faults.latency = latency
        self.faults.error_rate = error_rate
        self.drop_mode: DropMode = drop_mode
        self.record_requests = record_requests
        self.requests: list[RecordedRequest] = []
        """Every request received, in order (while :attr:`record_requests` is on)."""
        self.served = False
        """Whether a server started this app (sent the ASGI lifespan startup)."""
        self._request_ids = random.Random(f"incidentio-fake:request-ids:{seed}")
        self._router = Handlers(self.state).router()
        self.webhooks = FakeWebhooks(self.state, self.clock, seed)
        """Webhook endpoints and every delivery made to them."""

    # -- conveniences ------------------------------------------------------------------------

    @property
    def api_key(self) -> str:
        """The first key the fake accepts."""
        return next(iter(self.state.api_keys))

    def add_api_key(self, key: str, name: str | None = None) -> str:
        """Accept another key (with its own rate-limit bucket); returns it."""
        self.state.add_api_key(key, name or key)
        return key

    def add_incident(self, name: str | None = None, *, mode: str = "standard") -> str:
        """Add an incident of ``mode``; returns its ID."""
        return self.state.add_incident(name, mode=mode).id

    def add_incident_updates(
        self,
        count: int,
        *,
        incident_id: str | None = None,
        interval: float = 60.0,
        start: float | None = None,
    ) -> str:
        """Add ``count`` updates to an incident (a new standard one unless ``incident_id`` is
        given), fast enough for benchmarks (100,000 in about a second); returns the incident's
        ID. See :meth:`FakeState.add_incident_updates`."""
        if incident_id is None:
            incident_id = self.state.add_incident(f"Incident with {count} updates").id
        self.state.add_incident_updates(incident_id, count, interval=interval, start=start)
        return incident_id

    def add_follow_up(self, incident_id: str, title: str, **fields: Any) -> FollowUp:
        """Add a follow-up; ``fields`` are those of :meth:`FakeState.add_follow_up`."""
        return self.state.add_follow_up(incident_id, title, **fields)

    def add_webhook_endpoint(
        self, target: ASGIApp | str, secret: str | None = None, **options: Any
    ) -> WebhookEndpoint:
        """Deliver signed webhook events to ``target`` (an ASGI app, such as a
        ``WebhookApp``, or a URL) for the changes made from now on; ``options`` are those of
        :meth:`FakeWebhooks.add_endpoint` (event types, duplicates, out of order, retries)."""
        return self.webhooks.add_endpoint(target, secret, **options)

    def key_stats(self, key: str | None = None) -> KeyStats:
        """Admitted and rejected request counts of ``key`` (default: :attr:`api_key`)."""
        return self.limits.key_stats(key or self.api_key)

    def transport(self) -> httpx.ASGITransport:
        """An httpx transport that sends requests to this fake, in process."""
        return httpx.ASGITransport(app=self)

    def http_client(self, api_key: str | None = None, **kwargs: Any) -> httpx.AsyncClient:
        """A plain ``httpx.AsyncClient`` wired to the fake, authenticated with ``api_key``
        (default :attr:`api_key`); ``kwargs`` go to ``httpx.AsyncClient``."""
        headers = {"Authorization": f"Bearer {api_key or self.api_key}"}
        headers.update(kwargs.pop("headers", {}))
        kwargs.setdefault("base_url", BASE_URL)
        kwargs.setdefault("transport", self.transport())
        return httpx.AsyncClient(headers=headers, **kwargs)

    def client(self, **kwargs: Any) -> IncidentIO:
        """An :class:`~incidentio_async.IncidentIO` wired to this fake, in process.

        It uses the fake's first key and clock, and a rate limiter sized like the fake's
        bucket; ``kwargs`` override any of that or add other options. Close it when done.
        """
        from incidentio_async import IncidentIO
        from incidentio_async.ratelimit import RateLimiter

        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", BASE_URL)
        kwargs.setdefault("transport", self.transport())
        kwargs.setdefault("clock", self.clock)
        if "rate_limiter" not in kwargs:
            kwargs["rate_limiter"] = RateLimiter(
                capacity=self.limits.capacity,
                refill_rate=self.limits.refill_rate,
                clock=kwargs["clock"],
            )
        return IncidentIO(**kwargs)

    def reset_requests(self) -> None:
        """Forget the recorded requests."""
        self.requests.clear()

    # -- ASGI ----------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(f"the fake incident.io API only speaks HTTP, not {scope['type']}")
        body = await read_body(receive)
        raw_query, query = query_of(scope)
        request = Request(
            method=scope["method"].upper(),
            path=scope["path"],
            query=query,
            headers=headers_of(scope),
            body=body,
            raw_path=raw_path_of(scope),
        )
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            query=query,
            raw_query=raw_query,
            headers=request.headers,
            body=body,
            time=self.clock.time(),
            monotonic=self.clock.monotonic(),
        )
        if self.record_requests:
            self.requests.append(record)

        delay = self.faults.delay()
        if delay > 0:
            await self.clock.sleep(delay)

        match = self._router.find(request.raw_path)
        record.route = match.template if match is not None else None
        fault = self.faults.take_script(request.method, request.path, record.route)
        if fault is None:
            fault = self.faults.roll_drop()
        if fault == "before":
            await self._drop(scope, send, record, "before", None)
            return
        if isinstance(fault, ScriptedResponse):
            record.scripted = True
            await self._send(send, record, _scripted(fault))
            return
        injected = self.faults.roll_error()
        if injected is not None:
            record.scripted = True
            await self._send(send, record, self._error_response(server_error(injected), {}))
            return

        response = self._handle(request)
        await self.webhooks.deliver_due()  # the events of what it changed, before it answers
        if fault == "after":
            await self._drop(scope, send, record, "after", response)
            return
        await self._send(send, record, response)

    def _handle(self, request: Request) -> Response:
        """Route, authenticate, rate-limit and run the operation."""
        headers: dict[str, str] = {}
        try:
            found, operation, handler = self._router.resolve(request.method, request.raw_path)
            request.path_params = found.params
            with self.state.lock:
                api_key = self._authenticate(request)
                headers = self.limits.admit(api_key.key, api_key.name, operation.id)
                request.api_key = api_key
                request.json = check_request(operation, request.query, request.body)
                response = handler(request)
        except ApiError as error:
            return self._error_response(error, headers)
        response.headers.update(headers)
        return response

    def _authenticate(self, request: Request) -> ApiKey:
        scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise missing_authorization()
        api_key = self.state.api_keys.get(token)
        if api_key is None:
            raise invalid_api_key()
        return api_key

    def _error_response(self, error: ApiError, headers: Mapping[str, str]) -> Response:
        request_id = str(uuid.UUID(int=self._request_ids.getrandbits(128), version=4))
        response = Response(error.status, dumps(error.body(request_id)), request_id=request_id)
        response.headers.update(headers)
        response.headers.update(error.headers)
        return response

    async def _send(self, send: Send, record: RecordedRequest, response: Response) -> None:
        record.status = response.status
        record.request_id = response.request_id
        await send_response(send, response)

    async def _drop(
        self,
        scope: Scope,
        send: Send,
        record: RecordedRequest,
        when: DropWhen,
        response: Response | None,
    ) -> None:
        record.dropped = when
        if self._drops_raise():
            raise transport_error(when, rebuild_request(scope, record.body))
        await abort_response(send, response)

    def _drops_raise(self) -> bool:
        if self.drop_mode == "auto":
            return not self.served
        return self.drop_mode == "raise"

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(self.webhooks.run)  # redeliveries fall due between requests
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    # Only servers send the lifespan protocol (httpx.ASGITransport does not).
                    self.served = True
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    group.cancel_scope.cancel()
                    return


def _check_operations(endpoint_limits: EndpointLimits) -> None:
    """Refuse limits for operations the specs do not have (a typo would limit nothing)."""
    known = {operation.id for operation in catalog.operations()}
    unknown = sorted(set(endpoint_limits) - known)
    if unknown:
        raise ValueError(
            f"endpoint_limits names operations the API does not have: {unknown}; "
            f"known: {sorted(known)}"
        )


def _scripted(scripted: ScriptedResponse) -> Response:
    body = scripted.body
    if body is None:
        response = Response(scripted.status, b"", content_type=None)
    elif isinstance(body, bytes | str):
        response = Response(scripted.status, body.encode() if isinstance(body, str) else body)
    else:
        response = Response.json(scripted.status, body)
    response.headers.update(scripted.headers)
    if any(name.lower() == "content-type" for name in scripted.headers):
        response.content_type = None
    return response
