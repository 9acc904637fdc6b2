"""Mistakes mypy --strict must catch in a user's code (tests/test_typecheck.py).

Each line ending in ``# error`` must be reported by mypy, and no other line: an enum argument
takes its members or the strings the spec lists, and nothing else.
"""

from __future__ import annotations

from incidentio_async import IncidentIO, RequestOptions
from incidentio_async.models import FollowUpsV3ListIncidentMode


async def mistakes(client: IncidentIO, status: str) -> None:
    await client.follow_ups_v3.update("01H", title="t", status="doneish")  # error
    await client.follow_ups_v3.update("01H", title="t", status=status)  # error
    await client.follow_ups_v3.update("01H", title="t", status="deleted")  # error
    client.follow_ups_v3.list(incident_mode="standrd")  # error
    await client.follow_ups_v3.connect_external_issue("01H", provider="trello", url="u")  # error
    await client.follow_ups_v3.get("01H", timeout="5")  # error
    await client.follow_ups_v3.get("01H", retries=0)  # error


async def fine(client: IncidentIO) -> None:
    await client.follow_ups_v3.update("01H", title="t", status="not_doing")
    client.follow_ups_v3.list(incident_mode=FollowUpsV3ListIncidentMode.RETROSPECTIVE)
    client.follow_ups_v3.list(incident_mode="retrospective")


def bad_options() -> RequestOptions:
    return {"max_retries": "3"}  # error
