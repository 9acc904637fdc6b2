"""Fault injection: latency, random 5xx answers, dropped connections and scripted responses.

Faults act in front of the API, like a flaky network or load balancer: they apply to every
request (authenticated or not), and an injected 5xx, scripted response or drop-before takes no
rate-limit token and changes nothing. Random choices come from generators seeded with the
fake's seed, one per kind of fault, so a test sees the same sequence on every run.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

DropWhen = Literal["before", "after"]
"""``before``: the request is never processed. ``after``: it is processed (state changes),
then the connection drops, so the response is lost."""


@dataclass(frozen=True)
class ScriptedResponse:
    """A canned answer. ``body`` is sent as JSON unless it is ``bytes`` or ``str``."""

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Script:
    action: ScriptedResponse | DropWhen
    method: str | None
    path: str | None
    remaining: int

    def matches(self, method: str, path: str, template: str | None) -> bool:
        if self.method is not None and self.method != method:
            return False
        return self.path is None or self.path in (path, template)


class Faults:
    """What goes wrong, and how often. Change the attributes at any time.

    ``latency`` (+ up to ``latency_jitter``) seconds are waited on the fake's clock before each
    request is looked at. ``error_rate`` of requests get one of ``error_statuses``;
    ``drop_before_rate``/``drop_after_rate`` of requests lose their connection. Scripted
    actions (:meth:`script`, :meth:`drop`) come first, in the order they were added.
    """

    def __init__(self, seed: int = 0) -> None:
        self.latency = 0.0
        self.latency_jitter = 0.0
        self.error_rate = 0.0
        self.error_statuses: Sequence[int] = (500, 502, 503)
        self.drop_before_rate = 0.0
        self.drop_after_rate = 0.0
        self._scripts: list[_Script] = []
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        """Restart the random sequences from ``seed``."""
        self._latency_rng = random.Random(f"incidentio-fake:latency:{seed}")
        self._error_rng = random.Random(f"incidentio-fake:errors:{seed}")
        self._drop_rng = random.Random(f"incidentio-fake:drops:{seed}")

    def script(
        self,
        status: int = 200,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` matching requests with this response instead.

        ``method`` and ``path`` restrict which requests match; ``path`` is either the exact
        path (``/v2/follow_ups/01H...``) or a route template (``/v2/follow_ups/{id}``).
        """
        response = ScriptedResponse(status, body, dict(headers or {}))
        self._add(response, method, path, times)

    def drop(
        self,
        when: DropWhen = "before",
        *,
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> None:
        """Drop the connection of the next ``times`` matching requests (see :data:`DropWhen`)."""
        if when not in ("before", "after"):
            raise ValueError("when must be 'before' or 'after'")
        self._add(when, method, path, times)

    def _add(
        self, action: ScriptedResponse | DropWhen, method: str | None, path: str | None, times: int
    ) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        self._scripts.append(_Script(action, method.upper() if method else None, path, times))

    @property
    def pending(self) -> int:
        """Scripted actions not used yet."""
        return sum(s.remaining for s in self._scripts)

    def clear(self) -> None:
        """No more faults: scripts forgotten, rates and latency back to zero."""
        self._scripts.clear()
        self.latency = self.latency_jitter = 0.0
        self.error_rate = self.drop_before_rate = self.drop_after_rate = 0.0

    # -- used by the app, once per request, in this order -------------------------------------

    def delay(self) -> float:
        """Seconds to wait before looking at a request."""
        if self.latency_jitter > 0:
            return self.latency + self._latency_rng.uniform(0, self.latency_jitter)
        return self.latency

    def take_script(
        self, method: str, path: str, template: str | None
    ) -> ScriptedResponse | DropWhen | None:
        """The first scripted action for this request, used up."""
        for index, scripted in enumerate(self._scripts):
            if scripted.matches(method, path, template):
                scripted.remaining -= 1
                if scripted.remaining == 0:
                    del self._scripts[index]
                return scripted.action
        return None

    def roll_drop(self) -> DropWhen | None:
        """A random drop, if the rates call for one."""
        if self.drop_before_rate <= 0 and self.drop_after_rate <= 0:
            return None
        roll = self._drop_rng.random()
        if roll < self.drop_before_rate:
            return "before"
        if roll < self.drop_before_rate + self.drop_after_rate:
            return "after"
        return None

    def roll_error(self) -> int | None:
        """A random 5xx status, if ``error_rate`` calls for one."""
        if self.error_rate <= 0:
            return None
        roll = self._error_rng.random()
        status = self._error_rng.choice(list(self.error_statuses))
        return status if roll < self.error_rate else None
