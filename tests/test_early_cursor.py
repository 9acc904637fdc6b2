"""The next page's request leaves before this page's body is decoded: its cursor is read from
the end of the body where the metadata sits, and checked against the full decode."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidentio_async import ResponseValidationError, _resource
from incidentio_async._early_cursor import WINDOW, early_cursor

from client_factory import Recorder, mock_client, update_record

META, CURSOR = "pagination_meta", "after"


def body_of(text: str) -> bytes:
    return text.encode()


# -- reading the ends of a body --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"items":[1,2],"pagination_meta":{"after":"01B","page_size":2}}', (True, "01B")),
        ('{"pagination_meta":{"after":"01B"},"items":[1,2]}', (True, "01B")),
        ('{"items":[],"pagination_meta":{"page_size":2}}', (True, None)),
        ('{"items":[],"pagination_meta":{"after":null}}', (True, None)),
        ('{\n  "items": [],\n  "pagination_meta" :\n {"after": "01\\u00e9"}\n}\n', (True, "01é")),
        ('  { "pagination_meta" : {"after": "01B"} , "items": [] }', (True, "01B")),
    ],
)
def test_the_cursor_is_read_from_either_end(text: str, expected: tuple[bool, str | None]) -> None:
    assert early_cursor(body_of(text), META, CURSOR) == expected
    assert expected[1] == json.loads(text)[META].get(CURSOR)


@pytest.mark.parametrize(
    "text",
    [
        # In the middle: only a full decode can find it.
        '{"items":[],"pagination_meta":{"after":"01B"},"more":1}',
        # A nested object's member, at either end.
        '{"items":[],"x":{"pagination_meta":{"after":"01B"}}}',
        '{"x":{"pagination_meta":{"after":"01B"}},"items":[]}',
        '[{"pagination_meta":{"after":"01B"}}]',
        # Inside a string: an escaped quote opens the text, not a member.
        '{"items":[],"note":"\\"pagination_meta\\":{\\"after\\":\\"01B\\"}"}',
        '{"items":[],"\\"pagination_meta":{"after":"01B"}}',
        # A cursor that is not a string: the full decode reports it.
        '{"items":[],"pagination_meta":{"after":5}}',
        '{"items":[],"pagination_meta":["after"]}',
        # Broken or cut off.
        '{"items":[],"pagination_meta":{"after":"01B"',
        '{"items":[],"pagination_meta":',
        "",
    ],
)
def test_an_end_that_cannot_tell_is_left_to_the_full_decode(text: str) -> None:
    assert early_cursor(body_of(text), META, CURSOR) == (False, None)


def test_a_body_that_is_not_utf8_or_metadata_beyond_the_window_is_left_to_the_full_decode() -> None:
    assert early_cursor(b'{"a":"\xff","pagination_meta":{"after":"\xff"}}', META, CURSOR) == (
        False,
        None,
    )
    huge = json.dumps({"items": [], META: {CURSOR: "0" * WINDOW}}).encode()
    assert early_cursor(huge, META, CURSOR) == (False, None)
    huge_first = json.dumps({META: {CURSOR: "0" * WINDOW}, "items": []}).encode()
    assert early_cursor(huge_first, META, CURSOR) == (False, None)


_TEXT = st.lists(st.sampled_from(['"', "\\", "{", "}", ",", ":", " ", "a", META])).map("".join)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from([META, CURSOR, "x", '"' + META]), inner, max_size=3)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(st.sampled_from([META, "items", "x", CURSOR]), _JSON, max_size=4),
    st.sampled_from([None, 2]),
    st.booleans(),
)
def test_whatever_the_ends_say_agrees_with_the_full_decode(
    document: dict[str, Any], indent: int | None, ascii_only: bool
) -> None:
    body = json.dumps(document, indent=indent, ensure_ascii=ascii_only).encode()
    found, after = early_cursor(body, META, CURSOR)
    if found:
        assert isinstance(document[META], dict)
        assert after == document[META].get(CURSOR)
    keys = list(document)
    meta = document.get(META)
    # And it does tell whenever the metadata is at an end (unless it names itself inside).
    at_an_end = bool(keys) and META in (keys[0], keys[-1])
    if at_an_end and isinstance(meta, dict) and META not in str(meta):
        assert found or not isinstance(meta.get(CURSOR), str | None)


# -- the pager -------------------------------------------------------------------------------


def page(records: list[dict[str, Any]], after: str | None, *, meta_first: bool = False) -> bytes:
    meta = {"page_size": 2, **({"after": after} if after else {})}
    document = (
        {"pagination_meta": meta, "incident_updates": records}
        if meta_first
        else {"incident_updates": records, "pagination_meta": meta}
    )
    return json.dumps(document).encode()


@pytest.mark.anyio
@pytest.mark.parametrize("meta_first", [False, True])
async def test_the_next_request_leaves_before_this_page_is_decoded(
    monkeypatch: pytest.MonkeyPatch, meta_first: bool
) -> None:
    events: list[str] = []
    bodies = [
        page([update_record(4), update_record(3)], "01C", meta_first=meta_first),
        page([update_record(2), update_record(1)], None, meta_first=meta_first),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        events.append(f"request {request.url.params.get('after')}")
        return httpx.Response(200, content=bodies.pop(0))

    decode = _resource.json_of

    def recording_decode(response: httpx.Response) -> Any:
        events.append("decode")
        return decode(response)

    monkeypatch.setattr(_resource, "json_of", recording_decode)
    async with mock_client(handler) as client:
        records = await client.incident_updates_v2.list(page_size=2).to_list()
    assert [record.id for record in records] == [update_record(n)["id"] for n in (4, 3, 2, 1)]
    assert events == ["request None", "request 01C", "decode", "decode"]


@pytest.mark.anyio
async def test_metadata_in_the_middle_still_pages_correctly() -> None:
    def middle(records: list[dict[str, Any]], after: str | None) -> httpx.Response:
        meta = {"page_size": 1, **({"after": after} if after else {})}
        text = json.dumps({"x": 1, "pagination_meta": meta, "incident_updates": records, "y": 2})
        return httpx.Response(200, content=text.encode())

    recorder = Recorder(middle([update_record(2)], "01C"), middle([update_record(1)], None))
    async with mock_client(recorder) as client:
        records = await client.incident_updates_v2.list().to_list()
    assert [record.id for record in records] == [update_record(n)["id"] for n in (2, 1)]
    assert [r.url.params.get("after") for r in recorder.requests] == [None, "01C"]


@pytest.mark.anyio
async def test_metadata_that_appears_twice_differently_is_refused_not_followed() -> None:
    # json.loads keeps the last of duplicate members; the first one is what the start reads.
    text = (
        '{"pagination_meta":{"after":"01WRONG"},"incident_updates":[],'
        '"pagination_meta":{"after":"01RIGHT"}}'
    ).replace('"incident_updates":[]', '"incident_updates":' + json.dumps([update_record(1)]))
    recorder = Recorder(
        httpx.Response(200, content=text.encode()), httpx.Response(200, content=page([], None))
    )
    async with mock_client(recorder) as client:
        with pytest.raises(ResponseValidationError, match="appears twice"):
            await client.incident_updates_v2.list().to_list()
