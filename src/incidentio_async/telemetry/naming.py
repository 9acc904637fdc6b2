"""Names for calls and their failures, the same in logs, hooks, spans and metrics.

A generated method's call is named after its operation (``Follow-ups V3#List``);
``client.request`` has no operation, so it is named by method and path template, with the
ids taken out (``GET /v2/incidents/{id}``): span names and metric attributes must keep a low
cardinality, which a path full of ids would not.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import httpx

from ..errors import APIStatusError, IncidentIOError

if TYPE_CHECKING:
    from .._pipeline import ApiRequest

# Path segments kept as they are in a template: API versions and lower-case words
# (``v2``, ``follow_ups``, ``actions``); anything else is taken for an id.
_WORD = re.compile(r"v[0-9]+|[a-z_\-]*")


def path_template(path: str) -> str:
    """``path`` with every segment that may be an id replaced by ``{id}``."""
    return "/".join(segment if _WORD.fullmatch(segment) else "{id}" for segment in path.split("/"))


def operation_name(request: ApiRequest) -> str:
    """The operation's id (``Follow-ups V3#List``), or for a raw call its method and path
    template (``GET /v2/incidents/{id}``)."""
    if request.operation is not None:
        return request.operation.id
    return f"{request.method} {path_template(request.path)}"


def span_name(request: ApiRequest) -> str:
    """A readable name for the span of a call: ``Follow-ups V3 List``."""
    if request.operation is not None:
        return request.operation.id.replace("#", " ")
    return f"{request.method} {path_template(request.path)}"


def url_template(request: ApiRequest) -> str:
    """The path template of the request (``/v3/follow_ups/{id}``)."""
    if request.operation is not None:
        return request.operation.path
    return path_template(request.path)


def error_type(error: BaseException) -> str:
    """The class of ``error``, fully qualified (``incidentio_async.errors.ServerError``,
    ``httpx.ConnectError``; built-in ones by their name: ``TimeoutError``)."""
    kind = type(error)
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


def attempt_error_type(
    response: httpx.Response | None, error: IncidentIOError | None
) -> str | None:
    """How an attempt failed, as the HTTP conventions say: the status code of an error
    response (``"503"``), else the class of the transport's exception; None for a 2xx."""
    if response is not None:
        return None if response.is_success else str(response.status_code)
    if error is None:
        return None
    cause = error.__cause__
    return error_type(cause if cause is not None else error)


def reason(response: httpx.Response | None, error: IncidentIOError) -> str:
    """Why an attempt failed, for people: ``503 service_unavailable``, ``ConnectError``."""
    if response is not None:
        kind = error.type if isinstance(error, APIStatusError) and error.type else ""
        return f"{response.status_code} {kind}".strip()
    cause = error.__cause__
    return type(cause).__name__ if cause is not None else type(error).__name__
