"""A throwaway redis-server for the Redis rate-limiter tests: loopback only, no persistence.

Also the fixtures those tests share (a pytest plugin of the suite, see conftest.py):
``redis_server`` (one per module), ``redis_url`` (flushed for each test) and ``admin`` (a
connection of the test's own). The tests choose asyncio themselves (``anyio_backend``):
redis.asyncio does not run under trio.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator

import pytest
import redis.asyncio

REDIS_SERVER = shutil.which("redis-server")
NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisProcess:
    """A redis-server on a port of its own; restarting it keeps the port and loses the data."""

    def __init__(self, *extra_args: str) -> None:
        self.extra_args = extra_args
        """More redis-server options (``--requirepass``, ``--cluster-enabled``, ...)."""
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def ping(self) -> bool:
        """True if the server answers."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                # A server with a password answers, but not PONG.
                return sock.recv(16).startswith((b"+PONG", b"-NOAUTH"))
        except OSError:
            return False

    def command(self, *words: str) -> None:
        """Send one command and ignore the answer (FLUSHALL and the like)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=2) as sock:
            parts = [f"*{len(words)}\r\n"] + [f"${len(w)}\r\n{w}\r\n" for w in words]
            sock.sendall("".join(parts).encode())
            sock.recv(1024)

    def start(self) -> None:
        """Start the server and wait until it answers."""
        if REDIS_SERVER is None:
            # A core suite: fail loudly rather than skip. `make test` and .ci/run install it.
            pytest.fail(
                "redis-server is not installed: run `make system-deps` (Debian's redis-server)"
            )
        self._process = subprocess.Popen(
            [
                REDIS_SERVER,
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *NO_PERSISTENCE,
                *self.extra_args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.ping():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        """Stop the server (its data goes with it)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisProcess]:
    """A redis-server for the test module."""
    server = RedisProcess()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def redis_url(redis_server: RedisProcess) -> str:
    """The module's redis-server, emptied for this test."""
    redis_server.command("FLUSHALL")
    return redis_server.url


@pytest.fixture
async def admin(redis_url: str) -> AsyncIterator[redis.asyncio.Redis]:
    """A connection of the test's own, to look at (or tamper with) what the limiters keep."""
    connection = redis.asyncio.Redis.from_url(redis_url)
    try:
        yield connection
    finally:
        await connection.aclose()
