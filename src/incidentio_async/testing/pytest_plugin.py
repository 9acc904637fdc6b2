"""pytest fixtures for testing code that uses incidentio_async, against the fake API.

Enable them in your top-level ``conftest.py``::

    pytest_plugins = ["incidentio_async.testing.pytest_plugin"]

Then::

    @pytest.mark.anyio
    async def test_lists_follow_ups(incidentio_client, fake_incidentio):
        follow_ups = await incidentio_client.follow_ups_v3.list().to_list()
        assert len(fake_incidentio.requests) == 1

Override ``fake_incidentio_options`` to change how the fake is built (seed, sample data,
clock, rate limits...).

**Fast retries.** A test that injects faults would wait out the client's real backoff (0.5 s,
then 1 s, 2 s...) and every ``Retry-After``. Mark it ``@pytest.mark.incidentio_fast_retries``
(or override the ``incidentio_fast_retries`` fixture to return True for a whole directory)
and the fake and ``incidentio_client`` share a
:class:`~incidentio_async.clock.VirtualClock`: time jumps ahead whenever every task is
waiting on it, so backoffs, rate-limit waits and the fake's latency take no real time, in the
same order and with the same outcome. ``fake_incidentio.clock.monotonic()`` says how much
virtual time passed; the fake's timestamps follow the virtual clock too.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.testing.app import FakeIncidentIO

if TYPE_CHECKING:
    from incidentio_async import IncidentIO

FAST_RETRIES_MARKER = "incidentio_fast_retries"


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, so that ``--strict-markers`` accepts it."""
    config.addinivalue_line(
        "markers",
        f"{FAST_RETRIES_MARKER}: run fake_incidentio and incidentio_client on a virtual clock "
        "(retries, backoffs and rate-limit waits take no real time)",
    )


@pytest.fixture
def incidentio_fast_retries(request: pytest.FixtureRequest) -> bool:
    """Whether the fake and its client run on a virtual clock: True for a test marked
    ``@pytest.mark.incidentio_fast_retries``; override this fixture to change the default."""
    return request.node.get_closest_marker(FAST_RETRIES_MARKER) is not None


@pytest.fixture
def fake_incidentio_options() -> dict[str, Any]:
    """Keyword arguments for :class:`FakeIncidentIO` (override this fixture to change them)."""
    return {"seed": 0}


@pytest.fixture
def fake_incidentio(
    fake_incidentio_options: dict[str, Any], incidentio_fast_retries: bool
) -> FakeIncidentIO:
    """A fresh fake incident.io API with seeded sample data (on a virtual clock with fast
    retries, unless the options give it a clock of their own)."""
    options = dict(fake_incidentio_options)
    if incidentio_fast_retries:
        options.setdefault("clock", VirtualClock())
    return FakeIncidentIO(**options)


@contextlib.asynccontextmanager
async def _time_moving(fake: FakeIncidentIO, fast_retries: bool) -> AsyncIterator[None]:
    """With fast retries, let the fake's virtual clock move by itself while the block runs
    (a clock passed in the options without them is the test's to drive)."""
    if fast_retries and isinstance(fake.clock, VirtualClock):
        async with fake.clock.running():
            yield
    else:
        yield


@pytest.fixture
async def incidentio_client(
    fake_incidentio: FakeIncidentIO, incidentio_fast_retries: bool
) -> AsyncIterator[IncidentIO]:
    """An ``IncidentIO`` client wired to ``fake_incidentio`` in process, closed afterwards;
    it shares the fake's clock (a virtual one with fast retries).

    Needs an async test (``@pytest.mark.anyio``).
    """
    async with (
        _time_moving(fake_incidentio, incidentio_fast_retries),
        fake_incidentio.client() as client,
    ):
        yield client


@pytest.fixture
async def fake_incidentio_http(
    fake_incidentio: FakeIncidentIO, incidentio_fast_retries: bool
) -> AsyncIterator[httpx.AsyncClient]:
    """A plain ``httpx.AsyncClient`` authenticated to ``fake_incidentio``, for raw requests."""
    async with (
        _time_moving(fake_incidentio, incidentio_fast_retries),
        fake_incidentio.http_client() as client,
    ):
        yield client


@pytest.fixture
def fake_incidentio_server(
    fake_incidentio: FakeIncidentIO, incidentio_fast_retries: bool
) -> Iterator[str]:
    """``fake_incidentio`` served over a real socket from a thread; the base URL.

    Needs uvicorn (``incidentio-async[server]``), and real time: a server in another thread
    cannot share the test's virtual clock, so fast retries are refused here.
    """
    from incidentio_async.testing.server import run_in_thread

    if incidentio_fast_retries:
        raise pytest.UsageError(
            "fake_incidentio_server serves from another thread and needs real time: it cannot "
            "be combined with incidentio_fast_retries"
        )
    with run_in_thread(fake_incidentio) as base_url:
        yield base_url
