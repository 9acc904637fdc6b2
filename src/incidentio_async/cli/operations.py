"""The CLI's view of the generated resources: every operation, and its command names.

Commands come from the operations the generator wrote: ``follow-ups-v3 list`` is
``client.follow_ups_v3.list``, options come from its parameters. A new operation in the specs
is a new command without a line written here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import _catalog as catalog
from .._operation import Operation

ACTION_ALIASES = {"connect-external-issue": ("connect",)}
"""Command names kept from version 0.1.0."""

OPTION_ALIASES = {
    "follow_up_category_id": ("--category-id",),
    "follow_up_priority_option_id": ("--priority-id",),
    "max_items": ("--limit",),
}
"""Option names kept from version 0.1.0 (besides the ones every option gets)."""

NULL_FLAGS = {"assignee_id": ("--unassign",), "assignee_team_id": ("--unassign-team",)}
"""Flags that send null for a nullable argument, kept from version 0.1.0 (every nullable
argument also gets ``--clear-<name>``)."""


def kebab(name: str) -> str:
    """``follow_ups_v3`` -> ``follow-ups-v3``."""
    return name.replace("_", "-")


@dataclass(frozen=True)
class Command:
    """One operation as a command: ``<resource> <action>``."""

    resource: str
    """The client's attribute (``follow_ups_v3``)."""
    tag: str
    operation: Operation[Any]

    @property
    def action(self) -> str:
        """The action's command name."""
        return kebab(self.operation.name)

    @property
    def words(self) -> str:
        """The operation's action in words, from its operationId (``Follow-ups
        V3#CreateFromLink`` -> ``create from link``)."""
        action = self.operation.id.rsplit("#", 1)[-1]
        return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", action).lower()

    @property
    def help(self) -> str:
        """One line for the resource's list of commands: what it does and what it calls
        (``create from link: POST /v3/follow_ups/actions/create_from_link``)."""
        text = f"{self.words}: {self.operation.method} {self.operation.path}"
        return f"{text} (deprecated)" if self.operation.deprecation else text

    @property
    def noun(self) -> str:
        """What one record is called, for messages (``follow-up``)."""
        words = self.tag.rsplit(" V", 1)[0].lower()
        return words.removesuffix("s")


def resources() -> Iterator[tuple[str, str, list[str], list[Command]]]:
    """Each resource: (command name, tag, command aliases, its commands)."""
    for resource in catalog.resources():
        commands = [Command(resource.attribute, resource.tag, op) for op in resource.operations]
        aliases = [kebab(alias) for alias in resource.aliases]
        yield kebab(resource.attribute), resource.tag, aliases, commands
