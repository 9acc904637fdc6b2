"""The HTTP methods safe to repeat, on their own: the pipeline needs them before any operation
is described (``_operation`` is imported with the first resource, not with the client)."""

from __future__ import annotations

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
"""Methods the HTTP specification defines as idempotent: safe to repeat."""
