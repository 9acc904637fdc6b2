"""Code a user writes against the public API; `make typecheck` runs mypy --strict on it.

It is type-checked, not run: it proves the client is pleasant to use under mypy --strict
(precise return types, no Unset, enums as strings or members).
"""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Mapping

from incidentio_async import (
    NOT_GIVEN,
    AsyncPager,
    ChangeFeed,
    IncidentIO,
    IncidentIODeprecationWarning,
    NotFoundError,
    Page,
    RateLimiter,
    RateLimitError,
    RawResponse,
    RedisRateLimiter,
    UnprocessableEntityError,
)
from incidentio_async.models import (
    FollowUp,
    FollowUpStatus,
    FollowUpUpdateStatus,
    FollowUpV3,
    IncidentMode,
    IncidentUpdate,
)
from incidentio_async.ratelimit import (
    KEY_SCOPE,
    LimitedRequest,
    Limiter,
    RateLimitBudgetExceeded,
    ScopedLimiter,
    ScopeStats,
)
from incidentio_async.telemetry import (
    OpenTelemetry,
    RateLimitedEvent,
    ResponseEvent,
    RetryEvent,
)
from incidentio_async.testing import FakeIncidentIO


async def close_outstanding(client: IncidentIO, incident_id: str) -> list[FollowUp]:
    closed: list[FollowUp] = []
    for follow_up in await client.follow_ups.list(
        incident_id=incident_id, incident_mode=IncidentMode.STANDARD
    ):
        if follow_up.status is FollowUpStatus.OUTSTANDING:
            closed.append(
                await client.follow_ups.update(
                    follow_up.id, title=follow_up.title, status="completed", assignee_id=None
                )
            )
    return closed


async def summarise(client: IncidentIO, incident_id: str) -> dict[str, datetime.datetime]:
    latest: dict[str, datetime.datetime] = {}
    update: IncidentUpdate
    async for update in client.incident_updates.list(incident_id=incident_id, page_size=250):
        name: str = update.new_incident_status.name
        message: str | None = update.message
        if message is not None:
            latest[name] = update.created_at
    page: Page[IncidentUpdate]
    async for page in client.incident_updates.list(max_items=10).pages():
        after: str | None = page.after
        assert after is None or after
    return latest


async def create_safely(client: IncidentIO, incident_id: str) -> FollowUp | None:
    try:
        return await client.follow_ups.create(
            incident_id=incident_id, title="Rotate the key", labels=["security"]
        )
    except UnprocessableEntityError as error:
        fields: dict[str, list[str]] = error.field_errors
        print(fields)
    except RateLimitError as error:
        wait: float | None = error.retry_after
        print(wait)
    except NotFoundError:
        return None
    return None


async def main() -> None:
    fake = FakeIncidentIO(seed=1)
    async with fake.client() as client:
        await close_outstanding(client, fake.add_incident())
    async with IncidentIO(
        "key", rate_limiter=RateLimiter(capacity=1200, refill_rate=20.0), max_retries=2
    ) as client:
        follow_up = await client.follow_ups.get("01H")
        await client.follow_ups.update(
            follow_up.id, title="t", status=FollowUpUpdateStatus.COMPLETED, description=NOT_GIVEN
        )
        # A status read from a follow-up is one of FollowUpStatus (which includes "deleted",
        # refused by update): converting it says that on purpose.
        await client.follow_ups.update(
            follow_up.id, title="t", status=FollowUpUpdateStatus(follow_up.status)
        )
        print(follow_up.to_dict(), follow_up.additional_properties, follow_up.status.is_known)


async def options_raw_and_request(client: IncidentIO) -> str | None:
    follow_up = await client.follow_ups_v2.get(
        "01H",
        extra_headers={"X-Trace": "1"},
        extra_query={"expand": ["x"]},
        timeout=2.5,
        max_retries=0,
    )
    raw = await client.follow_ups_v2.with_raw_response.get(follow_up.id)
    parsed: FollowUp = raw.parse()
    status: int = raw.status_code
    print(parsed.title, status, raw.headers.get("x-ratelimit-remaining"))
    async for page in client.incident_updates_v2.list(page_size=50, after="01C").pages():
        if page.raw_response is not None:
            print(page.raw_response.request_id)
    response = await client.request("GET", "/v2/incidents", params={"page_size": 5})
    body: object = response.json()
    print(body)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=IncidentIODeprecationWarning)
        await client.follow_ups.list()
    return raw.request_id


# The names the packages import on first use (module __getattr__) keep their precise types.
async def lazily_exported(client: IncidentIO) -> FollowUpV3:
    shared = IncidentIO("key", rate_limiter=RedisRateLimiter("redis://localhost:6379/0"))
    await shared.aclose()
    pager: AsyncPager[FollowUpV3] = client.follow_ups_v3.list(page_size=25)
    raw: RawResponse[FollowUpV3] = await client.follow_ups_v3.with_raw_response.get("01H")
    print(pager)
    return raw.parse()


# Observability: hooks, sync or async, take typed events; OpenTelemetry is one setting.
def count_attempt(event: ResponseEvent) -> None:
    status: int | None = event.status_code
    seconds: float = event.elapsed_s + event.wait_s
    print(event.operation, event.attempt, status, seconds, event.error_type)


async def note_retry(event: RetryEvent) -> None:
    print(event.reason, event.wait_s, event.rate_limited)


def note_rate_limit(event: RateLimitedEvent) -> None:
    if event.rate_limit is not None:
        print(event.rate_limit.name, event.retry_after_s)


async def observed() -> None:
    async with IncidentIO(
        "key",
        telemetry=OpenTelemetry(),
        on_request=lambda event: print(event.url),
        on_response=count_attempt,
        on_retry=note_retry,
        on_rate_limited=note_rate_limit,
    ) as client:
        await client.follow_ups_v3.get("01H")


# A partitioned export and a change feed, as a backfill-then-sync job writes them.
async def export_then_sync(client: IncidentIO, saved: str | None) -> str:
    async for follow_up in client.follow_ups_v3.list(page_size=250, concurrency=8):
        print(follow_up.id, follow_up.created_at)
    feed: ChangeFeed[FollowUpV3] = client.follow_ups_v3.sync(
        saved, overlap=datetime.timedelta(minutes=10)
    )
    async for changed in feed:
        print(changed.id, changed.updated_at)
    async for batch in feed.pages():
        print(len(batch), batch[0].title if batch else None)
    checkpoint: str = feed.checkpoint
    return checkpoint


# Rate limiters of users' own, in either protocol, and the figures per scope.
class CountingLimiter:
    """Written against the first form of the protocol: no request anywhere."""

    def __init__(self) -> None:
        from incidentio_async.ratelimit import LimiterStats

        self.stats = LimiterStats()

    async def acquire(self) -> None:
        self.stats.acquired += 1

    def release(self) -> None:
        pass

    async def record_response(
        self, status_code: int, headers: Mapping[str, str], retry_after: float | None
    ) -> None:
        self.stats.rate_limited += status_code == 429

    def record_retry(self) -> None:
        self.stats.retries += 1


class ScopedCountingLimiter(CountingLimiter):
    """Told of each request's operation and budget."""

    async def acquire(self, request: LimitedRequest | None = None) -> None:
        if request is not None and request.budget is not None and request.budget <= 0:
            raise RateLimitBudgetExceeded(KEY_SCOPE, None, request.budget)
        await super().acquire()

    async def record_response(
        self,
        status_code: int,
        headers: Mapping[str, str],
        retry_after: float | None,
        request: LimitedRequest | None = None,
    ) -> None:
        await super().record_response(status_code, headers, retry_after)


async def own_limiters() -> float:
    plain: Limiter = CountingLimiter()
    scoped: ScopedLimiter = ScopedCountingLimiter()
    for limiter in (plain, scoped):
        async with IncidentIO("key", rate_limiter=limiter):
            pass
    figures: dict[str, ScopeStats] = RateLimiter().scope_stats()
    return figures[KEY_SCOPE].tokens
