"""Which records one iteration of a list has already yielded, in bounded memory.

A server may send a record again: a page overlapping the previous one, the same records under
a fresh cursor, an old record between empty pages. The pager yields each record once per
iteration without keeping every id: it remembers the ids of the most recent records exactly,
and, for a list the API orders by id, the farthest id it has forgotten. In such a list every
record still to come lies beyond all records yielded long ago, so one that sorts at or behind
the farthest forgotten id has been yielded already, or the API broke its order; either way it
is not new. The direction (oldest or newest first) is learned from the records themselves,
once the first id is forgotten, from the span between it and the newest: the declared
override says only that the order follows the ids.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

RECENT_IDS = 1000
"""How many of the latest ids are remembered exactly (four pages of the API's largest)."""


class SeenRecords(Generic[T]):
    """The records yielded so far by one iteration.

    Args:
        record_id: the id of a record.
        ordered: the API lists the records in the order of their ids (either way).
        recent: how many of the latest ids (at least) to remember exactly.
    """

    def __init__(
        self, record_id: Callable[[T], str], *, ordered: bool, recent: int = RECENT_IDS
    ) -> None:
        self._record_id = record_id
        self._ordered = ordered
        self._capacity = recent
        self._recent: set[str] = set()
        self._batches: deque[list[str]] = deque()  # the same ids as taken, oldest first
        self._ascending: bool | None = None
        self._farthest_forgotten: str | None = None

    def add(self, record_id: str) -> None:
        """Count ``record_id`` as yielded (the record an iteration resumes after)."""
        if record_id not in self._recent:
            self._recent.add(record_id)
            self._batches.append([record_id])

    def sort(self, records: Sequence[T]) -> tuple[list[T], T | None]:
        """``(new, stale)``: the records not yielded before, in order (each now counted as
        yielded), up to the first ``stale`` one, which sorts behind the records forgotten (in
        an ordered list), and after which nothing is taken (None: there was none). Records
        seen recently are left out wherever they are."""
        recent, farthest, ascending = self._recent, self._farthest_forgotten, self._ascending
        ids = list(map(self._record_id, records))
        if ids and (
            farthest is None or (min(ids) > farthest if ascending else max(ids) < farthest)
        ):
            # The usual page, every record new: taken in one pass over the set. If the set grew
            # by as many ids as the page holds, none was there before and none came twice.
            before = len(recent)
            recent.update(ids)
            if len(recent) - before == len(ids):
                self._batches.append(ids)
                self._forget_oldest()
                return list(records), None
            # Not so (rare): the set as it was, then one by one.
            recent.clear()
            for batch in self._batches:
                recent.update(batch)
        return self._sort_one_by_one(records, ids)

    def _sort_one_by_one(self, records: Sequence[T], keys: list[str]) -> tuple[list[T], T | None]:
        new: list[T] = []
        ids: list[str] = []
        recent, farthest, ascending = self._recent, self._farthest_forgotten, self._ascending
        stale = None
        for record, key in zip(records, keys, strict=True):
            if key in recent:
                continue
            if farthest is not None and (key <= farthest if ascending else key >= farthest):
                stale = record
                break
            new.append(record)
            ids.append(key)
            recent.add(key)
        if ids:
            self._batches.append(ids)
            self._forget_oldest()
        return new, stale

    def _forget_oldest(self) -> None:
        """Forget the oldest batches of ids while the rest still hold ``recent`` of them."""
        batches, recent = self._batches, self._recent
        while len(recent) - len(batches[0]) >= self._capacity:
            oldest = batches.popleft()
            recent.difference_update(oldest)
            if not self._ordered:
                continue
            if self._ascending is None:
                # Over the span of a whole window, a list ordered by id shows its direction.
                self._ascending = oldest[0] < batches[-1][-1]
            farthest = max(oldest) if self._ascending else min(oldest)
            if self._farthest_forgotten is None or (
                farthest > self._farthest_forgotten
                if self._ascending
                else farthest < self._farthest_forgotten
            ):
                self._farthest_forgotten = farthest
