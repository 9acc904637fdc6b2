"""Which failures are retried, and how long to wait before the next attempt."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

#: Statuses worth retrying for an idempotent request (GET, PUT, DELETE).
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

# Failures that happen before a single byte of the request leaves: safe to retry even a POST.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.ProxyError)
# Failures that retrying cannot fix (a bad URL scheme, a request httpx refuses to encode).
_PERMANENT = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


def request_may_have_been_sent(exc: Exception) -> bool:
    """False only when the request surely never reached the server."""
    return not isinstance(exc, _NOT_SENT + _PERMANENT)


@dataclass(frozen=True)
class RetryPolicy:
    """How the client retries.

    Idempotent requests (GET, PUT, DELETE) are retried on connection errors, timeouts and the
    statuses in :data:`RETRYABLE_STATUSES`. A POST is retried only when the server surely did
    not act on it: a 429, or a connection that failed before the request was sent.

    Attributes:
        max_retries: retries after the first attempt (0 disables retrying).
        initial_delay: backoff before the first retry, doubled for each further retry.
        max_delay: the longest backoff between two attempts.
        max_retry_after: the longest wait the client accepts from ``Retry-After``; when the
            API asks for more, the error is raised at once (with its ``retry_after``).
    """

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ValueError(f"max_retries must be an integer >= 0, not {self.max_retries!r}")
        if self.initial_delay < 0 or self.max_delay < self.initial_delay:
            raise ValueError("need 0 <= initial_delay <= max_delay")
        if self.max_retry_after < 0:
            raise ValueError("max_retry_after must be >= 0")

    def retries_status(self, status_code: int, *, idempotent: bool) -> bool:
        """Whether a response with this status is worth another attempt."""
        if status_code == 429:
            return True
        return idempotent and status_code in RETRYABLE_STATUSES

    def retries_exception(self, exc: Exception, *, idempotent: bool) -> bool:
        """Whether a request that failed with ``exc`` (a transport error, an undecodable
        body, the attempt's deadline) is worth another attempt."""
        if isinstance(exc, _PERMANENT):
            return False
        return idempotent or not request_may_have_been_sent(exc)

    def delay(self, retry: int, retry_after: float | None, rng: random.Random) -> float | None:
        """Seconds to wait before retry number ``retry`` (0-based), or None to give up now.

        ``retry_after`` (from the API) wins over the backoff when given; a value above
        :attr:`max_retry_after` means giving up. The backoff is exponential with jitter,
        so clients that failed together do not retry together.
        """
        if retry_after is not None:
            return float(retry_after) if retry_after <= self.max_retry_after else None
        backoff = min(self.max_delay, self.initial_delay * 2.0**retry)
        return backoff * (0.5 + rng.random() / 2)
