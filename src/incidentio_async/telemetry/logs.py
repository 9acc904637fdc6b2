"""The SDK's log records about calls, with the fields structured logs need.

Every record of the ``incidentio_async`` logger carries ``operation``, ``attempt``,
``request_id`` and ``wait_s`` as attributes (passed as ``extra``), so that a JSON formatter
picks them up: records about a call carry its values; others (the Redis limiter's warnings)
carry ``None``. Records are DEBUG for each attempt and INFO for each retry, and nothing is
formatted, nor any ``extra`` built, before the logger's level check. The API key is redacted
from every record as before (``_log_redaction``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

import httpx

from .._log_redaction import PACKAGE_LOGGERS, install_filter
from ..errors import IncidentIOError
from . import naming
from .call import Call, CallConsumer

logger = logging.getLogger("incidentio_async")

FIELDS = ("operation", "attempt", "request_id", "wait_s")
"""The attributes every record of the SDK's logger carries."""


def enabled() -> bool:
    """Whether the SDK's records about calls can be seen (retries are logged at INFO)."""
    return logger.isEnabledFor(logging.INFO)


def fields(call: Call, wait_s: float | None = None) -> dict[str, object]:
    """The ``extra`` of a record about ``call``: ``wait_s`` is the wait the record is about
    (a retry's), by default the current attempt's wait for the rate limiter."""
    return {
        "operation": call.operation,
        "attempt": call.attempt,
        "request_id": call.request_id,
        "wait_s": call.attempt_wait_s if wait_s is None else wait_s,
    }


class _Logs(CallConsumer):
    """Logs each attempt (DEBUG) and each retry (INFO) of a call."""

    __slots__ = ()

    def attempt_ended(
        self,
        call: Call,
        response: httpx.Response | None,
        error: IncidentIOError | None,
        took: float,
    ) -> Awaitable[None] | None:
        if not logger.isEnabledFor(logging.DEBUG):
            return None
        path = call.request.path
        if response is not None:
            logger.debug(
                "%s %s -> %d (%.3fs)",
                call.method,
                path,
                response.status_code,
                took,
                extra=fields(call),
            )
        elif error is not None:
            reason = naming.reason(None, error)
            logger.debug("%s %s failed: %s", call.method, path, reason, extra=fields(call))
        return None

    def retrying(
        self,
        call: Call,
        wait: float,
        response: httpx.Response | None,
        error: IncidentIOError,
        detail: str,
    ) -> Awaitable[None] | None:
        if logger.isEnabledFor(logging.INFO):
            logger.info(
                "Retrying %s %s in %.2fs after %s (%s)",
                call.method,
                call.request.path,
                wait,
                naming.reason(response, error),
                detail,
                extra=fields(call, wait),
            )
        return None


LOGS = _Logs()
"""The log's view of every call (it keeps no state of its own)."""


def hook_failed(name: str, call: Call) -> None:
    """Log that the user's ``name`` hook raised (with its traceback): the call goes on."""
    if logger.isEnabledFor(logging.WARNING):
        logger.warning(
            "the %s hook raised; the call goes on without it",
            name,
            exc_info=True,
            extra=fields(call),
        )


class CallFields(logging.Filter):
    """Gives a record of the SDK's logger that is not about a call the fields of
    :data:`FIELDS`, as ``None``, so that formatters can rely on them."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record."""
        for name in FIELDS:
            if name not in record.__dict__:
                setattr(record, name, None)
        return True


_FILTER = CallFields()


def add_call_fields() -> None:
    """Install :class:`CallFields` on the SDK's loggers (once; a logger's filters do not see
    the records of its children, ``incidentio_async.webhooks``)."""
    install_filter(_FILTER, PACKAGE_LOGGERS)
