"""Asyncio client for the incident.io API.

::

    from incidentio_async import IncidentIO

    async with IncidentIO() as client:
        async for update in client.incident_updates_v2.list(page_size=250):
            ...
"""

from typing import TYPE_CHECKING

from ._not_given import NOT_GIVEN, NotGiven
from ._options import ListOptions, RequestOptions
from ._version import __version__
from .client import IncidentIO
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    ErrorDetail,
    IncidentIOError,
    InvalidArgumentError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    RateLimitInfo,
    ResponseValidationError,
    ServerError,
    UnprocessableEntityError,
)

if TYPE_CHECKING:
    from ._deprecation import IncidentIODeprecationWarning
    from ._response import RawResponse
    from .changes import ChangeFeed
    from .pagination import AsyncPager, Page
    from .ratelimit import RateLimiter, RedisRateLimiter
    from .retries import RetryPolicy
else:
    from ._lazy import lazy_exports

    # Imported when first read: a client or a call imports them when it needs them, and a
    # program that never uses Redis never imports the Redis limiter.
    __getattr__, __dir__ = lazy_exports(
        __name__,
        {
            "IncidentIODeprecationWarning": "._deprecation",
            "RawResponse": "._response",
            "AsyncPager": ".pagination",
            "Page": ".pagination",
            "ChangeFeed": ".changes",
            "RateLimiter": ".ratelimit",
            "RedisRateLimiter": ".ratelimit",
            "RetryPolicy": ".retries",
        },
    )

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ChangeFeed",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ErrorDetail",
    "IncidentIO",
    "IncidentIODeprecationWarning",
    "IncidentIOError",
    "InvalidArgumentError",
    "ListOptions",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "RateLimiter",
    "RawResponse",
    "RedisRateLimiter",
    "RequestOptions",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "UnprocessableEntityError",
    "__version__",
]
