"""Counting what a limiter does and telling the user's ``on_event`` callback about it."""

from __future__ import annotations

import logging

from incidentio_async.ratelimit.protocol import KEY_SCOPE
from incidentio_async.ratelimit.stats import (
    EventCallback,
    LimiterEvent,
    LimiterEventKind,
    LimiterStats,
)

logger = logging.getLogger("incidentio_async")
"""The package's logger: rate-limit warnings (never with keys or URLs) go here."""


class Recorder:
    """Updates a :class:`LimiterStats` and calls ``on_event``; a failing callback is logged,
    never raised, because metrics must not break requests."""

    def __init__(self, on_event: EventCallback | None) -> None:
        self.stats = LimiterStats()
        self._on_event = on_event

    def _emit(self, kind: LimiterEventKind, seconds: float = 0.0, detail: str = "") -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(LimiterEvent(kind=kind, seconds=seconds, detail=detail))
        except Exception:
            logger.warning("rate limiter on_event callback failed", exc_info=True)

    def acquired(self, waited: bool, seconds: float) -> None:
        """One request let through, after waiting ``seconds`` if ``waited``."""
        self.stats.acquired += 1
        if waited:
            self.stats.waits += 1
            self.stats.wait_seconds += seconds
            self._emit("wait", seconds)

    def rate_limited(self, pause: float, scope: str = KEY_SCOPE) -> None:
        """A 429 seen, pausing ``scope`` for ``pause`` seconds (the key scope: everyone)."""
        self.stats.rate_limited += 1
        self._emit("rate_limited", pause, scope)

    def retry(self) -> None:
        """The client is sending a request again."""
        self.stats.retries += 1
        self._emit("retry")

    def backend_error(self, detail: str) -> None:
        """The shared backend could not be reached; ``detail`` must hold no secrets."""
        self.stats.backend_errors += 1
        self._emit("backend_unavailable", detail=detail)
