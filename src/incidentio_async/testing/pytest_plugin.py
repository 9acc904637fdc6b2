"""pytest fixtures for testing code that uses incidentio_async, against the fake API.

Enable them in your top-level ``conftest.py``::

    pytest_plugins = ["incidentio_async.testing.pytest_plugin"]

Then::

    @pytest.mark.anyio
    async def test_lists_follow_ups(incidentio_client, fake_incidentio):
        follow_ups = await incidentio_client.follow_ups.list()
        assert len(fake_incidentio.requests) == 1

Override ``fake_incidentio_options`` to change how the fake is built (seed, sample data,
clock, rate limits...).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from incidentio_async.testing.app import FakeIncidentIO

if TYPE_CHECKING:
    from incidentio_async import IncidentIO


@pytest.fixture
def fake_incidentio_options() -> dict[str, Any]:
    """Keyword arguments for :class:`FakeIncidentIO` (override this fixture to change them)."""
    return {"seed": 0}


@pytest.fixture
def fake_incidentio(fake_incidentio_options: dict[str, Any]) -> FakeIncidentIO:
    """A fresh fake incident.io API with seeded sample data."""
    return FakeIncidentIO(**fake_incidentio_options)


@pytest.fixture
async def incidentio_client(fake_incidentio: FakeIncidentIO) -> AsyncIterator[IncidentIO]:
    """An ``IncidentIO`` client wired to ``fake_incidentio`` in process, closed afterwards.

    Needs an async test (``@pytest.mark.anyio``).
    """
    async with fake_incidentio.client() as client:
        yield client


@pytest.fixture
async def fake_incidentio_http(
    fake_incidentio: FakeIncidentIO,
) -> AsyncIterator[httpx.AsyncClient]:
    """A plain ``httpx.AsyncClient`` authenticated to ``fake_incidentio``, for raw requests."""
    async with fake_incidentio.http_client() as client:
        yield client


@pytest.fixture
def fake_incidentio_server(fake_incidentio: FakeIncidentIO) -> Iterator[str]:
    """``fake_incidentio`` served over a real socket from a thread; the base URL.

    Needs uvicorn (``incidentio-async[server]``).
    """
    from incidentio_async.testing.server import run_in_thread

    with run_in_thread(fake_incidentio) as base_url:
        yield base_url
