"""Reading ``X-RateLimit-Limit`` as documented, and attributing a response to a scope."""

from __future__ import annotations

import logging

import httpx
import pytest

from incidentio_async.ratelimit.headers import LimitHeader, Quota, parse_limit_header
from incidentio_async.ratelimit.scopes import Reading, key_limit, read_response

KEY = Quota(1200, 20.0)


def q(capacity: float, window: float) -> Quota:
    return Quota(capacity, capacity / window)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # The documented forms.
        ("60, 1200;window=60, 60;window=60", LimitHeader(60, (q(1200, 60), q(60, 60)))),
        ("1200, 1200;window=60", LimitHeader(1200, (q(1200, 60),))),
        # The old single number: a binding quota, no windows.
        ("1200", LimitHeader(1200, ())),
        # Spaces anywhere, and no spaces at all.
        ("  60 ,1200 ; window = 60,   60;window=60  ", LimitHeader(60, (q(1200, 60), q(60, 60)))),
        ("60,1200;window=60,60;window=60", LimitHeader(60, (q(1200, 60), q(60, 60)))),
        # Unknown parameters are ignored; the window is found among them, quoted or not.
        ("2, 2;policy=x;window=10;burst=1", LimitHeader(2, (q(2, 10),))),
        ('5, 5;window="30"', LimitHeader(5, (q(5, 30),))),
        ("5, 5;WINDOW=30", LimitHeader(5, (q(5, 30),))),
        # A limit without a window says nothing about a rate: binding only.
        ("5, 5;policy=x", LimitHeader(5, ())),
        # A first item with a window (an older draft): both the binding quota and a limit.
        ("1200;window=60", LimitHeader(1200, (q(1200, 60),))),
        # Fractional windows and quotas are numbers like any other.
        ("2, 2;window=0.5", LimitHeader(2, (q(2, 0.5),))),
        # Garbage items are skipped; the rest is kept.
        ("60, lots;window=60, 60;window=60", LimitHeader(60, (q(60, 60),))),
        ("60, 1200;window=soon, 60;window=60", LimitHeader(60, (q(60, 60),))),
        ("60, 1200;window=0, 60;window=60", LimitHeader(60, (q(60, 60),))),
        ("60, 1200;window=-5, 60;window=60", LimitHeader(60, (q(60, 60),))),
        ("60, 1200;window=1e12", LimitHeader(60, ())),  # a window beyond a day
        ("60, 0;window=60", LimitHeader(60, ())),  # a limit of nothing
        ("60, inf;window=60, nan;window=60", LimitHeader(60, ())),
        ("60, 1e30;window=60", LimitHeader(60, ())),
        ("60,, ,1200;window=60", LimitHeader(60, (q(1200, 60),))),
        # Without a readable binding quota the header is no information.
        ("lots", None),
        ("", None),
        (",", None),
        ("-1, 1200;window=60", None),
        ("nan, 1200;window=60", None),
        ("\x00\xff", None),
        (None, None),
    ],
)
def test_parse_limit_header(value: str | None, expected: LimitHeader | None) -> None:
    assert parse_limit_header(value) == expected


def test_garbage_is_logged_at_debug_and_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="incidentio_async")
    assert parse_limit_header("60, what;window=ever") == LimitHeader(60, ())
    assert "unreadable X-RateLimit-Limit" in caplog.text
    assert all(record.levelno == logging.DEBUG for record in caplog.records)
    for nasty in ["," * 10_000, ";" * 10_000, "1;" + "window=1;" * 1000, "9" * 400]:
        parse_limit_header(nasty)  # never raises


def test_quota_reads_as_the_header_writes_it() -> None:
    assert str(q(60, 60)) == "60;window=60"
    assert q(1200, 60).rate == 20.0
    assert q(2, 10).window == pytest.approx(10)


def test_key_limit_is_the_configured_one_else_the_most_generous() -> None:
    assert key_limit((q(60, 60), q(1200, 60)), KEY) == q(1200, 60)
    # Configured differently from the server: the most generous listed is the key's.
    assert key_limit((q(60, 60), q(600, 60)), KEY) == q(600, 60)
    assert key_limit((q(600, 60),), KEY) == q(600, 60)
    # An organisation-wide limit more generous than the configured key's: the key's is found.
    assert key_limit((q(5000, 60), q(1200, 60), q(2, 10)), KEY) == q(1200, 60)


def headers(limit: str | None = None, remaining: str | None = None) -> httpx.Headers:
    values = {}
    if limit is not None:
        values["X-RateLimit-Limit"] = limit
    if remaining is not None:
        values["X-RateLimit-Remaining"] = remaining
    return httpx.Headers(values)


@pytest.mark.parametrize(
    ("limit", "remaining", "expected"),
    [
        # The documented example: the operation's own limit binds.
        ("60, 1200;window=60, 60;window=60", "59", Reading("own", q(60, 60), 59)),
        # The same operation when the key's limit has less left: the key's binds, and the
        # operation's own limit is still learned.
        ("1200, 1200;window=60, 60;window=60", "3", Reading("key", q(60, 60), 3)),
        # Only the key's limit applies.
        ("1200, 1200;window=60", "1100", Reading("key", None, 1100)),
        # No header, the old single number, or an unreadable one: the key's, as always.
        (None, "17", Reading("key", None, 17)),
        ("1200", "17", Reading("key", None, 17)),
        ("60", "17", Reading("key", None, 17)),
        ("garbage", "17", Reading("key", None, 17)),
        # A stricter rate with a larger bucket is the operation's own too.
        ("2000, 1200;window=60, 2000;window=3600", "5", Reading("own", q(2000, 3600), 5)),
        # An organisation-wide limit more generous than the key's counts as the key's.
        ("5000, 1200;window=60, 5000;window=60", "9", Reading("key", None, 9)),
        # Two limits of the operation's own: the strictest of each.
        (
            "2, 1200;window=60, 2;window=10, 100;window=86400",
            "1",
            Reading("own", Quota(2, 100 / 86400), 1),
        ),
        # A binding quota that matches the key's and the operation's own: cannot say.
        ("1200, 1200;window=60, 1200;window=3600", "7", Reading("unknown", q(1200, 3600), 7)),
        # A binding quota that matches no listed limit: cannot say.
        ("59, 1200;window=60, 60;window=60", "7", Reading("unknown", q(60, 60), 7)),
        # A malformed Remaining is no information; the limits are still read.
        ("60, 1200;window=60, 60;window=60", "-1", Reading("own", q(60, 60), None)),
    ],
)
def test_read_response_attributes_the_binding_limit(
    limit: str | None, remaining: str | None, expected: Reading
) -> None:
    assert read_response(headers(limit, remaining), KEY) == expected
