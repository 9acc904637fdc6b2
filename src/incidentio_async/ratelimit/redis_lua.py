"""The token buckets as one Redis Lua script, so that every process updates them atomically.

**Keys** (stable; documented in the README). For a key's bucket named ``B`` (see
:class:`~.redis.RedisRateLimiter`: ``incidentio_async:ratelimit:<hash of the API key>``):

- ``B``: the key scope's bucket, a hash;
- ``{B}:scope:<h>``: the bucket of an operation scope, a hash (``<h>``: the first 16 hex digits
  of the SHA-1 of the scope's name, e.g. of ``POST /v3/follow_ups/{id}/actions/...``);
- ``{B}:scopes``: the scopes learned, a hash from scope name to ``"<capacity> <rate>"``.

The braces are a Redis Cluster hash tag: Cluster places ``{B}:...`` in the slot of ``B``, so a
key's buckets and registry share one slot and one script can touch them. (If ``B`` already
holds a hash tag, the suffixes are appended to ``B`` as it is.)

**A bucket** holds ``t`` (tokens), ``u`` (when ``t`` was true; in the future while paused),
``n`` (the server's clock when last written), ``c`` and ``r`` (the capacity and rate of the
process that last wrote it). It applies the rules of
:class:`~incidentio_async.ratelimit.bucket.TokenBucket`, line for line, on the Redis server's
clock (``TIME``), so clients' clocks may disagree, and replies with durations, which mean the
same on every host. No ``redis`` import here; :mod:`.redis` runs it.

**Stored values are untrusted.** A value that is not a finite number, or is out of range, is
replaced (tokens clamped to [0, capacity]; a bucket that cannot be read starts again empty).
A write time ``n`` ahead of the clock means the server's clock stepped back (an NTP step, a VM
restored, a failover to a lagging replica): the bucket is moved back by the same step, so a
pause keeps its length instead of growing by the step. A ``u`` further ahead than the longest
pause (:data:`~.headers.MAX_PAUSE_SECONDS`) is no pause but a step or a foreign value: the
bucket starts again empty. A key of another type in our namespace is deleted and rebuilt. The
reply says what was repaired, and the caller warns.

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
import math
import re
from dataclasses import dataclass

from incidentio_async.ratelimit.bucket import EPSILON, SYNC_TOLERANCE
from incidentio_async.ratelimit.headers import (
    MAX_PAUSE_SECONDS,
    MAX_QUOTA,
    MAX_WINDOW,
    MIN_WINDOW,
    Quota,
)

KEY_IDLE_LIFETIME = 86400.0
"""Seconds a bucket's key outlives the moment it would be full again, so that a limiter that
used the key within that time knows a missing key was lost, not expired."""

CLOCK_STEP_TOLERANCE = 1.0
"""Seconds the server's clock may seem to go back (its own jitter) before it counts as a step."""

OPERATIONS = ("take", "check", "pause", "lower", "peek", "refund", "learn", "scopes")
"""``take`` one token or learn the wait; ``check`` whether one could be taken (the wait, or
ok), taking nothing; ``pause`` for the argument's seconds; ``lower`` the
estimate to the argument; ``peek`` at the level; ``refund`` a token not used; ``learn`` (record
the scope's limit in the registry); ``scopes`` (read the registry)."""

REPAIRED_TYPE = 1
"""Reply flag: a key of another type stood where a bucket or the registry belongs; deleted."""
REPAIRED_VALUE = 2
"""Reply flag: a stored value was not a number in range; replaced."""
CLOCK_STEPPED = 4
"""Reply flag: the server's clock stepped (back, or a time too far ahead); the bucket moved."""
OTHER_LIMITS = 8
"""Reply flag: the bucket was last written by a process configured with another capacity or
rate (the reply carries them)."""

BUCKET_SCRIPT = f"""
local key = KEYS[1]
local registry = KEYS[2]
local op = ARGV[1]
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local reserve = tonumber(ARGV[4])
local arg = tonumber(ARGV[5])
local missing = tonumber(ARGV[7])
local drain = ARGV[8] == '1'
local scope = ARGV[9]
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
local max_pause = {MAX_PAUSE_SECONDS!r}
local step_tolerance = {CLOCK_STEP_TOLERANCE!r}
local flags = 0

local function fmt(x)
  return string.format('%.17g', x)
end

local function finite(x)
  return x ~= nil and x == x and x ~= math.huge and x ~= -math.huge
end

local function flag(bit)
  if flags % (2 * bit) < bit then
    flags = flags + bit
  end
end

-- Our namespace holds hashes only: anything else there is repaired, not obeyed.
local function must_be_hash(name)
  local kind = redis.call('TYPE', name)['ok']
  if kind ~= 'none' and kind ~= 'hash' then
    redis.call('DEL', name)
    flag({REPAIRED_TYPE})
  end
end
must_be_hash(key)
must_be_hash(registry)

local function registry_size()
  return redis.call('HLEN', registry)
end

if op == 'scopes' then
  return {{1, '0', '0', registry_size(), flags, '', '', redis.call('HGETALL', registry)}}
end
if op == 'learn' then
  redis.call('HSET', registry, scope, fmt(capacity) .. ' ' .. fmt(rate))
  redis.call('PEXPIRE', registry, math.ceil(lifetime * 1000))
  return {{1, '0', '0', registry_size(), flags, '', ''}}
end

local state = redis.call('HMGET', key, 't', 'u', 'n', 'c', 'r')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
local written = tonumber(state[3])
local stored_capacity = state[4] or ''
local stored_rate = state[5] or ''
local dirty = false
if state[1] == false and state[2] == false then
  tokens = math.min(capacity, math.max(0, missing))
  updated = now
  dirty = true
elseif not finite(tokens) or not finite(updated) then
  -- Unreadable: start again empty, as after a loss while in use.
  tokens = 0
  updated = now
  dirty = true
  flag({REPAIRED_VALUE})
else
  if tokens < 0 or tokens > capacity then
    tokens = math.min(capacity, math.max(0, tokens))
    dirty = true
    flag({REPAIRED_VALUE})
  end
  if finite(written) and written > now + step_tolerance then
    -- The clock went back since the last write: move the bucket back by the same step.
    updated = updated - (written - now)
    dirty = true
    flag({CLOCK_STEPPED})
  end
  if updated > now + max_pause then
    tokens = 0
    updated = now
    dirty = true
    flag({CLOCK_STEPPED})
  end
end
local other_limits = (stored_capacity ~= '' and tonumber(stored_capacity) ~= capacity)
  or (stored_rate ~= '' and math.abs((tonumber(stored_rate) or 0) - rate) > 1e-9 * rate)
if other_limits then
  flag({OTHER_LIMITS})
  dirty = true
end
if now > updated then
  tokens = math.min(capacity, tokens + (now - updated) * rate)
  updated = now
end

local function save()
  redis.call('HSET', key, 't', fmt(tokens), 'u', fmt(updated), 'n', fmt(now),
    'c', fmt(capacity), 'r', fmt(rate))
  local ttl = (updated - now) + (capacity - tokens) / rate + lifetime
  redis.call('PEXPIRE', key, math.ceil(ttl * 1000))
  if scope == '' then
    -- The key's scope keeps the registry of learned scopes alive while the key is in use.
    redis.call('PEXPIRE', registry, math.ceil(lifetime * 1000))
  end
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

local function reply(ok, seconds)
  return {{ok, fmt(seconds), fmt(tokens), registry_size(), flags, stored_capacity, stored_rate}}
end

if op == 'take' or op == 'check' then
  local shortfall = reserve + 1 - tokens
  local refill_wait = 0
  local _, exponent = math.frexp(now)
  if shortfall > math.max(eps, 4 * rate * 2 ^ (exponent - 53)) then
    refill_wait = shortfall / rate
  end
  local wait = math.max(0, updated - now) + refill_wait
  if wait > 0 then
    return reply(0, wait)
  end
  if op == 'check' then
    return reply(1, 0)
  end
  tokens = tokens - 1
  save()
  return reply(1, 0)
elseif op == 'pause' then
  updated = math.max(updated, now + math.min(max_pause, math.max(0, arg)))
  tokens = math.min(capacity, reserve + 1)
  save()
  return reply(1, updated - now)
elseif op == 'lower' then
  if now < updated then
    return reply(0, updated - now)
  end
  if lower_to(arg) then
    save()
    return reply(1, 0)
  end
  return reply(0, 0)
elseif op == 'refund' then
  if now >= updated then
    tokens = math.min(capacity, tokens + 1)
    save()
  end
  return reply(1, math.max(0, updated - now))
elseif op == 'peek' then
  return reply(1, math.max(0, updated - now))
end
return redis.error_reply('unknown operation ' .. tostring(op))
"""
"""The script. KEYS[1]: the scope's bucket; KEYS[2]: the registry of scopes. ARGV: operation,
capacity, rate, reserve, argument, now ('' means Redis ``TIME``; tests pass a time to compare
with TokenBucket), the level of a bucket the key does not hold yet, '1' to drain the bucket
before the operation, and the scope's name ('' for the key's). Replies ``{flag, seconds,
tokens, scopes in the registry, repair flags, stored capacity, stored rate}`` (numbers as
strings, because Redis truncates Lua floats), and for ``scopes`` the registry's fields and
values after those."""

BUCKET_SCRIPT_SHA = hashlib.sha1(BUCKET_SCRIPT.encode("utf-8")).hexdigest()
"""For ``EVALSHA``: the script is sent in full only when the server does not know it yet."""


@dataclass(frozen=True)
class BucketReply:
    """What the script answered, checked (see :func:`parse_reply`)."""

    ok: bool
    """``take``: a token was taken; ``lower``: the estimate was lowered; else true."""
    seconds: float
    """``take``: seconds to wait if not ok; ``pause``/``peek``/``lower``: pause left."""
    tokens: float
    """The bucket's level after the operation (at the pause end while paused)."""
    scopes: int = 0
    """How many scopes the registry holds."""
    repairs: int = 0
    """The repair flags (:data:`REPAIRED_TYPE`, ...)."""
    stored_limit: Quota | None = None
    """The capacity and rate stored with the bucket before this call, if any."""
    registry: dict[str, Quota] | None = None
    """For ``scopes``: the scopes learned, by name."""


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
    scope: str = "",
) -> list[str]:
    """ARGV for :data:`BUCKET_SCRIPT`; ``now`` only in tests (production uses Redis time).

    ``missing`` is the level to start from if Redis holds no bucket (default: full); ``drain``
    empties the bucket (as ``lower`` to 0 would) before the operation; ``scope`` is the
    scope's name ('' for the key's; ``learn`` records it)."""
    if op not in OPERATIONS:
        raise ValueError(f"unknown bucket operation {op!r}")
    numbers = (capacity, rate, reserve, argument)
    return [
        op,
        *(repr(float(n)) for n in numbers),
        "" if now is None else repr(float(now)),
        repr(float(capacity if missing is None else missing)),
        "1" if drain else "0",
        scope,
    ]


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _number(value: object, low: float, high: float) -> float:
    number = float(_text(value))
    if not math.isfinite(number):
        raise ValueError(f"a number that is not finite: {number!r}")
    return min(high, max(low, number))


def _quota(capacity: object, rate: object) -> Quota | None:
    """A limit read from Redis, if it is one the API could have sent (see :mod:`.headers`)."""
    try:
        c, r = float(_text(capacity)), float(_text(rate))
    except ValueError:
        return None
    if not (math.isfinite(c) and math.isfinite(r) and 1 <= c <= MAX_QUOTA and r > 0):
        return None
    if not MIN_WINDOW <= c / r <= MAX_WINDOW:
        return None
    return Quota(c, r)


SCOPE_NAME = re.compile(r"[A-Z]{1,10} /[\x21-\x7e]{0,500}")
"""What an operation scope's name looks like (``GET /v3/follow_ups/{id}``): a name read from
Redis that does not is not adopted (it would reach the logs)."""


def parse_reply(
    raw: object, capacity: float = math.inf, longest_wait: float = math.inf
) -> BucketReply:
    """Decode the script's reply (bytes or str, depending on the client's decoding), clamping
    what it says to what can be true: tokens in [0, ``capacity``], a wait in [0,
    ``longest_wait``]. A reply that is not the script's raises :class:`ValueError`."""
    if not isinstance(raw, list | tuple) or len(raw) not in (3, 7, 8):
        raise ValueError(f"unexpected reply from the rate-limit script: {str(raw)[:80]!r}")
    flag, seconds, tokens = raw[:3]
    scopes = repairs = 0
    stored = None
    registry = None
    if len(raw) >= 7:
        scopes, repairs = int(_text(raw[3])), int(_text(raw[4]))
        if _text(raw[5]):
            stored = _quota(raw[5], raw[6])
    if len(raw) == 8 and isinstance(raw[7], list | tuple):
        pairs = list(raw[7])
        registry = {}
        for name, value in zip(pairs[::2], pairs[1::2], strict=False):
            parts = _text(value).split()
            quota = _quota(*parts) if len(parts) == 2 else None
            if quota is not None and SCOPE_NAME.fullmatch(_text(name)):
                registry[_text(name)] = quota
    return BucketReply(
        ok=int(_text(flag)) == 1,
        seconds=_number(seconds, 0.0, longest_wait),
        tokens=_number(tokens, 0.0, capacity),
        scopes=scopes,
        repairs=repairs,
        stored_limit=stored,
        registry=registry,
    )


def scope_key(bucket_key: str, scope: str) -> str:
    """The Redis key of ``scope``'s bucket, in the same Cluster slot as ``bucket_key``."""
    digest = hashlib.sha1(scope.encode("utf-8")).hexdigest()[:16]
    return f"{_tagged(bucket_key)}:scope:{digest}"


def registry_key(bucket_key: str) -> str:
    """The Redis key of the registry of scopes learned for ``bucket_key``."""
    return f"{_tagged(bucket_key)}:scopes"


def _tagged(bucket_key: str) -> str:
    """``bucket_key`` as the head of keys that Redis Cluster puts in its slot."""
    start = bucket_key.find("{")
    if start >= 0:
        end = bucket_key.find("}", start + 1)
        if end > start + 1:
            return bucket_key  # it carries a hash tag already: every suffix keeps it
    if "{" in bucket_key or "}" in bucket_key:
        raise ValueError(
            "a Redis key prefix or namespace may hold braces only as a whole Redis Cluster "
            f"hash tag ('{{tag}}'), not {bucket_key!r}"
        )
    return "{" + bucket_key + "}"
