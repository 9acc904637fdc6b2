"""A rate limiter shared by many processes and hosts through Redis (asyncio only).

The bucket and the 429 pause live in Redis and are updated by one Lua script
(:mod:`.redis_lua`) on the Redis server's clock. The concurrency cap stays per process. If
Redis cannot be reached, each process falls back to a conservative share of the limit and
tries Redis again later; requests never fail because of Redis.

Redis losing the bucket, or coming back after an outage, must not look like a full bucket:
the processes went on spending, so the API's bucket may well be empty, and trusting Redis
would send a burst of requests into 429s. Hence:

* A limiter that used the bucket within :data:`~.redis_lua.KEY_IDLE_LIFETIME` (a day; the key
  lives that long after it is full) and finds it gone knows Redis lost it: the bucket starts
  again empty, refilling at the rate. A limiter that never used it (first use of the key, or a
  process started after a day's idleness) starts it at ``initial_tokens``, full by default as
  for a fresh :class:`~.local.RateLimiter`: an empty start would cost every new job up to
  ``capacity / refill_rate`` (60 s) of burst. Set ``initial_tokens=0`` if Redis and every
  process can restart together right after heavy use.
* The first call to reach Redis after a failure empties the bucket before doing its work: its
  stored level predates the outage, and the spending during it was on local shares only.
  Emptying is cheap when the key is busy (its bucket is near empty anyway) and costs an idle
  key at most the 60 s of refill.

This module does not import ``redis`` until a :class:`RedisRateLimiter` is built.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio

from incidentio_async._event_loop import running_asyncio_loop
from incidentio_async.clock import SYSTEM_CLOCK, Clock
from incidentio_async.ratelimit.admission import Admission
from incidentio_async.ratelimit.bucket import (
    SYNC_TOLERANCE,
    TokenBucket,
    reserve_tokens,
    validate_concurrency,
    validate_limits,
)
from incidentio_async.ratelimit.headers import pause_seconds, remaining_from_headers
from incidentio_async.ratelimit.keys import api_key_id
from incidentio_async.ratelimit.local import (
    DEFAULT_CAPACITY,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_REFILL_RATE,
    DEFAULT_SAFETY_MARGIN,
)
from incidentio_async.ratelimit.observe import Recorder, logger
from incidentio_async.ratelimit.perloop import PerLoop
from incidentio_async.ratelimit.protocol import EventCallback, LimitedRequest, LimiterStats
from incidentio_async.ratelimit.redis_lua import (
    BUCKET_SCRIPT,
    BUCKET_SCRIPT_SHA,
    KEY_IDLE_LIFETIME,
    BucketReply,
    parse_reply,
    script_args,
)

if TYPE_CHECKING:
    from redis.asyncio import Redis

DEFAULT_KEY_PREFIX = "incidentio_async:ratelimit"
"""Redis keys are ``f"{key_prefix}:{bucket id}"``; change the prefix to separate environments."""

MAX_RETRY_INTERVAL = 30.0
"""Longest wait between attempts to reach Redis again while it is down."""

_MISSING_REDIS = (
    "RedisRateLimiter needs the redis package (redis-py >= 5): "
    "pip install 'incidentio-async[redis]'"
)


def _require_redis() -> None:
    try:
        import redis.asyncio  # noqa: F401
    except ImportError as exc:
        raise ImportError(_MISSING_REDIS) from exc


def _require_asyncio() -> None:
    if not _in_asyncio():
        raise RuntimeError(
            "RedisRateLimiter needs asyncio (redis.asyncio cannot run under trio); "
            "use RateLimiter with trio"
        )


def _client_from_url(url: str, timeout: float) -> Redis:
    from redis.asyncio import Redis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    # One quick retry at most: when Redis is down we want to know within `timeout` and fall
    # back, not sit through redis-py's default backoff.
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1),
    )


async def _run_script(client: Redis, key: str, args: list[str]) -> BucketReply:
    from redis.exceptions import NoScriptError

    try:
        raw: Any = await client.evalsha(BUCKET_SCRIPT_SHA, 1, key, *args)
    except NoScriptError:  # first use on this server, or after SCRIPT FLUSH / a restart
        raw = await client.eval(BUCKET_SCRIPT, 1, key, *args)
    return parse_reply(raw)


@dataclass
class _ClientSlot:
    """The Redis client built from the URL for one event loop."""

    client: Redis | None = None


class RedisRateLimiter:
    """Keeps many processes (on any hosts) sharing one API key within incident.io's limit.

    ``redis`` is a URL (``redis://host:6379/0``; a client is made per event loop) or a
    ``redis.asyncio.Redis`` (used as given, so in the event loop it belongs to). The bucket
    (``capacity`` tokens, refilled at ``refill_rate`` per second, ``safety_margin`` held back)
    and the 429 pause are shared through Redis; ``max_concurrency`` is per process.

    The bucket is named after the API key's hash, never the key: pass ``api_key`` here or let
    the client call :meth:`bind_api_key`; or pass ``namespace`` to name the bucket yourself
    (then :meth:`bind_api_key` does nothing). The Redis key is ``f"{key_prefix}:{id}"``.

    If Redis cannot be reached (or answers slower than ``backend_timeout`` seconds), requests
    go on at ``fallback_share`` of the capacity and rate (set it to about 1/number of
    processes), a warning is logged on the ``incidentio_async`` logger, and Redis is tried
    again after ``backend_retry_interval`` seconds, doubling up to 30 s while it stays down.
    When Redis is back, the shared bucket starts again empty, refilling at the rate.

    ``initial_tokens`` is the level of a bucket Redis does not hold yet when this limiter first
    uses it (default: full). A bucket that disappears after the limiter used it (Redis flushed,
    restarted or evicted it) starts again empty.

    Needs asyncio: redis.asyncio does not run under trio (use :class:`RateLimiter` there).
    Requires the ``incidentio-async[redis]`` extra.
    """

    def __init__(
        self,
        redis: str | Redis,
        capacity: int = DEFAULT_CAPACITY,
        refill_rate: float = DEFAULT_REFILL_RATE,
        max_concurrency: int = DEFAULT_MAX_CONCURRENCY,
        *,
        safety_margin: float = DEFAULT_SAFETY_MARGIN,
        key_prefix: str = DEFAULT_KEY_PREFIX,
        api_key: str | None = None,
        namespace: str | None = None,
        clock: Clock | None = None,
        on_event: EventCallback | None = None,
        fallback_share: float = 0.25,
        backend_timeout: float = 0.5,
        backend_retry_interval: float = 2.0,
        initial_tokens: float | None = None,
    ) -> None:
        validate_limits(capacity, refill_rate, safety_margin)
        validate_concurrency(max_concurrency)
        if not 0 < fallback_share <= 1:
            raise ValueError(f"fallback_share must be in (0, 1], not {fallback_share!r}")
        if not backend_timeout > 0 or not backend_retry_interval > 0:
            raise ValueError("backend_timeout and backend_retry_interval must be > 0")
        if not key_prefix:
            raise ValueError("key_prefix must not be empty")
        if namespace is not None and not namespace:
            raise ValueError("namespace must not be empty")
        if initial_tokens is not None and not (
            math.isfinite(initial_tokens) and initial_tokens >= 0
        ):
            raise ValueError(f"initial_tokens must be a finite number >= 0, not {initial_tokens!r}")
        _require_redis()
        if isinstance(redis, str):
            _client_from_url(redis, backend_timeout)  # reject a malformed URL now, not later
            self._url: str | None = redis
            self._given_client: Redis | None = None
        elif callable(getattr(redis, "evalsha", None)):
            self._url = None
            self._given_client = redis
        else:
            raise TypeError(
                f"redis must be a URL or a redis.asyncio.Redis, not {type(redis).__name__}"
            )
        self._clock: Clock = clock if clock is not None else SYSTEM_CLOCK
        self._capacity = float(capacity)
        self._rate = float(refill_rate)
        self._reserve = float(reserve_tokens(capacity, safety_margin))
        self._key_prefix = key_prefix
        self._fixed_namespace = namespace is not None
        self._bucket_id = namespace if namespace is not None else None
        if api_key is not None and namespace is None:
            self._bucket_id = api_key_id(api_key)
        self._recorder = Recorder(on_event)
        self.stats: LimiterStats = self._recorder.stats
        """Counters of what this limiter did."""
        self._fallback_share = fallback_share
        self._backend_timeout = backend_timeout
        self._backend_retry_interval = backend_retry_interval
        share_capacity = max(1.0, capacity * fallback_share)
        self._mutex = threading.Lock()  # guards the fallback bucket across threads' loops
        self._fallback = TokenBucket(
            share_capacity,
            refill_rate * fallback_share,
            reserve_tokens(share_capacity, safety_margin),
            self._clock.monotonic(),
        )
        self._failures = 0
        self._down_until: float | None = None
        self._initial_tokens = self._capacity if initial_tokens is None else initial_tokens
        # When Redis last answered about the bucket: a key missing within a day of that was
        # lost, not expired, and the API's bucket may be empty.
        self._used_at: float | None = None
        # Redis's level after our last take; headers above it cannot be news (saves a round
        # trip per response).
        self._last_seen_tokens = self._capacity
        self._admission = Admission(
            f"incidentio_async.RedisRateLimiter:{id(self)}",
            max_concurrency,
            self._clock,
            self._recorder,
        )
        self._clients = PerLoop(f"incidentio_async.RedisRateLimiter.client:{id(self)}", _ClientSlot)

    def __repr__(self) -> str:
        return (
            f"RedisRateLimiter(bucket_key={self.bucket_key!r}, capacity={self._capacity:g}, "
            f"refill_rate={self._rate:g}, max_concurrency={self.max_concurrency})"
        )

    # -- naming the bucket ---------------------------------------------------------------

    def bind_api_key(self, api_key: str) -> None:
        """Use the shared bucket of ``api_key`` (the client calls this with its key).

        Only a hash of the key is kept. Binding the same key again is harmless; binding a
        different one raises :class:`ValueError` (use one limiter per key). Does nothing if
        the limiter was given a ``namespace``.
        """
        key_id = api_key_id(api_key)
        if self._fixed_namespace:
            return
        if self._bucket_id is None:
            self._bucket_id = key_id
        elif self._bucket_id != key_id:
            raise ValueError(
                "this RedisRateLimiter is already bound to another API key; "
                "use one RedisRateLimiter per key"
            )

    @property
    def bucket_key(self) -> str | None:
        """The Redis key holding the shared bucket, or ``None`` until a key is bound."""
        if self._bucket_id is None:
            return None
        return f"{self._key_prefix}:{self._bucket_id}"

    def _require_key(self) -> str:
        key = self.bucket_key
        if key is None:
            raise RuntimeError(
                "RedisRateLimiter has no bucket yet: pass api_key= or namespace=, "
                "or call bind_api_key()"
            )
        return key

    # -- read-only views -----------------------------------------------------------------

    @property
    def capacity(self) -> float:
        """Size of the shared bucket."""
        return self._capacity

    @property
    def refill_rate(self) -> float:
        """Tokens added to the shared bucket per second."""
        return self._rate

    @property
    def reserve(self) -> float:
        """Tokens never handed out, to absorb jitter."""
        return self._reserve

    @property
    def max_concurrency(self) -> int:
        """Most requests in flight at once in this process (per event loop)."""
        return self._admission.max_concurrency

    @property
    def free_slots(self) -> int:
        """Concurrency slots free in the running event loop (all of them outside a loop)."""
        return self._admission.free_slots

    @property
    def waiting(self) -> int:
        """Requests currently inside :meth:`acquire`."""
        return self._admission.waiting

    @property
    def backend_available(self) -> bool:
        """False while Redis is considered down and the local share is in use."""
        return self._failures == 0

    async def peek_tokens(self) -> float | None:
        """The shared bucket's level now, from Redis (``None`` if Redis cannot be reached)."""
        reply = await self._call("peek")
        return None if reply is None else reply.tokens

    # -- Limiter -------------------------------------------------------------------------

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        """Wait for a concurrency slot, then for a token from the shared bucket and the end of
        any shared pause; take both.

        Waiters in this process are served in arrival order. Cancellation while waiting takes
        no slot; it can cost at most one shared token if it lands during a Redis round trip.
        """
        _require_asyncio()
        self._require_key()
        await self._admission.acquire(request, self._try_take)

    async def _try_take(self) -> float | None:
        """Take a token (return ``None``) or return how long to wait before trying again."""
        if self._backend_due():
            reply = await self._call("take")
            if reply is not None:
                if reply.ok:
                    self._last_seen_tokens = reply.tokens
                    return None
                return reply.seconds
        now = self._clock.monotonic()
        with self._mutex:
            wait = self._fallback.try_take(now)
        if wait <= 0:
            return None
        if self._down_until is not None:
            # Wake up for the next attempt at Redis rather than sleeping through it.
            wait = min(wait, max(self._down_until - now, 0.0) + 1e-3)
        return wait

    def release(self) -> None:
        """Give back the concurrency slot taken by :meth:`acquire` (in the same event loop)."""
        self._admission.release()

    async def record_response(
        self, status_code: int, headers: Mapping[str, str], retry_after: float | None
    ) -> None:
        """Learn from a response: on a 429, pause every process for ``retry_after`` seconds
        (or a default) and empty the shared bucket; otherwise lower the shared estimate to
        ``X-RateLimit-Remaining`` if that is lower. Never raises because of Redis."""
        now = self._clock.monotonic()
        shared = self.bucket_key is not None and _in_asyncio() and self._backend_due()
        if status_code == 429:
            pause = pause_seconds(retry_after, self._rate)
            # The local share learns too, in case Redis goes away during the pause.
            with self._mutex:
                self._fallback.pause(now, pause)
            self._recorder.rate_limited(pause)
            if shared:
                await self._call("pause", pause)
            return
        remaining = remaining_from_headers(headers)
        if remaining is None:
            return
        with self._mutex:
            self._fallback.lower(now, remaining)
        if shared and self._last_seen_tokens - remaining > SYNC_TOLERANCE:
            reply = await self._call("lower", remaining)
            if reply is not None:
                self._last_seen_tokens = reply.tokens

    def record_retry(self) -> None:
        """Count a retry (for :attr:`stats` and ``on_event``)."""
        self._recorder.retry()

    async def aclose(self) -> None:
        """Close the Redis client this limiter made for the running event loop, if any.

        A client passed in by the caller is left to the caller. The limiter stays usable.
        """
        slot = self._clients.peek()
        if slot is not None and slot.client is not None:
            client, slot.client = slot.client, None
            try:
                await client.aclose()
            except Exception:
                logger.debug("closing the Redis client failed", exc_info=True)

    # -- talking to Redis ----------------------------------------------------------------

    def _backend_due(self) -> bool:
        return self._down_until is None or self._clock.monotonic() >= self._down_until

    def _client(self) -> Redis:
        if self._given_client is not None:
            return self._given_client
        assert self._url is not None
        slot = self._clients.get()
        if slot.client is None:
            slot.client = _client_from_url(self._url, self._backend_timeout)
        return slot.client

    def _missing_level(self, now: float) -> float:
        """Tokens to assume if Redis holds no bucket: if this limiter used the key too recently
        for it to have expired, Redis lost it while it was in use, and the API's bucket may be
        empty; otherwise this is a first use."""
        if self._used_at is not None and now - self._used_at < KEY_IDLE_LIFETIME:
            return 0.0
        return self._initial_tokens

    async def _call(self, op: str, argument: float = 0.0) -> BucketReply | None:
        """Run one bucket operation; on any failure switch to the local share and return
        ``None``. Never raises (except cancellation).

        The first call after a failure (``peek`` included) empties the shared bucket first."""
        key = self._require_key()
        args = script_args(
            op,
            self._capacity,
            self._rate,
            self._reserve,
            argument,
            missing=self._missing_level(self._clock.monotonic()),
            drain=self._failures > 0,
        )
        try:
            with anyio.fail_after(self._backend_timeout):
                reply = await _run_script(self._client(), key, args)
        except Exception as exc:
            self._backend_failed(exc)
            return None
        self._backend_ok()
        return reply

    def _backend_failed(self, exc: Exception) -> None:
        now = self._clock.monotonic()
        self._failures += 1
        interval = min(MAX_RETRY_INTERVAL, self._backend_retry_interval * 2 ** (self._failures - 1))
        self._down_until = now + interval
        # Only the exception's type: messages can carry connection details.
        reason = type(exc).__name__
        self._recorder.backend_error(f"{reason}; retrying in {interval:g}s")
        if self._failures == 1:
            # The shared bucket may have been empty: start the local share empty too (one
            # request now, then its refill rate) rather than with a burst.
            with self._mutex:
                self._fallback.pause(now, 0.0)
            logger.warning(
                "rate limiter: Redis is unreachable (%s); limiting this process to %g%% of the "
                "rate limit until it is back (next attempt in %gs)",
                reason,
                self._fallback_share * 100,
                interval,
            )
        else:
            logger.debug("rate limiter: Redis still unreachable (%s)", reason)

    def _backend_ok(self) -> None:
        if self._failures:
            logger.info(
                "rate limiter: Redis is reachable again after %d failed attempt(s)",
                self._failures,
            )
        self._failures = 0
        self._down_until = None
        self._used_at = self._clock.monotonic()


def _in_asyncio() -> bool:
    return running_asyncio_loop() is not None
