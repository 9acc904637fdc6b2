"""``WebhookApp``: an ASGI application receiving incident.io's webhook deliveries.

Mount it in FastAPI or Starlette (``app.mount("/webhooks/incident-io", webhook_app)``) or run
it with any ASGI server. For each ``POST``: read the body (bounded), verify it, skip a
delivery already handled, ``await handler(event)``, answer. The answers, as incident.io reads
them (anything but a 2xx is delivered again later, for about a day):

======  ==============================================================================
200     handled, or a duplicate of a delivery already handled
400     a header is missing or malformed, or the signed body is not an event
401     no signature matches, or the timestamp is outside the tolerance
405     not a POST
408     the body did not arrive whole within ``body_timeout``
409     the same delivery is being handled right now (by another attempt or worker)
413     the body is larger than ``max_body_size``
500     the handler raised: the delivery is not marked handled, so its retry is handled
503     the deduplication store cannot be reached: the handler was not called
======  ==============================================================================
"""

from __future__ import annotations

import json
import logging
import math
import secrets
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

import anyio

from ..clock import SYSTEM_CLOCK, Clock
from .envelope import WebhookEvent, parse_event
from .errors import WebhookError
from .router import Handler, call_handler
from .signature import DEFAULT_TOLERANCE, check_signature, signing_keys
from .store import Claim, DeliveryStore, InMemoryDeliveryStore

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

DEFAULT_MAX_BODY_SIZE = 1024 * 1024
"""1 MiB: incident.io's events are a few kB."""
DEFAULT_BODY_TIMEOUT = 30.0
"""Seconds a body has to arrive whole: incident.io sends it at once, and nothing is verified
before it is whole, so anyone could otherwise hold a connection open for ever."""

_STATUS_OF_CHECK = {
    "missing_header": 400,
    "malformed_header": 400,
    "payload": 400,
    "signature": 401,
    "timestamp": 401,
}

logger = logging.getLogger("incidentio_async.webhooks")


def _install_log_filters() -> None:
    """The filters every record of the package's loggers goes through (as a client installs
    them): a receiver may have no client."""
    from .._log_redaction import redact_library_logs
    from ..telemetry.logs import add_call_fields

    redact_library_logs()
    add_call_fields()


class _BodyTooLarge(Exception):
    pass


class _Disconnected(Exception):
    pass


class WebhookApp:
    """Receives, verifies and deduplicates webhook deliveries, then calls ``handler``.

    ::

        async def handle(event: WebhookEvent[Any]) -> None:
            ...

        app = WebhookApp(secret=os.environ["INCIDENT_WEBHOOK_SECRET"], handler=handle)

    Args:
        secret: the endpoint's signing secret (``whsec_...``), or a list while one replaces
            another. A malformed one raises ``WebhookVerificationError`` here.
        handler: an async function taking a :class:`WebhookEvent`, or a
            :class:`WebhookRouter` (a handler per event type); a plain function is called
            as it is. If it raises, the answer is 500 and the delivery is not marked handled.
        tolerance: seconds a delivery's signing time may be from now (default 300).
        max_body_size: the largest body read, in bytes (default 1 MiB); larger is 413.
        body_timeout: seconds the body has to arrive whole (default 30); slower is 408.
        store: where handled deliveries are recorded (default: in this process's memory for
            48 hours). Several workers need one store they share: ``RedisDeliveryStore``.
        clock: the time source (tests pass a virtual clock).
    """

    def __init__(
        self,
        *,
        secret: str | Sequence[str],
        handler: Handler[Any],
        tolerance: float = DEFAULT_TOLERANCE,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
        body_timeout: float = DEFAULT_BODY_TIMEOUT,
        store: DeliveryStore | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._keys = signing_keys(secret)
        _install_log_filters()
        if not callable(handler):
            raise TypeError(f"handler must be an async function, not {handler!r}")
        if isinstance(max_body_size, bool) or not isinstance(max_body_size, int):
            raise TypeError(f"max_body_size must be an integer, not {max_body_size!r}")
        if max_body_size < 1:
            raise ValueError(f"max_body_size must be positive, not {max_body_size}")
        # Checked now rather than on the first delivery.
        if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
            raise TypeError(f"tolerance must be a number of seconds, not {tolerance!r}")
        if not tolerance >= 0:
            raise ValueError(f"tolerance must be a number of seconds >= 0, not {tolerance!r}")
        if isinstance(body_timeout, bool) or not isinstance(body_timeout, int | float):
            raise TypeError(f"body_timeout must be a number of seconds, not {body_timeout!r}")
        if not (body_timeout > 0 and math.isfinite(body_timeout)):
            raise ValueError(
                f"body_timeout must be a positive number of seconds, not {body_timeout!r}"
            )
        self.handler = handler
        self.tolerance = float(tolerance)
        self.max_body_size = max_body_size
        self.body_timeout = float(body_timeout)
        self.clock = clock or SYSTEM_CLOCK
        self.store: DeliveryStore = store or InMemoryDeliveryStore(clock=self.clock)

    def __repr__(self) -> str:
        return f"<WebhookApp handler={getattr(self.handler, '__name__', self.handler)!r}>"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The ASGI entry point."""
        kind = scope["type"]
        if kind == "lifespan":
            await _lifespan(receive, send)
            return
        if kind != "http":
            if kind == "websocket":
                await send({"type": "websocket.close", "code": 1003})
            return
        if scope["method"].upper() != "POST":
            await _respond(send, 405, {"error": "webhooks are POSTed"}, [(b"allow", b"POST")])
            return
        try:
            with self.clock.fail_after(self.body_timeout):
                body = await self._read_body(scope, receive)
        except TimeoutError:
            await _respond(
                send, 408, {"error": f"the body did not arrive within {self.body_timeout:g}s"}
            )
            return
        except _BodyTooLarge:
            await _respond(
                send, 413, {"error": f"the body is larger than {self.max_body_size} bytes"}
            )
            return
        except _Disconnected:
            return
        status, answer = await self._deliver(body, scope.get("headers", []))
        await _respond(send, status, answer)

    async def _deliver(
        self, body: bytes, headers: Sequence[tuple[bytes, bytes]]
    ) -> tuple[int, dict[str, Any]]:
        """Verify, deduplicate and hand on one delivery; the status and body to answer."""
        try:
            message = check_signature(
                body, headers, self._keys, tolerance=self.tolerance, now=self.clock.time()
            )
            event = parse_event(body, message.id, message.timestamp)
        except WebhookError as error:
            logger.info("webhook delivery refused (%s): %s", error.check, error)
            return _STATUS_OF_CHECK[error.check], {"error": str(error), "check": error.check}
        # This attempt's own claim: it releases that one only, never a later attempt's.
        token = secrets.token_hex(8)
        try:
            claim = await self.store.claim(event.id, token)
        except Exception:
            logger.warning("webhook %s not handled: the store failed", event.id, exc_info=True)
            return 503, {"error": "the deduplication store is unavailable; deliver again later"}
        if claim is Claim.DONE:
            logger.debug("webhook %s (%s) is a duplicate: ignored", event.id, event.type)
            return 200, {"status": "duplicate"}
        if claim is Claim.IN_PROGRESS:
            return 409, {"error": "this delivery is being handled; deliver again later"}
        return await self._handle(event, token)

    async def _handle(self, event: WebhookEvent[Any], token: str) -> tuple[int, dict[str, Any]]:
        try:
            await call_handler(self.handler, event)
        except BaseException as exc:
            # Not handled: forget the claim, so that incident.io's next attempt is handled.
            with anyio.CancelScope(shield=True):
                try:
                    await self.store.release(event.id, token)
                except Exception:
                    logger.warning("webhook %s: releasing its claim failed", event.id)
            if not isinstance(exc, Exception):
                raise  # cancellation, KeyboardInterrupt: not ours to answer
            logger.exception("webhook handler failed on %s (%s)", event.id, event.type)
            return 500, {"error": "the handler failed; deliver again later"}
        try:
            await self.store.complete(event.id)
        except Exception:
            # Handled all the same: a retry would handle it twice, so still answer 200.
            logger.warning("webhook %s: recording it as handled failed", event.id, exc_info=True)
        return 200, {"status": "handled"}

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    continue
                if declared > self.max_body_size:
                    raise _BodyTooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_size:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _respond(
    send: Send,
    status: int,
    body: dict[str, Any],
    headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    content = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
