"""IncidentIO construction, configuration, lifecycle, and keeping the API key secret."""

from __future__ import annotations

import logging
import pickle
import traceback
from typing import Any

import httpx
import pytest

from incidentio_async import (
    ClientClosedError,
    ConfigurationError,
    IncidentIO,
    NotFoundError,
    RateLimiter,
)

from client_factory import (
    CALLS_FOLLOW_UPS_V2,
    FOLLOW_UP,
    TEST_KEY,
    Recorder,
    json_response,
    mock_client,
)

pytestmark = [pytest.mark.anyio, CALLS_FOLLOW_UPS_V2]

OK = json_response(200, {"follow_up": FOLLOW_UP})


@pytest.fixture(autouse=True)
def no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INCIDENT_API_KEY", raising=False)
    monkeypatch.delenv("INCIDENT_API_BASE_URL", raising=False)


async def test_key_and_base_url_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCIDENT_API_KEY", "from-env-key")
    monkeypatch.setenv("INCIDENT_API_BASE_URL", "https://eu.example.com/api")
    recorder = Recorder(OK)
    async with IncidentIO(
        transport=httpx.MockTransport(recorder), rate_limiter=RateLimiter()
    ) as client:
        await client.follow_ups.get("01FU")
    request = recorder.requests[0]
    assert recorder.sent_headers[0]["authorization"] == "Bearer from-env-key"
    assert str(request.url) == "https://eu.example.com/api/v2/follow_ups/01FU"


async def test_default_base_url_is_the_public_api() -> None:
    async with IncidentIO("k", rate_limiter=RateLimiter()) as client:
        assert str(client.base_url) == "https://api.incident.io"


@pytest.mark.parametrize("key", [None, ""])
def test_no_key_anywhere_is_a_clear_error_at_construction(key: str | None) -> None:
    with pytest.raises(ConfigurationError, match="INCIDENT_API_KEY"):
        IncidentIO(key)


@pytest.mark.parametrize("key", [" padded", "two words", "line\nbreak", "nul\x00"])
def test_a_malformed_key_is_refused_without_echoing_it(key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        IncidentIO(key)
    assert key.strip() not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://api.incident.io",
        "http://10.0.0.8:8080",
        "ftp://api.incident.io",
        "not a url",
        "https://h/?q=1",
    ],
)
def test_unsafe_or_invalid_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError):
        IncidentIO("k", base_url=url, rate_limiter=RateLimiter())


@pytest.mark.parametrize("url", ["http://localhost:8080", "http://127.0.0.1:9", "http://[::1]:80"])
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    IncidentIO("k", base_url=url, rate_limiter=RateLimiter())


def test_plain_http_elsewhere_needs_an_explicit_opt_in() -> None:
    client = IncidentIO(
        "k",
        base_url="http://fake.internal:8080",
        allow_insecure_http=True,
        rate_limiter=RateLimiter(),
    )
    assert client.base_url.host == "fake.internal"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": None},
        {"timeout": 0},
        {"timeout": httpx.Timeout(None)},
        {"max_retries": -1},
        {"max_retries": "3"},
        {"http_client": httpx.AsyncClient(), "transport": httpx.MockTransport(lambda r: OK)},
        {"http_client": object()},
        {"headers": {"Authorization": "Bearer other"}},
    ],
)
def test_bad_settings_are_configuration_errors(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        IncidentIO("k", rate_limiter=RateLimiter(), **kwargs)


async def test_timeout_is_always_set_on_requests() -> None:
    recorder = Recorder(OK, OK)
    async with mock_client(recorder) as client:
        await client.follow_ups.get("01FU")
    assert recorder.requests[0].extensions["timeout"] == {
        "connect": 10.0,
        "read": 30.0,
        "write": 30.0,
        "pool": 30.0,
    }
    async with mock_client(recorder, timeout=2.5) as client:
        await client.follow_ups.get("01FU")
    assert set(recorder.requests[1].extensions["timeout"].values()) == {2.5}


async def test_use_after_close_is_a_clear_error() -> None:
    recorder = Recorder(OK)
    client = mock_client(recorder)
    await client.aclose()
    assert client.is_closed
    with pytest.raises(ClientClosedError, match="closed"):
        await client.follow_ups.get("01FU")
    with pytest.raises(ClientClosedError):
        await client.incident_updates.list().to_list()
    assert recorder.requests == []


async def test_async_with_closes_the_client() -> None:
    async with mock_client(Recorder()) as client:
        pass
    assert client.is_closed


async def test_a_user_supplied_http_client_keeps_our_auth_and_stays_open() -> None:
    recorder = Recorder(OK)
    user_client = httpx.AsyncClient(
        transport=httpx.MockTransport(recorder),
        auth=("someone", "else"),
        headers={"Authorization": "Bearer wrong", "X-Team": "sre"},
        base_url="https://elsewhere.example",
        follow_redirects=True,
    )
    async with IncidentIO(TEST_KEY, http_client=user_client, rate_limiter=RateLimiter()) as client:
        await client.follow_ups.get("01FU")
    request = recorder.requests[0]
    assert recorder.sent_headers[0]["authorization"] == f"Bearer {TEST_KEY}"
    assert request.headers["x-team"] == "sre"
    assert request.url.host == "elsewhere.example"  # its own base_url (no base_url= given)
    assert not user_client.is_closed
    await user_client.aclose()


async def test_a_user_supplied_http_client_s_own_settings_are_honoured() -> None:
    recorder = Recorder(OK)
    user_client = httpx.AsyncClient(
        transport=httpx.MockTransport(recorder),
        base_url="https://gateway.example/incident-io",
        timeout=httpx.Timeout(7.0, connect=2.0),
        headers={"User-Agent": "my-service/1.2", "X-Team": "sre"},
    )
    async with IncidentIO(TEST_KEY, http_client=user_client, rate_limiter=RateLimiter()) as client:
        assert str(client.base_url) == "https://gateway.example/incident-io/"
        await client.follow_ups_v3.get("01FU")
    request = recorder.requests[0]
    assert str(request.url) == "https://gateway.example/incident-io/v3/follow_ups/01FU"
    assert request.extensions["timeout"] == {"connect": 2.0, "read": 7.0, "write": 7.0, "pool": 7.0}
    assert request.headers.get_list("user-agent") == ["my-service/1.2"]
    assert request.headers["x-team"] == "sre"
    assert request.headers["accept"] == "application/json"  # httpx's */* is not the user's
    await user_client.aclose()


async def test_explicit_arguments_take_precedence_over_the_http_client_s_settings() -> None:
    recorder = Recorder(OK)
    user_client = httpx.AsyncClient(
        transport=httpx.MockTransport(recorder),
        base_url="https://gateway.example",
        timeout=7.0,
        headers={"User-Agent": "my-service/1.2", "X-Team": "sre"},
    )
    async with IncidentIO(
        TEST_KEY,
        http_client=user_client,
        base_url="https://api.eu.example",
        timeout=3.0,
        headers={"user-agent": "override/2"},
        rate_limiter=RateLimiter(),
    ) as client:
        await client.follow_ups_v3.get("01FU")
    request = recorder.requests[0]
    assert request.url.host == "api.eu.example"
    assert set(request.extensions["timeout"].values()) == {3.0}
    assert request.headers.get_list("user-agent") == ["override/2"]
    assert request.headers["x-team"] == "sre"
    await user_client.aclose()


async def test_an_http_client_left_at_httpx_defaults_gets_ours_and_its_timeout() -> None:
    recorder = Recorder(OK)
    user_client = httpx.AsyncClient(transport=httpx.MockTransport(recorder))
    async with IncidentIO(TEST_KEY, http_client=user_client, rate_limiter=RateLimiter()) as client:
        await client.follow_ups_v3.get("01FU")
    request = recorder.requests[0]
    assert request.url.host == "api.incident.io"
    assert request.headers["user-agent"].startswith("incidentio-async/")
    assert request.headers["accept"] == "application/json"
    assert set(request.extensions["timeout"].values()) == {5.0}  # httpx's default, honoured
    await user_client.aclose()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            dict(timeout=None),
            r"http_client\.timeout leaves a phase of a request unlimited.*pass timeout=",
        ),
        (
            dict(timeout=httpx.Timeout(5.0, read=None)),
            r"http_client\.timeout leaves a phase.*takes precedence",
        ),
        (
            dict(headers={"Accept-Encoding": "zstd"}),
            r"http_client sets Accept-Encoding: 'zstd'.*it sends 'gzip, deflate",
        ),
        (
            dict(base_url="http://gateway.example"),
            r"refusing plain http:// to gateway\.example \(http_client\.base_url\)",
        ),
        (
            dict(base_url="https://user:pw@gateway.example"),
            r"http_client\.base_url must not contain a user name or password",
        ),
    ],
)
def test_an_http_client_setting_this_client_cannot_honour_is_refused_by_name(
    settings: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        IncidentIO("k", http_client=httpx.AsyncClient(**settings), rate_limiter=RateLimiter())


def test_an_http_client_s_unusable_timeout_is_fine_when_timeout_is_given() -> None:
    client = IncidentIO(
        "k", http_client=httpx.AsyncClient(timeout=None), timeout=4, rate_limiter=RateLimiter()
    )
    assert client._pipeline.timeouts.attempt == 4


async def test_a_closed_user_http_client_is_a_clear_error() -> None:
    user_client = httpx.AsyncClient(transport=httpx.MockTransport(Recorder()))
    await user_client.aclose()
    client = IncidentIO(TEST_KEY, http_client=user_client, rate_limiter=RateLimiter())
    with pytest.raises(ClientClosedError, match="http_client"):
        await client.follow_ups.get("01FU")


async def test_redirects_are_not_followed_so_the_key_stays_with_the_api() -> None:
    recorder = Recorder(httpx.Response(302, headers={"Location": "https://evil.example/steal"}), OK)
    async with mock_client(recorder, max_retries=0) as client:
        with pytest.raises(Exception) as caught:
            await client.follow_ups.get("01FU")
    assert getattr(caught.value, "status_code", None) == 302
    assert [r.url.host for r in recorder.requests] == ["api.incident.io"]


async def test_base_url_with_a_path_prefix() -> None:
    recorder = Recorder(OK)
    async with mock_client(recorder, base_url="https://proxy.example/incident/") as client:
        await client.follow_ups.get("a/b")
    assert recorder.requests[0].url.raw_path == b"/incident/v2/follow_ups/a%2Fb"


async def test_the_key_never_appears_in_reprs_errors_or_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    error_body = {
        "type": "not_found",
        "status": 404,
        "request_id": "r",
        "errors": [{"code": "not_found", "message": "nope"}],
    }
    recorder = Recorder(
        json_response(404, error_body), httpx.ConnectError("refused"), httpx.ReadTimeout("slow")
    )
    client = mock_client(recorder, max_retries=0)
    texts = [repr(client), str(client), repr(vars(client)), repr(client._pipeline.__dict__)]
    for call in (
        client.follow_ups.get("01FU"),
        client.follow_ups.get("01FU"),
        client.follow_ups.get("01FU"),
    ):
        try:
            await call
        except Exception as exc:
            texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    request = recorder.requests[0]
    texts += [repr(request), repr(request.headers), str(request.headers)]
    await client.aclose()
    texts.append(caplog.text)
    for text in texts:
        assert TEST_KEY not in text
    with pytest.raises(TypeError):
        pickle.dumps(client._api_key)


async def test_errors_carry_the_response_for_inspection() -> None:
    recorder = Recorder(json_response(404, {"type": "not_found", "status": 404, "errors": []}))
    async with mock_client(recorder) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.follow_ups.get("01FU")
    assert caught.value.response.request.url.path == "/v2/follow_ups/01FU"
