"""Every request the fake receives, kept for assertions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class RecordedRequest:
    """One received request, and what became of it."""

    method: str
    path: str
    query: dict[str, str]
    """Decoded query parameters (the first value of a repeated one)."""
    raw_query: str
    headers: dict[str, str]
    """Lower-case names."""
    body: bytes
    time: float
    """The fake's clock, wall time (``clock.time()``), when the request arrived."""
    monotonic: float
    """The fake's clock, ``clock.monotonic()``, when the request arrived."""
    route: str | None = None
    """The route template it matched, e.g. ``/v2/follow_ups/{id}``."""
    status: int | None = None
    """The status answered; ``None`` if the connection was dropped."""
    dropped: Literal["before", "after"] | None = None
    scripted: bool = False
    """Whether the answer was a scripted response or an injected 5xx."""
    request_id: str | None = None
    """The ``request_id`` of the error body, for error answers."""
    _json: Any = field(default=None, repr=False)

    @property
    def json(self) -> Any:
        """The body parsed as JSON (``None`` when empty or not JSON)."""
        if self._json is None and self.body:
            try:
                self._json = json.loads(self.body)
            except ValueError:
                return None
        return self._json

    @property
    def api_key(self) -> str | None:
        """The bearer token sent, if any."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None
