"""Seeded sample data: the reference data every fake has, and an organisation's worth of
incidents, people, follow-ups and updates on top.

Everything is drawn from the state's seeded random generator in a fixed order, so the same
seed gives the same records and IDs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from incidentio_async.testing.issues import issue_name_from_url
from incidentio_async.testing.records import (
    Actor,
    ExternalIssue,
    Incident,
    IncidentStatus,
    Severity,
    Team,
    User,
    to_micros,
)
from incidentio_async.testing.state import SAMPLE_EPOCH, UPDATE_MESSAGES, FakeState
from incidentio_async.testing.ulid import ALPHABET


@dataclass(frozen=True)
class SampleSizes:
    """How much sample data to make (the defaults suit unit tests)."""

    incidents: int = 10
    users: int = 8
    teams: int = 4
    follow_ups: int = 24
    incident_updates: int = 40
    records: int = 3
    """Records each resource served generically (one the fake has no handlers of) starts
    with, built from the spec's examples."""


# Standard incidents dominate; with 9 or more incidents, every mode appears at least once.
_MODE_PATTERN = (
    "standard",
    "standard",
    "retrospective",
    "standard",
    "test",
    "standard",
    "tutorial",
    "standard",
    "stream",
    "retrospective",
)

_FIRST_NAMES = (
    "Alice", "Bola", "Chen", "Dara", "Emeka", "Farah", "Gita", "Hugo", "Ines", "Jonas",
    "Kemi", "Luca", "Mira", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq",
)  # fmt: skip
_LAST_NAMES = (
    "Adams", "Brennan", "Costa", "Dubois", "Eze", "Fischer", "Garcia", "Haddad", "Ito",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Silva",
)  # fmt: skip
_TEAMS = (
    "Platform", "Payments", "Data", "Mobile", "Security", "Customer Support", "Infrastructure",
    "Growth",
)  # fmt: skip
_INCIDENTS = (
    "Checkout latency spike",
    "Database replica lag",
    "Login failures for SSO users",
    "Webhook deliveries delayed",
    "Elevated 5xx from the API gateway",
    "Search index out of date",
    "Push notifications not sent",
    "Billing job stuck",
    "Status page not updating",
    "DNS resolution errors in eu-west-1",
    "Cache stampede after deploy",
    "Certificate expired on an internal service",
)
_FOLLOW_UPS = (
    "Add alerting on replica lag",
    "Write a runbook for the failover",
    "Upgrade the database driver",
    "Add a load test for checkout",
    "Remove the stale feature flag",
    "Add retries with backoff to the webhook sender",
    "Review the on-call escalation policy",
    "Rotate the exposed credentials",
    "Add a dashboard for queue depth",
    "Automate certificate renewal",
    "Share the incident learnings with engineering",
    "Cat is stuck in the tree",
)
_DESCRIPTIONS = (
    "Call the fire brigade",
    "We only noticed this from **customer reports**; we should have been paged.",
    "See the incident timeline for context.",
    "Low effort, high value: pick this up next sprint.",
)
_LABELS = ("bug", "urgent", "docs", "monitoring", "infra", "customer-facing", "tech-debt")
_TRACKERS = (
    ("linear", "https://linear.app/acme/issue/ENG-{n}/follow-up"),
    ("jira", "https://acme.atlassian.net/browse/OPS-{n}"),
    ("github", "https://github.com/acme/platform/issues/{n}"),
    ("shortcut", "https://app.shortcut.com/acme/story/{n}/follow-up"),
)
# Statuses an incident moves through, in order; the closing ones are the alternative ends.
_PROGRESS = ("Investigating", "Fixing", "Monitoring", "Documenting", "Closed")
_ENDINGS = ("Declined", "Merged", "Canceled")


def install_reference_data(state: FakeState) -> None:
    """Statuses, severities, follow-up priorities and a workflow: configuration every
    organisation has, present even without sample data."""
    for name, category, description in (
        ("Triage", "triage", "We're working out whether this is an incident."),
        ("Investigating", "live", "We're **investigating** the cause of the issue."),
        ("Fixing", "live", "We know what's wrong and are **fixing** it."),
        ("Monitoring", "live", "A fix is out; we're **monitoring** the results."),
        (
            "Documenting",
            "learning",
            "Impact has been **fully mitigated**, and we're ready to learn from this incident.",
        ),
        ("Closed", "closed", "This incident is over."),
        ("Paused", "paused", "Work on this incident is paused."),
        ("Declined", "declined", "This was not an incident."),
        ("Merged", "merged", "This incident was merged into another."),
        ("Canceled", "canceled", "This incident was canceled."),
    ):
        state.add_status(name, category, description=description)
    for rank, (name, description) in enumerate(
        (
            ("Minor", "Issues with **low impact**."),
            ("Major", "Issues causing **significant impact**."),
            ("Critical", "Issues causing **severe impact** to many customers."),
        ),
        start=1,
    ):
        state.add_severity(name, rank, description=description)
    for rank, name, description in (
        (1, "Low", "Nice to have."),
        (5, "Medium", "Should be done soon."),
        (8, "High", "Do this before other work."),
        (10, "Urgent", "A follow-up that requires immediate attention."),
    ):
        state.add_priority(name, rank, description=description)
    categories: tuple[tuple[str, str | None], ...] = (
        ("Reliability", "Work that stops this from happening again."),
        ("Process", "Changes to how we respond."),
        ("Documentation", None),
    )
    for rank, (category, about) in enumerate(categories, start=1):
        state.add_category(category, rank, description=about)
    state.add_workflow("Update the status page")


def populate(state: FakeState, sizes: SampleSizes = SampleSizes()) -> None:
    """Add sample users, teams, incidents (of every mode), follow-ups and incident updates."""
    rng = state.rng
    with state.lock:
        state.collections.sample_records = sizes.records
        users = [_sample_user(state, n) for n in range(sizes.users)]
        teams = [state.add_team(_TEAMS[n % len(_TEAMS)]) for n in range(sizes.teams)]
        updates_per = _spread(state, sizes.incident_updates, sizes.incidents, at_least_one=True)
        follow_ups_per = _spread(state, sizes.follow_ups, sizes.incidents, at_least_one=False)
        incidents: list[Incident] = []
        start = SAMPLE_EPOCH + 86_400
        for n in range(sizes.incidents):
            # Incidents are a day or two apart; their updates and follow-ups come within hours.
            start += rng.randint(20, 50) * 3600 + _fraction(state)
            incident = state.add_incident(
                _INCIDENTS[n % len(_INCIDENTS)],
                mode=_MODE_PATTERN[n % len(_MODE_PATTERN)],
                at=start,
            )
            at = _sample_updates(state, incident, incidents, updates_per[n], users, start)
            for _ in range(follow_ups_per[n]):
                at += rng.randint(5, 120) * 60 + _fraction(state)
                _sample_follow_up(state, incident, users, teams, at)
            incidents.append(incident)


def _spread(state: FakeState, total: int, buckets: int, *, at_least_one: bool) -> list[int]:
    """``total`` items over ``buckets``: one each first if asked and possible, the rest random."""
    counts = [0] * buckets
    if not buckets:
        return counts
    if at_least_one and total >= buckets:
        counts = [1] * buckets
        total -= buckets
    for _ in range(total):
        counts[state.rng.randrange(buckets)] += 1
    return counts


def _fraction(state: FakeState) -> float:
    """A random part of a second, so that timestamps have realistic microseconds."""
    return state.rng.randrange(1_000_000) / 1_000_000


def _sample_user(state: FakeState, n: int) -> User:
    rng = state.rng
    first = _FIRST_NAMES[n % len(_FIRST_NAMES)]
    last = _LAST_NAMES[(n * 7 + n // len(_FIRST_NAMES)) % len(_LAST_NAMES)]
    role = rng.choice(("viewer", "responder", "responder", "administrator", "owner"))
    slack = "U0" + "".join(rng.choice(ALPHABET) for _ in range(9))
    return state.add_user(
        f"{first} {last}",
        email=f"{first.lower()}.{last.lower()}@example.com",
        role=role,
        slack_user_id=slack,
    )


def _status(state: FakeState, name: str) -> IncidentStatus:
    return next(s for s in state.statuses.values() if s.name == name)


def _sample_updates(
    state: FakeState,
    incident: Incident,
    earlier: list[Incident],
    count: int,
    users: list[User],
    start: float,
) -> float:
    """An incident's updates, moving through its statuses; returns the time of the last."""
    rng = state.rng
    severities: list[Severity] = sorted(state.severities.values(), key=lambda s: s.rank)
    workflows = list(state.workflows.values())
    step = 0
    at = start
    ending = rng.choice(_ENDINGS) if earlier and rng.random() < 0.15 else None
    for n in range(count):
        at += rng.randint(3, 40) * 60 + _fraction(state)
        last = n == count - 1
        merged_into = None
        if last and ending is not None:
            status = _status(state, ending)
            if ending == "Merged":
                merged_into = rng.choice(earlier).id
        else:
            status = _status(state, _PROGRESS[min(step, len(_PROGRESS) - 1)])
            if rng.random() < 0.6:
                step += 1
        severity = None
        if n == 0 or rng.random() < 0.2:
            severity = rng.choice(severities)
        updater: Actor
        roll = rng.random()
        if users and roll < 0.85:
            updater = Actor.of_user(rng.choice(users))
        elif roll < 0.95 and workflows:
            updater = rng.choice(workflows)
        else:
            updater = Actor(kind="alert", id=state.new_id(at)[0], name="High error rate on api")
        state.add_incident_update(
            incident.id,
            status=status,
            severity=severity,
            message=rng.choice(UPDATE_MESSAGES) if rng.random() < 0.9 else None,
            updater=updater,
            merged_into_incident_id=merged_into,
            at=at,
        )
    return at


def _sample_follow_up(
    state: FakeState,
    incident: Incident,
    users: list[User],
    teams: list[Team],
    at: float,
) -> None:
    rng = state.rng
    status = rng.choice(("outstanding", "outstanding", "completed", "completed", "not_doing"))
    external = None
    if rng.random() < 0.25:
        provider, template = rng.choice(_TRACKERS)
        url = template.format(n=rng.randint(10, 2000))
        external = ExternalIssue(provider, issue_name_from_url(provider, url), url)
    priorities = list(state.priorities.values())
    categories = list(state.categories.values())
    follow_up = state.add_follow_up(
        incident.id,
        rng.choice(_FOLLOW_UPS),
        status=status,
        description=rng.choice(_DESCRIPTIONS) if rng.random() < 0.6 else None,
        labels=rng.sample(_LABELS, rng.randint(0, 2)),
        assignee=rng.choice(users) if users and rng.random() < 0.7 else None,
        assignee_team=rng.choice(teams) if teams and rng.random() < 0.5 else None,
        priority=rng.choice(priorities) if priorities and rng.random() < 0.6 else None,
        category_id=rng.choice(categories).id if categories and rng.random() < 0.5 else None,
        creator=Actor.of_user(rng.choice(users)) if users else None,
        external_issue=external,
        at=at,
    )
    if status == "completed":
        # Done some days after it was created (without moving the timeline of IDs).
        completed_after = rng.randint(1, 14) * 86_400 + _fraction(state)
        follow_up.completed_us = follow_up.created_us + to_micros(completed_after)
        follow_up.updated_us = follow_up.completed_us


def clustered_times(count: int, *, end: float, seed: int = 0) -> list[float]:
    """``count`` creation times (Unix seconds, ascending, none after ``end``) as follow-ups
    come in an organisation that grows: in bursts in the hours after each incident (a
    dozen on average, a hundred or more after a bad one), incidents more frequent lately,
    over the 400 days before ``end``. For benchmarks and tests of partitioned exports."""
    rng = random.Random(f"incidentio-fake:clustered:{seed}")
    times: list[float] = []
    while len(times) < count:
        incident = end - 400 * 86_400 * (1 - rng.random() ** 0.4)
        for _ in range(min(int(rng.expovariate(1 / 12)) + 1, 150)):
            times.append(min(end, incident + rng.expovariate(1 / 3600)))
    return sorted(times[:count])


def add_clustered_follow_ups(state: FakeState, count: int, *, end: float, seed: int = 0) -> str:
    """Add ``count`` follow-ups created at :func:`clustered_times` to a new incident; returns
    the incident's ID."""
    incident = state.add_incident(f"Incident with {count} follow-ups")
    for n, at in enumerate(clustered_times(count, end=end, seed=seed)):
        state.add_follow_up(incident.id, _FOLLOW_UPS[n % len(_FOLLOW_UPS)], at=at)
    return incident.id
