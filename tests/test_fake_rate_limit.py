"""The fake's per-key token bucket, its headers and its 429, on virtual time."""

from __future__ import annotations

import calendar
import email.utils

import httpx
import pytest

from incidentio_async.clock import VirtualClock
from incidentio_async.testing import FakeIncidentIO
from incidentio_async.testing.bucket import TokenBucket, format_retry_after

from fake_checks import assert_error

pytestmark = pytest.mark.anyio

WALL_START = 1_750_000_000  # VirtualClock's wall time at 0: 2025-06-15T15:06:40Z, a Sunday


def _client(fake: FakeIncidentIO, key: str | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake),
        base_url="https://api.incident.io",
        headers={"Authorization": f"Bearer {key or fake.api_key}"},
    )


def _limits(response: httpx.Response) -> tuple[str, int, int, int]:
    h = response.headers
    return (
        h["x-ratelimit-limit"],
        int(h["x-ratelimit-remaining"]),
        int(h["x-ratelimit-used"]),
        int(h["x-ratelimit-reset"]),
    )


async def test_a_full_bucket_allows_a_burst_of_1200_then_429() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    async with _client(fake) as http:
        for n in range(1, 1201):
            response = await http.get("/v2/follow_ups")
            assert response.status_code == 200
            limit, remaining, used, _ = _limits(response)
            assert (limit, remaining, used) == ("1200, 1200;window=60", 1200 - n, n)
        assert _limits(response)[3] == WALL_START + 60

        refused = await http.get("/v2/follow_ups")
    body = assert_error(refused, 429, "too_many_requests", code="too_many_requests")
    assert refused.headers["retry-after"] == "1"
    assert _limits(refused) == ("1200, 1200;window=60", 0, 1200, WALL_START + 60)
    assert body == {
        "type": "too_many_requests",
        "status": 429,
        "request_id": body["request_id"],
        "rate_limit": {
            "name": "Fake API key",
            "limit": 1200,
            "remaining": 0,
            "retry_after": "2025-06-15T15:06:41Z",
        },
        "errors": [
            {
                "code": "too_many_requests",
                "message": "Too many requests hit the API too quickly. We recommend an "
                "exponential backoff of your requests.",
            }
        ],
    }
    stats = fake.key_stats()
    assert (stats.admitted, stats.rejected) == (1200, 1)


async def test_retry_after_can_be_an_http_date() -> None:
    fake = FakeIncidentIO(
        clock=VirtualClock(), sample_data=False, capacity=2, retry_after_format="http-date"
    )
    async with _client(fake) as http:
        for _ in range(2):
            assert (await http.get("/v2/follow_ups")).status_code == 200
        refused = await http.get("/v2/follow_ups")
    retry_after = refused.json()["rate_limit"]["retry_after"]
    assert retry_after == "Sun, 15 Jun 2025 15:06:41 UTC"
    assert email.utils.parsedate_to_datetime(retry_after).timestamp() == WALL_START + 1


async def test_the_bucket_refills_over_virtual_time() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(clock=clock, sample_data=False, capacity=10, refill_rate=2)
    async with _client(fake) as http:
        for _ in range(10):
            last = await http.get("/v2/follow_ups")
        assert _limits(last) == ("10, 10;window=5", 0, 10, WALL_START + 5)
        assert (await http.get("/v2/follow_ups")).status_code == 429

        clock.advance(0.4)  # 0.8 of a token
        refused = await http.get("/v2/follow_ups")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "1"  # 0.1 s, rounded up to a whole second

        clock.advance(0.1)
        allowed = await http.get("/v2/follow_ups")
        assert allowed.status_code == 200
        assert _limits(allowed)[1:3] == (0, 10)

        clock.advance(60)  # never more than capacity
        full = await http.get("/v2/follow_ups")
        assert _limits(full)[1:] == (9, 1, int(WALL_START + 60.5 + 0.5))
    stats = fake.key_stats()
    assert (stats.admitted, stats.rejected) == (12, 2)


async def test_retry_after_rounds_up_a_slow_refill() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False, capacity=3, refill_rate=0.25)
    async with _client(fake) as http:
        for _ in range(3):
            await http.get("/v2/follow_ups")
        refused = await http.get("/v2/follow_ups")
    assert refused.headers["retry-after"] == "4"
    assert refused.json()["rate_limit"]["retry_after"] == "2025-06-15T15:06:44Z"
    assert refused.headers["x-ratelimit-limit"] == "3, 3;window=12"


async def test_keys_have_their_own_buckets_and_counters() -> None:
    fake = FakeIncidentIO(
        clock=VirtualClock(), sample_data=False, capacity=3, api_keys={"a": "Alpha", "b": "Beta"}
    )
    async with _client(fake, "a") as alpha, _client(fake, "b") as beta:
        for _ in range(3):
            assert (await alpha.get("/v2/follow_ups")).status_code == 200
        refused = await alpha.get("/v2/follow_ups")
        assert refused.json()["rate_limit"]["name"] == "Alpha"
        other = await beta.get("/v2/follow_ups")
        assert other.status_code == 200
        assert other.headers["x-ratelimit-remaining"] == "2"
    assert (fake.key_stats("a").admitted, fake.key_stats("a").rejected) == (3, 1)
    assert (fake.key_stats("b").admitted, fake.key_stats("b").rejected) == (1, 0)


async def test_every_authenticated_answer_takes_a_token_but_others_do_not() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False, capacity=5)
    async with _client(fake) as http:
        invalid = await http.post("/v2/follow_ups", json={})
        assert invalid.status_code == 422
        assert invalid.headers["x-ratelimit-remaining"] == "4"
        missing = await http.get("/v2/follow_ups/01FCNDV6P870EA6S7TK1DSYDG0")
        assert missing.status_code == 404
        assert missing.headers["x-ratelimit-remaining"] == "3"
        # Unknown routes and wrong methods are refused before authentication.
        assert (await http.get("/v9/nothing")).status_code == 404
        assert (await http.patch("/v2/follow_ups")).status_code == 405
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=fake), base_url="https://api.incident.io"
    ) as anonymous:
        assert (await anonymous.get("/v2/follow_ups")).status_code == 401
    assert fake.key_stats().admitted == 2
    assert fake.limits.bucket(fake.api_key).tokens == 3


async def test_rate_limit_can_be_turned_off() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False, rate_limit=False, capacity=1)
    async with _client(fake) as http:
        for _ in range(20):
            response = await http.get("/v2/follow_ups")
            assert response.status_code == 200
            assert not any(name.startswith("x-ratelimit") for name in response.headers)
    assert fake.key_stats().admitted == 20


async def test_configure_changes_the_bucket() -> None:
    fake = FakeIncidentIO(clock=VirtualClock(), sample_data=False)
    fake.limits.configure(capacity=10, refill_rate=3)
    async with _client(fake) as http:
        response = await http.get("/v2/follow_ups")
    assert response.headers["x-ratelimit-limit"] == "10, 10;window=3.33333"
    assert response.headers["x-ratelimit-remaining"] == "9"
    with pytest.raises(ValueError, match="capacity"):
        fake.limits.configure(refill_rate=0)


def test_retry_after_formats() -> None:
    moment = calendar.timegm((2025, 4, 17, 11, 17, 18, 0, 0, 0))
    assert format_retry_after(moment, "rfc3339") == "2025-04-17T11:17:18Z"
    assert format_retry_after(moment, "http-date") == "Thu, 17 Apr 2025 11:17:18 UTC"


def test_token_bucket_refills_continuously() -> None:
    bucket = TokenBucket(capacity=4, refill_rate=2.0, now=0.0)
    assert all(bucket.try_take(0.0) for _ in range(4))
    assert not bucket.try_take(0.0)
    assert bucket.seconds_until(1) == 0.5
    assert not bucket.try_take(0.25)
    assert bucket.try_take(0.5)
    bucket.refill(100.0)
    assert bucket.tokens == 4
    bucket.refill(50.0)  # time going backwards changes nothing
    assert bucket.tokens == 4


# -- limits of an operation's own ------------------------------------------------------------

CONNECT = "Follow-ups V3#ConnectExternalIssue"


def _connect(http: httpx.AsyncClient, follow_up_id: str) -> object:
    return http.post(
        f"/v3/follow_ups/{follow_up_id}/actions/connect_external_issue",
        json={"provider": "jira", "url": "https://example.atlassian.net/browse/OPS-1"},
    )


async def test_an_operations_own_limit_speaks_the_documented_headers() -> None:
    clock = VirtualClock()
    fake = FakeIncidentIO(
        clock=clock, capacity=100, refill_rate=20, endpoint_limits={CONNECT: (2, 0.2)}
    )
    follow_up = next(iter(fake.state.follow_ups))
    async with _client(fake) as http:
        first = await _connect(http, follow_up)
        assert first.status_code == 200
        # Both limits listed; the operation's own has least left (1 of 2), so it binds.
        assert _limits(first) == ("2, 100;window=5, 2;window=10", 1, 1, WALL_START + 5)
        second = await _connect(http, follow_up)
        assert _limits(second)[:3] == ("2, 100;window=5, 2;window=10", 0, 2)
        refused = await _connect(http, follow_up)
        # Other operations only see the key's limit, which is nowhere near empty.
        read = await http.get(f"/v3/follow_ups/{follow_up}")
        assert _limits(read)[:3] == ("100, 100;window=5", 97, 3)
    body = assert_error(refused, 429, "too_many_requests", code="too_many_requests")
    assert refused.headers["retry-after"] == "5"
    assert refused.headers["x-ratelimit-limit"] == "2, 100;window=5, 2;window=10"
    assert body["rate_limit"] == {
        "name": CONNECT,
        "limit": 2,
        "remaining": 0,
        "retry_after": "2025-06-15T15:06:45Z",
    }
    stats = fake.key_stats()
    # The refused request took no token from the key's bucket either.
    assert (stats.admitted, stats.rejected) == (3, 1)
    assert stats.rejected_by_operation == {CONNECT: 1}
    assert stats.admitted_by_operation == {CONNECT: 2, "Follow-ups V3#Show": 1}


async def test_the_keys_limit_binds_when_it_has_less_left() -> None:
    fake = FakeIncidentIO(
        clock=VirtualClock(), capacity=3, refill_rate=1, endpoint_limits={CONNECT: (10, 1)}
    )
    follow_up = next(iter(fake.state.follow_ups))
    async with _client(fake) as http:
        answers = [await _connect(http, follow_up) for _ in range(4)]
    # (Connecting the same follow-up again is a 422, which takes a token like any answer.)
    assert [a.status_code == 429 for a in answers] == [False, False, False, True]
    assert _limits(answers[2])[:3] == ("3, 3;window=3, 10;window=10", 0, 3)
    assert answers[3].json()["rate_limit"]["name"] == "Fake API key"


async def test_default_is_the_keys_bucket_only() -> None:
    fake = FakeIncidentIO(clock=VirtualClock())
    assert fake.limits.endpoint_limits == {}
    follow_up = next(iter(fake.state.follow_ups))
    async with _client(fake) as http:
        answer = await _connect(http, follow_up)
    assert answer.headers["x-ratelimit-limit"] == "1200, 1200;window=60"


@pytest.mark.parametrize(
    ("limits", "match"),
    [
        ({"Follow-ups V3#Connect": (2, 0.2)}, "does not have"),
        ({CONNECT: (0, 0.2)}, "capacity"),
        ({CONNECT: (2, 0)}, "capacity"),
        ({CONNECT: (2,)}, "capacity, refill_rate"),
    ],
)
def test_endpoint_limits_are_checked(limits: dict[str, tuple[float, ...]], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        FakeIncidentIO(endpoint_limits=limits)  # type: ignore[arg-type]


def test_the_fake_servers_command_line_takes_endpoint_limits() -> None:
    from incidentio_async.testing import __main__ as cli

    args = cli.parser().parse_args(
        ["--endpoint-limit", f"{CONNECT}=2/0.2", "--endpoint-limit", "Follow-ups V3#Show=50/2.5"]
    )
    fake = cli.build_fake(args)
    assert fake.limits.endpoint_limits == {CONNECT: (2, 0.2), "Follow-ups V3#Show": (50, 2.5)}
    for bad in ["nothing", f"{CONNECT}=2", f"{CONNECT}=two/0.2", "=2/0.2"]:
        with pytest.raises(SystemExit):
            cli.parser().parse_args(["--endpoint-limit", bad])
    with pytest.raises(ValueError, match="does not have"):
        cli.build_fake(cli.parser().parse_args(["--endpoint-limit", "Nope#Nope=1/1"]))
