"""Naming a rate-limit bucket after an API key without keeping or revealing the key."""

from __future__ import annotations

import hashlib
from typing import Protocol, runtime_checkable

_DOMAIN = b"incidentio_async.ratelimit:"


def api_key_id(api_key: str) -> str:
    """A stable, non-reversible identifier for ``api_key``: 128 bits of SHA-256, in hex.

    Equal keys give equal ids, so processes sharing a key find the same bucket; the id is safe
    to use in Redis key names, logs and dictionaries. The domain prefix keeps the id from
    matching a plain SHA-256 of the key that some other tool may store.
    """
    if not isinstance(api_key, str) or not api_key:
        raise ValueError("api_key must be a non-empty string")
    return hashlib.sha256(_DOMAIN + api_key.encode("utf-8")).hexdigest()[:32]


@runtime_checkable
class ApiKeyBindable(Protocol):
    """A limiter whose bucket depends on the API key; the client binds its key at start-up."""

    def bind_api_key(self, api_key: str) -> None:
        """Use the bucket of ``api_key`` (stored only as :func:`api_key_id`)."""
        ...
