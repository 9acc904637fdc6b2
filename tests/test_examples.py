"""The examples under examples/ run, and say what they should."""

from __future__ import annotations

import importlib.util
import io
from types import ModuleType

import pytest

from spec_data import ROOT


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "examples" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.anyio
async def test_the_webhook_receiver_handles_each_event_once_on_current_state() -> None:
    out = io.StringIO()
    await load("webhook_receiver").demo(out)
    assert out.getvalue().splitlines() == [
        "public_incident.follow_up_created_v2: 'Add alerts' is outstanding now",
        "public_incident.follow_up_updated_v2: 'Add alerts' is completed now",
        "private_incident.follow_up_created_v2: 'Rotate the keys' (private) is outstanding now",
        "public_incident.incident_status_updated_v2: The database is sad went from "
        "Investigating to Closed",
        "10 deliveries, 10 answered 200",
    ]


def test_the_webhook_receiver_builds_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENT_WEBHOOK_SECRET", "whsec_ZXhhbXBsZS13ZWJob29rLXNpZ25pbmcta2V5IQ==")
    monkeypatch.setenv("INCIDENT_API_KEY", "example-key")
    app = load("webhook_receiver").create_app()
    assert type(app).__name__ == "WebhookApp"
