"""The hand-written handlers: Follow-ups V2 and V3 over one store, and Incident Updates V2.

Handlers run with the state's lock held and after authentication and the spec check (so
``request.api_key`` and ``request.json`` are set, and every parameter has the type and enum
value the spec gives it). They return a :class:`~.messages.Response` or raise an
:class:`~.errors.ApiError`. Every other operation of the specs is served generically
(:mod:`~incidentio_async.testing.generic`); query parameters a handler does not implement are
applied or refused, never ignored (:mod:`~incidentio_async.testing.query_params`), and body
fields of the record it does not set are kept (:mod:`~incidentio_async.testing.new_fields`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

from incidentio_async import _catalog as catalog
from incidentio_async.testing.adapters import FollowUpCollection, IncidentUpdateCollection
from incidentio_async.testing.errors import ApiError, ErrorDetail, not_found, validation_error
from incidentio_async.testing.generic import GenericOperations
from incidentio_async.testing.issues import is_issue_url, issue_name_from_url, provider_of
from incidentio_async.testing.messages import Request, Response
from incidentio_async.testing.new_fields import keeping_new_fields
from incidentio_async.testing.openapi import packaged
from incidentio_async.testing.query_params import guarded
from incidentio_async.testing.records import ExternalIssue, FollowUp, dumps, to_micros
from incidentio_async.testing.router import Handler, Router
from incidentio_async.testing.state import FakeState
from incidentio_async.testing.validation import Payload, page_size, query_value, time_filter

QUERY_PARAMETERS: dict[str, frozenset[str]] = {
    "Follow-ups V2#List": frozenset({"incident_id", "incident_mode", "assignee_team_id"}),
    "Follow-ups V3#List": frozenset(
        {
            "page_size",
            "after",
            "incident_id",
            "incident_mode",
            "assignee_team_id",
            "created_at",
            "updated_at",
        }
    ),
    "Incident Updates V2#List": frozenset({"incident_id", "page_size", "after"}),
}
"""The query parameters each handler implements. Any other the spec declares (a newer spec's)
is applied as an equality filter or refused with a 400 naming it."""

T = TypeVar("T")

Render = Callable[[FollowUp], dict[str, Any]]
"""A follow-up as one version of the API shows it."""


class Handlers:
    """One method per operation."""

    def __init__(self, state: FakeState) -> None:
        self.state = state

    def by_operation(self) -> dict[str, Handler]:
        """The handler of each operation the fake serves, by operationId. Follow-ups V2 and
        V3 share one state: a follow-up made through one is seen through the other."""
        handlers: dict[str, Handler] = {
            "Follow-ups V2#List": self.list_follow_ups,
            "Follow-ups V3#List": self.list_follow_ups_v3,
            "Follow-ups V3#CreateFromLink": self.create_follow_up_from_link,
            "Incident Updates V2#List": self.list_incident_updates,
            "Incident Updates V2#Create": self.create_incident_update,
        }
        for version, render in (("V2", FollowUp.to_dict), ("V3", FollowUp.to_dict_v3)):
            for action, handler in (
                ("Create", self.create_follow_up),
                ("Show", self.show_follow_up),
                ("Update", self.update_follow_up),
                ("Delete", self.delete_follow_up),
                ("ConnectExternalIssue", self.connect_external_issue),
            ):
                handlers[f"Follow-ups {version}#{action}"] = partial(handler, render=render)
        return handlers

    def register_stores(self) -> None:
        """Make the follow-ups and incident updates the records of the operations served
        generically under their paths (a new action on a follow-up changes the follow-up)."""
        collections = self.state.collections
        collections.register(
            "/v2/follow_ups", FollowUpCollection(self.state, FollowUp.to_dict, "FollowUpV2")
        )
        collections.register(
            "/v3/follow_ups", FollowUpCollection(self.state, FollowUp.to_dict_v3, "FollowUpV3")
        )
        collections.register("/v2/incident_updates", IncidentUpdateCollection(self.state))

    def router(self) -> Router:
        """A router serving every operation of the vendored specs: with its handler here, or
        generically, from the spec."""
        handlers = self.by_operation()
        self.register_stores()
        router = Router()
        generic: GenericOperations | None = None
        for operation in catalog.operations():
            handler = handlers.get(operation.id)
            if handler is not None:
                handler = guarded(operation, handler, QUERY_PARAMETERS.get(operation.id, ()))
                handler = keeping_new_fields(operation, handler, self.state)
            else:
                # The spec is read only when some operation needs it.
                generic = generic or GenericOperations(self.state, packaged())
                handler = generic.handler(operation)
            router.add(operation, handler)
        return router

    # -- Follow-ups V2 -------------------------------------------------------------------------

    def list_follow_ups(self, request: Request) -> Response:
        """``GET /v2/follow_ups``: not paginated."""
        follow_ups = self.state.list_follow_ups(
            incident_id=query_value(request.query, "incident_id"),
            incident_mode=query_value(request.query, "incident_mode"),
            assignee_team_id=query_value(request.query, "assignee_team_id"),
        )
        return Response.json(200, {"follow_ups": [f.to_dict() for f in follow_ups]})

    def create_follow_up(self, request: Request, render: Render = FollowUp.to_dict) -> Response:
        """``POST /v2/follow_ups`` (and V3): 201 with the new follow-up."""
        payload = Payload(request.json_body())
        incident_id = payload.string("incident_id", required="An incident ID")
        title = payload.string("title", required="A title")
        description = payload.string("description")
        labels = payload.strings("labels")
        category_id = payload.string("follow_up_category_id")
        reference_id = payload.string("external_issue_reference_id")
        assignee = _lookup(payload, "assignee_id", self.state.users, "user")
        team = _lookup(payload, "assignee_team_id", self.state.teams, "team")
        priority = _lookup(
            payload, "follow_up_priority_option_id", self.state.priorities, "priority"
        )
        if incident_id is not None and incident_id not in self.state.incidents:
            payload.fail("incident_id", "not_found", "No incident exists with this ID")
        payload.check()
        assert incident_id is not None and title is not None and request.api_key is not None
        follow_up = self.state.add_follow_up(
            incident_id,
            title,
            description=description,
            labels=labels or (),
            assignee=assignee,
            assignee_team=team,
            priority=priority,
            creator=request.api_key.actor,
            category_id=category_id,
            external_issue_reference_id=reference_id,
            at=self.state.now(),
        )
        return Response.json(201, {"follow_up": render(follow_up)})

    def show_follow_up(self, request: Request, render: Render = FollowUp.to_dict) -> Response:
        """``GET /v2/follow_ups/{id}`` (and V3)."""
        return Response.json(200, {"follow_up": render(self._follow_up(request))})

    def update_follow_up(self, request: Request, render: Render = FollowUp.to_dict) -> Response:
        """``PUT /v2/follow_ups/{id}``: ``title`` and ``status`` are required (any status the
        spec lists but ``deleted``); other fields are left alone when absent and cleared when
        ``null``."""
        payload = Payload(request.json_body())
        title = payload.string("title", required="A title")
        status = payload.string("status", required="A status")
        if status == "deleted":
            payload.fail(
                "status",
                "invalid_value",
                "A follow-up cannot be deleted by setting its status to deleted: use the "
                "delete endpoint (DELETE /v2/follow_ups/{id}) instead",
            )
        description = payload.string("description")
        labels = payload.strings("labels")
        category_id = payload.string("follow_up_category_id")
        assignee = _lookup(payload, "assignee_id", self.state.users, "user")
        team = _lookup(payload, "assignee_team_id", self.state.teams, "team")
        priority = _lookup(
            payload, "follow_up_priority_option_id", self.state.priorities, "priority"
        )
        payload.check()
        follow_up = self._follow_up(request)
        assert title is not None and status is not None

        now_us = max(to_micros(self.state.now()), follow_up.created_us)
        follow_up.title = title
        if status != follow_up.status:
            follow_up.completed_us = now_us if status == "completed" else None
        follow_up.status = status
        if payload.has("description"):
            follow_up.description = description
        if payload.has("labels"):
            follow_up.labels = labels or []
        if payload.has("follow_up_category_id"):
            follow_up.category_id = category_id
            follow_up.category = self.state.categories.get(category_id or "")
        if payload.has("assignee_id"):
            follow_up.assignee = assignee
        if payload.has("assignee_team_id"):
            follow_up.assignee_team = team
        if payload.has("follow_up_priority_option_id"):
            follow_up.priority = priority
        follow_up.updated_us = now_us
        self.state.changed("follow_up.updated", follow_up)
        return Response.json(200, {"follow_up": render(follow_up)})

    def delete_follow_up(self, request: Request, render: Render = FollowUp.to_dict) -> Response:
        """``DELETE /v2/follow_ups/{id}`` (and V3): 204, and the follow-up is gone."""
        self.state.delete_follow_up(self._follow_up(request).id)
        return Response.empty(204)

    def connect_external_issue(
        self, request: Request, render: Render = FollowUp.to_dict
    ) -> Response:
        """``POST /v2/follow_ups/{id}/actions/connect_external_issue``: refused (422) when the
        follow-up already has an external issue."""
        payload = Payload(request.json_body())
        provider = payload.string("provider", required="A provider")
        url = payload.string("url", required="A URL")
        if url is not None and not is_issue_url(url):
            payload.fail("url", "invalid_value", "url must be an absolute http(s) URL")
        payload.check()
        follow_up = self._follow_up(request)
        assert provider is not None and url is not None
        if follow_up.external_issue is not None:
            raise ApiError(
                422,
                "validation_error",
                [
                    ErrorDetail(
                        "already_connected",
                        "This follow-up is already connected to an external issue "
                        f"({follow_up.external_issue.issue_permalink})",
                    )
                ],
            )
        follow_up.external_issue = ExternalIssue(
            provider=provider,
            issue_name=issue_name_from_url(provider, url),
            issue_permalink=url,
        )
        follow_up.updated_us = max(to_micros(self.state.now()), follow_up.created_us)
        self.state.changed("follow_up.updated", follow_up)
        return Response.json(200, {"follow_up": render(follow_up)})

    # -- Follow-ups V3 ------------------------------------------------------------------------

    def list_follow_ups_v3(self, request: Request) -> Response:
        """``GET /v3/follow_ups``: paginated, oldest first (by id), with the V2 filters and
        ``created_at`` / ``updated_at`` operators."""
        size = page_size(request.query)
        after = query_value(request.query, "after")
        if after is not None and after not in self.state.follow_ups:
            raise validation_error("after", "invalid_value", "after must be the ID of a follow-up")
        page, next_after = self.state.page_follow_ups(
            after=after,
            page_size=size,
            incident_id=query_value(request.query, "incident_id"),
            incident_mode=query_value(request.query, "incident_mode"),
            assignee_team_id=query_value(request.query, "assignee_team_id"),
            created=time_filter(request.query, "created_at"),
            updated=time_filter(request.query, "updated_at"),
        )
        meta: dict[str, Any] = {"page_size": size}
        if next_after is not None:
            meta["after"] = next_after
        return Response.json(
            200, {"follow_ups": [f.to_dict_v3() for f in page], "pagination_meta": meta}
        )

    def create_follow_up_from_link(self, request: Request) -> Response:
        """``POST /v3/follow_ups/actions/create_from_link``: a follow-up already connected
        to the issue at ``url``, titled after it."""
        payload = Payload(request.json_body())
        incident_id = payload.string("incident_id", required="An incident ID")
        url = payload.string("url", required="A URL")
        provider = None
        if url is not None:
            provider = provider_of(url) if is_issue_url(url) else None
            if provider is None:
                payload.fail(
                    "url", "invalid_value", "url must be the URL of an issue in a connected tracker"
                )
        if incident_id is not None and incident_id not in self.state.incidents:
            payload.fail("incident_id", "not_found", "No incident exists with this ID")
        payload.check()
        assert incident_id is not None and url is not None and provider is not None
        assert request.api_key is not None
        name = issue_name_from_url(provider, url)
        follow_up = self.state.add_follow_up(
            incident_id,
            f"Follow up on {name}",
            creator=request.api_key.actor,
            external_issue=ExternalIssue(provider=provider, issue_name=name, issue_permalink=url),
            at=self.state.now(),
        )
        return Response.json(201, {"follow_up": follow_up.to_dict_v3()})

    # -- Incident Updates V2 ----------------------------------------------------------------

    def list_incident_updates(self, request: Request) -> Response:
        """``GET /v2/incident_updates``: newest first, paginated by ``after``/``page_size``."""
        size = page_size(request.query)
        after = query_value(request.query, "after")
        if after is not None and after not in self.state.incident_updates:
            raise validation_error(
                "after", "invalid_value", "after must be the ID of an incident update"
            )
        page, next_after = self.state.page_incident_updates(
            incident_id=query_value(request.query, "incident_id"), after=after, page_size=size
        )
        meta: dict[str, Any] = {"page_size": size}
        if next_after is not None:
            meta["after"] = next_after
        # The records' JSON was made when they were stored: a page is one join.
        body = b"".join(
            (b'{"incident_updates":[', b",".join(page), b'],"pagination_meta":', dumps(meta), b"}")
        )
        return Response(200, body)

    def create_incident_update(self, request: Request) -> Response:
        """``POST /v2/incident_updates``: 201 with the new update. A repeated
        ``idempotency_key`` (for the same API key) returns the first update and changes
        nothing."""
        payload = Payload(request.json_body())
        incident_id = payload.string("incident_id", required="An incident ID")
        key = payload.string("idempotency_key", required="An idempotency key")
        message = payload.string("message")
        status = _lookup(payload, "to_incident_status_id", self.state.statuses, "incident status")
        severity = _lookup(payload, "to_severity_id", self.state.severities, "severity")
        if incident_id is not None and incident_id not in self.state.incidents:
            payload.fail("incident_id", "not_found", "No incident exists with this ID")
        if not (message or payload.has("to_incident_status_id") or payload.has("to_severity_id")):
            payload.errors.append(
                ErrorDetail(
                    "is_required",
                    "An update needs a message, a new status or a new severity",
                )
            )
        payload.check()
        assert incident_id is not None and key is not None and request.api_key is not None
        scope = (request.api_key.id, key)
        existing = self.state.idempotency_keys.get(scope)
        if existing is not None:
            update = self.state.incident_updates[existing]
        else:
            update = self.state.add_incident_update(
                incident_id,
                status=status or self.state.current_status(incident_id),
                severity=severity,
                message=message,
                updater=request.api_key.actor,
                at=self.state.now(),
            )
            self.state.idempotency_keys[scope] = update.id
        return Response(201, b'{"incident_update":' + update.to_json() + b"}")

    # -- helpers -----------------------------------------------------------------------------

    def _follow_up(self, request: Request) -> FollowUp:
        follow_up = self.state.follow_ups.get(request.path_params["id"])
        if follow_up is None:
            raise not_found("Follow-up not found")
        return follow_up


def _lookup(payload: Payload, field: str, table: Mapping[str, T], what: str) -> T | None:
    """The record a field names by ID (``None`` when absent or null; a 422 if unknown)."""
    value = payload.string(field)
    if value is None:
        return None
    record = table.get(value)
    if record is None:
        payload.fail(field, "not_found", f"No {what} exists with this ID")
    return record
