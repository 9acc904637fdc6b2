"""The memory of one iteration: which records it yielded, in bounded memory."""

from __future__ import annotations

from incidentio_async._seen_records import SeenRecords


def seen(*, ordered: bool, recent: int = 4) -> SeenRecords[str]:
    return SeenRecords(lambda record: record, ordered=ordered, recent=recent)


def test_recent_repeats_are_left_out_wherever_they_are() -> None:
    records = seen(ordered=False)
    assert records.sort(["a", "b", "a"]) == (["a", "b"], None)
    assert records.sort(["b", "c", "a", "d"]) == (["c", "d"], None)


def test_an_unordered_list_remembers_only_the_recent_ids() -> None:
    records = seen(ordered=False, recent=2)
    records.sort(["a"])
    records.sort(["b"])
    records.sort(["c"])
    assert records.sort(["b", "a"]) == (["a"], None)  # "a" is forgotten: nothing tells


def test_in_an_ordered_list_a_record_behind_the_forgotten_ones_is_stale() -> None:
    records = seen(ordered=True, recent=2)
    for page in (["01"], ["02"], ["03"], ["04"]):
        records.sort([*page])
    # "01" and "02" are forgotten; "02" is the farthest of them.
    assert records.sort(["05", "02", "06"]) == (["05"], "02")
    assert records.sort(["01"]) == ([], "01")
    assert records.sort(["04", "06"]) == (["06"], None)


def test_the_direction_is_learned_from_the_records() -> None:
    records = seen(ordered=True, recent=2)
    for page in (["09"], ["08"], ["07"], ["06"]):
        records.sort(page)
    assert records.sort(["05", "09"]) == (["05"], "09")
    assert records.sort(["08"]) == ([], "08")


def test_a_local_disorder_within_the_window_is_not_stale() -> None:
    records = seen(ordered=True, recent=4)
    order = ["02", "01", "04", "03", "06", "05", "08", "07", "10", "09"]
    for start in range(0, len(order), 2):
        assert records.sort(order[start : start + 2]) == (order[start : start + 2], None)
