"""The deduplication store several workers share, in Redis (the ``redis`` extra; asyncio only).

Each delivery is one key, ``f"{prefix}:{webhook-id}"``: ``"done"`` for ``ttl`` seconds once
handled, or a claim token (``"claim:<random>"``) for ``lease`` seconds while a worker handles
it. Claiming and releasing are Lua scripts, so that two workers never both take a delivery and
a worker only releases its own claim. This module imports ``redis`` when a store is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..ratelimit.perloop import PerLoop
from .store import DEFAULT_LEASE, DEFAULT_TTL, Claim, check_seconds

if TYPE_CHECKING:
    from redis.asyncio import Redis

DEFAULT_PREFIX = "incidentio_async:webhook"

_DONE = "done"
_CLAIM_PREFIX = "claim:"

# KEYS[1] the delivery; ARGV[1] this claim's token, ARGV[2] the lease in milliseconds.
_CLAIM = """
local found = redis.call('GET', KEYS[1])
if found then
  if found == 'done' then return 'done' end
  return 'in_progress'
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 'new'
"""

# KEYS[1] the delivery; ARGV[1] this claim's token: only the claimant may release it.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

_MISSING_REDIS = (
    "RedisDeliveryStore needs the redis package (redis-py >= 5): "
    "pip install 'incidentio-async[redis]'"
)


class RedisDeliveryStore:
    """Deliveries of every worker sharing one Redis: a duplicate delivered to another worker
    is still a duplicate.

    ``redis`` is a URL (``redis://host:6379/0``; a client is made per event loop) or a
    ``redis.asyncio.Redis`` (used as given). If Redis cannot be reached, ``claim`` raises and
    the receiver answers 503 without calling the handler: incident.io delivers again later.
    """

    def __init__(
        self,
        redis: str | Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        ttl: float = DEFAULT_TTL,
        lease: float = DEFAULT_LEASE,
        timeout: float = 5.0,
    ) -> None:
        _require_redis()
        for name, value in (("ttl", ttl), ("lease", lease), ("timeout", timeout)):
            check_seconds(name, value)
        if not isinstance(prefix, str) or not prefix:
            raise ValueError("prefix must be a non-empty string")
        self.prefix = prefix
        self.ttl = float(ttl)
        self.lease = float(lease)
        self._url = redis if isinstance(redis, str) else None
        self._given = None if isinstance(redis, str) else redis
        self._clients: PerLoop[Redis] = PerLoop(
            "incidentio_async.webhooks.redis", lambda: _client_from_url(self._url or "", timeout)
        )

    def _client(self) -> Redis:
        return self._given if self._given is not None else self._clients.get()

    def _key(self, delivery_id: str) -> str:
        return f"{self.prefix}:{delivery_id}"

    async def claim(self, delivery_id: str, token: str) -> Claim:
        """Take ``delivery_id`` for the attempt holding ``token`` unless another attempt has
        it or it is done (one Lua call)."""
        lease_ms = str(max(1, round(self.lease * 1000)))
        found: Any = await self._client().eval(
            _CLAIM, 1, self._key(delivery_id), _CLAIM_PREFIX + token, lease_ms
        )
        return Claim(found.decode() if isinstance(found, bytes) else found)

    async def complete(self, delivery_id: str) -> None:
        """Mark ``delivery_id`` handled for ``ttl`` seconds."""
        await self._client().set(self._key(delivery_id), _DONE, px=max(1, round(self.ttl * 1000)))

    async def release(self, delivery_id: str, token: str) -> None:
        """Drop the claim ``token`` took on ``delivery_id`` (never another attempt's)."""
        await self._client().eval(_RELEASE, 1, self._key(delivery_id), _CLAIM_PREFIX + token)

    async def aclose(self) -> None:
        """Close the connection this store made from its URL (not a client given to it)."""
        client = self._clients.peek()
        if client is not None:
            await client.aclose()

    def __repr__(self) -> str:
        return f"<RedisDeliveryStore prefix={self.prefix!r} ttl={self.ttl:g}s>"


def _require_redis() -> None:
    try:
        import redis.asyncio  # noqa: F401
    except ImportError as exc:
        raise ImportError(_MISSING_REDIS) from exc


def _client_from_url(url: str, timeout: float) -> Redis:
    from redis.asyncio import Redis

    return Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
