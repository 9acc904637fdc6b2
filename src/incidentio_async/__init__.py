"""Asyncio client for the incident.io API (Follow-ups V2, Incident Updates V2).

::

    from incidentio_async import IncidentIO

    async with IncidentIO() as client:
        follow_ups = await client.follow_ups.list()
"""

from ._not_given import NOT_GIVEN, NotGiven
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
from .pagination import AsyncPager, Page
from .ratelimit import RateLimiter, RedisRateLimiter
from .retries import RetryPolicy

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "ErrorDetail",
    "IncidentIO",
    "IncidentIOError",
    "InvalidArgumentError",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "RateLimiter",
    "RedisRateLimiter",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "UnprocessableEntityError",
    "__version__",
]
