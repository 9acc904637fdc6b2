"""The fake's data: records, their IDs and times, and the queries the endpoints need.

IDs come from one seeded ULID generator and every record's time is at or after the previous
record's, so ID order is creation order. Incident updates are kept in ID order with their JSON
made once, which makes a page a slice and a join, whatever the size of the store.

Records added with the ``add_*`` methods get times from a fixed timeline that starts at
:data:`SAMPLE_EPOCH` (unless ``at`` is given), so the same seed and calls give the same data on
any day; records created through the API get the clock's time.
"""

from __future__ import annotations

import bisect
import random
import threading
from collections.abc import Callable, Iterable, Sequence, Set

from incidentio_async.clock import SYSTEM_CLOCK, Clock
from incidentio_async.testing.records import (
    INCIDENT_MODES,
    Actor,
    ApiKey,
    Category,
    ExternalIssue,
    FollowUp,
    Incident,
    IncidentStatus,
    IncidentUpdate,
    Priority,
    Severity,
    Team,
    User,
    to_micros,
)
from incidentio_async.testing.stores import Collections
from incidentio_async.testing.ulid import UlidGenerator

SAMPLE_EPOCH = 1_735_722_000.0
"""2025-01-01T09:00:00Z: where the timeline of seeded records starts."""

DEFAULT_MODES = frozenset({"standard", "retrospective"})
"""Incident modes the follow-ups list returns when ``incident_mode`` is not given."""

UPDATE_MESSAGES = (
    "We're looking into reports of elevated errors and will update within 30 minutes.",
    "We've identified the cause and are working on a fix.",
    "We're working on a fix, hoping to ship in the next 30 minutes",
    "A fix has been deployed and we're monitoring the results.",
    "Error rates are back to normal; we're continuing to monitor.",
    "Rolling back the most recent deploy.",
    "Scaling up the affected service to absorb the extra load.",
    "Some customers may see delays. No data has been lost.",
)
"""Messages that bulk-added incident updates cycle through."""


class _UpdateLog:
    """Incident updates in ascending ID order, with their JSON alongside."""

    __slots__ = ("ids", "json")

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.json: list[bytes] = []

    def append(self, update_id: str, body: bytes) -> None:
        self.ids.append(update_id)
        self.json.append(body)

    def page(self, after: str | None, size: int) -> tuple[list[bytes], str | None]:
        """Newest first: up to ``size`` records older than ``after``, and the next cursor."""
        end = len(self.ids) if after is None else bisect.bisect_left(self.ids, after)
        start = max(0, end - size)
        page = self.json[start:end]
        page.reverse()
        return page, (self.ids[start] if start > 0 else None)


class FakeState:
    """Everything the fake knows. Safe to change between requests, and from another thread
    (``lock`` is held while a request is handled and by every ``add_*`` method)."""

    def __init__(self, *, seed: int = 0, clock: Clock = SYSTEM_CLOCK) -> None:
        self.seed = seed
        self.clock = clock
        self.lock = threading.RLock()
        self.rng = random.Random(f"incidentio-fake:data:{seed}")
        """Drives the sample data; also for users who want more seeded choices."""
        self._ids = UlidGenerator(random.Random(f"incidentio-fake:ids:{seed}"))
        self._last_us = 0
        self._timeline_us = to_micros(SAMPLE_EPOCH)
        self.api_keys: dict[str, ApiKey] = {}
        self.users: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.incidents: dict[str, Incident] = {}
        self.statuses: dict[str, IncidentStatus] = {}
        self.severities: dict[str, Severity] = {}
        self.priorities: dict[str, Priority] = {}
        self.categories: dict[str, Category] = {}
        self.workflows: dict[str, Actor] = {}
        self.follow_ups: dict[str, FollowUp] = {}
        """By ID, in creation order (the order the list endpoint uses)."""
        self._follow_ups_sorted: tuple[list[str], list[FollowUp]] | None = None
        self.incident_updates: dict[str, IncidentUpdate] = {}
        self.idempotency_keys: dict[tuple[str, str], str] = {}
        """The update each (API key id, idempotency key) created: a repeat returns it."""
        self._updates = _UpdateLog()
        self._updates_by_incident: dict[str, _UpdateLog] = {}
        self._incident_count = 0
        self.collections = Collections(self)
        """The records of operations served generically (and the stores above, by path)."""
        self.observers: list[Callable[[str, object], None]] = []
        """Called with ``(change, record)`` for each change a webhook reports
        (``follow_up.created``/``updated``/``deleted``, ``incident_update.created``)."""

    def changed(self, change: str, record: object) -> None:
        """Tell the observers about a change (handlers that change a record in place call
        this)."""
        for observer in self.observers:
            observer(change, record)

    # -- IDs and times ---------------------------------------------------------------------

    def new_id(self, at: float | None = None) -> tuple[str, int]:
        """A new ID and its record's time in microseconds.

        ``at`` is Unix seconds; by default the next minute of the seeded timeline. The time is
        never before the previous record's, so IDs and times agree on the order.
        """
        if at is None:
            at_us = max(self._timeline_us, self._last_us) + 60_000_000
            self._timeline_us = at_us
        else:
            at_us = to_micros(at)
        return self._stamp(at_us)

    def _stamp(self, at_us: int) -> tuple[str, int]:
        at_us = max(at_us, self._last_us)
        self._last_us = at_us
        return self._ids.new(at_us // 1000), at_us

    def now(self) -> float:
        """The clock's wall time (for records created through the API)."""
        return self.clock.time()

    # -- reference data and people -----------------------------------------------------------

    def add_api_key(self, key: str, name: str) -> ApiKey:
        """Accept ``key`` as a bearer token; ``name`` is what 429s and creators report."""
        with self.lock:
            api_key = ApiKey(key=key, id=self.new_id()[0], name=name)
            self.api_keys[key] = api_key
            return api_key

    def add_user(
        self,
        name: str,
        *,
        email: str | None = None,
        role: str = "responder",
        slack_user_id: str | None = None,
        id: str | None = None,
    ) -> User:
        """A user who can be an assignee or an updater."""
        with self.lock:
            user = User(
                id=id or self.new_id()[0],
                name=name,
                email=email,
                role=role,
                slack_user_id=slack_user_id,
            )
            self.users[user.id] = user
            return user

    def add_team(self, name: str, *, id: str | None = None) -> Team:
        """A team follow-ups can be assigned to."""
        with self.lock:
            team = Team(id=id or self.new_id()[0], name=name)
            self.teams[team.id] = team
            return team

    def add_workflow(self, name: str) -> Actor:
        """A workflow, which can be the updater of incident updates."""
        with self.lock:
            actor = Actor(kind="workflow", id=self.new_id()[0], name=name)
            self.workflows[actor.id] = actor
            return actor

    def add_status(
        self, name: str, category: str, *, rank: int | None = None, description: str = ""
    ) -> IncidentStatus:
        """An incident status (reference data for incident updates)."""
        with self.lock:
            status_id, at_us = self.new_id()
            status = IncidentStatus(
                id=status_id,
                name=name,
                description=description,
                rank=len(self.statuses) + 1 if rank is None else rank,
                category=category,
                created_us=at_us,
                updated_us=at_us,
            )
            self.statuses[status.id] = status
            return status

    def add_severity(self, name: str, rank: int, *, description: str = "") -> Severity:
        """An incident severity."""
        with self.lock:
            severity_id, at_us = self.new_id()
            severity = Severity(
                id=severity_id,
                name=name,
                description=description,
                rank=rank,
                created_us=at_us,
                updated_us=at_us,
            )
            self.severities[severity.id] = severity
            return severity

    def add_priority(self, name: str, rank: int, *, description: str | None = None) -> Priority:
        """A follow-up priority option."""
        with self.lock:
            priority = Priority(id=self.new_id()[0], name=name, rank=rank, description=description)
            self.priorities[priority.id] = priority
            return priority

    def add_category(
        self, name: str, rank: int, *, description: str | None = None, id: str | None = None
    ) -> Category:
        """A follow-up category (reported by ``FollowUpV3``)."""
        with self.lock:
            category = Category(
                id=id or self.new_id()[0], name=name, rank=rank, description=description
            )
            self.categories[category.id] = category
            return category

    def add_incident(
        self,
        name: str | None = None,
        *,
        mode: str = "standard",
        reference: str | None = None,
        id: str | None = None,
        at: float | None = None,
    ) -> Incident:
        """An incident of ``mode`` (one of :data:`~.records.INCIDENT_MODES`)."""
        if mode not in INCIDENT_MODES:
            raise ValueError(f"mode must be one of {', '.join(INCIDENT_MODES)}")
        with self.lock:
            self._incident_count += 1
            new_id, at_us = self.new_id(at)
            incident = Incident(
                id=id or new_id,
                name=name or f"Incident {self._incident_count}",
                reference=reference or f"INC-{self._incident_count}",
                mode=mode,
                created_us=at_us,
            )
            self.incidents[incident.id] = incident
            return incident

    # -- follow-ups ------------------------------------------------------------------------------

    def add_follow_up(
        self,
        incident_id: str,
        title: str,
        *,
        status: str = "outstanding",
        description: str | None = None,
        labels: Iterable[str] = (),
        assignee: User | None = None,
        assignee_team: Team | None = None,
        priority: Priority | None = None,
        creator: Actor | None = None,
        external_issue: ExternalIssue | None = None,
        category_id: str | None = None,
        external_issue_reference_id: str | None = None,
        at: float | None = None,
    ) -> FollowUp:
        """A follow-up of an existing incident (``KeyError`` if there is none)."""
        with self.lock:
            if incident_id not in self.incidents:
                raise KeyError(f"no incident {incident_id}")
            follow_up_id, at_us = self.new_id(at)
            follow_up = FollowUp(
                category=self.categories.get(category_id or ""),
                id=follow_up_id,
                incident_id=incident_id,
                title=title,
                status=status,
                creator=creator or self.default_actor(),
                created_us=at_us,
                updated_us=at_us,
                labels=list(labels),
                description=description,
                assignee=assignee,
                assignee_team=assignee_team,
                priority=priority,
                completed_us=at_us if status == "completed" else None,
                external_issue=external_issue,
                category_id=category_id,
                external_issue_reference_id=external_issue_reference_id,
            )
            self.follow_ups[follow_up.id] = follow_up
            self._follow_ups_sorted = None
            self.changed("follow_up.created", follow_up)
            return follow_up

    def list_follow_ups(
        self,
        *,
        incident_id: str | None = None,
        incident_mode: str | None = None,
        assignee_team_id: str | None = None,
    ) -> list[FollowUp]:
        """Follow-ups in creation order, filtered as ``GET /v2/follow_ups`` documents."""
        modes = {incident_mode} if incident_mode else DEFAULT_MODES
        return [
            f
            for f in self.follow_ups.values()
            if self._listed(f, incident_id, modes, assignee_team_id)
        ]

    def _listed(
        self,
        follow_up: FollowUp,
        incident_id: str | None,
        modes: Set[str],
        assignee_team_id: str | None,
    ) -> bool:
        """Whether ``follow_up`` passes the filters both follow-up lists share."""
        return (
            (incident_id is None or follow_up.incident_id == incident_id)
            and self.incidents[follow_up.incident_id].mode in modes
            and (
                assignee_team_id is None
                or (
                    follow_up.assignee_team is not None
                    and follow_up.assignee_team.id == assignee_team_id
                )
            )
        )

    def page_follow_ups(
        self,
        *,
        after: str | None,
        page_size: int,
        incident_id: str | None = None,
        incident_mode: str | None = None,
        assignee_team_id: str | None = None,
        created: TimeRange = (None, None),
        updated: TimeRange = (None, None),
    ) -> tuple[list[FollowUp], str | None]:
        """One page of ``GET /v3/follow_ups``: oldest first (by ID), after the follow-up
        ``after``; the cursor is set when more may follow.

        A walk along the follow-ups in ID order from ``after`` that stops one record past
        the page, so that a page costs about its size whatever the size of the store (a
        benchmark pages through tens of thousands)."""
        ids, ordered = self._sorted_follow_ups()
        modes = {incident_mode} if incident_mode else DEFAULT_MODES
        page: list[FollowUp] = []
        for index in range(0 if after is None else bisect.bisect_right(ids, after), len(ids)):
            follow_up = ordered[index]
            if (
                _within(follow_up.created_us, created)
                and _within(follow_up.updated_us, updated)
                and self._listed(follow_up, incident_id, modes, assignee_team_id)
            ):
                page.append(follow_up)
                if len(page) > page_size:
                    return page[:page_size], page[page_size - 1].id
        return page, None

    def _sorted_follow_ups(self) -> tuple[list[str], list[FollowUp]]:
        """The follow-ups and their IDs in ID order (kept until one is added or deleted)."""
        cached = self._follow_ups_sorted
        if cached is None or len(cached[0]) != len(self.follow_ups):
            ordered = sorted(self.follow_ups.values(), key=lambda f: f.id)
            cached = self._follow_ups_sorted = ([f.id for f in ordered], ordered)
        return cached

    def delete_follow_up(self, follow_up_id: str) -> None:
        """Forget a follow-up: it is no longer listed and its ID answers 404."""
        with self.lock:
            self._follow_ups_sorted = None
            self.changed("follow_up.deleted", self.follow_ups.pop(follow_up_id))

    # -- incident updates --------------------------------------------------------------------

    def default_actor(self) -> Actor:
        """Who did something when nobody is named: the first user, else the first workflow."""
        for user in self.users.values():
            return Actor.of_user(user)
        for workflow in self.workflows.values():
            return workflow
        return self.add_workflow("Fake workflow")

    def add_incident_update(
        self,
        incident_id: str,
        *,
        status: IncidentStatus | None = None,
        severity: Severity | None = None,
        message: str | None = None,
        updater: Actor | None = None,
        merged_into_incident_id: str | None = None,
        at: float | None = None,
    ) -> IncidentUpdate:
        """One incident update of an existing incident (``KeyError`` if there is none)."""
        with self.lock:
            if incident_id not in self.incidents:
                raise KeyError(f"no incident {incident_id}")
            update_id, at_us = self.new_id(at)
            update = IncidentUpdate(
                id=update_id,
                incident_id=incident_id,
                created_us=at_us,
                status=status or self._live_statuses()[0],
                updater=updater or self.default_actor(),
                severity=severity,
                message=message,
                merged_into_incident_id=merged_into_incident_id,
            )
            self._store_update(update)
            self.changed("incident_update.created", update)
            return update

    def add_incident_updates(
        self,
        incident_id: str,
        count: int,
        *,
        interval: float = 60.0,
        start: float | None = None,
    ) -> list[str]:
        """Add ``count`` updates to an incident quickly (for benchmarks); return their IDs.

        They are ``interval`` seconds apart from ``start`` (default: the end of the timeline),
        cycle through the active statuses, the users (or the default actor) and a few
        messages, and set a severity on every tenth.
        """
        with self.lock:
            if incident_id not in self.incidents:
                raise KeyError(f"no incident {incident_id}")
            statuses = self._live_statuses()
            severities: list[Severity | None] = [None]
            if self.severities:
                severities = [*sorted(self.severities.values(), key=lambda s: s.rank)]
            updaters = [Actor.of_user(u) for u in self.users.values()] or [self.default_actor()]
            step_us = to_micros(interval)
            at_us = to_micros(start) if start is not None else self._timeline_us + step_us
            ids = []
            for n in range(count):
                # Sub-second digits that vary, as real timestamps' do (when they cannot
                # reorder the updates).
                jitter = (n * 104_729) % 1_000_000 if step_us > 1_000_000 else 0
                update_id, created_us = self._stamp(at_us + jitter)
                update = IncidentUpdate(
                    id=update_id,
                    incident_id=incident_id,
                    created_us=created_us,
                    status=statuses[n % len(statuses)],
                    updater=updaters[n % len(updaters)],
                    severity=severities[(n // 10) % len(severities)] if n % 10 == 0 else None,
                    message=UPDATE_MESSAGES[n % len(UPDATE_MESSAGES)],
                )
                self._store_update(update)
                ids.append(update_id)
                at_us += step_us
            self._timeline_us = max(self._timeline_us, self._last_us)
            return ids

    def current_status(self, incident_id: str) -> IncidentStatus:
        """The incident's status: its latest update's, else the first live one."""
        log = self._updates_by_incident.get(incident_id)
        if log is not None and log.ids:
            return self.incident_updates[log.ids[-1]].status
        return self._live_statuses()[0]

    def _live_statuses(self) -> list[IncidentStatus]:
        live = [s for s in self.statuses.values() if s.category == "live"]
        if live:
            return live
        if self.statuses:
            return list(self.statuses.values())
        return [self.add_status("Investigating", "live")]

    def _store_update(self, update: IncidentUpdate) -> None:
        body = update.to_json()
        self.incident_updates[update.id] = update
        self._updates.append(update.id, body)
        log = self._updates_by_incident.get(update.incident_id)
        if log is None:
            log = self._updates_by_incident[update.incident_id] = _UpdateLog()
        log.append(update.id, body)

    def page_incident_updates(
        self, *, incident_id: str | None = None, after: str | None = None, page_size: int = 25
    ) -> tuple[list[bytes], str | None]:
        """One page of ``GET /v2/incident_updates``: the records' JSON, newest first, and the
        ``after`` cursor for the next page (``None`` on the last page)."""
        log = self._updates if incident_id is None else self._updates_by_incident.get(incident_id)
        if log is None:
            return [], None
        return log.page(after, page_size)

    def list_incident_updates(self, incident_id: str | None = None) -> Sequence[IncidentUpdate]:
        """Every update (of one incident, or all), newest first: the unpaginated listing."""
        log = self._updates if incident_id is None else self._updates_by_incident.get(incident_id)
        if log is None:
            return []
        return [self.incident_updates[i] for i in reversed(log.ids)]


TimeRange = tuple[int | None, int | None]
"""Inclusive bounds in microseconds; None leaves a side open."""


def _within(micros: int, bounds: TimeRange) -> bool:
    low, high = bounds
    return (low is None or micros >= low) and (high is None or micros <= high)
