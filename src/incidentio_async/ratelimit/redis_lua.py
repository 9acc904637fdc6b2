"""The token bucket as a Redis Lua script, so that every process updates it atomically.

It applies the rules of :class:`~incidentio_async.ratelimit.bucket.TokenBucket`, line for line,
to a hash holding ``t`` (tokens) and ``u`` (when ``t`` was true; in the future while paused). It
reads the Redis server's clock (``TIME``), so clients' clocks may disagree, and replies with
durations, which mean the same on every host. No ``redis`` import here; :mod:`.redis` runs it.

A missing key says nothing about the API's bucket: it is either a key never used (or idle for
:data:`KEY_IDLE_LIFETIME`), whose bucket is full, or one Redis lost while it was in use
(``FLUSHALL``, a restart without persistence, eviction), whose bucket may be empty. Only the
caller can tell, so it passes the level to start from. The bucket is stored as soon as it is
created, even by ``peek``: the first caller's level then holds for all, and once a call has
succeeded the key exists for at least that lifetime. The caller can also ask for the bucket to
be emptied first (``drain``): after an outage its refill arithmetic has not seen what the
processes spent meanwhile on their local shares.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from incidentio_async.ratelimit.bucket import EPSILON, SYNC_TOLERANCE

KEY_IDLE_LIFETIME = 86400.0
"""Seconds a bucket's key outlives the moment it would be full again, so that a limiter that
used the key within that time knows a missing key was lost, not expired."""

OPERATIONS = ("take", "pause", "lower", "peek")
"""``take`` one token or learn the wait; ``pause`` for ARGV[5] seconds; ``lower`` the estimate to
ARGV[5]; ``peek`` at the level."""

BUCKET_SCRIPT = f"""
local key = KEYS[1]
local op = ARGV[1]
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local reserve = tonumber(ARGV[4])
local arg = tonumber(ARGV[5])
local missing = tonumber(ARGV[7])
local drain = ARGV[8] == '1'
local now
if ARGV[6] ~= '' then
  now = tonumber(ARGV[6])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local eps = {EPSILON!r}
local tolerance = {SYNC_TOLERANCE!r}
local lifetime = {KEY_IDLE_LIFETIME!r}

local function fmt(x)
  return string.format('%.17g', x)
end

local state = redis.call('HMGET', key, 't', 'u')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
local dirty = false
if tokens == nil or updated == nil then
  tokens = math.min(capacity, math.max(0, missing))
  updated = now
  dirty = true
end
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate)
  updated = now
end

local function save()
  redis.call('HSET', key, 't', fmt(tokens), 'u', fmt(updated))
  local ttl = (updated - now) + (capacity - tokens) / rate + lifetime
  redis.call('PEXPIRE', key, math.ceil(ttl * 1000))
end

-- TokenBucket.lower: never while paused, never up, and never by a rounding error.
local function lower_to(level)
  if now < updated or tokens - level <= tolerance then
    return false
  end
  tokens = math.max(0, level)
  return true
end

if drain and lower_to(0) then
  dirty = true
end
if dirty then
  save()
end

if op == 'take' then
  local shortfall = reserve + 1 - tokens
  local refill_wait = 0
  local _, exponent = math.frexp(now)
  if shortfall > math.max(eps, 4 * rate * 2 ^ (exponent - 53)) then
    refill_wait = shortfall / rate
  end
  local wait = math.max(0, updated - now) + refill_wait
  if wait > 0 then
    return {{0, fmt(wait), fmt(tokens)}}
  end
  tokens = tokens - 1
  save()
  return {{1, '0', fmt(tokens)}}
elseif op == 'pause' then
  updated = math.max(updated, now + math.max(0, arg))
  tokens = math.min(capacity, reserve + 1)
  save()
  return {{1, fmt(updated - now), fmt(tokens)}}
elseif op == 'lower' then
  if now < updated then
    return {{0, fmt(updated - now), fmt(tokens)}}
  end
  if lower_to(arg) then
    save()
    return {{1, '0', fmt(tokens)}}
  end
  return {{0, '0', fmt(tokens)}}
elseif op == 'peek' then
  return {{1, fmt(math.max(0, updated - now)), fmt(tokens)}}
end
return redis.error_reply('unknown operation ' .. tostring(op))
"""
"""The script. KEYS[1]: the bucket hash. ARGV: operation, capacity, rate, reserve, argument,
now ('' means Redis ``TIME``; tests pass a time to compare with TokenBucket), the level of a
bucket the key does not hold yet, and '1' to drain the bucket before the operation. Replies
``{flag, seconds, tokens}`` with numbers as strings, because Redis truncates Lua floats."""

BUCKET_SCRIPT_SHA = hashlib.sha1(BUCKET_SCRIPT.encode("utf-8")).hexdigest()
"""For ``EVALSHA``: the script is sent in full only when the server does not know it yet."""


@dataclass(frozen=True)
class BucketReply:
    """What the script answered."""

    ok: bool
    """``take``: a token was taken; ``lower``: the estimate was lowered; else true."""
    seconds: float
    """``take``: seconds to wait if not ok; ``pause``/``peek``/``lower``: pause left."""
    tokens: float
    """The bucket's level after the operation (at the pause end while paused)."""


def script_args(
    op: str,
    capacity: float,
    rate: float,
    reserve: float,
    argument: float = 0.0,
    now: float | None = None,
    *,
    missing: float | None = None,
    drain: bool = False,
) -> list[str]:
    """ARGV for :data:`BUCKET_SCRIPT`; ``now`` only in tests (production uses Redis time).

    ``missing`` is the level to start from if Redis holds no bucket (default: full); ``drain``
    empties the bucket (as ``lower`` to 0 would) before the operation."""
    if op not in OPERATIONS:
        raise ValueError(f"unknown bucket operation {op!r}")
    numbers = (capacity, rate, reserve, argument)
    return [
        op,
        *(repr(float(n)) for n in numbers),
        "" if now is None else repr(float(now)),
        repr(float(capacity if missing is None else missing)),
        "1" if drain else "0",
    ]


def _text(value: object) -> str:
    return value.decode("ascii") if isinstance(value, bytes) else str(value)


def parse_reply(raw: object) -> BucketReply:
    """Decode the script's reply (bytes or str, depending on the client's decoding)."""
    if not isinstance(raw, list | tuple) or len(raw) != 3:
        raise ValueError(f"unexpected reply from the rate-limit script: {raw!r}")
    flag, seconds, tokens = raw
    return BucketReply(
        ok=int(_text(flag)) == 1, seconds=float(_text(seconds)), tokens=float(_text(tokens))
    )
