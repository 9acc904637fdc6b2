"""``incidentio-async webhooks sign`` and ``webhooks listen`` (a real uvicorn server)."""

from __future__ import annotations

import base64
import io
import json
import queue
import shlex
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import incidentio_async.cli as cli
from incidentio_async.testing.server import _child_env
from incidentio_async.webhooks import sign, verify

SECRET = "whsec_" + base64.b64encode(b"incident-io-webhook-test-key-32b").decode()
BODY = (
    b'{"event_type":"private_incident.follow_up_created_v2",'
    b'"private_incident.follow_up_created_v2":{"id":"01FU"}}'
)


def run(*argv: str) -> tuple[int, str, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_sign_prints_the_headers_incident_io_would_send(tmp_path: Path) -> None:
    body_file = tmp_path / "event.json"
    body_file.write_bytes(BODY)
    code, out, err = run(
        "webhooks", "sign", str(body_file), "--secret", SECRET, "--id", "msg_cli",
        "--timestamp", "1750000000",
    )  # fmt: skip
    assert (code, err) == (0, "")
    headers = dict(line.split(": ", 1) for line in out.splitlines())
    assert headers == sign(BODY, SECRET, msg_id="msg_cli", timestamp=1_750_000_000)
    assert verify(BODY, headers, SECRET, now=1_750_000_000).data.id == "01FU"

    code, out, _ = run("webhooks", "sign", str(body_file), "--secret", SECRET, "-o", "json")
    as_json = json.loads(out)
    assert verify(BODY, as_json, SECRET).type == "private_incident.follow_up_created_v2"

    code, out, _ = run(
        "webhooks", "sign", str(body_file), "--secret", SECRET, "--curl", "http://h/"
    )
    words = shlex.split(out)
    assert words[:5] == ["curl", "-sS", "-X", "POST", "http://h/"]
    assert words[-2:] == ["--data-binary", f"@{body_file}"]
    given = [words[n + 1] for n, word in enumerate(words) if word == "-H"]
    curl_headers = dict(header.split(": ", 1) for header in given)
    assert verify(BODY, curl_headers, SECRET).id.startswith("msg_")


def test_sign_reads_the_secret_from_the_environment_and_checks_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body_file = tmp_path / "event.json"
    body_file.write_bytes(BODY)
    monkeypatch.delenv("INCIDENT_WEBHOOK_SECRET", raising=False)
    code, _, err = run("webhooks", "sign", str(body_file))
    assert code == 2 and "no webhook secret" in err
    monkeypatch.setenv("INCIDENT_WEBHOOK_SECRET", "whsec_dGVzdA==")
    code, _, err = run("webhooks", "sign", str(body_file))
    assert code == 2 and "a key of 4 bytes" in err and "dGVzdA" not in err
    monkeypatch.setenv("INCIDENT_WEBHOOK_SECRET", SECRET)
    code, out, _ = run("webhooks", "sign", str(body_file))
    assert code == 0 and "webhook-signature: v1," in out


def test_listen_prints_each_verified_event_once_as_a_json_line() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "incidentio_async", "webhooks", "listen", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**_child_env(), "INCIDENT_WEBHOOK_SECRET": SECRET},
    )
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    try:
        assert process.stderr is not None
        banner = process.stderr.readline()
        assert banner.startswith("Listening for incident.io webhooks on http://127.0.0.1:")
        url = banner.split(" on ", 1)[1].split()[0]
        with httpx.Client(base_url=url, timeout=10) as http:
            headers = sign(BODY, SECRET, msg_id="msg_listen", timestamp=time.time())
            assert http.post("/", content=BODY, headers=headers).json() == {"status": "handled"}
            assert http.post("/", content=BODY, headers=headers).json() == {"status": "duplicate"}
            forged = {**headers, "webhook-signature": "v1,Zm9yZ2Vk"}
            assert http.post("/", content=BODY, headers=forged).status_code == 401
        event: dict[str, Any] = json.loads(lines.get(timeout=10))
        assert event["id"] == "msg_listen"
        assert event["type"] == "private_incident.follow_up_created_v2"
        assert event["data"] == {"id": "01FU"}
        assert lines.empty()
        refusal = process.stderr.readline()
        assert "refused (signature)" in refusal
        assert SECRET.removeprefix("whsec_") not in refusal
    finally:
        process.terminate()
        process.wait(timeout=10)
