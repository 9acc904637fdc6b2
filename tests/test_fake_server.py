"""The fake over real sockets (uvicorn in a thread and in a subprocess), its command line,
its pytest plugin, and ``fake.client()`` with the facade."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from incidentio_async import APIConnectionError
from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO, server
from incidentio_async.testing import __main__ as cli

from fake_checks import assert_matches


def _headers(fake: FakeIncidentIO) -> dict[str, str]:
    return {"Authorization": f"Bearer {fake.api_key}"}


def test_served_from_a_thread_over_a_real_socket() -> None:
    fake = FakeIncidentIO(seed=2)
    incident_id = next(iter(fake.state.incidents))
    with (
        server.run_in_thread(fake) as base_url,
        httpx.Client(base_url=base_url, headers=_headers(fake)) as http,
    ):
        assert base_url.startswith("http://127.0.0.1:")
        listed = http.get("/v2/follow_ups")
        assert listed.status_code == 200
        assert listed.headers["x-ratelimit-limit"] == "1200, 1200;window=60"
        assert_matches("FollowUpsListResultV2", listed.json())
        created = http.post("/v2/follow_ups", json={"incident_id": incident_id, "title": "Hi"})
        assert created.status_code == 201
        assert created.json()["follow_up"]["id"] in fake.state.follow_ups
        assert http.get("/v2/follow_ups", headers={"Authorization": ""}).status_code == 401
    assert fake.served
    assert [r.status for r in fake.requests] == [200, 201, 401]


def test_dropped_connections_over_a_socket() -> None:
    fake = FakeIncidentIO(seed=2)
    body = {"incident_id": next(iter(fake.state.incidents)), "title": "Dropped"}
    with (
        server.run_in_thread(fake) as base_url,
        httpx.Client(base_url=base_url, headers=_headers(fake)) as http,
    ):
        count = len(fake.state.follow_ups)
        fake.faults.drop("before")
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/v2/follow_ups", json=body)
        assert len(fake.state.follow_ups) == count

        fake.faults.drop("after")
        with pytest.raises(httpx.RemoteProtocolError):
            http.post("/v2/follow_ups", json=body)
        assert len(fake.state.follow_ups) == count + 1

        assert http.get("/v2/follow_ups").status_code == 200  # a new connection works
    assert [r.dropped for r in fake.requests] == ["before", "after", None]


def test_served_from_a_subprocess_with_many_updates() -> None:
    with server.run_in_subprocess(
        seed=4, incident_updates=300, capacity=50, refill_rate=20, latency_ms=1
    ) as child:
        assert child.incident_id is not None
        with httpx.Client(
            base_url=child.base_url, headers={"Authorization": f"Bearer {child.api_key}"}
        ) as http:
            page = http.get(
                "/v2/incident_updates", params={"incident_id": child.incident_id, "page_size": 250}
            )
        assert page.status_code == 200
        assert page.headers["x-ratelimit-limit"] == "50, 50;window=2.5"
        body = page.json()
        assert len(body["incident_updates"]) == 250
        assert body["pagination_meta"]["after"] == body["incident_updates"][-1]["id"]
        assert_matches("IncidentUpdatesListResultV2", body)
    assert child.process.returncode is not None


def test_cli_help_and_a_missing_uvicorn(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    assert "--incident-updates" in capsys.readouterr().out

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # makes `import uvicorn` fail
    assert cli.main(["--port", "0"]) == 2
    assert "incidentio-async[server]" in capsys.readouterr().err
    with pytest.raises(RuntimeError, match=r"incidentio-async\[server\]"):
        server.make_server(FakeIncidentIO(sample_data=False))


def test_cli_options_reach_the_fake() -> None:
    args = cli.parser().parse_args(
        ["--seed", "3", "--no-sample-data", "--api-key", "k1", "--api-key", "k2",
         "--retry-after-format", "http-date", "--no-rate-limit", "--latency-ms", "250"]
    )  # fmt: skip
    assert (args.seed, args.sample_data, args.api_key) == (3, False, ["k1", "k2"])
    assert (args.retry_after_format, args.no_rate_limit, args.latency_ms) == (
        "http-date",
        True,
        250,
    )


def test_the_pytest_plugin_gives_working_fixtures(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["incidentio_async.testing.pytest_plugin"]\n'
    )
    (tmp_path / "test_downstream.py").write_text(
        textwrap.dedent(
            """
            import httpx
            import pytest

            from incidentio_async.testing import FakeIncidentIO


            def test_fake(fake_incidentio):
                assert isinstance(fake_incidentio, FakeIncidentIO)
                assert fake_incidentio.state.follow_ups


            @pytest.mark.anyio
            async def test_raw_http(fake_incidentio_http, fake_incidentio):
                response = await fake_incidentio_http.get("/v2/incident_updates")
                assert response.status_code == 200
                assert len(fake_incidentio.requests) == 1


            @pytest.mark.anyio
            async def test_client(incidentio_client, fake_incidentio):
                follow_ups = await incidentio_client.follow_ups.list()
                assert {f.id for f in follow_ups} <= set(fake_incidentio.state.follow_ups)
                assert fake_incidentio.requests[-1].path == "/v2/follow_ups"


            def test_server(fake_incidentio_server, fake_incidentio):
                key = fake_incidentio.api_key
                response = httpx.get(
                    fake_incidentio_server + "/v2/follow_ups",
                    headers={"Authorization": f"Bearer {key}"},
                )
                assert response.status_code == 200
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W",
         "ignore::DeprecationWarning", str(tmp_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    # The async tests run once per installed anyio backend (asyncio, and trio if present).
    assert re.search(r"\b(4|5|6) passed\b", result.stdout), result.stdout


@pytest.mark.anyio
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_client_helper_wires_the_facade_to_the_fake() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=8, clock=clock)
    incident_id = fake.add_incident_updates(60)
    async with clock.running(), fake.client() as client:
        follow_ups = await client.follow_ups.list()
        assert [f.id for f in follow_ups] == [
            f["id"] for f in fake.state.list_follow_ups() for f in [f.to_dict()]
        ]
        updates = await client.incident_updates.list(incident_id=incident_id, page_size=7).to_list()
        assert [u.id for u in updates] == [
            u.id for u in fake.state.list_incident_updates(incident_id)
        ]
        assert len(fake.requests) == 1 + 9  # one list, nine pages
        assert all(r.api_key == fake.api_key for r in fake.requests)
    assert fake.key_stats().admitted == 10


@pytest.mark.anyio
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
async def test_the_facade_retries_drops_before_but_not_creates_whose_outcome_is_unknown() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(seed=8, clock=clock)
    incident_id = next(iter(fake.state.incidents))
    before = len(fake.state.follow_ups)
    async with clock.running(), fake.client() as client:
        fake.faults.drop("after", method="POST")
        with pytest.raises(APIConnectionError):
            await client.follow_ups.create(incident_id=incident_id, title="Maybe created")
        assert [(r.method, r.dropped) for r in fake.requests] == [("POST", "after")]
        assert len(fake.state.follow_ups) == before + 1  # created, though the client cannot know

        fake.faults.drop("before", method="POST")
        created = await client.follow_ups.create(incident_id=incident_id, title="Created once")
        assert [r.dropped for r in fake.requests[1:]] == ["before", None]
        assert fake.state.follow_ups[created.id].title == "Created once"
        assert len(fake.state.follow_ups) == before + 2
