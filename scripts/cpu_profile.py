"""A sampling CPU profiler that says which stage of a page's path the time went to.

``SIGPROF`` fires every ``interval`` seconds of the process's CPU time (user and system, as
``time.process_time`` counts it; waiting costs nothing and is never sampled). Python runs the
handler in the main thread at the next bytecode boundary, with the frame that was running:
its stack names the stage. A long C call (``json.loads`` of a page) takes several intervals
but the signals it spans coalesce into one, so each sample is weighted by the CPU time since
the previous one (the handler's own time excluded): the weights add up to what the profiled
code spent, and a sample right after a long call carries that call's time.

Compared with cProfile, which adds a fixed cost to every Python call and so inflates code
made of many small calls (the models) against code made of a few long ones (the JSON
decoder), a sample every millisecond costs the profiled code about 1% and distorts nothing.

A sample's stage is decided by :func:`stage_of`, from the innermost frame outwards: the first
frame that belongs to this project (``src/incidentio_async``, the generated models, the
benchmark's own loop) names it; library frames under it (httpx, anyio, asyncio, json) are
charged to the stage that called them, and said apart in :attr:`Profile.library`.
"""

from __future__ import annotations

import gc
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from inspect import CO_COROUTINE
from types import FrameType

STAGES = (
    "client setup and close",
    "request build",
    "rate limiter",
    "telemetry",
    "send (pipeline, httpx)",
    "body read",
    "early cursor",
    "JSON decode",
    "models",
    "dedupe",
    "pager",
    "lookahead",
    "consumer loop",
    "httpx (raw loop)",
    "event loop, other",
)
"""The stages of one page's path, in order (the last three: what lies outside our code). The
first is no page's: the harness builds (and closes) a client per walk of 100 pages."""

_PACKAGE = "/src/incidentio_async/"
_GENERATED = "/generated/incidentio_api/"
_LIBRARIES = ("/httpx/", "/httpcore/", "/h11/", "/anyio/", "/sniffio/", "/asyncio/", "/json/")

# (module of this package, function or "*") -> stage; the most specific entry wins.
_OUR_STAGES: dict[tuple[str, str], str] = {
    ("_pipeline", "url"): "request build",
    ("_pipeline", "_build"): "request build",
    ("_pipeline", "__init__"): "request build",  # ApiRequest
    ("_pipeline", "*"): "send (pipeline, httpx)",
    ("clock", "*"): "send (pipeline, httpx)",  # the attempt's deadline
    ("_resource", "request_of"): "request build",
    ("_resource", "fetch_page"): "request build",
    ("_resource", "_call"): "request build",
    ("_arguments", "*"): "request build",
    ("_options", "*"): "request build",
    ("_validation", "*"): "pager",
    ("_secret", "*"): "pager",
    ("_body", "*"): "body read",
    ("_early_cursor", "*"): "early cursor",
    ("_status_errors", "json_of"): "JSON decode",
    ("_resource", "data"): "JSON decode",
    ("_resource", "*"): "pager",
    ("_seen_records", "*"): "dedupe",
    ("pagination", "_head_start"): "lookahead",
    ("pagination", "*"): "pager",
    ("_response", "*"): "pager",
    ("_background", "*"): "lookahead",
    ("_event_loop", "*"): "lookahead",
    ("client", "__init__"): "client setup and close",
    ("client", "aclose"): "client setup and close",
    ("client", "__aexit__"): "client setup and close",
}
_OUR_PACKAGES: dict[str, str] = {"ratelimit": "rate limiter", "telemetry": "telemetry"}


_CLIENT_SETUP = frozenset({"AsyncClient.__init__", "AsyncClient.aclose", "AsyncClient.__aexit__"})
"""httpx's client being built or closed (``co_qualname``)."""


def stage_of(frame: FrameType | None) -> tuple[str, bool]:
    """``(stage, in a library)`` of a sample whose innermost frame is ``frame``."""
    leaf_library = frame is not None and _is_library(frame.f_code.co_filename)
    json_leaf = frame is not None and "/json/" in frame.f_code.co_filename
    while frame is not None:
        code = frame.f_code
        filename = code.co_filename
        if code.co_qualname in _CLIENT_SETUP and "/httpx/" in filename:
            return "client setup and close", leaf_library
        if _GENERATED in filename:
            return "models", leaf_library
        if _PACKAGE in filename:
            stage = _our_stage(filename, code.co_name)
            if json_leaf and stage != "early cursor":
                return "JSON decode", True
            return stage, leaf_library
        if filename.endswith(("bench.py", "bench_cpu.py")) and code.co_flags & CO_COROUTINE:
            # A contender's own loop (not the script's synchronous frames around the loop).
            if json_leaf:
                return "JSON decode", True
            # The raw loops call httpx themselves: a library under them is httpx's work.
            return ("httpx (raw loop)" if leaf_library else "consumer loop"), leaf_library
        frame = frame.f_back
    return "event loop, other", True


def _our_stage(filename: str, function: str) -> str:
    relative = filename.split(_PACKAGE, 1)[1]
    package, _, rest = relative.partition("/")
    if rest:
        return _OUR_PACKAGES.get(package, "pager")
    module = package.removesuffix(".py")
    return _OUR_STAGES.get((module, function)) or _OUR_STAGES.get((module, "*"), "pager")


def _is_library(filename: str) -> bool:
    return any(part in filename for part in _LIBRARIES)


def _innermost_ours(frame: FrameType | None) -> str:
    while frame is not None:
        filename = frame.f_code.co_filename
        for marker in (_PACKAGE, _GENERATED):
            if marker in filename:
                module = filename.split(marker, 1)[1].removesuffix(".py")
                return f"{module}:{frame.f_code.co_name}"
        if filename.endswith(("bench.py", "bench_cpu.py")):
            return f"bench:{frame.f_code.co_name}"
        frame = frame.f_back
    return "-"


class Profile:
    """CPU seconds per stage (all of it, and the part spent in libraries), and garbage
    collection's share, over everything sampled while :func:`sampling` was active."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.library: Counter[str] = Counter()
        self.functions: Counter[str] = Counter()
        """CPU seconds per innermost frame of this project (``_body:read_body``)."""
        self.gc_seconds = 0.0
        self.samples = 0

    @property
    def total(self) -> float:
        """CPU seconds sampled."""
        return sum(self.seconds.values())


@contextmanager
def sampling(interval: float = 0.0005) -> Iterator[Profile]:
    """Sample the CPU time of the ``with`` block every ``interval`` seconds of it."""
    profile = Profile()
    last = time.process_time()
    gc_started = 0.0

    def on_sample(signum: int, frame: FrameType | None) -> None:
        nonlocal last
        now = time.process_time()
        # Python may run this handler inside the garbage collector's callback below: the
        # frame that matters is the one the collection interrupted.
        while frame is not None and frame.f_code.co_filename == __file__:
            frame = frame.f_back
        stage, in_library = stage_of(frame)
        spent = now - last
        profile.seconds[stage] += spent
        if in_library:
            profile.library[stage] += spent
        profile.functions[_innermost_ours(frame)] += spent
        profile.samples += 1
        last = time.process_time()  # the handler's own time is not the profiled code's

    def on_gc(phase: str, info: dict[str, int]) -> None:
        nonlocal gc_started
        if phase == "start":
            gc_started = time.process_time()
        else:
            profile.gc_seconds += time.process_time() - gc_started

    previous = signal.signal(signal.SIGPROF, on_sample)
    gc.callbacks.append(on_gc)
    signal.setitimer(signal.ITIMER_PROF, interval, interval)
    try:
        yield profile
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
        gc.callbacks.remove(on_gc)
