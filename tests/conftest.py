"""Shared test configuration: every async test runs under asyncio and under trio."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """The anyio plugin runs each ``@pytest.mark.anyio`` test once per backend."""
    return str(request.param)
