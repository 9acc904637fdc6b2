"""The pytest plugin's fast-retry mode: a user's fault-injection test waits on virtual time."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from incidentio_async import IncidentIO, ServerError
from incidentio_async.clock import SYSTEM_CLOCK, VirtualClock
from incidentio_async.testing import FakeIncidentIO

pytestmark = pytest.mark.anyio


@pytest.mark.incidentio_fast_retries
async def test_marked_tests_retry_on_virtual_time(
    incidentio_client: IncidentIO, fake_incidentio: FakeIncidentIO
) -> None:
    fake_incidentio.faults.script(503, method="GET", times=3)
    follow_ups = await incidentio_client.follow_ups_v3.list(page_size=250).to_list()
    assert follow_ups
    assert [r.status for r in fake_incidentio.requests] == [503, 503, 503, 200]
    clock = fake_incidentio.clock
    assert isinstance(clock, VirtualClock)
    # The client's backoffs (0.5 s, 1 s, 2 s, less jitter) were waited on the virtual clock,
    # which never really sleeps.
    backoffs = [seconds for seconds in clock.sleeps if seconds > 0]
    assert len(backoffs) == 3 and sum(backoffs) >= 0.25 + 0.5 + 1.0
    assert clock.monotonic() >= sum(backoffs)


@pytest.mark.incidentio_fast_retries
async def test_a_fault_that_outlasts_the_retries_still_raises_quickly(
    incidentio_client: IncidentIO, fake_incidentio: FakeIncidentIO
) -> None:
    fake_incidentio.faults.script(503, method="GET", times=10)
    with pytest.raises(ServerError):
        await incidentio_client.follow_ups_v3.get("01H")
    assert len(fake_incidentio.requests) == 4  # the first attempt and three retries


async def test_without_the_mark_the_fake_keeps_real_time(fake_incidentio: FakeIncidentIO) -> None:
    assert fake_incidentio.clock is SYSTEM_CLOCK


def test_a_whole_suite_can_turn_fast_retries_on_in_its_conftest(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            """
            import pytest

            pytest_plugins = ["incidentio_async.testing.pytest_plugin"]


            @pytest.fixture
            def incidentio_fast_retries():
                return True
            """
        )
    )
    (tmp_path / "test_service.py").write_text(
        textwrap.dedent(
            """
            import pytest

            from incidentio_async.clock import VirtualClock


            @pytest.mark.anyio
            async def test_survives_a_flaky_api(incidentio_client, fake_incidentio):
                fake_incidentio.faults.script(503, method="GET", times=3)
                fake_incidentio.faults.script(
                    429, {"type": "too_many_requests"}, headers={"Retry-After": "30"}, times=1
                )
                assert await incidentio_client.follow_ups_v3.list().to_list()
                assert isinstance(fake_incidentio.clock, VirtualClock)
                assert fake_incidentio.clock.monotonic() >= 30 + 1.75


            def test_the_server_needs_real_time(fake_incidentio_server):
                pass
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "anyio",
         str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # The async test once per anyio backend the plugin picks; the server test refused.
    assert re.search(r"\b[12] passed, 1 error\b", result.stdout), result.stdout
    assert "fake_incidentio_server serves from another thread and needs real time" in (
        result.stdout
    ), result.stdout
