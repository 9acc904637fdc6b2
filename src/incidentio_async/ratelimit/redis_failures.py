"""Naming what went wrong with Redis, and saying so often enough to be seen, but not more.

A Redis that cannot be reached and one that answers but refuses (a wrong password, a user
without the right to run scripts, a key of the wrong type, no memory left) call for different
fixes, so each has its own warning. A warning names the condition and what to check, never
the server's words (which can quote the URL or the user), and is repeated at most every
:data:`REPEAT_INTERVAL` while the condition lasts, with how many calls failed meanwhile.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger("incidentio_async")

REPEAT_INTERVAL = 60.0
"""Seconds between two warnings about the same condition while it lasts."""


@dataclass(frozen=True)
class Failure:
    """A kind of Redis failure and what to do about it."""

    kind: str
    """Short name: ``unreachable``, ``authentication``, ``permission``, ``wrong type``,
    ``out of memory``, ``read-only``, ``busy``, ``unexpected reply``, ``refused``."""
    summary: str
    advice: str


_UNREACHABLE = Failure(
    "unreachable", "Redis is unreachable", "check the URL, the network and that Redis is up"
)
_AUTHENTICATION = Failure(
    "authentication",
    "Redis refused the credentials (authentication)",
    "check the password (and user) in the URL",
)
_PERMISSION = Failure(
    "permission",
    "Redis refused the command (permission)",
    "the Redis user must be allowed EVALSHA and EVAL and the limiter's keys (ACL SETUSER ... "
    "+evalsha +eval ~<key prefix>*)",
)
_WRONG_TYPE = Failure(
    "wrong type",
    "Redis holds a key of the wrong type",
    "a key the limiter uses holds another type of value",
)
_OUT_OF_MEMORY = Failure(
    "out of memory",
    "Redis is out of memory",
    "it is at maxmemory and refuses writes: raise maxmemory or set an eviction policy",
)
_READ_ONLY = Failure(
    "read-only", "Redis is a read-only replica", "point the limiter at the primary"
)
_BUSY = Failure("busy", "Redis is busy", "it is running another script or loading its data set")
_UNEXPECTED = Failure(
    "unexpected reply",
    "Redis gave an unexpected reply",
    "the rate-limit script answered something else: is this Redis proxied or emulated?",
)
_REFUSED = Failure("refused", "Redis refused the rate-limit script", "check the Redis server's log")


def classify(exc: BaseException) -> Failure:
    """The kind of failure ``exc`` is (redis-py's exceptions, timeouts, socket errors)."""
    try:
        from redis import exceptions as redis_errors
    except ImportError:  # pragma: no cover  (the limiter cannot be built without redis)
        return _UNREACHABLE
    if isinstance(exc, redis_errors.AuthenticationError | redis_errors.AuthorizationError):
        return _AUTHENTICATION
    if isinstance(exc, redis_errors.AuthenticationWrongNumberOfArgsError):
        return _AUTHENTICATION
    if isinstance(exc, redis_errors.NoPermissionError):
        return _PERMISSION
    if isinstance(exc, redis_errors.OutOfMemoryError):
        return _OUT_OF_MEMORY
    if isinstance(exc, redis_errors.ReadOnlyError):
        return _READ_ONLY
    if isinstance(exc, redis_errors.BusyLoadingError):
        return _BUSY
    if isinstance(exc, redis_errors.ResponseError):
        # Errors raised inside a script come back as plain ResponseErrors; read their code.
        code = str(exc).lstrip().split(" ", 1)[0].upper()
        by_code = {
            "NOAUTH": _AUTHENTICATION,
            "WRONGPASS": _AUTHENTICATION,
            "NOPERM": _PERMISSION,
            "WRONGTYPE": _WRONG_TYPE,
            "OOM": _OUT_OF_MEMORY,
            "READONLY": _READ_ONLY,
            "BUSY": _BUSY,
            "LOADING": _BUSY,
        }
        return by_code.get(code, _REFUSED)
    if isinstance(exc, ValueError):
        return _UNEXPECTED
    return _UNREACHABLE


class FailureLog:
    """Warns about each kind of failure when it starts, and again every
    :data:`REPEAT_INTERVAL` seconds while it lasts; says when Redis answers again."""

    def __init__(self) -> None:
        self._last_warned: dict[str, float] = {}
        self._since: dict[str, int] = {}
        self._first: dict[str, float] = {}
        self._noted: dict[str, float] = {}

    def failed(self, failure: Failure, now: float, fallback: str, retry_in: float) -> None:
        """Record a failure at ``now``; warn if this kind is new or last warned long ago."""
        self._since[failure.kind] = self._since.get(failure.kind, 0) + 1
        self._first.setdefault(failure.kind, now)
        last = self._last_warned.get(failure.kind)
        if last is not None and now - last < REPEAT_INTERVAL:
            logger.debug("rate limiter: Redis still failing (%s)", failure.kind)
            return
        count = self._since.pop(failure.kind)
        lasting = "" if last is None else f" for {now - self._first[failure.kind]:.0f}s"
        self._last_warned[failure.kind] = now
        logger.warning(
            "rate limiter: %s%s (%d failed call%s): %s; %s (next attempt in %gs)",
            failure.summary,
            lasting,
            count,
            "" if count == 1 else "s",
            failure.advice,
            fallback,
            retry_in,
        )

    def recovered(self) -> None:
        """Forget the failures (Redis answered)."""
        self._last_warned.clear()
        self._since.clear()
        self._first.clear()

    def warn_once_per_interval(self, kind: str, now: float, message: str, *args: object) -> None:
        """A warning about ``kind`` (a repair, a mismatch), at most every interval."""
        last = self._noted.get(kind)
        if last is not None and now - last < REPEAT_INTERVAL:
            return
        self._noted[kind] = now
        logger.warning(message, *args)
