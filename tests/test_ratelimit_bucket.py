"""The pure parts of the rate limiter: bucket arithmetic, header parsing, key hashing."""

from __future__ import annotations

import math

import httpx
import pytest

from incidentio_async.ratelimit.bucket import (
    TokenBucket,
    reserve_tokens,
    validate_concurrency,
    validate_limits,
)
from incidentio_async.ratelimit.headers import (
    MAX_PAUSE_SECONDS,
    pause_seconds,
    remaining_from_headers,
)
from incidentio_async.ratelimit.keys import api_key_id


def test_fresh_bucket_hands_out_capacity_minus_reserve_at_once() -> None:
    bucket = TokenBucket(capacity=100, rate=10, reserve=2, now=0.0)
    taken = 0
    while bucket.try_take(0.0) == 0:
        taken += 1
    assert taken == 98
    assert bucket.try_take(0.0) == pytest.approx(0.1)  # one token's refill


def test_refill_is_continuous_and_capped() -> None:
    bucket = TokenBucket(capacity=10, rate=2, reserve=0, now=0.0, tokens=0)
    assert bucket.level(1.25) == pytest.approx(2.5)
    assert bucket.level(1000.0) == 10
    assert bucket.try_take(0.25) == pytest.approx(0.25)
    assert bucket.try_take(0.5) == 0
    assert bucket.level(0.5) == pytest.approx(0.0)


def test_pause_empties_bucket_then_one_request_at_the_end() -> None:
    bucket = TokenBucket(capacity=10, rate=2, reserve=1, now=0.0)
    assert bucket.pause(1.0, 5.0) == 6.0
    assert bucket.paused_until(1.0) == 6.0
    assert bucket.available(5.9) == 0
    assert bucket.try_take(3.0) == pytest.approx(3.0)
    assert bucket.try_take(6.0) == 0
    assert bucket.try_take(6.0) == pytest.approx(0.5)  # then the refill rate
    assert bucket.paused_until(6.0) is None


def test_pause_is_extended_never_shortened() -> None:
    bucket = TokenBucket(capacity=10, rate=2, reserve=0, now=0.0)
    bucket.pause(0.0, 10.0)
    assert bucket.pause(1.0, 2.0) == 10.0
    assert bucket.pause(2.0, 20.0) == 22.0


def test_lower_never_raises_and_ignores_sub_token_noise() -> None:
    bucket = TokenBucket(capacity=100, rate=1, reserve=0, now=0.0)
    bucket.lower(0.0, 40)
    assert bucket.level(0.0) == 40
    bucket.lower(0.0, 90)
    assert bucket.level(0.0) == 40
    bucket.lower(0.0, 39.5)  # within the tolerance: the header is a rounded, late figure
    assert bucket.level(0.0) == 40
    bucket.lower(0.0, -3)
    assert bucket.level(0.0) == 0


def test_lower_is_ignored_during_a_pause() -> None:
    bucket = TokenBucket(capacity=100, rate=1, reserve=0, now=0.0)
    bucket.pause(0.0, 5.0)
    bucket.lower(1.0, 0)
    assert bucket.try_take(5.0) == 0


def test_delay_matches_take_under_float_noise() -> None:
    # Sleeping exactly the announced delay must always be enough, even at large times.
    bucket = TokenBucket(capacity=3, rate=7.0, reserve=1, now=1e9)
    now = 1e9
    for _ in range(1000):
        wait = bucket.try_take(now)
        if wait:
            now += wait
            assert bucket.try_take(now) == 0


def test_reserve_tokens() -> None:
    assert reserve_tokens(1200, 0.005) == 6
    assert reserve_tokens(1200, 0.01) == 12
    assert reserve_tokens(20, 0.005) == 1  # at least one
    assert reserve_tokens(1, 0.5) == 0  # but always one usable token
    assert reserve_tokens(1200, 0) == 0


@pytest.mark.parametrize(
    ("capacity", "rate", "margin"),
    [
        (0, 1, 0),
        (0.5, 1, 0),
        (10, 0, 0),
        (10, -1, 0),
        (10, math.nan, 0),
        (10, 1, 1),
        (math.inf, 1, 0),
    ],
)
def test_invalid_limits(capacity: float, rate: float, margin: float) -> None:
    with pytest.raises(ValueError):
        validate_limits(capacity, rate, margin)


@pytest.mark.parametrize("value", [0, -1, 1.5, True])
def test_invalid_concurrency(value: int) -> None:
    with pytest.raises(ValueError, match="max_concurrency"):
        validate_concurrency(value)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-RateLimit-Remaining": "41"}, 41),
        ({"x-ratelimit-remaining": "41"}, 41),
        ({"X-RATELIMIT-REMAINING": " 7 "}, 7),
        (httpx.Headers({"X-RateLimit-Remaining": "3"}), 3),
        ({"X-RateLimit-Remaining": "12, 30;window=60"}, 12),
        ({}, None),
        ({"X-RateLimit-Remaining": ""}, None),
        ({"X-RateLimit-Remaining": "lots"}, None),
        ({"X-RateLimit-Remaining": "-1"}, None),
        ({"X-RateLimit-Remaining": "nan"}, None),
        ({"X-RateLimit-Remaining": "inf"}, None),
    ],
)
def test_remaining_from_headers(headers: dict[str, str], expected: float | None) -> None:
    assert remaining_from_headers(headers) == expected


def test_pause_seconds() -> None:
    assert pause_seconds(2.5, 20) == 2.5
    assert pause_seconds(0, 20) == 0
    assert pause_seconds(None, 20) == 1.0
    assert pause_seconds(None, 0.1) == 10.0
    assert pause_seconds(math.nan, 20) == 1.0
    assert pause_seconds(-4, 20) == 1.0
    assert pause_seconds(1e12, 20) == MAX_PAUSE_SECONDS


def test_api_key_id_is_stable_short_and_not_the_key() -> None:
    key = "sk_live_0123456789abcdef"
    assert api_key_id(key) == api_key_id(key)
    assert api_key_id(key) != api_key_id(key + "x")
    assert len(api_key_id(key)) == 32
    assert key not in api_key_id(key)
    with pytest.raises(ValueError):
        api_key_id("")


def test_requests_not_answered_hold_the_refill_at_capacity_minus_them_never_below_empty() -> None:
    bucket = TokenBucket(10, 10.0, 0.0, now=0.0)
    for _ in range(10):
        assert bucket.try_take(0.0) == 0.0
    bucket.held = 10  # all ten on their way: the server's bucket is still full, earning nothing
    assert bucket.level(1.0) == 0.0
    bucket.resize(1.0, 5, 10.0, 0.0)  # a smaller limit learned meanwhile
    assert bucket.level(1.0) == 0.0  # no debt below empty
    bucket.held = 0  # answered: refill from there
    assert bucket.level(1.5) == pytest.approx(5.0)
