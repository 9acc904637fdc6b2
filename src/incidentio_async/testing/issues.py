"""The human-readable name of an external issue, read from its URL.

The API connects a follow-up to an issue from just a provider and a URL, and reports a short
``issue_name`` (``INC-123``). The fake makes one up the way the trackers write them.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

# Linear and Jira style keys: a project prefix, a dash and a number (ENG-123, INC-1609).
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]*-\d+")


def is_issue_url(url: str) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url


# Where each tracker's issues live, by the end of the URL's host name.
_HOSTS = (
    ("linear.app", "linear"),
    ("atlassian.net", "jira"),
    ("github.com", "github"),
    ("gitlab.com", "gitlab"),
    ("shortcut.com", "shortcut"),
    ("asana.com", "asana"),
    ("clickup.com", "click_up"),
    ("dev.azure.com", "azure_devops"),
    ("visualstudio.com", "azure_devops"),
    ("notion.so", "notion"),
    ("service-now.com", "service_now"),
    ("freshservice.com", "freshservice"),
    ("salesforce.com", "salesforce"),
    ("force.com", "salesforce"),
)


def provider_of(url: str) -> str | None:
    """The issue tracker an issue URL belongs to, as the API names it, or None."""
    host = (urlsplit(url).hostname or "").lower()
    for suffix, provider in _HOSTS:
        if host == suffix or host.endswith("." + suffix):
            return provider
    return None


def issue_name_from_url(provider: str, url: str) -> str:
    """A short name for the issue at ``url``, e.g. ``INC-123`` or ``acme/api#42``."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    for segment in segments:
        if _KEY.fullmatch(segment):
            return segment.upper()
    for _, value in parse_qsl(parts.query):
        if _KEY.fullmatch(value):  # e.g. Jira's ?selectedIssue=OPS-12
            return value.upper()
    numbered = _numbered(segments, ("issues", "issue", "story", "edit", "t", "task"))
    if numbered is not None:
        index, number = numbered
        if provider in ("github", "gitlab"):
            repo = "/".join(s for s in segments[:index] if s != "-")
            return f"{repo}#{number}" if repo else f"#{number}"
        if provider == "shortcut":
            return f"sc-{number}"
        return number
    if segments:
        return segments[-1]
    return parts.hostname or url


def _numbered(segments: list[str], markers: tuple[str, ...]) -> tuple[int, str] | None:
    """The position of the last ``marker/<id>`` pair and the id, if there is one."""
    for index in range(len(segments) - 2, -1, -1):
        if segments[index] in markers:
            return index, segments[index + 1]
    return None
