"""The fake's records and their JSON form, shaped like the API's V2 schemas.

Times are integers of microseconds since the Unix epoch: cheap to compare and to format the
way the API writes them (``2021-08-17T13:28:57.801578Z``). Records that never change after
creation cache their JSON so that a page of 250 incident updates is a byte join.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

JsonObject = dict[str, Any]

INCIDENT_MODES = ("standard", "retrospective", "test", "tutorial", "stream")
"""Modes an incident can have (the ``incident_mode`` filter of the follow-ups list)."""

FOLLOW_UP_STATUSES = ("outstanding", "completed", "deleted", "not_doing")
"""Every status the API can report for a follow-up."""

PROVIDERS = (
    "asana",
    "azure_devops",
    "click_up",
    "freshservice",
    "linear",
    "jira",
    "salesforce",
    "jira_server",
    "github",
    "gitlab",
    "service_now",
    "shortcut",
    "notion",
)
"""Issue trackers a follow-up can be connected to."""

STATUS_CATEGORIES = (
    "triage",
    "declined",
    "merged",
    "canceled",
    "live",
    "learning",
    "closed",
    "paused",
)
"""Categories of incident statuses."""

USER_ROLES = ("viewer", "responder", "administrator", "owner", "unset")
"""The (deprecated) roles a user can have."""

_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON, as the fake sends it."""
    return _dumps(value).encode()


class _JsonOnce:
    """A record embedded in many bodies: its JSON text is made once, then reused."""

    def to_dict(self) -> JsonObject:
        raise NotImplementedError

    @cached_property
    def json(self) -> str:
        """The body as JSON text, made once."""
        return _dumps(self.to_dict())


def format_timestamp(micros: int) -> str:
    """RFC 3339 in UTC with microseconds and ``Z``, like the API's timestamps."""
    seconds, fraction = divmod(micros, 1_000_000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{fraction:06d}Z"


def to_micros(seconds: float) -> int:
    """Unix seconds (a float, as clocks give them) to integer microseconds."""
    return round(seconds * 1_000_000)


@dataclass(frozen=True)
class User:
    """A user (``UserV2``)."""

    id: str
    name: str
    email: str | None = None
    role: str = "responder"
    slack_user_id: str | None = None

    def to_dict(self) -> JsonObject:
        """The ``UserV2`` body."""
        body: JsonObject = {"id": self.id, "name": self.name, "role": self.role}
        if self.email is not None:
            body["email"] = self.email
        if self.slack_user_id is not None:
            body["slack_user_id"] = self.slack_user_id
        return body


@dataclass(frozen=True)
class Team:
    """A team (``TeamSlimV2``)."""

    id: str
    name: str

    def to_dict(self) -> JsonObject:
        """The ``TeamSlimV2`` body."""
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class Incident:
    """An incident. No endpoint returns it; it scopes follow-ups and updates."""

    id: str
    name: str
    reference: str
    mode: str = "standard"
    created_us: int = 0


@dataclass(frozen=True)
class IncidentStatus(_JsonOnce):
    """An incident status (``IncidentStatusV2``)."""

    id: str
    name: str
    description: str
    rank: int
    category: str
    created_us: int
    updated_us: int

    def to_dict(self) -> JsonObject:
        """The ``IncidentStatusV2`` body."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "rank": self.rank,
            "category": self.category,
            "created_at": format_timestamp(self.created_us),
            "updated_at": format_timestamp(self.updated_us),
        }


@dataclass(frozen=True)
class Severity(_JsonOnce):
    """An incident severity (``SeverityV2``)."""

    id: str
    name: str
    description: str
    rank: int
    created_us: int
    updated_us: int

    def to_dict(self) -> JsonObject:
        """The ``SeverityV2`` body."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "rank": self.rank,
            "created_at": format_timestamp(self.created_us),
            "updated_at": format_timestamp(self.updated_us),
        }


@dataclass(frozen=True)
class RankedOption:
    """An option an organisation configures, ordered by rank: a priority or a category."""

    id: str
    name: str
    rank: int
    description: str | None = None

    def to_dict(self) -> JsonObject:
        """The body: ``id``, ``name``, ``rank`` and ``description`` when there is one."""
        body: JsonObject = {"id": self.id, "name": self.name, "rank": self.rank}
        if self.description is not None:
            body["description"] = self.description
        return body


class Priority(RankedOption):
    """A follow-up priority option (``FollowUpPriorityV2``)."""


class Category(RankedOption):
    """A follow-up category (``FollowUpCategoryV3``)."""


ActorKind = Literal["user", "api_key", "workflow", "alert"]


@dataclass(frozen=True)
class Actor(_JsonOnce):
    """Who did something (``ActorV2``): a user, an API key, a workflow or an alert.

    ``name`` is the API key's or workflow's name, or the alert's title; users carry their own.
    """

    kind: ActorKind
    id: str
    name: str = ""
    user: User | None = None

    @classmethod
    def of_user(cls, user: User) -> Actor:
        """The actor for something a user did."""
        return cls(kind="user", id=user.id, name=user.name, user=user)

    def to_dict(self) -> JsonObject:
        """The ``ActorV2`` body: one key, named after the kind of actor."""
        if self.kind == "user":
            assert self.user is not None
            return {"user": self.user.to_dict()}
        if self.kind == "alert":
            return {"alert": {"id": self.id, "title": self.name}}
        return {self.kind: {"id": self.id, "name": self.name}}


@dataclass(frozen=True)
class ApiKey:
    """An API key the fake accepts: the secret, and the id and name the API reports."""

    key: str
    id: str
    name: str

    @cached_property
    def actor(self) -> Actor:
        """The actor for things done with this key."""
        return Actor(kind="api_key", id=self.id, name=self.name)


@dataclass(frozen=True)
class ExternalIssue:
    """A follow-up's link to an issue tracker (``ExternalIssueReferenceV2``)."""

    provider: str
    issue_name: str
    issue_permalink: str

    def to_dict(self) -> JsonObject:
        """The ``ExternalIssueReferenceV2`` body."""
        return {
            "provider": self.provider,
            "issue_name": self.issue_name,
            "issue_permalink": self.issue_permalink,
        }


@dataclass
class FollowUp:
    """A follow-up (``FollowUpV2``, and ``FollowUpV3`` with its category). Mutable: update
    and connect change it in place."""

    id: str
    incident_id: str
    title: str
    status: str
    creator: Actor
    created_us: int
    updated_us: int
    labels: list[str] = field(default_factory=list)
    description: str | None = None
    assignee: User | None = None
    assignee_team: Team | None = None
    priority: Priority | None = None
    completed_us: int | None = None
    external_issue: ExternalIssue | None = None
    category_id: str | None = None
    """As given; ``FollowUpV3`` reports the category when the id names a known one."""
    category: Category | None = None
    external_issue_reference_id: str | None = None
    """As given on create; kept, not reported."""
    extra: JsonObject = field(default_factory=dict)
    """Fields of ``FollowUpV3`` this record has no attribute for (a newer spec's), set by an
    operation the fake serves generically or kept from a body (see ``new_fields``);
    ``FollowUpV3`` reports them."""

    def to_dict(self) -> JsonObject:
        """The ``FollowUpV2`` body: absent optional fields are left out, as the API does."""
        body: JsonObject = {
            "id": self.id,
            "incident_id": self.incident_id,
            "title": self.title,
            "status": self.status,
            "labels": list(self.labels),
            "creator": self.creator.to_dict(),
            "created_at": format_timestamp(self.created_us),
            "updated_at": format_timestamp(self.updated_us),
        }
        if self.description is not None:
            body["description"] = self.description
        if self.assignee is not None:
            body["assignee"] = self.assignee.to_dict()
        if self.assignee_team is not None:
            body["assignee_team"] = self.assignee_team.to_dict()
        if self.priority is not None:
            body["priority"] = self.priority.to_dict()
        if self.completed_us is not None:
            body["completed_at"] = format_timestamp(self.completed_us)
        if self.external_issue is not None:
            body["external_issue_reference"] = self.external_issue.to_dict()
        return body

    def to_dict_v3(self) -> JsonObject:
        """The ``FollowUpV3`` body: V2's, the category and the extra fields."""
        body = self.to_dict()
        if self.category is not None:
            body["category"] = self.category.to_dict()
        for name, value in self.extra.items():
            body.setdefault(name, value)
        return body


@dataclass(frozen=True, slots=True)
class IncidentUpdate:
    """An incident update (``IncidentUpdateV2``). Immutable, so its JSON is made once."""

    id: str
    incident_id: str
    created_us: int
    status: IncidentStatus
    updater: Actor
    severity: Severity | None = None
    message: str | None = None
    merged_into_incident_id: str | None = None

    def to_dict(self) -> JsonObject:
        """The ``IncidentUpdateV2`` body."""
        body: JsonObject = {
            "id": self.id,
            "incident_id": self.incident_id,
            "created_at": format_timestamp(self.created_us),
            "new_incident_status": self.status.to_dict(),
            "updater": self.updater.to_dict(),
        }
        if self.severity is not None:
            body["new_severity"] = self.severity.to_dict()
        if self.message is not None:
            body["message"] = self.message
        if self.merged_into_incident_id is not None:
            body["merged_into_incident_id"] = self.merged_into_incident_id
        return body

    def to_json(self) -> bytes:
        """The same as ``dumps(self.to_dict())``, assembled from cached parts (bulk loads)."""
        parts = [
            '{"id":',
            _dumps(self.id),
            ',"incident_id":',
            _dumps(self.incident_id),
            ',"created_at":"',
            format_timestamp(self.created_us),
            '","new_incident_status":',
            self.status.json,
            ',"updater":',
            self.updater.json,
        ]
        if self.severity is not None:
            parts += (',"new_severity":', self.severity.json)
        if self.message is not None:
            parts += (',"message":', _dumps(self.message))
        if self.merged_into_incident_id is not None:
            parts += (',"merged_into_incident_id":', _dumps(self.merged_into_incident_id))
        parts.append("}")
        return "".join(parts).encode()
