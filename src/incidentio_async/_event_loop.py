"""Which event loop is running: the few places that must know whether it is asyncio's."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import asyncio


def running_asyncio_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio loop, or None (no loop, or trio).

    Does not import asyncio: if nothing has imported it, no asyncio loop can be running.
    """
    module = sys.modules.get("asyncio")
    if module is None:
        return None
    try:
        loop: asyncio.AbstractEventLoop = module.get_running_loop()
    except RuntimeError:
        return None
    # Trio in guest mode runs its tasks inside the callbacks of a host asyncio loop, which
    # asyncio then names as running; trio says it is its turn through sniffio (which it
    # imports, so an absent sniffio means no trio).
    sniffio = sys.modules.get("sniffio")
    if sniffio is not None and sniffio.thread_local.name not in (None, "asyncio"):
        return None
    return loop
