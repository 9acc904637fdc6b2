"""Webhook signatures, checked against the Standard Webhooks reference package.

``standardwebhooks`` (a dev dependency only) is the oracle: what it signs we verify, what we
sign it verifies, and both refuse the same tampering. Our own checks beyond it (tolerance
around a given ``now``, Svix's header names, duplicate headers, which check failed) are
tested directly.
"""

from __future__ import annotations

import base64
import pickle
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import standardwebhooks

from incidentio_async import IncidentIOError
from incidentio_async.webhooks import (
    WebhookPayloadError,
    WebhookVerificationError,
    sign,
    verify,
)
from incidentio_async.webhooks.signature import check_signature, signing_keys

SECRET = "whsec_" + base64.b64encode(b"incident-io-webhook-test-key-32b").decode()
OTHER_SECRET = "whsec_" + base64.b64encode(b"a-rotated-webhook-signing-key-32").decode()
NOW = 1_750_000_000
EVENT = "private_incident.follow_up_created_v2"
BODY = (
    b'{"event_type":"private_incident.follow_up_created_v2",'
    b'"private_incident.follow_up_created_v2":{"id":"01HZXQ0000000000000000000A"}}'
)


def reference_sign(body: bytes, secret: str, msg_id: str, timestamp: int) -> dict[str, str]:
    """The headers standardwebhooks writes for ``body``."""
    signature = standardwebhooks.Webhook(secret).sign(
        msg_id, datetime.fromtimestamp(timestamp, tz=UTC), body
    )
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature,
    }


def reference_accepts(body: bytes, headers: dict[str, str], secret: str = SECRET) -> bool:
    try:
        standardwebhooks.Webhook(secret).verify(body, headers)
    except standardwebhooks.WebhookVerificationError:
        return False
    return True


def refused(check: str, body: bytes | str, headers: Any, secret: Any = SECRET, **kw: Any) -> str:
    """Verify, expecting a refusal by ``check``; the error's message."""
    with pytest.raises(WebhookVerificationError) as caught:
        verify(body, headers, secret, now=kw.pop("now", NOW), **kw)
    assert caught.value.check == check, caught.value
    return str(caught.value)


# -- agreement with the reference --------------------------------------------------------------


@pytest.mark.parametrize("body", [BODY, b"", b"\xff\xfe not utf-8", "é unicode ✓".encode()])
def test_our_signature_is_the_reference_signature(body: bytes) -> None:
    ours = sign(body, SECRET, msg_id="msg_2Lq4", timestamp=NOW)
    assert ours == reference_sign(body, SECRET, "msg_2Lq4", NOW)


def test_what_the_reference_signs_now_verifies_and_the_reverse() -> None:
    now = int(time.time())
    headers = reference_sign(BODY, SECRET, "msg_live", now)
    event = verify(BODY, headers, SECRET)
    assert (event.id, event.type) == ("msg_live", EVENT)
    assert event.timestamp == datetime.fromtimestamp(now, tz=UTC)
    ours = sign(BODY, SECRET, msg_id="msg_live", timestamp=now)
    assert reference_accepts(BODY, ours)


def test_a_str_body_is_its_utf8_bytes() -> None:
    text = BODY.decode()
    headers = sign(text, SECRET, msg_id="msg_1", timestamp=NOW)
    assert headers == sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW)
    assert verify(text, headers, SECRET, now=NOW).type == EVENT
    assert verify(bytearray(BODY), headers, SECRET, now=NOW).type == EVENT


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda b, h: (b + b" ", h), id="body+space"),
        pytest.param(lambda b, h: (b.replace(b"0A", b"0B"), h), id="body-byte"),
        pytest.param(lambda b, h: (b, {**h, "webhook-id": "msg_other"}), id="id"),
        pytest.param(
            lambda b, h: (b, {**h, "webhook-timestamp": str(int(h["webhook-timestamp"]) + 1)}),
            id="timestamp",
        ),
        pytest.param(
            lambda b, h: (b, {**h, "webhook-signature": h["webhook-signature"][:-4] + "AAA="}),
            id="signature",
        ),
    ],
)
def test_tampering_is_refused_by_us_and_the_reference(tamper: Any) -> None:
    now = int(time.time())
    body, headers = tamper(BODY, sign(BODY, SECRET, msg_id="msg_t", timestamp=now))
    assert not reference_accepts(body, headers)
    message = refused("signature", body, headers, now=now)
    assert "no signature in webhook-signature matches the body" in message


def test_the_wrong_secret_is_refused_by_us_and_the_reference() -> None:
    now = int(time.time())
    headers = sign(BODY, OTHER_SECRET, msg_id="msg_w", timestamp=now)
    assert not reference_accepts(BODY, headers)
    refused("signature", BODY, headers, now=now)


# -- time ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("skew", [-300, -1, 0, 1, 299, 300])
def test_a_timestamp_within_the_tolerance_is_accepted(skew: int) -> None:
    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW + skew)
    assert verify(BODY, headers, SECRET, now=NOW).id == "msg_1"


@pytest.mark.parametrize(("skew", "word"), [(-301, "old"), (3600, "in the future")])
def test_a_timestamp_outside_the_tolerance_is_refused(skew: int, word: str) -> None:
    # A replay of a genuine delivery an hour later, and a sender whose clock runs ahead.
    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW)
    message = refused("timestamp", BODY, headers, now=NOW - skew)
    assert f"webhook-timestamp is {abs(skew)}s {word}, beyond the tolerance of 300s" in message


def test_the_reference_refuses_a_replay_too() -> None:
    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=int(time.time()) - 3600)
    assert not reference_accepts(BODY, headers)


def test_tolerance_and_now_take_what_they_say() -> None:
    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW)
    later = datetime.fromtimestamp(NOW, tz=UTC) + timedelta(minutes=10)
    refused("timestamp", BODY, headers, now=later)
    assert verify(BODY, headers, SECRET, now=later, tolerance=600).id == "msg_1"
    assert verify(BODY, headers, SECRET, now=NOW + 10**6, tolerance=float("inf")).id == "msg_1"
    for bad in (-1, float("nan"), "300", True):
        with pytest.raises(ValueError, match="tolerance"):
            verify(BODY, headers, SECRET, now=NOW, tolerance=bad)
    with pytest.raises(ValueError, match="timezone-aware"):
        verify(BODY, headers, SECRET, now=datetime(2025, 1, 1))


def test_a_tampered_old_delivery_says_signature_not_timestamp() -> None:
    # The signature is checked first: "timestamp" means a genuine delivery, only late.
    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW - 3600)
    refused("signature", BODY + b" ", headers)


# -- rotation and several signatures --------------------------------------------------------------


def test_any_of_several_secrets_verifies_during_a_rotation() -> None:
    old = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW)
    new = sign(BODY, OTHER_SECRET, msg_id="msg_1", timestamp=NOW)
    for headers in (old, new):
        assert verify(BODY, headers, [OTHER_SECRET, SECRET], now=NOW).id == "msg_1"
    refused("signature", BODY, new, [SECRET])


def test_any_of_several_signatures_matches() -> None:
    both = sign(BODY, [OTHER_SECRET, SECRET], msg_id="msg_1", timestamp=NOW)
    entries = both["webhook-signature"].split(" ")
    assert len(entries) == 2
    assert reference_accepts(BODY, both, SECRET) == reference_accepts(BODY, both, OTHER_SECRET)
    assert verify(BODY, both, SECRET, now=NOW).id == "msg_1"
    assert verify(BODY, both, OTHER_SECRET, now=NOW).id == "msg_1"
    # Other versions (v1a, asymmetric) and junk are skipped, whatever their place.
    mixed = {**both, "webhook-signature": f"v1a,abcd junk {entries[1]}  v2,xyz"}
    assert verify(BODY, mixed, SECRET, now=NOW).id == "msg_1"
    only_others = {**both, "webhook-signature": "v1a,abcd v2,xyz"}
    assert "has no 'v1,<signature>' entry" in refused("malformed_header", BODY, only_others)


# -- headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["webhook-id", "webhook-timestamp", "webhook-signature"])
def test_a_missing_header_is_named(missing: str) -> None:
    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW)
    del headers[missing]
    assert f"missing header {missing}" in refused("missing_header", BODY, headers)


def test_header_names_are_read_in_any_case_from_any_mapping_or_pairs() -> None:
    import httpx

    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW)
    upper = {name.upper(): value for name, value in headers.items()}
    title = {name.title(): value for name, value in headers.items()}
    pairs = [(name.encode(), value.encode()) for name, value in title.items()]
    for given in (upper, title, httpx.Headers(headers), pairs):
        assert verify(BODY, given, SECRET, now=NOW).id == "msg_1"


def test_svix_header_names_are_accepted() -> None:
    headers = sign(BODY, SECRET, msg_id="msg_svix", timestamp=NOW)
    svix = {name.replace("webhook-", "svix-"): value for name, value in headers.items()}
    assert verify(BODY, svix, SECRET, now=NOW).id == "msg_svix"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("webhook-timestamp", "1750000000.5", "is not a Unix time in seconds: '1750000000.5'"),
        ("webhook-timestamp", "-1", "is not a Unix time in seconds"),
        ("webhook-timestamp", "9" * 40, "is not a Unix time in seconds"),
        ("webhook-id", "", "header webhook-id is empty"),
    ],
)
def test_malformed_headers_are_refused(name: str, value: str, message: str) -> None:
    headers = {**sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW), name: value}
    assert message in refused("malformed_header", BODY, headers)


def test_a_header_given_twice_differently_is_refused_and_signatures_add_up() -> None:
    headers = sign(BODY, [SECRET, OTHER_SECRET], msg_id="msg_1", timestamp=NOW)
    first, second = headers["webhook-signature"].split(" ")
    pairs = [
        ("webhook-id", "msg_1"),
        ("webhook-timestamp", headers["webhook-timestamp"]),
        ("webhook-signature", first),
        ("Webhook-Signature", second),
    ]
    assert verify(BODY, pairs, OTHER_SECRET, now=NOW).id == "msg_1"
    twice = [*pairs, ("WEBHOOK-ID", "msg_2")]
    assert "header webhook-id is given twice" in refused("malformed_header", BODY, twice)


# -- secrets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("whsec_not base64!", "is not 'whsec_' followed by base64"),
        ("whsec_" + base64.b64encode(b"short").decode(), "a key of 5 bytes, fewer than 16"),
        ("", "a key of 0 bytes"),
        ([], "no webhook secret given"),
        ([SECRET, 42], "secret 2 of 2 is a int, not a string"),
        (b"whsec_abc", "must be a string or a list of strings"),
    ],
)
def test_a_malformed_secret_is_refused_without_quoting_it(secret: Any, message: str) -> None:
    headers = sign(BODY, SECRET, msg_id="msg_1", timestamp=NOW)
    text = refused("secret", BODY, headers, secret)
    assert message in text
    if isinstance(secret, str) and len(secret) > 6:
        assert secret.removeprefix("whsec_") not in text


def test_a_secret_without_its_prefix_or_padding_is_the_same_secret() -> None:
    bare = SECRET.removeprefix("whsec_")
    unpadded = SECRET.rstrip("=")
    assert signing_keys(bare).keys == signing_keys(SECRET).keys == signing_keys(unpadded).keys
    assert repr(signing_keys(SECRET)) == "<SigningKeys: 1>"


def test_errors_never_hold_the_secret_or_the_expected_signature() -> None:
    now = int(time.time())
    genuine = sign(BODY, SECRET, msg_id="msg_1", timestamp=now)
    forged = {**genuine, "webhook-signature": "v1,Zm9yZ2Vk"}
    with pytest.raises(WebhookVerificationError) as caught:
        verify(BODY, forged, SECRET, now=now)
    error = caught.value
    assert isinstance(error, IncidentIOError)
    expected = genuine["webhook-signature"].removeprefix("v1,")
    key = SECRET.removeprefix("whsec_")
    texts = [str(error), repr(error), repr(error.args), repr(vars(error))]
    restored = pickle.loads(pickle.dumps(error))
    assert (type(restored), str(restored), restored.check) == (type(error), str(error), "signature")
    texts.append(repr(vars(restored)))
    for text in texts:
        assert expected not in text
        assert key not in text
        assert SECRET not in text


def test_sign_refuses_what_cannot_be_a_header() -> None:
    for msg_id in ("", "two words", "line\nbreak", "é"):
        with pytest.raises(ValueError, match="msg_id"):
            sign(BODY, SECRET, msg_id=msg_id, timestamp=NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        sign(BODY, SECRET, msg_id="m", timestamp=datetime(2025, 1, 1))
    with pytest.raises(TypeError, match="the body must be bytes or str"):
        sign(123, SECRET, msg_id="m", timestamp=NOW)  # type: ignore[arg-type]
    aware = datetime.fromtimestamp(NOW + 0.9, tz=UTC)
    assert sign(BODY, SECRET, msg_id="m", timestamp=aware)["webhook-timestamp"] == str(NOW)


def test_check_signature_alone_does_not_read_the_body() -> None:
    # The signature layer knows nothing of JSON: any bytes are signed and checked.
    headers = sign(b"\x00\x01", SECRET, msg_id="msg_1", timestamp=NOW)
    assert check_signature(b"\x00\x01", headers, SECRET, now=NOW).timestamp == NOW
    with pytest.raises(WebhookPayloadError, match="not JSON"):
        verify(b"\x00\x01", headers, SECRET, now=NOW)
