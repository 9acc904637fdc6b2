"""Which failures are retried, and how long to wait before the next attempt."""

from __future__ import annotations

import math
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

    Idempotent requests (GET, PUT, DELETE, and a POST carrying an idempotency key) are retried
    on connection errors, timeouts and the statuses in :data:`RETRYABLE_STATUSES`. Another
    POST is retried only when the server surely did not act on it: a 429, or a connection
    that failed before the request was sent.

    Being rate limited is not a failure: a 429 (or a 503 with ``Retry-After``) waits as long
    as the API asks and tries again without spending ``max_retries``, until the call has
    waited ``max_rate_limit_wait`` in all. So a long export survives a co-tenant that keeps
    the key's bucket empty; it only gets slower.

    Attributes:
        max_retries: retries after failures (connection errors, timeouts, 5xx); 0 disables
            them. Rate limiting does not count.
        initial_delay: backoff before the first retry, doubled for each further retry.
        max_delay: the longest backoff between two attempts.
        max_rate_limit_wait: the longest a call waits in all for the rate limit (429s, and
            503s with ``Retry-After``) before it raises the ``RateLimitError``. A wait asked
            for beyond what is left raises at once; the limiter shared with other calls is
            never paused for longer than this.
        max_retry_after: optionally, the longest single ``Retry-After`` accepted (None: any
            that fits in ``max_rate_limit_wait``).
        call_deadline: the longest a call's attempts and backoffs may take together, rate-limit
            waits aside: a server that answers slowly, trickles bytes or stays silent cannot
            hold a caller longer.
    """

    max_retries: int = 3
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_rate_limit_wait: float = 300.0
    max_retry_after: float | None = None
    call_deadline: float = 120.0

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_retries, bool)
            or not isinstance(self.max_retries, int)
            or self.max_retries < 0
        ):
            raise ValueError(f"max_retries must be an integer >= 0, not {self.max_retries!r}")
        if not 0 <= self.initial_delay <= self.max_delay < math.inf:
            raise ValueError("need 0 <= initial_delay <= max_delay < inf")
        if not 0 <= self.max_rate_limit_wait < math.inf:
            raise ValueError("max_rate_limit_wait must be a number of seconds >= 0")
        if self.max_retry_after is not None and not self.max_retry_after >= 0:
            raise ValueError("max_retry_after must be >= 0 or None")
        if not 0 < self.call_deadline < math.inf:
            raise ValueError("call_deadline must be a positive number of seconds")

    @property
    def longest_pause(self) -> float:
        """The longest the client pauses everyone sharing a limiter after a 429."""
        if self.max_retry_after is None:
            return self.max_rate_limit_wait
        return min(self.max_retry_after, self.max_rate_limit_wait)

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

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Seconds to wait before retry number ``retry`` (0-based): exponential with jitter,
        so that clients that failed together do not retry together."""
        backoff = min(self.max_delay, self.initial_delay * 2.0**retry)
        return backoff * (0.5 + rng.random() / 2)

    def rate_limit_wait(
        self, retry_after: float | None, waited: float, attempt: int, rng: random.Random
    ) -> float | None:
        """Seconds to wait after being rate limited, or None to give up: the API's
        ``Retry-After`` (a backoff when it gave none), if it fits in what is left of
        :attr:`max_rate_limit_wait` after ``waited``."""
        if retry_after is not None and (retry_after > 0 or attempt == 0):
            wait = retry_after
        else:
            # No wait given, or "retry now" again and again, which would hammer the API
            # without ever spending the budget: back off instead.
            wait = self.backoff(attempt, rng)
        if self.max_retry_after is not None and wait > self.max_retry_after:
            return None
        return wait if waited + wait <= self.max_rate_limit_wait else None
