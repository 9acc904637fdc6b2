"""Adversarial review of the request pipeline, the rate limiters, redaction, pagination and
telemetry: each test pins a defect found in review (it failed before its fix)."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from typing import Any

import anyio
import anyio.lowlevel
import httpx
import pytest

from incidentio_async import (
    APIStatusError,
    ClientClosedError,
    IncidentIOError,
    PaginationError,
    RateLimitError,
)
from incidentio_async._log_redaction import RedactingFilter
from incidentio_async.ratelimit import (
    LimitedRequest,
    LimiterStats,
    RateLimitBudgetExceeded,
    RedisRateLimiter,
)
from incidentio_async.ratelimit.headers import Quota
from incidentio_async.telemetry import ResponseEvent

from client_factory import FOLLOW_UP, TEST_KEY, json_response, mock_client, update_record

pytestmark = pytest.mark.anyio


@pytest.fixture
def sdk_records() -> Iterator[list[logging.LogRecord]]:
    """The records of the SDK's logger, at DEBUG."""
    logger = logging.getLogger("incidentio_async")
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Collect()
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


# -- telemetry: a server's request id is untrusted text ------------------------------------------

PERCENT_KEY = "".join(f"%{byte:02X}" for byte in TEST_KEY.encode())
ESCAPED_KEY = "".join(f"\\u{ord(char):04x}" for char in TEST_KEY)


@pytest.mark.parametrize(
    "request_id",
    [PERCENT_KEY, ESCAPED_KEY, f"req-{ESCAPED_KEY[:60]}{TEST_KEY[10:]}", "req\x1b]0;owned\x07-1"],
    ids=["percent", "json-escaped", "partly-escaped", "control-characters"],
)
async def test_a_request_id_header_never_carries_the_key_or_control_characters_to_telemetry(
    request_id: str, sdk_records: list[logging.LogRecord]
) -> None:
    """A 2xx's ``X-Request-Id`` reaches hooks, log records' ``request_id`` field and spans.
    Only the plain spelling of the key was redacted there, and control characters (which a
    text log formatter writes to the terminal) went through raw."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"follow_up": FOLLOW_UP}, headers={"x-request-id": request_id}
        )

    events: list[ResponseEvent] = []
    async with mock_client(handler, on_response=events.append) as client:
        await client.follow_ups_v3.get(FOLLOW_UP["id"])

    seen: list[Any] = [event.request_id for event in events]
    seen += [record.__dict__.get("request_id") for record in sdk_records]
    assert seen and all(isinstance(value, str) for value in seen)
    for value in seen:
        assert value.isprintable(), value
        assert PERCENT_KEY not in value and ESCAPED_KEY not in value and TEST_KEY not in value
        assert "[redacted]" in value or value.startswith("req\\x1b")


# -- closing ----------------------------------------------------------------------------------


async def test_two_concurrent_acloses_both_return() -> None:
    """``aclose`` waits until the attempts it cancelled have stopped. A second ``aclose`` while
    the first waited (a shutdown handler beside ``async with``) replaced the event the first
    waited on, so the first never returned."""
    entered = anyio.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        entered.set()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    client = mock_client(handler)
    outcomes: list[str] = []

    async def call() -> None:
        with pytest.raises(ClientClosedError):
            await client.follow_ups_v3.get("01FU")
        outcomes.append("call")

    async def close(name: str) -> None:
        await client.aclose()
        outcomes.append(name)

    async with anyio.create_task_group() as group:
        group.start_soon(call)
        await entered.wait()
        group.start_soon(close, "first")
        group.start_soon(close, "second")
        for _ in range(50):  # scheduler passes only: nothing here waits on time
            await anyio.lowlevel.checkpoint()
        group.cancel_scope.cancel()  # what is still waiting now would wait for ever
    assert sorted(outcomes) == ["call", "first", "second"]


# -- redaction cleans what the call made, not the caller's exceptions ---------------------------


class CallersError(Exception):
    """An exception of the caller's, being handled when it calls the client."""


NOT_JSON_SCHEMA = {"follow_up": {**FOLLOW_UP, "status": 7}}


@pytest.mark.parametrize(
    "answer",
    [
        lambda request: json_response(404, {"type": "not_found", "status": 404, "errors": []}),
        lambda request: json_response(200, NOT_JSON_SCHEMA),
        httpx.ConnectError("refused"),
    ],
    ids=["404", "2xx-not-fitting", "connection-error"],
)
async def test_an_error_raised_while_the_caller_handles_its_own_leaves_the_callers_intact(
    answer: Any,
) -> None:
    """An error raised while the caller handles an exception of its own chains to it
    (``__context__``), and the redaction of the error's chain rewrote the caller's
    exception in place: its message made one line, its control characters escaped."""

    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(answer, Exception):
            raise answer
        response: httpx.Response = answer(request)
        return response

    message = "first line\n\tsecond line \x1b[1mbold"
    details = {"lines": ["a\nb"]}
    mine = CallersError(message, details)
    async with mock_client(handler, max_retries=0) as client:
        try:
            raise mine
        except CallersError:
            with pytest.raises(IncidentIOError) as info:
                await client.follow_ups_v3.get("01FU")
    chain: list[BaseException] = []
    current: BaseException | None = info.value
    while current is not None:
        chain.append(current)
        current = current.__cause__ or current.__context__
    assert mine in chain  # still chained, as Python chains it
    assert mine.args == (message, {"lines": ["a\nb"]})


# -- the Redis limiter's scopes, read from another thread ---------------------------------------


def test_the_redis_limiter_adds_scopes_under_the_lock_scope_stats_reads_them_under() -> None:
    """``scope_stats()`` is read from other threads (the metrics reader's gauge): it copies the
    scopes under the limiter's lock, but a scope learned (here, or from Redis's registry) was
    added without it, so a read at that moment could fail with "dictionary changed size
    during iteration"."""
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0", api_key=TEST_KEY)
    unlocked: list[str] = []

    class Scopes(dict[str, Any]):
        def __setitem__(self, name: str, value: Any) -> None:
            if not limiter._mutex.locked():
                unlocked.append(name)
            super().__setitem__(name, value)

    limiter._scopes = Scopes()
    limiter._adopt("POST /v3/follow_ups/{id}/actions/connect_external_issue", Quota(2.0, 0.2))
    assert list(limiter.scope_stats()) == [
        "key",
        "POST /v3/follow_ups/{id}/actions/connect_external_issue",
    ]
    assert unlocked == []


# -- the package's child loggers ----------------------------------------------------------------


def test_records_of_the_webhooks_logger_carry_the_fields_and_are_cleaned() -> None:
    """The webhooks log on ``incidentio_async.webhooks``, a child logger: the filters that give
    every record ``operation``, ``attempt``, ``request_id`` and ``wait_s`` and clean its
    message sat on ``incidentio_async`` only (a logger's filters do not see its children's
    records), so a formatter using ``%(operation)s`` failed on every webhook record, and a
    receiver without an IncidentIO client installed neither filter."""
    from incidentio_async.webhooks import WebhookApp

    async def handle(event: Any) -> None:
        pass

    WebhookApp(secret="whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", handler=handle)
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

        def handleError(self, record: logging.LogRecord) -> None:
            raise AssertionError(f"the record could not be formatted: {record.__dict__}")

    handler = Collect()
    handler.setFormatter(logging.Formatter("%(name)s op=%(operation)s %(message)s"))
    parent = logging.getLogger("incidentio_async")
    previous = parent.level
    parent.addHandler(handler)
    parent.setLevel(logging.INFO)
    try:
        logging.getLogger("incidentio_async.webhooks").info("refused: %s", "bad\x1b[2Jid")
    finally:
        parent.removeHandler(handler)
        parent.setLevel(previous)
    assert lines == ["incidentio_async.webhooks op=None refused: bad\\x1b[2Jid"]


# -- a limiter's own words ----------------------------------------------------------------------


class RefusingLimiter:
    """A limiter of the documented protocol that would hold every request ``wait`` seconds."""

    def __init__(self, wait: float) -> None:
        self.stats = LimiterStats()
        self.wait = wait

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        raise RateLimitBudgetExceeded("key", self.wait, 5.0)

    def release(self) -> None:
        raise AssertionError("nothing was acquired")

    async def record_response(
        self,
        status_code: int,
        headers: Any,
        retry_after: float | None,
        request: LimitedRequest | None = None,
    ) -> None:
        raise AssertionError("nothing was sent")

    def record_retry(self) -> None:
        pass


@pytest.mark.parametrize("wait", [math.inf, math.nan, 1e300])
async def test_a_limiter_that_would_wait_for_ever_is_a_rate_limit_error(wait: float) -> None:
    """``RateLimitBudgetExceeded.wait`` of inf ("for ever") became ``math.ceil(inf)`` in the
    error's Retry-After header: a raw OverflowError instead of the RateLimitError."""
    limiter = RefusingLimiter(wait)
    async with mock_client(lambda request: httpx.Response(200), limiter=limiter) as client:  # type: ignore[arg-type]
        with pytest.raises(RateLimitError) as info:
            await client.follow_ups_v3.get("01FU")
    assert info.value.type is None and info.value.rate_limit is not None
    assert info.value.rate_limit.name == "key"


# -- a key cut in half is still the key ----------------------------------------------------------


@pytest.mark.parametrize(
    "cursor",
    ["\x1b" + "A" * 30 + TEST_KEY, "A" * 30 + TEST_KEY + "\x00"],
    ids=["key-then-cut", "control-character-after"],
)
async def test_a_refused_cursor_quoting_the_key_shows_no_part_of_it(cursor: str) -> None:
    """A cursor refused for its control characters was quoted through ``describe``, which
    cuts a ``repr`` to 60 characters before the message is redacted: a key cut in half is
    not recognised, and 22 of its 34 characters reached ``str(error)``."""
    page = {"follow_ups": [FOLLOW_UP], "pagination_meta": {"after": cursor, "page_size": 1}}
    async with mock_client(lambda request: json_response(200, page)) as client:
        with pytest.raises(PaginationError) as info:
            async for _ in client.follow_ups_v3.list():
                pass
    assert TEST_KEY[:10] not in str(info.value) and "[redacted]" in str(info.value)
    assert info.value.resume_after == FOLLOW_UP["id"]


# -- an error body's fields are what they are typed as ------------------------------------------


@pytest.mark.parametrize("kind", [{"nested": ["x"]}, 7, ["validation_error"], True])
async def test_an_error_type_that_is_not_a_string_is_none(kind: object) -> None:
    """``APIStatusError.type`` is typed ``str | None``, but held whatever the body's ``type``
    was (an object, a number): ``error.type.startswith(...)`` raised AttributeError."""
    body = {"type": kind, "status": 422, "errors": []}
    async with mock_client(lambda request: json_response(422, body)) as client:
        with pytest.raises(APIStatusError) as info:
            await client.follow_ups_v3.get("01FU")
    assert info.value.type is None and info.value.body == body
    assert str(info.value).startswith("422 ")


# -- resuming -----------------------------------------------------------------------------------


async def test_a_resumed_list_never_yields_the_record_it_resumes_after() -> None:
    """``list(after=error.resume_after)`` continues "with the first record not yet yielded,
    nothing lost or repeated". A server that includes the ``after`` record itself on the
    first page (an off-by-one, or pages that overlap) made the resumed run yield it again."""
    first, second = update_record(1), update_record(2)

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.params["after"] == first["id"]
        return json_response(
            200, {"incident_updates": [first, second], "pagination_meta": {"page_size": 25}}
        )

    async with mock_client(handler) as client:
        resumed = await client.incident_updates_v2.list(after=first["id"]).to_list()
    assert [record.id for record in resumed] == [second["id"]]


def test_a_malformed_record_on_a_redacted_logger_is_left_to_the_handler() -> None:
    """Logging never raises into the code that logs: a record whose arguments do not fit its
    format is reported by the handler. The redacting filter (on the loggers, so before any
    handler) formatted each record outside that protection: such a record raised TypeError
    at the logging call."""
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "%d requests", ("many",), None)
    assert RedactingFilter().filter(record) is True
    assert (record.msg, record.args) == ("%d requests", ("many",))  # left as it was
