"""Which deliveries have been handled: the deduplication store's protocol and its in-memory
backend (``redis_store`` has the one several workers share).

A receiver *claims* a delivery's ``webhook-id`` before calling the handler, *completes* it when
the handler succeeded and *releases* it when the handler failed, so that incident.io's next
attempt is handled again. A claim lapses after its lease (a worker that died mid-handler),
a completed delivery is remembered for ``ttl`` (incident.io retries for about a day). Each
attempt claims with a token of its own and releases only with it: a handler that outlived its
lease and then fails must not free the claim of the attempt that took over.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from typing import Protocol

from ..clock import SYSTEM_CLOCK, Clock

DEFAULT_TTL = 48 * 3600.0
"""Seconds a handled delivery is remembered: incident.io retries for about a day."""
DEFAULT_LEASE = 600.0
"""Seconds a claim holds before another attempt may take the delivery over."""
DEFAULT_MAX_ENTRIES = 100_000


def check_seconds(name: str, value: object) -> None:
    """``ValueError`` unless ``value`` is a positive number of seconds (both stores' ``ttl``,
    ``lease`` and such)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")


class Claim(enum.Enum):
    """What claiming a delivery found."""

    NEW = "new"
    """Nobody handled it: the claimant handles it now."""
    IN_PROGRESS = "in_progress"
    """Another attempt is handling it right now."""
    DONE = "done"
    """Handled already: a duplicate."""


class DeliveryStore(Protocol):
    """Where a receiver records deliveries by ``webhook-id``."""

    async def claim(self, delivery_id: str, token: str) -> Claim:
        """Take ``delivery_id`` for the attempt holding ``token`` if nobody has, atomically;
        say what was found."""
        ...

    async def complete(self, delivery_id: str) -> None:
        """The delivery was handled: later ones with this id are duplicates."""
        ...

    async def release(self, delivery_id: str, token: str) -> None:
        """The handler failed: forget the claim ``token`` took (not another attempt's), so
        that a redelivery is handled."""
        ...


class InMemoryDeliveryStore:
    """Deliveries of one process, forgotten after ``ttl`` seconds (or, beyond
    ``max_entries``, oldest first). Several workers need the Redis store instead."""

    def __init__(
        self,
        *,
        ttl: float = DEFAULT_TTL,
        lease: float = DEFAULT_LEASE,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Clock | None = None,
    ) -> None:
        for name, value in (("ttl", ttl), ("lease", lease)):
            check_seconds(name, value)
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries must be a positive integer, not {max_entries!r}")
        self.ttl = float(ttl)
        self.lease = float(lease)
        self.max_entries = max_entries
        self._clock = clock or SYSTEM_CLOCK
        # id -> (done, expiry on the monotonic clock, the claim's token); oldest first.
        self._entries: OrderedDict[str, tuple[bool, float, str]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def claim(self, delivery_id: str, token: str) -> Claim:
        """Take ``delivery_id`` unless it is done or claimed within its lease."""
        now = self._clock.monotonic()
        self._prune(now)
        entry = self._entries.get(delivery_id)
        if entry is not None and entry[1] > now:
            return Claim.DONE if entry[0] else Claim.IN_PROGRESS
        self._set(delivery_id, False, now + self.lease, token)
        return Claim.NEW

    async def complete(self, delivery_id: str) -> None:
        """Remember ``delivery_id`` as handled for ``ttl`` seconds."""
        self._set(delivery_id, True, self._clock.monotonic() + self.ttl, "")

    async def release(self, delivery_id: str, token: str) -> None:
        """Forget the claim ``token`` took (a completed delivery stays completed, another
        attempt's claim stays claimed)."""
        entry = self._entries.get(delivery_id)
        if entry is not None and not entry[0] and entry[2] == token:
            del self._entries[delivery_id]

    def _set(self, delivery_id: str, done: bool, expiry: float, token: str) -> None:
        self._entries.pop(delivery_id, None)
        self._entries[delivery_id] = (done, expiry, token)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def _prune(self, now: float) -> None:
        # Oldest first: stop at the first entry still alive (claims live shorter than done
        # entries, so a few expired claims may wait behind it; max_entries bounds them).
        while self._entries:
            delivery_id, (_, expiry, _) = next(iter(self._entries.items()))
            if expiry > now:
                return
            del self._entries[delivery_id]

    def __repr__(self) -> str:
        return f"<InMemoryDeliveryStore {len(self._entries)} entries, ttl={self.ttl:g}s>"
