"""Shared test configuration: every async test runs under asyncio and under trio."""

from __future__ import annotations

import pytest

# The fixtures we ship for users' tests (our own README examples use them too), and the
# redis-server the Redis rate-limiter tests share.
pytest_plugins = ["incidentio_async.testing.pytest_plugin", "redis_server"]


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """The anyio plugin runs each ``@pytest.mark.anyio`` test once per backend."""
    return str(request.param)


@pytest.fixture(autouse=True)
def _each_test_sees_every_deprecation() -> None:
    """The library warns once per deprecated operation and process; forgetting which it has
    warned about makes every test that calls one see its warning (an error under our
    ``filterwarnings``), whatever ran before it."""
    from incidentio_async import _deprecation

    _deprecation._warned.clear()
