"""Serving the fake over a real socket with uvicorn: blocking, in a thread, or in a subprocess.

uvicorn is an optional dependency (``pip install 'incidentio-async[server]'``); it is imported
only when a server is started.

Dropped connections over a socket: the app cannot close the server's socket, so a drop starts
the response (status and a ``Content-Length``) and stops before the body is complete; the
server then closes the connection. Clients see ``httpx.RemoteProtocolError`` for a drop before
or after processing alike; the difference is in the fake's state and in
``RecordedRequest.dropped``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from incidentio_async.testing.app import FakeIncidentIO

if TYPE_CHECKING:
    import uvicorn

SERVER_EXTRA_HINT = (
    "serving the fake incident.io API over a socket needs uvicorn: "
    "pip install 'incidentio-async[server]'"
)

# uvicorn reports a response the app left unfinished; for the fake that is a deliberate drop.
_DROP_LOG_MESSAGES = ("ASGI callable returned without completing response.",)


class _IgnoreDeliberateDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in _DROP_LOG_MESSAGES


def _uvicorn() -> Any:
    try:
        import uvicorn
    except ImportError:
        raise RuntimeError(SERVER_EXTRA_HINT) from None
    return uvicorn


def bind(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A listening TCP socket (``port=0``: a free port chosen by the OS)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and
    # without it Nagle plus delayed ACKs add ~40 ms to every small response.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def base_url_of(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def make_server(
    fake: FakeIncidentIO, *, log_level: str = "warning", access_log: bool = False
) -> uvicorn.Server:
    """A uvicorn server for ``fake`` (start it with ``server.run(sockets=[sock])``)."""
    uv = _uvicorn()
    config = uv.Config(
        fake, log_level=log_level, access_log=access_log, lifespan="on", timeout_keep_alive=30
    )
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _IgnoreDeliberateDrops) for f in logger.filters):
        logger.addFilter(_IgnoreDeliberateDrops())
    server: uvicorn.Server = uv.Server(config)
    return server


def serve(
    fake: FakeIncidentIO,
    sock: socket.socket,
    *,
    log_level: str = "warning",
    access_log: bool = False,
) -> None:
    """Serve ``fake`` on a bound socket until interrupted (Ctrl+C or SIGTERM)."""
    make_server(fake, log_level=log_level, access_log=access_log).run(sockets=[sock])


@contextlib.contextmanager
def run_in_thread(
    fake: FakeIncidentIO,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log_level: str = "warning",
    startup_timeout: float = 10.0,
) -> Iterator[str]:
    """Serve ``fake`` from a background thread for the ``with`` block; yields the base URL.

    The fake must use a real clock (the default): nothing drives a virtual clock there.
    The server shares the GIL with the caller: for client benchmarks, prefer
    :func:`run_in_subprocess`.
    """
    sock = bind(host, port)
    server = make_server(fake, log_level=log_level)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="fake-incidentio", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake incident.io server did not start")
            time.sleep(0.005)
        yield base_url_of(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=startup_timeout)
        sock.close()


@dataclass(frozen=True)
class ServerProcess:
    """A fake served by a child process (see :func:`run_in_subprocess`)."""

    base_url: str
    api_key: str
    incident_id: str | None
    """The incident holding the ``incident_updates`` asked for, if any."""
    process: subprocess.Popen[str]


_BANNER = re.compile(r"^(Base URL|API key|Incident with \d+ updates): (\S+)")


@contextlib.contextmanager
def run_in_subprocess(
    *,
    seed: int = 0,
    incident_updates: int = 0,
    sample_data: bool = True,
    latency_ms: float = 0.0,
    capacity: int | None = None,
    refill_rate: float | None = None,
    rate_limit: bool = True,
    api_key: str | None = None,
    retry_after_format: str = "rfc3339",
    extra_args: Sequence[str] = (),
    host: str = "127.0.0.1",
    port: int = 0,
    startup_timeout: float = 60.0,
) -> Iterator[ServerProcess]:
    """Run ``python -m incidentio_async.testing`` for the ``with`` block.

    A separate process keeps the fake off the client's GIL, so a client benchmark measures
    the client. The options are the command line's (see ``--help``).
    """
    args = [
        sys.executable, "-m", "incidentio_async.testing", "--host", host, "--port", str(port),
        "--seed", str(seed), "--incident-updates", str(incident_updates),
        "--latency-ms", str(latency_ms), "--retry-after-format", retry_after_format,
    ]  # fmt: skip
    if not sample_data:
        args.append("--no-sample-data")
    if capacity is not None:
        args += ["--capacity", str(capacity)]
    if refill_rate is not None:
        args += ["--refill-rate", str(refill_rate)]
    if not rate_limit:
        args.append("--no-rate-limit")
    if api_key is not None:
        args += ["--api-key", api_key]
    args += list(extra_args)
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, text=True, env=_child_env(), start_new_session=True
    )
    try:
        found = _read_banner(process, startup_timeout)
        yield ServerProcess(
            base_url=found["Base URL"],
            api_key=found["API key"],
            incident_id=next((v for k, v in found.items() if k.startswith("Incident")), None),
            process=process,
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _child_env() -> dict[str, str]:
    """The environment, with this package (and the generated one) importable."""
    here = Path(__file__).resolve().parents[2]
    paths = [str(here)]
    with contextlib.suppress(ImportError):
        import incidentio_api

        paths.append(str(Path(incidentio_api.__file__).resolve().parents[1]))
    env = dict(os.environ)
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def _read_banner(process: subprocess.Popen[str], timeout: float) -> dict[str, str]:
    """The values the command line prints before serving."""
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()

    def pump(stream: Any) -> None:
        # Keeps reading after the banner so the child never blocks on a full pipe.
        with contextlib.suppress(OSError, ValueError):  # the pipe closed under us
            for line in stream:
                lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, args=(process.stdout,), daemon=True).start()
    found: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError("the fake incident.io server did not start in time") from None
        if line is None:
            raise RuntimeError(f"the fake incident.io server exited ({process.wait()})")
        match = _BANNER.match(line)
        if match:
            found[match.group(1)] = match.group(2)
        if line.startswith("Press Ctrl+C"):
            return found
