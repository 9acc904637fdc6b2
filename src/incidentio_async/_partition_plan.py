"""Where to split a partitioned export next: estimates from the pages seen so far.

Each partition of a ``list(concurrency=N)`` export is a cursor chain over a creation-time
range ``[low, high]``. When a worker is idle it takes the upper part of the partition with
the most work left (work stealing), so that records clustered in time still keep every worker
busy. The work left is estimated from the density of records (per second of creation time)
on the partition's last page (a partition not fetched yet has that of the one it was split
from); estimates only steer the splits, never what is yielded.

Estimates far ahead are often wrong (a burst ends, the data grows denser), so a split leaves
at most :attr:`SplitPolicy.chunk_pages` pages to the partition it cuts, counted at the lower of
its density and the export's average; the rest is split again as pages show where the records
are. Every split costs a part-filled last page: a remainder of fewer than
:attr:`SplitPolicy.min_pages` pages is left alone, an estimate is acted on once per page, and
splits stop when their expected cost passes :meth:`SplitPolicy.affordable`'s budget.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

_BASE32 = str.maketrans("0123456789ABCDEFGHJKMNPQRSTVWXYZ", "0123456789abcdefghijklmnopqrstuv")
_ULID_CHARACTERS = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def is_ulid(record_id: str) -> bool:
    """Whether ``record_id`` is a ULID (26 Crockford base32 characters, upper case)."""
    return len(record_id) == 26 and _ULID_CHARACTERS.issuperset(record_id)


def id_time(record_id: str) -> datetime.datetime | None:
    """The creation time a ULID carries in its first 10 characters (milliseconds since the
    epoch, Crockford base32), or None when ``record_id`` is not a ULID."""
    if not is_ulid(record_id):
        return None
    milliseconds = int(record_id[:10].translate(_BASE32), 32)
    return _EPOCH + datetime.timedelta(milliseconds=milliseconds)


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(eq=False)
class Partition:
    """One cursor chain of a partitioned export, and what its pages showed."""

    low: datetime.datetime | None
    """Its own ``gte`` bound (None: the caller's)."""
    high: datetime.datetime | None
    """Its own ``lte`` bound (None: the caller's); lowered when another partition takes the
    upper part."""
    after: str | None = None
    """Where its chain starts (None: at its first record)."""
    last_id: str | None = None
    """The ID of the last record received."""
    position: datetime.datetime | None = None
    """The creation time of the last record received."""
    density: float | None = None
    """Records per second of creation time on its last full page (before its first page:
    that of the partition it was split from)."""
    first: datetime.datetime | None = None
    """The creation time of its first record."""
    records: int = 0
    """Records received."""
    page_records: int = 0
    """Records on a full page, as received."""
    more: bool = True
    """Whether its chain goes on."""
    claimed: bool = False
    """Whether a worker fetches it."""
    fresh: bool = False
    """Whether a page has arrived since it was last split: an estimate is worth acting on
    once per page (a split leaves the same estimate on a shorter range, and acting on it
    again would cut ever thinner slices on the strength of one page)."""
    settled: bool = False
    """Whether it is split no more: the partition that took its upper part found next to
    nothing there, so its density says nothing about what it has left."""


@dataclass(frozen=True)
class SplitPolicy:
    """How eagerly partitions are split."""

    chunk_pages: int = 6
    """At most this many pages are left to a partition when another takes its upper part."""
    min_pages: int = 4
    """A partition with fewer pages than this left is not split."""
    extra_requests: float = 0.10
    """Requests beyond the chain's the splits may cost, as a fraction of the requests made."""
    ramp_requests: float = 2.0
    """... plus this many, so that an export can split before its volume shows."""

    def affordable(self, requests: int, waste: float, open_partitions: int) -> bool:
        """Whether one more partition fits the budget: ``waste`` is the requests made beyond
        the pages' worth of records received, and each open partition (this new one too) is
        expected to end with a half-filled page."""
        expected = waste + 0.5 * (open_partitions + 1)
        return expected <= self.extra_requests * requests + self.ramp_requests


def remaining(partition: Partition, horizon: datetime.datetime | None) -> float | None:
    """Records still to come from ``partition`` at the density of its last page (None: no
    estimate yet).

    ``horizon`` stands for its upper bound when it has none of its own: the caller's, or now.
    """
    if not partition.more:
        return 0.0
    start = partition.position or partition.low
    if start is None or partition.density is None:
        return None
    end = partition.high or horizon
    if end is None or end <= start:
        return 0.0
    return partition.density * (end - start).total_seconds()


def choose_split(
    partitions: Iterable[Partition],
    *,
    horizon: datetime.datetime | None,
    guard: datetime.timedelta,
    policy: SplitPolicy,
    workers: int,
    wanted: int | None = None,
    overall: float | None = None,
) -> tuple[Partition, datetime.datetime] | None:
    """The partition to split and the creation time to split it at, or None.

    A partition is worth splitting when a page has arrived since it was last split, and it
    has at least ``policy.min_pages`` pages estimated to come and twice a worker's share of
    all the work estimated to come (with less, its worker finishes no later than the others
    and a split would only cost a part-filled page). ``wanted`` caps the estimates when the
    caller wants only so many more records. The one with the most to come is split: it keeps
    half of it, at most ``policy.chunk_pages`` pages counted at the lower of its density and
    ``overall`` (the export's average so far: a burst's density says little about what
    follows it), and at most half of its time range. The split point is at least ``guard``
    after its last record.
    """
    estimates: list[tuple[float, Partition]] = []
    for partition in partitions:
        estimate = remaining(partition, horizon)
        if estimate is not None:
            if wanted is not None:
                estimate = min(estimate, float(wanted))
            estimates.append((estimate, partition))
    total = sum(estimate for estimate, _ in estimates)
    share = (total if wanted is None else min(total, float(wanted))) / workers
    candidates = [
        (estimate, partition)
        for estimate, partition in estimates
        if partition.fresh
        and not partition.settled
        and partition.page_records
        and estimate >= max(policy.min_pages * partition.page_records, 2 * share)
    ]
    candidates.sort(key=lambda candidate: candidate[0], reverse=True)
    for estimate, victim in candidates:
        start = victim.position or victim.low
        end = victim.high or horizon
        assert start is not None and end is not None and victim.density
        rate = min(victim.density, overall or victim.density)
        chunk = policy.chunk_pages * victim.page_records
        kept = min((end - start) / 2, _seconds(min(estimate / 2, chunk) / rate))
        point = start + max(kept, guard)
        if point < end:
            victim.fresh = False
            return victim, point
    return None


def _seconds(value: float) -> datetime.timedelta:
    # Past timedelta's range (a density near zero) is as good as forever.
    return datetime.timedelta(seconds=min(value, 1e12))
