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
        recent: how many of the latest ids to remember exactly.
    """

    def __init__(
        self, record_id: Callable[[T], str], *, ordered: bool, recent: int = RECENT_IDS
    ) -> None:
        self._record_id = record_id
        self._ordered = ordered
        self._capacity = recent
        self._recent: dict[str, None] = {}  # insertion order: oldest first
        self._ascending: bool | None = None
        self._farthest_forgotten: str | None = None

    def sort(self, records: Sequence[T]) -> tuple[list[T], T | None]:
        """``(new, stale)``: the records not yielded before, in order (each now counted as
        yielded), up to the first ``stale`` one, which sorts behind the records forgotten (in
        an ordered list), and after which nothing is taken (None: there was none). Records
        seen recently are left out wherever they are."""
        new: list[T] = []
        for record in records:
            key = self._record_id(record)
            if key in self._recent:
                continue
            if self._behind_forgotten(key):
                return new, record
            new.append(record)
            self._recent[key] = None
            if len(self._recent) > self._capacity:
                self._forget_oldest()
        return new, None

    def _behind_forgotten(self, key: str) -> bool:
        farthest = self._farthest_forgotten
        if farthest is None:
            return False
        return key <= farthest if self._ascending else key >= farthest

    def _forget_oldest(self) -> None:
        oldest = next(iter(self._recent))
        del self._recent[oldest]
        if not self._ordered:
            return
        if self._ascending is None:
            # Over the span of a whole window, a list ordered by id shows its direction.
            self._ascending = oldest < next(reversed(self._recent))
        if self._farthest_forgotten is None or not self._behind_forgotten(oldest):
            self._farthest_forgotten = oldest
