"""A progress line on stderr while pages of records arrive."""

from __future__ import annotations

import time
from typing import TextIO

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Progress:
    """Counts records and pages; redraws one line on a terminal, prints lines elsewhere.

    The API gives no total, so without ``total`` this shows counts and a rate; with one
    (``--limit``) it shows a bar.
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        noun: str,
        total: int | None = None,
        enabled: bool = True,
        interactive: bool | None = None,
        every: float = 0.1,
    ) -> None:
        self._stream = stream
        self._noun = noun
        self._total = total
        self._enabled = enabled
        self._interactive = stream.isatty() if interactive is None else interactive
        self._every = every if self._interactive else 1.0
        self._started = time.monotonic()
        self._last_draw = 0.0
        self.records = 0
        self.pages = 0

    def add_page(self, records: int) -> None:
        """Count one more page of ``records`` records and redraw if it is time to."""
        self.pages += 1
        self.records += records
        now = time.monotonic()
        if self._enabled and now - self._last_draw >= self._every:
            self._last_draw = now
            self._draw(final=False)

    def finish(self) -> None:
        """Draw the final state and end the line."""
        if self._enabled:
            self._draw(final=True)

    def _draw(self, *, final: bool) -> None:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        rate = self.records / elapsed
        counts = f"{self.records:,} {self._noun} · {self.pages:,} pages · {rate:,.0f}/s"
        if self._total:
            done = min(1.0, self.records / self._total)
            filled = int(done * 24)
            head = f"[{'█' * filled}{'░' * (24 - filled)}] {done:4.0%}"
        else:
            head = "✓" if final else SPINNER[self.pages % len(SPINNER)]
        line = f"{head} {counts}"
        if self._interactive:
            self._stream.write("\r\x1b[2K" + line + ("\n" if final else ""))
        else:
            self._stream.write(line + "\n")
        self._stream.flush()
