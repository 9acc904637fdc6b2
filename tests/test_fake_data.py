"""The fake's data: ULIDs, seeded sample data and determinism."""

from __future__ import annotations

import datetime
import random
import re

import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO, SampleSizes, ulid
from incidentio_async.testing.records import INCIDENT_MODES

from fake_checks import assert_matches

ULID_PATTERN = re.compile(r"^[0-7][0-9A-HJKMNP-TV-Z]{25}$")


def _snapshot(fake: FakeIncidentIO) -> dict[str, object]:
    state = fake.state
    return {
        "users": [u.to_dict() for u in state.users.values()],
        "teams": [t.to_dict() for t in state.teams.values()],
        "incidents": list(state.incidents.values()),
        "statuses": [s.to_dict() for s in state.statuses.values()],
        "follow_ups": [f.to_dict() for f in state.follow_ups.values()],
        "updates": [u.to_json() for u in state.list_incident_updates()],
        "api_keys": list(state.api_keys.values()),
    }


def test_same_seed_gives_the_same_data_and_ids() -> None:
    first = FakeIncidentIO(seed=42)
    second = FakeIncidentIO(seed=42, clock=VirtualClock())
    first.add_incident_updates(500)
    second.add_incident_updates(500)
    assert _snapshot(first) == _snapshot(second)


def test_other_seeds_give_other_data() -> None:
    one, two = _snapshot(FakeIncidentIO(seed=1)), _snapshot(FakeIncidentIO(seed=2))
    assert one["follow_ups"] != two["follow_ups"]
    assert one["users"] != two["users"]


def test_every_id_is_a_time_ordered_ulid() -> None:
    fake = FakeIncidentIO(seed=9)
    fake.add_incident_updates(100)
    state = fake.state
    ids = [
        *state.users, *state.teams, *state.incidents, *state.statuses, *state.severities,
        *state.priorities, *state.follow_ups, *state.incident_updates,
    ]  # fmt: skip
    assert len(set(ids)) == len(ids)
    assert all(ULID_PATTERN.match(i) for i in ids)
    for record in (*state.follow_ups.values(), *state.incident_updates.values()):
        assert ulid.timestamp_ms(record.id) == record.created_us // 1000
    # Creation order is ID order, and time order.
    updates = list(state.incident_updates.values())
    assert [u.id for u in updates] == sorted(u.id for u in updates)
    assert [u.created_us for u in updates] == sorted(u.created_us for u in updates)


def test_ulid_encoding_round_trips() -> None:
    assert ulid.encode(0) == "0" * 26
    assert ulid.encode((1 << 128) - 1) == "7" + "Z" * 25
    assert ulid.decode("01fcndv6p870ea6s7tk1dsydg0") == ulid.decode("01FCNDV6P870EA6S7TK1DSYDG0")
    rng = random.Random(0)
    for _ in range(200):
        value = rng.getrandbits(128)
        assert ulid.decode(ulid.encode(value)) == value
    assert ulid.timestamp_ms("01FCNDV6P870EA6S7TK1DSYDG0") == 1628511771336  # 2021-08-09
    for bad in ("", "01FCNDV6P870EA6S7TK1DSYDG", "01FCNDV6P870EA6S7TK1DSYDGU", "8" + "0" * 25):
        assert not ulid.is_ulid(bad)
    with pytest.raises(ValueError):
        ulid.encode(-1)


def test_ulid_generator_is_strictly_increasing_within_a_millisecond() -> None:
    generator = ulid.UlidGenerator(random.Random(1))
    assert generator.last is None
    made = [generator.new(1000) for _ in range(50)] + [generator.new(999), generator.new(5000)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    assert ulid.timestamp_ms(made[0]) == ulid.timestamp_ms(made[-2]) == 1000
    assert ulid.timestamp_ms(made[-1]) == 5000
    assert generator.last == made[-1]


def test_sample_data_has_every_incident_mode_and_realistic_records() -> None:
    fake = FakeIncidentIO(seed=0)
    state = fake.state
    assert {i.mode for i in state.incidents.values()} == set(INCIDENT_MODES)
    sizes = SampleSizes()
    assert len(state.incidents) == sizes.incidents
    assert len(state.users) == sizes.users
    assert len(state.teams) == sizes.teams
    assert len(state.follow_ups) == sizes.follow_ups
    assert len(state.incident_updates) == sizes.incident_updates
    assert all(state.list_incident_updates(i) for i in state.incidents)
    assert {f.status for f in state.follow_ups.values()} >= {"outstanding", "completed"}
    for follow_up in state.follow_ups.values():
        assert_matches("FollowUpV2", follow_up.to_dict())
        if follow_up.completed_us is not None:
            assert follow_up.status == "completed"
            assert follow_up.completed_us >= follow_up.created_us
    times = [u.to_dict()["created_at"] for u in state.list_incident_updates()]
    assert all(t.endswith("Z") and len(t) == 27 for t in times)
    first = datetime.datetime.fromisoformat(times[-1])
    assert first.year == 2025


def test_sample_sizes_and_no_sample_data() -> None:
    small = FakeIncidentIO(sample_data=SampleSizes(incidents=2, users=1, teams=0, follow_ups=3))
    assert (len(small.state.incidents), len(small.state.follow_ups)) == (2, 3)
    empty = FakeIncidentIO(sample_data=False)
    assert not empty.state.incidents and not empty.state.follow_ups
    assert empty.state.statuses and empty.state.severities and empty.state.priorities
    incident_id = empty.add_incident_updates(3)
    updates = empty.state.list_incident_updates(incident_id)
    assert len(updates) == 3
    assert updates[0].updater.kind == "workflow"  # no users: the default actor
    with pytest.raises(ValueError, match="mode"):
        empty.add_incident(mode="drill")
    with pytest.raises(KeyError):
        empty.state.add_incident_updates("nope", 1)


def test_bulk_updates_are_spaced_by_the_interval() -> None:
    fake = FakeIncidentIO(sample_data=False)
    incident_id = fake.add_incident_updates(3, interval=3600, start=1_800_000_000)
    updates = fake.state.list_incident_updates(incident_id)[::-1]
    assert [u.created_us // 3_600_000_000 for u in updates] == [500_000, 500_001, 500_002]
    more = fake.add_incident_updates(2, incident_id=incident_id)
    assert more == incident_id
    assert len(fake.state.list_incident_updates(incident_id)) == 5
