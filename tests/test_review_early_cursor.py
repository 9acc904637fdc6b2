"""Review of the early cursor (3e91fa0): the defects found, each pinned by a test that failed
before its fix."""

from __future__ import annotations

import json

import httpx
import pytest

from incidentio_async import ResponseValidationError
from incidentio_async._early_cursor import WINDOW, early_cursor

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


# -- whitespace was skipped one byte at a time in Python, over the whole body ------------------


@pytest.mark.parametrize("where", ["head", "tail"])
def test_the_early_read_looks_no_further_than_its_window(where: str) -> None:
    # A body padded with whitespace up to the default 32 MiB limit (about 32 KB gzipped) kept
    # early_cursor walking it byte by byte, in Python, for seconds of blocked event loop. It
    # now reads only WINDOW bytes at either end: past that the full decode decides.
    def body(padding: int) -> bytes:
        spaces = b" " * padding
        if where == "head":
            return b"{" + spaces + b'"pagination_meta":{"after":"01C"},"incident_updates":[]}'
        return b'{"incident_updates":[],' + spaces + b'"pagination_meta":{"after":"01C"}}'

    assert early_cursor(body(WINDOW // 2), META, CURSOR) == (True, "01C")
    assert early_cursor(body(16 * 1024 * 1024), META, CURSOR) == (False, None)
    assert json.loads(body(16 * 1024 * 1024))[META][CURSOR] == "01C"
