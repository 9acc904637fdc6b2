"""Run Prism, Stoplight's OpenAPI mock server, on the vendored specs for the contract tests.

Prism is an npm package pinned in ``tools/prism/package.json`` (and ``package-lock.json``).
:func:`ensure_prism` installs it with ``npm ci`` when ``node_modules`` is missing or holds
another version, so a fresh clone needs only Node.js and npm. :class:`PrismServer` starts
``prism mock`` on the merged spec with ``--errors``: a request that violates the spec is
answered with 422 (401 without credentials) and a response that violates it with 500.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

import httpx

from spec_data import ROOT, merged_spec

PRISM_DIR = ROOT / "tools" / "prism"
PRISM_BIN = PRISM_DIR / "node_modules" / ".bin" / "prism"
PRISM_PACKAGE = "@stoplight/prism-cli"

STARTUP_TIMEOUT = 60.0
INSTALL_TIMEOUT = 600.0
SHUTDOWN_TIMEOUT = 10.0

_LISTENING = re.compile(r"Prism is listening on (http://\S+)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class PrismError(RuntimeError):
    """Prism could not be installed or started."""


def pinned_version() -> str:
    """The exact Prism version ``tools/prism/package.json`` pins."""
    manifest = json.loads((PRISM_DIR / "package.json").read_text(encoding="utf-8"))
    version = str(manifest["dependencies"][PRISM_PACKAGE])
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise PrismError(f"{PRISM_PACKAGE} must be pinned to an exact version, not {version!r}")
    return version


def installed_version() -> str | None:
    """The Prism version in ``tools/prism/node_modules``, or None when it is not installed."""
    manifest = PRISM_DIR / "node_modules" / PRISM_PACKAGE / "package.json"
    if not PRISM_BIN.exists() or not manifest.exists():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


def ensure_prism() -> Path:
    """The Prism executable, installed first with ``npm ci`` if it is missing or stale."""
    wanted = pinned_version()
    if installed_version() == wanted:
        return PRISM_BIN
    npm = shutil.which("npm")
    if npm is None:
        raise PrismError(
            "the contract tests need Node.js and npm to install Prism "
            f"(npm ci in {PRISM_DIR}); npm is not on PATH"
        )
    try:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=PRISM_DIR,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PrismError(f"npm ci in {PRISM_DIR} took longer than {INSTALL_TIMEOUT:.0f}s") from exc
    if result.returncode != 0:
        raise PrismError(f"npm ci in {PRISM_DIR} failed:\n{result.stdout}\n{result.stderr}")
    found = installed_version()
    if found != wanted:
        raise PrismError(f"npm ci installed {PRISM_PACKAGE} {found}, not the pinned {wanted}")
    return PRISM_BIN


def write_merged_spec(directory: Path) -> Path:
    """Write the merged spec (what the generator is fed) as JSON; Prism serves one document."""
    path = directory / "openapi.json"
    path.write_text(json.dumps(merged_spec(), indent=2, ensure_ascii=False), encoding="utf-8")
    return path


class PrismServer:
    """``prism mock`` as a context manager: ``with PrismServer(...) as server: server.url``.

    Prism picks a free port itself (``--port 0``) and the URL is read from its
    "listening" line, so there is no race for a port. Its output is kept (the last lines)
    for error messages.
    """

    def __init__(self, executable: Path, spec: Path, *, seed: str = "1") -> None:
        self._command = [
            str(executable),
            "mock",
            str(spec),
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--errors",
            # Responses generated with ``Prefer: dynamic=true`` are the same on every run.
            "--seed",
            seed,
        ]
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._ready = threading.Event()
        self._output: collections.deque[str] = collections.deque(maxlen=200)
        self.url = ""

    def start(self) -> str:
        env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
        self._process = subprocess.Popen(
            self._command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
        )
        assert self._process.stdout is not None
        self._reader = threading.Thread(
            target=self._read, args=(self._process.stdout,), name="prism-output", daemon=True
        )
        self._reader.start()
        # Set by the reader on the "listening" line, or when the output ends (Prism exited).
        if not self._ready.wait(STARTUP_TIMEOUT) or not self.url:
            self.stop()
            raise PrismError(
                f"Prism did not start within {STARTUP_TIMEOUT:.0f}s "
                f"(exit code {self._process.returncode}):\n{self.output()}"
            )
        return self.url

    def _read(self, stream: IO[str]) -> None:
        for raw in stream:
            line = _ANSI.sub("", raw.rstrip("\n"))
            self._output.append(line)
            match = _LISTENING.search(line)
            if match and not self._ready.is_set():
                self.url = match.group(1)
                self._ready.set()
        self._ready.set()

    def output(self) -> str:
        """Prism's most recent output lines."""
        return "\n".join(self._output)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(SHUTDOWN_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(SHUTDOWN_TIMEOUT)
        if self._reader is not None:
            self._reader.join(SHUTDOWN_TIMEOUT)
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> PrismServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def problem(response: httpx.Response) -> list[tuple[tuple[str, ...], str]]:
    """(location, code) of each violation Prism found in a request it refused.

    Prism lists them in its own problem body, unless the operation declares an error response
    of its own (as the current specs do for 400 and 422): it then answers with that response
    and lists the violations in the ``sl-violations`` header, each located from ``request``.
    """
    body = response.json()
    if isinstance(body, dict) and "validation" in body:
        items = body["validation"]
    else:
        items = json.loads(response.headers.get("sl-violations", "[]"))
    found = []
    for item in items:
        location = tuple(item["location"])
        found.append((location[1:] if location[:1] == ("request",) else location, item["code"]))
    return found
