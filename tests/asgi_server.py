"""Any ASGI app served by uvicorn from a thread, for tests that need a real socket."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

from incidentio_async.testing.server import base_url_of, bind


@contextlib.contextmanager
def serve_in_thread(app: Any, startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve ``app`` on a free loopback port for the ``with`` block; yields its base URL."""
    import uvicorn

    sock = bind()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield base_url_of(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=startup_timeout)
        sock.close()
