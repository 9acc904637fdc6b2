"""One limiter per API key per process, so that every client using a key shares its bucket."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from incidentio_async.ratelimit.keys import api_key_id

if TYPE_CHECKING:
    from incidentio_async.ratelimit.local import RateLimiter

# Keyed by api_key_id(): the process keeps no copy of any API key here.
_limiters: dict[str, RateLimiter] = {}
_lock = threading.Lock()


def shared_rate_limiter(api_key: str) -> RateLimiter:
    """The process-wide :class:`RateLimiter` for ``api_key``, created on first use with the
    API's documented limits (1200 requests, refilled at 20 per second).

    Clients built with the same key share one limiter (and so one bucket); different keys get
    independent limiters. The limiter can serve any number of event loops.
    """
    # Imported with the first client, not with the package: the limiter brings anyio's
    # low-level and synchronization modules, which a bare import need not pay for.
    from incidentio_async.ratelimit.local import RateLimiter

    key_id = api_key_id(api_key)
    with _lock:
        limiter = _limiters.get(key_id)
        if limiter is None:
            limiter = _limiters[key_id] = RateLimiter()
        return limiter
