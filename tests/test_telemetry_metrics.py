"""OpenTelemetry metrics, read back from the SDK's in-memory reader: requests, attempts,
429s and retries by operation and outcome, the limiter's waits and tokens."""

from __future__ import annotations

from typing import Any

import pytest

from incidentio_async import IncidentIO, ServerError
from incidentio_async.clock import VirtualClock
from incidentio_async.ratelimit import RateLimiter
from incidentio_async.telemetry import OpenTelemetry
from incidentio_async.testing import FakeIncidentIO

from otel_capture import Captured

pytestmark = pytest.mark.anyio

SHOW = "Follow-ups V3#Show"
LIST = "Follow-ups V3#List"


def error_body(status: int) -> dict[str, Any]:
    return {"type": "x", "status": status, "request_id": "r", "errors": []}


@pytest.fixture
def fake() -> FakeIncidentIO:
    return FakeIncidentIO(seed=5, clock=VirtualClock(), sample_data=False)


async def test_requests_attempts_retries_and_429s_are_counted_by_operation_and_outcome(
    fake: FakeIncidentIO,
) -> None:
    captured = Captured()
    follow_up = fake.add_follow_up(fake.add_incident(), "Counted")
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), fake.client(telemetry=captured.telemetry, max_retries=1) as client:
        fake.faults.script(503, error_body(503), path="/v3/follow_ups/{id}")
        fake.faults.script(429, error_body(429), headers={"Retry-After": "2"}, times=1)
        await client.follow_ups_v3.get(follow_up.id)  # 503, 429, 200
        fake.faults.script(503, error_body(503), times=2)
        with pytest.raises(ServerError):
            await client.follow_ups_v3.get(follow_up.id)  # 503, 503: out of retries
        await client.follow_ups_v3.list().to_list()

    assert captured.counts(
        "incidentio.client.requests", "incidentio.operation", "incidentio.outcome", "error.type"
    ) == {
        (SHOW, "success", None): 1,
        (SHOW, "failure", "incidentio_async.errors.ServerError"): 1,
        (LIST, "success", None): 1,
    }
    assert captured.counts(
        "incidentio.client.attempts",
        "incidentio.operation",
        "http.response.status_code",
        "incidentio.outcome",
    ) == {
        (SHOW, 503, "failure"): 3,
        (SHOW, 429, "failure"): 1,
        (SHOW, 200, "success"): 1,
        (LIST, 200, "success"): 1,
    }
    assert captured.counts("incidentio.client.rate_limited", "incidentio.operation") == {(SHOW,): 1}
    assert captured.counts(
        "incidentio.client.retries", "incidentio.retry.reason", "incidentio.rate_limited"
    ) == {
        ("503", False): 2,
        ("429", True): 1,
    }
    assert captured.counts("incidentio.client.request.duration", "incidentio.outcome") == {
        ("success",): 2,
        ("failure",): 1,
    }


async def test_each_attempt_is_an_http_client_request_duration_with_the_conventions_attributes(
    fake: FakeIncidentIO,
) -> None:
    captured = Captured()
    fake.faults.latency = 0.25
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), fake.client(telemetry=captured.telemetry) as client:
        await client.follow_ups_v3.list().to_list()

    (point,) = captured.points("http.client.request.duration")
    assert dict(point.attributes) == {
        "http.request.method": "GET",
        "server.address": "api.incident.io",
        "server.port": 443,
        "url.template": "/v3/follow_ups",
        "http.response.status_code": 200,
        "incidentio.operation": LIST,
    }
    assert point.count == 1
    assert point.sum == 0.25  # on the client's (virtual) clock


async def test_limiter_waits_are_a_histogram_and_tokens_a_gauge(fake: FakeIncidentIO) -> None:
    captured = Captured()
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    limiter = RateLimiter(capacity=10, refill_rate=2.0, initial_tokens=0, clock=clock)
    async with (
        clock.running(),
        fake.client(telemetry=captured.telemetry, rate_limiter=limiter) as client,
    ):
        await client.follow_ups_v3.list().to_list()  # waits 1 s for a token
        await client.follow_ups_v3.list().to_list()  # waits 0.5 s

        (wait,) = captured.points("incidentio.rate_limit.wait.duration")
        assert dict(wait.attributes) == {
            "incidentio.operation": LIST,
            "incidentio.rate_limit.scope": "key",
        }
        assert (wait.count, wait.sum) == (2, 1.5)
        clock.advance(2.0)
        (tokens,) = captured.points("incidentio.rate_limit.tokens")
        assert dict(tokens.attributes) == {"incidentio.rate_limit.scope": "key"}
        assert tokens.value == limiter.tokens == 5.0  # 1 left after 1.5 s, 4 more in 2 s


async def test_metrics_or_tracing_can_be_turned_off(fake: FakeIncidentIO) -> None:
    captured = Captured()
    metrics_only = OpenTelemetry(
        tracer_provider=captured.tracer_provider,
        meter_provider=captured.meter_provider,
        tracing=False,
    )
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running(), fake.client(telemetry=metrics_only) as client:
        await client.follow_ups_v3.list().to_list()
    assert captured.spans == []
    assert captured.counts("incidentio.client.requests", "incidentio.outcome") == {("success",): 1}
    assert repr(metrics_only) == "OpenTelemetry(metrics)"

    spans_only = Captured()
    tracing = OpenTelemetry(
        tracer_provider=spans_only.tracer_provider,
        meter_provider=spans_only.meter_provider,
        metrics=False,
    )
    async with clock.running(), fake.client(telemetry=tracing) as client:
        await client.follow_ups_v3.list().to_list()
    assert len(spans_only.spans) == 2
    assert spans_only.points("incidentio.client.requests") == []


async def test_clients_sharing_one_setting_share_its_instruments(fake: FakeIncidentIO) -> None:
    captured = Captured()
    clock = fake.clock
    assert isinstance(clock, VirtualClock)
    async with clock.running():
        for _ in range(2):
            client: IncidentIO
            async with fake.client(telemetry=captured.telemetry) as client:
                await client.follow_ups_v3.list().to_list()
    assert captured.counts("incidentio.client.requests", "incidentio.operation") == {(LIST,): 2}


CONNECT_SCOPE = "POST /v3/follow_ups/{id}/actions/connect_external_issue"


async def test_an_operation_with_a_limit_of_its_own_is_its_own_scope_in_every_signal() -> None:
    """Once the limiter has learned an operation's own limit (from X-RateLimit-Limit), that
    operation's waits carry its scope, and the token gauge has a series per scope."""
    clock = VirtualClock()
    fake = FakeIncidentIO(
        seed=5,
        clock=clock,
        sample_data=False,
        endpoint_limits={"Follow-ups V3#ConnectExternalIssue": (2, 0.2)},
    )
    incident = fake.add_incident()
    follow_ups = [fake.add_follow_up(incident, f"Follow-up {n}").id for n in range(2)]
    captured = Captured()
    limiter = RateLimiter(100, 20.0, clock=clock)
    async with (
        clock.running(),
        fake.client(telemetry=captured.telemetry, rate_limiter=limiter) as client,
    ):
        for follow_up in follow_ups:  # the first answer tells of the operation's limit
            await client.follow_ups_v3.connect_external_issue(
                follow_up, provider="jira", url=f"https://x.atlassian.net/browse/A-{follow_up}"
            )
        await client.follow_ups_v3.get(follow_ups[0])

        waits = captured.points("incidentio.rate_limit.wait.duration")
        scopes = {
            (p.attributes["incidentio.operation"], p.attributes["incidentio.rate_limit.scope"]): (
                p.count
            )
            for p in waits
        }
        assert scopes == {
            ("Follow-ups V3#ConnectExternalIssue", "key"): 1,  # not learned yet
            ("Follow-ups V3#ConnectExternalIssue", CONNECT_SCOPE): 1,
            (SHOW, "key"): 1,
        }
        tokens = {
            p.attributes["incidentio.rate_limit.scope"]: p.value
            for p in captured.points("incidentio.rate_limit.tokens")
        }
        stats = limiter.scope_stats()
        assert tokens == {scope: figures.tokens for scope, figures in stats.items()}
        assert set(tokens) == {"key", CONNECT_SCOPE}
