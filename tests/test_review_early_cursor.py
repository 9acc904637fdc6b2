"""Review of the early cursor (3e91fa0): defects found, each pinned by a test that fails now."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from incidentio_async import ResponseValidationError
from incidentio_async._early_cursor import early_cursor

from client_factory import Recorder, mock_client, update_record

META, CURSOR = "pagination_meta", "after"


# -- the start of the body is decoded with errors="replace" ---------------------------------


def test_a_first_member_that_is_not_utf8_is_left_to_the_full_decode() -> None:
    # The end of the body is decoded strictly and left to the full decode when it is not
    # UTF-8; the start is decoded with errors="replace", so an invalid byte in the cursor
    # becomes U+FFFD and is reported as found, for a body json.loads refuses.
    body = b'{"pagination_meta":{"after":"01C\xff"},"incident_updates":[]}'
    with pytest.raises(ValueError):
        json.loads(body)
    assert early_cursor(body, META, CURSOR) == (False, None)


def test_a_first_member_cursor_agrees_with_json_loads_when_found() -> None:
    # json.loads decodes bytes with "surrogatepass": an encoded surrogate is accepted and
    # becomes "\ud800"; the start of the body reads it as three U+FFFD.
    body = b'{"pagination_meta":{"after":"01C\xed\xa0\x80"},"incident_updates":[]}'
    full = json.loads(body)[META][CURSOR]
    found, after = early_cursor(body, META, CURSOR)
    assert not found or after == full


@pytest.mark.anyio
async def test_no_request_carries_a_cursor_the_body_does_not_hold() -> None:
    # Before the change: "a body that is not JSON" and no second request. Now the next
    # request leaves with after="01C\ufffd", a cursor no decode of this body gives.
    records = json.dumps([update_record(2), update_record(1)]).encode()
    body = b'{"pagination_meta":{"after":"01C\xff"},"incident_updates":' + records + b"}"
    spare = json.dumps({"incident_updates": [], "pagination_meta": {}}).encode()
    recorder = Recorder(httpx.Response(200, content=body), httpx.Response(200, content=spare))
    async with mock_client(recorder) as client:
        with pytest.raises(ResponseValidationError, match="not JSON"):
            await client.incident_updates_v2.list().to_list()
    assert [r.url.params.get("after") for r in recorder.requests] == [None]


# -- whitespace is skipped one byte at a time in Python --------------------------------------


def _seconds(function: object, *args: object) -> float:
    start = time.perf_counter()
    function(*args)  # type: ignore[operator]
    return time.perf_counter() - start


@pytest.mark.parametrize("where", ["head", "tail"])
def test_whitespace_padding_costs_the_early_read_no_more_than_the_decode(where: str) -> None:
    # _skip_whitespace (after the opening brace) and _previous_byte (before the last
    # member's name) walk whitespace byte by byte in Python, with no bound: a body padded
    # with whitespace up to the default 32 MiB limit (about 32 KB gzipped) blocks the event
    # loop for seconds in early_cursor, where json.loads of the same body takes ~0.1 s.
    padding = b" " * (16 * 1024 * 1024)
    if where == "head":
        body = b"{" + padding + b'"pagination_meta":{"after":"01C"},"incident_updates":[]}'
    else:
        body = b'{"incident_updates":[],' + padding + b'"pagination_meta":{"after":"01C"}}'
    assert early_cursor(body, META, CURSOR) in ((True, "01C"), (False, None))
    decode = min(_seconds(json.loads, body) for _ in range(3))
    early = min(_seconds(early_cursor, body, META, CURSOR) for _ in range(3))
    assert early < max(0.25, 3 * decode), f"early_cursor {early:.2f}s, json.loads {decode:.3f}s"
