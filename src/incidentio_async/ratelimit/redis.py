"""A rate limiter shared by many processes and hosts through Redis (asyncio only).

The buckets of every scope (the key's, and each operation's own once learned; see
:mod:`incidentio_async.ratelimit`) and their 429 pauses live in Redis and are updated by one
Lua script (:mod:`.redis_lua`, which also documents the key names) on the Redis server's
clock. Scopes learned by one process are recorded beside the buckets, so every process
sharing the key paces those operations too. The concurrency cap stays per process.

**Redis is untrusted and may fail.** What the script reads is checked there and what it
answers is checked here (:func:`~.redis_lua.parse_reply`); no wait it asks for outlasts the
request's budget. If Redis cannot be reached or refuses (a wrong password, a user without
the right to run scripts, no memory left, ...), each process falls back to a conservative
share of each limit, warns with what to fix, again every minute while it lasts, and tries
Redis again later; requests never fail because of Redis.

Redis losing a bucket, or coming back after an outage, must not look like a full bucket: the
processes went on spending, so the API's bucket may well be empty, and trusting Redis would
send a burst of requests into 429s. Hence:

* A limiter that used a bucket within :data:`~.redis_lua.KEY_IDLE_LIFETIME` (a day; the key
  lives that long after it is full) and finds it gone knows Redis lost it: the bucket starts
  again empty, refilling at the rate. A limiter that never used it (first use of the key, or a
  process started after a day's idleness) starts it at ``initial_tokens``, full by default as
  for a fresh :class:`~.local.RateLimiter`: an empty start would cost every new job up to
  ``capacity / refill_rate`` (60 s) of burst. Set ``initial_tokens=0`` if Redis and every
  process can restart together right after heavy use.
* The first call on each bucket after a failure empties it before doing its work: its stored
  level predates the outage, and the spending during it was on local shares only. Emptying is
  cheap when the key is busy (its bucket is near empty anyway) and costs an idle key at most
  the 60 s of refill.

This module does not import ``redis`` until a :class:`RedisRateLimiter` is built.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import anyio

from incidentio_async._event_loop import running_asyncio_loop
from incidentio_async.clock import SYSTEM_CLOCK, Clock
from incidentio_async.ratelimit.admission import Admission, TryTake
from incidentio_async.ratelimit.bucket import (
    SYNC_TOLERANCE,
    TokenBucket,
    reserve_tokens,
    scope_reserve,
    validate_concurrency,
    validate_limits,
)
from incidentio_async.ratelimit.headers import MAX_PAUSE_SECONDS, Quota, pause_seconds
from incidentio_async.ratelimit.keys import api_key_id
from incidentio_async.ratelimit.local import (
    DEFAULT_CAPACITY,
    DEFAULT_MAX_CONCURRENCY,
    DEFAULT_REFILL_RATE,
    DEFAULT_SAFETY_MARGIN,
)
from incidentio_async.ratelimit.observe import Recorder, logger
from incidentio_async.ratelimit.perloop import PerLoop
from incidentio_async.ratelimit.protocol import KEY_SCOPE, LimitedRequest
from incidentio_async.ratelimit.redis_failures import FailureLog, classify
from incidentio_async.ratelimit.redis_lua import (
    BUCKET_SCRIPT,
    BUCKET_SCRIPT_SHA,
    CLOCK_STEPPED,
    KEY_IDLE_LIFETIME,
    OTHER_LIMITS,
    REPAIRED_TYPE,
    REPAIRED_VALUE,
    BucketReply,
    parse_reply,
    registry_key,
    scope_key,
    script_args,
)
from incidentio_async.ratelimit.scope_state import MAX_SCOPES, ScopeState
from incidentio_async.ratelimit.scopes import (
    Reading,
    charged,
    paused_scope,
    read_response,
    same_limit,
)
from incidentio_async.ratelimit.stats import EventCallback, LimiterStats, ScopeStats

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


async def _run_script(client: Redis, keys: list[str], args: list[str]) -> object:
    """Run the bucket script on ``keys`` (the scope's bucket, the registry); its raw reply."""
    from redis.exceptions import NoScriptError

    try:
        raw: Any = await client.evalsha(BUCKET_SCRIPT_SHA, len(keys), *keys, *args)
    except NoScriptError:  # first use on this server, or after SCRIPT FLUSH / a restart
        raw = await client.eval(BUCKET_SCRIPT, len(keys), *keys, *args)
    return raw


@dataclass
class _ClientSlot:
    """The Redis client built from the URL for one event loop."""

    client: Redis | None = None


@dataclass
class _Seen:
    """A bucket as Redis last described it."""

    tokens: float
    at: float
    """``clock.monotonic()`` time of the reply."""
    paused_until: float | None = None


class RedisRateLimiter:
    """Keeps many processes (on any hosts) sharing one API key within incident.io's limits.

    ``redis`` is a URL (``redis://host:6379/0``; a client is made per event loop) or a
    ``redis.asyncio.Redis`` or ``redis.asyncio.RedisCluster`` (used as given, so in the event
    loop it belongs to). The key's bucket (``capacity`` tokens, refilled at ``refill_rate``
    per second, ``safety_margin`` held back), the buckets of operations with a limit of their
    own (learned from the responses, by any process), and the 429 pauses are shared through
    Redis; ``max_concurrency`` is per process.

    The buckets are named after the API key's hash, never the key: pass ``api_key`` here or let
    the client call :meth:`bind_api_key`; or pass ``namespace`` to name the bucket yourself
    (then :meth:`bind_api_key` does nothing). The key's bucket is ``f"{key_prefix}:{id}"``;
    the other keys are derived from it (see :mod:`.redis_lua`), in the same Redis Cluster slot.

    If Redis cannot be reached (or answers slower than ``backend_timeout`` seconds) or refuses,
    requests go on at ``fallback_share`` of each limit (set it to about 1/number of processes),
    a warning saying what failed is logged on the ``incidentio_async`` logger (again every
    minute while it lasts), and Redis is tried again after ``backend_retry_interval`` seconds,
    doubling up to 30 s while it stays down. When Redis is back, each shared bucket starts again
    empty, refilling at its rate.

    ``initial_tokens`` is the level of a key bucket Redis does not hold yet when this limiter
    first uses it (default: full). A bucket that disappears after the limiter used it (Redis
    flushed, restarted or evicted it) starts again empty.

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
        if self._bucket_id is not None:
            registry_key(self._bucket_key_of(self._bucket_id))  # braces that break slots
        self._recorder = Recorder(on_event)
        self.stats: LimiterStats = self._recorder.stats
        """Counters of what this limiter did, all scopes together (see :meth:`scope_stats`)."""
        self._fallback_share = fallback_share
        self._backend_timeout = backend_timeout
        self._backend_retry_interval = backend_retry_interval
        self._mutex = threading.Lock()  # guards the fallback buckets across threads' loops
        self._name = f"incidentio_async.RedisRateLimiter:{id(self)}"
        self._key = ScopeState(
            KEY_SCOPE,
            Quota(self._capacity, self._rate),
            self._share(self._capacity, self._rate, safety_margin),
            self._name,
        )
        self._fallback = self._key.bucket
        self._scopes: dict[str, ScopeState] = {}
        self._failures = 0
        self._down_until: float | None = None
        self._failure_log = FailureLog()
        self._initial_tokens = self._capacity if initial_tokens is None else initial_tokens
        # Buckets whose first call after an outage must empty them.
        self._stale: set[str] = set()
        # What Redis last said of each bucket, and when: a Remaining above it cannot be news
        # (saves a round trip per response); a key missing within a day of it was lost, not
        # expired, and the API's bucket may be empty.
        self._seen: dict[str, _Seen] = {}
        self._registry_size = 0
        self._admission = Admission(self._name, max_concurrency, self._clock, self._recorder)
        self._clients = PerLoop(f"incidentio_async.RedisRateLimiter.client:{id(self)}", _ClientSlot)

    def _share(self, capacity: float, rate: float, safety_margin: float) -> TokenBucket:
        """The local share of a limit, used while Redis is away."""
        share_capacity = max(1.0, capacity * self._fallback_share)
        return TokenBucket(
            share_capacity,
            rate * self._fallback_share,
            reserve_tokens(share_capacity, safety_margin),
            self._clock.monotonic(),
        )

    def __repr__(self) -> str:
        return (
            f"RedisRateLimiter(bucket_key={self.bucket_key!r}, capacity={self._capacity:g}, "
            f"refill_rate={self._rate:g}, max_concurrency={self.max_concurrency})"
        )

    # -- naming the buckets --------------------------------------------------------------

    def bind_api_key(self, api_key: str) -> None:
        """Use the shared buckets of ``api_key`` (the client calls this with its key).

        Only a hash of the key is kept. Binding the same key again is harmless; binding a
        different one raises :class:`ValueError` (use one limiter per key). Does nothing if
        the limiter was given a ``namespace``.
        """
        key_id = api_key_id(api_key)
        if self._fixed_namespace:
            return
        if self._bucket_id is None:
            registry_key(self._bucket_key_of(key_id))
            self._bucket_id = key_id
        elif self._bucket_id != key_id:
            raise ValueError(
                "this RedisRateLimiter is already bound to another API key; "
                "use one RedisRateLimiter per key"
            )

    def _bucket_key_of(self, bucket_id: str) -> str:
        return f"{self._key_prefix}:{bucket_id}"

    @property
    def bucket_key(self) -> str | None:
        """The Redis key holding the key scope's bucket, or ``None`` until a key is bound."""
        if self._bucket_id is None:
            return None
        return self._bucket_key_of(self._bucket_id)

    def redis_keys(self, scope: str = KEY_SCOPE) -> tuple[str, str]:
        """The Redis keys of ``scope``'s bucket and of the registry of learned scopes."""
        bucket_key = self._require_key()
        bucket = bucket_key if scope == KEY_SCOPE else scope_key(bucket_key, scope)
        return bucket, registry_key(bucket_key)

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
        """Size of the key's shared bucket."""
        return self._capacity

    @property
    def refill_rate(self) -> float:
        """Tokens added to the key's shared bucket per second."""
        return self._rate

    @property
    def reserve(self) -> float:
        """Tokens of the key's bucket never handed out, to absorb jitter."""
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
        """False while Redis is considered down and the local shares are in use."""
        return self._failures == 0

    async def peek_tokens(self) -> float | None:
        """The key's shared bucket's level now, from Redis (``None`` if Redis fails)."""
        reply = await self._call("peek", self._key)
        return None if reply is None else reply.tokens

    def scope_of(self, operation: str | None) -> str:
        """The scope that limits ``operation`` beyond the key's: the operation itself once
        its own limit is learned, else ``"key"`` (for telemetry's ``rate_limit.scope``)."""
        return operation if operation is not None and operation in self._scopes else KEY_SCOPE

    def scope_stats(self) -> dict[str, ScopeStats]:
        """Figures per scope: the key's (``"key"``) first, then each operation scope learned
        (here or by another process). Tokens are what Redis last said, refilled to now; waits,
        429s and pauses are this process's."""
        now = self._clock.monotonic()
        with self._mutex:
            scopes = [self._key, *self._scopes.values()]
            figures = {}
            for scope in scopes:
                seen = self._seen.get(scope.name)
                paused = scope.bucket.paused_until(now)
                if seen is None:
                    tokens = scope.quota.capacity
                elif seen.paused_until is not None and seen.paused_until > now:
                    tokens, paused = seen.tokens, max(paused or 0.0, seen.paused_until)
                else:
                    start = max(seen.at, seen.paused_until or seen.at)
                    tokens = min(
                        scope.quota.capacity, seen.tokens + (now - start) * scope.quota.rate
                    )
                figures[scope.name] = scope.stats(now, tokens, paused)
        figures[KEY_SCOPE] = replace(figures[KEY_SCOPE], waiting=self._admission.key_waiting)
        return figures

    # -- Limiter -------------------------------------------------------------------------

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        """Wait for a token of the request's operation scope (if one is known), then a
        concurrency slot, a token from the key's shared bucket and the end of any shared
        pause; take them.

        Waiters in this process are served in order of their call's start; none waits beyond
        ``request.budget`` (:class:`~incidentio_async.ratelimit.RateLimitBudgetExceeded`).
        Cancellation while waiting takes no slot and gives back an operation's token; it can
        cost at most one shared token if it lands during a Redis round trip.
        """
        _require_asyncio()
        self._require_key()
        own: tuple[ScopeState, TryTake, TryTake] | None = None
        if request is not None and request.operation is not None:
            scope = self._scopes.get(request.operation)
            if scope is not None:
                own = (scope, self._checker(scope), self._taker(scope))
        await self._admission.acquire(request, self._taker(self._key), self._refund_key, own)

    def _taker(self, scope: ScopeState) -> TryTake:
        async def take() -> float | None:
            return await self._try_take(scope)

        return take

    def _checker(self, scope: ScopeState) -> TryTake:
        async def check() -> float | None:
            return await self._try_take(scope, take=False)

        return check

    async def _refund_key(self) -> None:
        with self._mutex:
            self._fallback.refund(self._clock.monotonic())
        if self._backend_due():
            await self._call("refund", self._key)

    async def _try_take(self, scope: ScopeState, take: bool = True) -> float | None:
        """Take a token of ``scope`` (return ``None``) or return how long to wait first;
        with ``take=False``, only say whether one is there."""
        if self._backend_due():
            reply = await self._call("take" if take else "check", scope)
            if reply is not None:
                if reply.ok:
                    return None
                # Never 0 when not taken: that would read as "taken".
                return max(reply.seconds, 1e-3)
        now = self._clock.monotonic()
        with self._mutex:
            wait = scope.bucket.try_take(now) if take else scope.bucket.delay(now)
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
        self,
        status_code: int,
        headers: Mapping[str, str],
        retry_after: float | None,
        request: LimitedRequest | None = None,
    ) -> None:
        """Learn from a response to ``request``: an operation's own limit from
        ``X-RateLimit-Limit`` (recorded in Redis for every process); on a 429, pause the
        binding scope in every process for ``retry_after`` seconds (or a default) and empty it
        (the key's, or one that cannot be attributed: everyone); otherwise lower the binding
        scope's shared estimate to ``X-RateLimit-Remaining`` if that is lower. Never raises
        because of Redis."""
        operation = None if request is None else request.operation
        reading = read_response(headers, self._key.quota)
        shared = self.bucket_key is not None and _in_asyncio()
        own = await self._learn(operation, reading, shared)
        shared = shared and self._backend_due()
        now = self._clock.monotonic()
        if status_code == 429:
            scope = paused_scope(reading, self._key, own)
            if reading.binding == "own":
                # Refused by the operation's own limit: the key's bucket did not pay for it.
                with self._mutex:
                    self._fallback.refund(now)
                if shared:
                    await self._call("refund", self._key)
            if scope is None:
                self._recorder.rate_limited(pause_seconds(retry_after, self._rate), "unscoped")
                return
            pause = pause_seconds(retry_after, scope.quota.rate)
            # The local share learns too, in case Redis goes away during the pause.
            with self._mutex:
                scope.pause(now, pause)
            self._recorder.rate_limited(pause, scope.name)
            if shared:
                await self._call("pause", scope, pause)
            return
        scope = charged(reading, self._key, own)
        remaining = reading.remaining
        if scope is None or remaining is None:
            return
        with self._mutex:
            scope.bucket.lower(now, remaining)
        seen = self._seen.get(scope.name)
        last = scope.quota.capacity if seen is None else seen.tokens
        if shared and last - remaining > SYNC_TOLERANCE:
            await self._call("lower", scope, remaining)

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

    # -- scopes ----------------------------------------------------------------------------

    async def _learn(
        self, operation: str | None, reading: Reading, shared: bool
    ) -> ScopeState | None:
        """The operation's scope, created (or resized) from the limit the response lists as
        the operation's own, and recorded in Redis for the other processes."""
        if operation is None:
            return None
        quota = reading.own
        scope = self._scopes.get(operation)
        if quota is None or (scope is not None and same_limit(scope.quota, quota)):
            return scope
        scope = self._adopt(operation, quota)
        if scope is not None and shared and self._backend_due():
            await self._call("learn", scope)
        return scope

    def _adopt(self, operation: str, quota: Quota) -> ScopeState | None:
        """Hold ``operation``'s scope with ``quota`` (new, or resized)."""
        now = self._clock.monotonic()
        scope = self._scopes.get(operation)
        if scope is not None:
            with self._mutex:
                scope.quota = quota
                share = self._share(quota.capacity, quota.rate, 0.0)
                scope.bucket.resize(now, share.capacity, share.rate, share.reserve)
            return scope
        if len(self._scopes) >= MAX_SCOPES:
            logger.debug("rate limiter: not learning more than %d operation scopes", MAX_SCOPES)
            return None
        scope = ScopeState(
            operation, quota, self._share(quota.capacity, quota.rate, 0.0), self._name
        )
        with self._mutex:  # scope_stats() reads the scopes from other threads (metrics)
            self._scopes[operation] = scope
        logger.info(
            "rate limiter: %s has a limit of its own (%s); pacing it apart from the key's",
            operation,
            quota,
        )
        return scope

    async def _refresh_scopes(self) -> None:
        """Read the scopes other processes learned."""
        reply = await self._call("scopes", self._key)
        if reply is None or reply.registry is None:
            return
        self._registry_size = reply.scopes
        for name, quota in reply.registry.items():
            scope = self._scopes.get(name)
            if scope is None or not same_limit(scope.quota, quota):
                self._adopt(name, quota)

    def _reserve_of(self, scope: ScopeState) -> float:
        if scope is self._key:
            return self._reserve
        return scope_reserve(scope.quota.capacity, scope.quota.rate, self._reserve / self._rate)

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

    def _missing_level(self, scope: ScopeState, now: float) -> float:
        """Tokens to assume if Redis holds no bucket: if this limiter used it too recently for
        it to have expired, Redis lost it while it was in use, and the API's bucket may be
        empty; otherwise this is a first use."""
        seen = self._seen.get(scope.name)
        if seen is not None and now - seen.at < KEY_IDLE_LIFETIME:
            return 0.0
        return self._initial_tokens if scope is self._key else scope.quota.capacity

    async def _call(self, op: str, scope: ScopeState, argument: float = 0.0) -> BucketReply | None:
        """Run one operation on ``scope``'s bucket; on any failure switch to the local shares
        and return ``None``. Never raises (except cancellation).

        The first call on a bucket after a failure (``peek`` included) empties it first."""
        keys = list(self.redis_keys(scope.name))
        now = self._clock.monotonic()
        quota = scope.quota
        on_bucket = op not in ("learn", "scopes")
        args = script_args(
            op,
            quota.capacity,
            quota.rate,
            self._reserve_of(scope),
            argument,
            missing=self._missing_level(scope, now),
            drain=on_bucket and scope.name in self._stale,
            scope="" if scope is self._key else scope.name,
        )
        # The longest wait the script can truthfully ask for: a whole pause, then a refill.
        longest = MAX_PAUSE_SECONDS + (self._reserve_of(scope) + 1) / quota.rate
        try:
            with anyio.fail_after(self._backend_timeout):
                raw = await _run_script(self._client(), keys, args)
            reply = parse_reply(raw, quota.capacity, longest)
        except Exception as exc:
            self._backend_failed(exc)
            return None
        self._backend_ok()
        if reply.repairs:
            self._warn_repairs(scope, reply)
        if on_bucket:
            self._stale.discard(scope.name)
            self._note(scope, op, reply)
            if scope is self._key and reply.scopes != self._registry_size:
                await self._refresh_scopes()  # another process learned a scope
        return reply

    def _note(self, scope: ScopeState, op: str, reply: BucketReply) -> None:
        """Keep what Redis said of the bucket."""
        now = self._clock.monotonic()
        paused = (
            now + reply.seconds if op in ("pause", "peek", "refund") and reply.seconds else None
        )
        self._seen[scope.name] = _Seen(reply.tokens, now, paused)

    def _warn_repairs(self, scope: ScopeState, reply: BucketReply) -> None:
        """Warn about what the script had to repair (at most once a minute for each kind)."""
        now = self._clock.monotonic()
        where = "the key's bucket" if scope is self._key else f"the bucket of {scope.name}"
        log = self._failure_log
        if reply.repairs & REPAIRED_TYPE:
            log.warn_once_per_interval(
                "repaired type",
                now,
                "rate limiter: a Redis key of the rate limiter held another type of value; it "
                "was deleted and rebuilt (is something else writing under the key prefix %r?)",
                self._key_prefix,
            )
        if reply.repairs & REPAIRED_VALUE:
            log.warn_once_per_interval(
                "repaired value",
                now,
                "rate limiter: Redis held values for %s that are not numbers in range; they "
                "were replaced (the bucket starts again empty)",
                where,
            )
        if reply.repairs & CLOCK_STEPPED:
            log.warn_once_per_interval(
                "clock step",
                now,
                "rate limiter: the Redis server's clock stepped (or %s held a time far ahead); "
                "the bucket was moved to the clock instead of waiting out the step",
                where,
            )
        if reply.repairs & OTHER_LIMITS and reply.stored_limit is not None:
            other = reply.stored_limit
            log.warn_once_per_interval(
                "other limits",
                now,
                "rate limiter: another process shares %s with capacity %g and refill_rate %g/s, "
                "this one with %g and %g/s: configure every process alike",
                where,
                other.capacity,
                other.rate,
                scope.quota.capacity,
                scope.quota.rate,
            )

    def _backend_failed(self, exc: Exception) -> None:
        now = self._clock.monotonic()
        if self._down_until is not None and now < self._down_until:
            # Another call that was under way when Redis failed: the same failure, counted
            # once (the retry interval doubles per window, not per call).
            logger.debug("rate limiter: Redis call failed (%s)", type(exc).__name__)
            return
        failure = classify(exc)
        self._failures += 1
        interval = min(MAX_RETRY_INTERVAL, self._backend_retry_interval * 2 ** (self._failures - 1))
        self._down_until = now + interval
        # Only our classification and the exception's type: messages can carry connection
        # details.
        self._recorder.backend_error(
            f"{failure.kind} ({type(exc).__name__}); retrying in {interval:g}s"
        )
        if self._failures == 1:
            # The shared buckets may have been empty: start the local shares empty too (one
            # request now, then their refill rate) rather than with a burst; and empty the
            # shared ones when Redis answers again.
            with self._mutex:
                for scope in (self._key, *self._scopes.values()):
                    scope.bucket.pause(now, 0.0)
            self._stale = {KEY_SCOPE, *self._scopes}
        self._failure_log.failed(
            failure,
            now,
            f"limiting this process to {self._fallback_share * 100:g}% of each rate limit",
            interval,
        )

    def _backend_ok(self) -> None:
        if self._failures:
            logger.info(
                "rate limiter: Redis is reachable again after %d failed attempt(s)",
                self._failures,
            )
            self._failure_log.recovered()
        self._failures = 0
        self._down_until = None


def _in_asyncio() -> bool:
    return running_asyncio_loop() is not None
