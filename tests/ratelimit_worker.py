"""One of several OS processes sharing an API key's rate limit (run by test_ratelimit_redis.py).

    python ratelimit_worker.py MODE REDIS_URL SERVER_URL API_KEY TASKS [SLOW]

MODE is ``redis`` (a RedisRateLimiter shared through Redis) or ``local`` (a RateLimiter of the
same size in each process, the control: together they overrun the bucket). The worker gets
everything ready, prints ``ready``, waits for a line on stdin so that all workers start
together, then runs TASKS concurrent requests (and SLOW more of an operation with a limit of
its own, ``GET /slow``) and prints their status codes as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections import Counter

import httpx

from incidentio_async.ratelimit import LimitedRequest, Limiter, RateLimiter, RedisRateLimiter

CAPACITY = 20
REFILL_RATE = 10.0


async def main(
    mode: str, redis_url: str, server_url: str, api_key: str, tasks: int, slow: int
) -> None:
    limiter: Limiter
    if mode == "redis":
        shared = RedisRateLimiter(redis_url, CAPACITY, REFILL_RATE, max_concurrency=8)
        shared.bind_api_key(api_key)
        assert await shared.peek_tokens() is not None  # connected, script loaded
        limiter = shared
    else:
        limiter = RateLimiter(CAPACITY, REFILL_RATE, max_concurrency=8)
    statuses: Counter[int] = Counter()
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as client:
        await asyncio.gather(*(client.get("/ping") for _ in range(8)))  # warm connections
        print("ready", flush=True)
        await asyncio.to_thread(sys.stdin.readline)

        async def request(path: str) -> None:
            limited = LimitedRequest(operation=f"GET {path}")
            await limiter.acquire(limited)
            try:
                response = await client.get(path)
            finally:
                limiter.release()
            retry_after = response.headers.get("Retry-After")
            await limiter.record_response(
                response.status_code,
                response.headers,
                float(retry_after) if retry_after else None,
                limited,
            )
            statuses[response.status_code] += 1

        paths = ["/work"] * tasks + ["/slow"] * slow
        await asyncio.gather(*(request(path) for path in paths))
    if isinstance(limiter, RedisRateLimiter):
        await limiter.aclose()
    print(json.dumps({"statuses": statuses, "stats": vars(limiter.stats)}), flush=True)


if __name__ == "__main__":
    mode, redis_url, server_url, api_key, tasks, *slow = sys.argv[1:]
    asyncio.run(main(mode, redis_url, server_url, api_key, int(tasks), int(slow[0] if slow else 0)))
