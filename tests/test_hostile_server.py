"""A hostile server on a real loopback socket: it echoes the key in every spelling and encoding
JSON allows, redirects, nests its JSON deeper than Python recurses, and writes control
characters into what the client shows. Each test pins a promise that failed before its fix."""

from __future__ import annotations

import io
import json
import logging
import pickle
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hostile_server import Answer, Received, hostile_server

import incidentio_async.cli as cli
from incidentio_async import (
    APIConnectionError,
    APIStatusError,
    IncidentIOError,
    InvalidArgumentError,
    PaginationError,
    ResponseValidationError,
)

from client_factory import FOLLOW_UP, TEST_KEY, update_record

pytestmark = pytest.mark.anyio

# -- where a key could hide --------------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")

ODD_KEY = 'inc/live"key\\0123456789abcdef'
"""A key JSON escapes with short escapes too (``\\/``, ``\\"``, ``\\\\``)."""


def spellings(key: str) -> dict[str, str]:
    """The key as JSON source text can write it: each decodes back to ``key``."""
    return {
        "plain": json.dumps(key)[1:-1],
        "escaped": "".join(f"\\u{ord(c):04x}" for c in key),
        "ESCAPED": "".join(f"\\u{ord(c):04X}" for c in key),
        "partly": "".join(
            f"\\u{ord(c):04x}" if i % 2 else json.dumps(c)[1:-1] for i, c in enumerate(key)
        ),
        "short": json.dumps(key)[1:-1].replace("/", "\\/"),
    }


def forms(key: str) -> set[str]:
    """Every text a reader (or ``repr``) could recognise the key in."""
    texts = {key, *spellings(key).values()}
    texts |= {repr(key.encode(encoding))[2:-1] for encoding in ENCODINGS[1:]}
    return texts


def surfaces(error: BaseException) -> Iterator[tuple[str, str | bytes]]:
    """Everything an error shows or carries: messages, reprs, pickles, tracebacks, causes,
    attributes, and its response with the response's request and prepared redirect."""
    yield "str", str(error)
    yield "repr", repr(error)
    yield "args", repr(error.args)
    yield "pickle", pickle.dumps(error)
    yield "traceback", "".join(traceback.format_exception(error))
    chain: list[BaseException | None] = [error]
    while chain:
        current = chain.pop()
        if current is None:
            continue
        yield f"{type(current).__name__}.args", repr(current.args)
        yield f"{type(current).__name__}.__dict__", repr(vars(current))
        chain += [current.__cause__, current.__context__]
    response = getattr(error, "response", None)
    if response is not None:
        yield "response.content", response.content
        yield "response.text", response.text
        yield "response.headers", repr(response.headers.raw)
        yield "response.reason_phrase", response.reason_phrase
        yield "pickle(response)", pickle.dumps(response)
        for name in ("request", "next_request"):
            request = getattr(response, name)
            if request is not None:
                yield f"response.{name}", repr(request.headers.raw) + str(request.url)
                yield f"pickle(response.{name})", pickle.dumps(request)


def leaks(error: BaseException, key: str = TEST_KEY) -> list[str]:
    """The surfaces of ``error`` that hold ``key`` in any form or encoding."""
    found = []
    for name, value in surfaces(error):
        for text in forms(key):
            if isinstance(value, str):
                hit = text in value
            else:
                hit = any(text.encode(encoding) in value for encoding in ENCODINGS)
            if hit:
                found.append(f"{name}: {text!r}")
    return found


async def caught(
    handler: Callable[[Received], Answer],
    call: Callable[[Any], Any] = lambda client: client.follow_ups_v3.get("01FU"),
    *,
    api_key: str = TEST_KEY,
) -> IncidentIOError:
    async with hostile_server(handler) as server, server.client(api_key) as client:
        with pytest.raises(IncidentIOError) as info:
            await call(client)
    return info.value


def echo(key_text: Callable[[Received], str], encoding: str = "utf-8", status: int = 422) -> Any:
    """A handler answering an error body that quotes the request's key as ``key_text`` says."""

    def answer(request: Received) -> Answer:
        source = (
            f'{{"type": "validation_error", "status": {status}, "errors": [{{"code": "echo", '
            f'"message": "you sent Authorization: Bearer {key_text(request)}", '
            '"source": {"field": "title"}}]}'
        )
        return Answer(status, body=source.encode(encoding), reason=b"Unprocessable")

    return answer


# -- the key never escapes ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_same_origin_redirect_never_carries_the_key(status: int) -> None:
    error = await caught(
        lambda request: Answer(status, reason=b"Moved", headers=[("Location", "/v3/elsewhere")])
    )
    assert isinstance(error, APIStatusError) and error.status_code == status
    prepared = error.response.next_request  # httpx built it with the live Authorization
    assert prepared is not None and prepared.headers["authorization"] == "Bearer [redacted]"
    assert leaks(error) == []


async def test_a_redirect_to_a_url_quoting_the_key_is_redacted() -> None:
    def answer(request: Received) -> Answer:
        key = request.headers["authorization"].removeprefix("Bearer ")
        return Answer(302, reason=b"Found", headers=[("Location", f"/login?token={key}")])

    error = await caught(answer)
    assert isinstance(error, APIStatusError)
    assert error.response.next_request is not None
    assert "token=" in str(error.response.next_request.url)
    assert leaks(error) == []


@pytest.mark.parametrize("spelling", list(spellings(TEST_KEY)))
@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"],
)
async def test_an_echo_in_any_json_encoding_and_spelling_is_redacted(
    encoding: str, spelling: str
) -> None:
    error = await caught(echo(lambda request: spellings(TEST_KEY)[spelling], encoding))
    assert isinstance(error, APIStatusError)
    assert error.errors and "[redacted]" in error.errors[0].message  # read, and cleaned
    assert error.body["errors"][0]["source"] == {"field": "title"}
    assert leaks(error) == []


@pytest.mark.parametrize("spelling", list(spellings(ODD_KEY)))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-be"])
async def test_a_key_that_json_escapes_with_short_escapes_is_redacted(
    encoding: str, spelling: str
) -> None:
    handler = echo(lambda request: spellings(ODD_KEY)[spelling], encoding)
    error = await caught(handler, api_key=ODD_KEY)
    assert isinstance(error, APIStatusError) and "[redacted]" in str(error)
    assert leaks(error, ODD_KEY) == []


@pytest.mark.parametrize("spelling", ["escaped", "partly", "plain"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-32-be"])
@pytest.mark.parametrize("status", [400, 200])
async def test_an_echo_in_a_body_that_is_not_json_is_redacted(
    status: int, encoding: str, spelling: str
) -> None:
    def answer(request: Received) -> Answer:
        cut_short = '{"message": "Authorization: Bearer ' + spellings(TEST_KEY)[spelling]
        return Answer(status, body=cut_short.encode(encoding), reason=b"Whatever")

    error = await caught(answer)
    assert isinstance(error, APIStatusError | ResponseValidationError)
    assert leaks(error) == []


@pytest.mark.parametrize("spelling", list(spellings(TEST_KEY)))
async def test_an_echo_in_a_2xx_that_does_not_fit_the_schema_is_redacted(spelling: str) -> None:
    def answer(request: Received) -> Answer:
        record = json.dumps({**FOLLOW_UP, "status": 7})[:-1]
        body = record + ', "title": "' + spellings(TEST_KEY)[spelling] + '"}'
        return Answer(200, body=('{"follow_up": ' + body + "}").encode("utf-16"))

    error = await caught(answer)
    assert isinstance(error, ResponseValidationError) and "status" in str(error)
    assert leaks(error) == []


@pytest.mark.parametrize(
    "header",
    [
        lambda key: ("X-Echo", key),
        lambda key: ("X-Echo", "".join(f"\\u{ord(c):04x}" for c in key)),
        lambda key: ("X-Echo", "".join(f"%{ord(c):02X}" for c in key)),
        lambda key: ("Location", key),
    ],
)
async def test_an_echo_in_headers_and_the_reason_phrase_is_redacted(
    header: Callable[[str], tuple[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore log the status line and headers

    def answer(request: Received) -> Answer:
        key = request.headers["authorization"].removeprefix("Bearer ")
        return Answer(401, reason=f"Bad key {key}".encode(), headers=[header(key)])

    error = await caught(answer)
    assert isinstance(error, APIStatusError)
    assert leaks(error) == []
    assert not [text for text in forms(TEST_KEY) if text in caplog.text]


@pytest.mark.parametrize("encoding", ENCODINGS[1:])
async def test_a_header_echoing_the_key_in_utf16_or_utf32_is_redacted_from_errors_and_logs(
    encoding: str, caplog: pytest.LogCaptureFixture
) -> None:
    """h11 refuses the header and quotes it (``repr``, so as ``i\\x00n\\x00...``) in its
    error, which httpx wraps and httpcore logs."""
    caplog.set_level(logging.DEBUG)

    def answer(request: Received) -> Answer:
        return Answer(200, headers=[(b"X-Echo", TEST_KEY.encode(encoding))])

    error = await caught(answer)
    assert isinstance(error, APIConnectionError)
    assert leaks(error) == []
    assert not [text for text in forms(TEST_KEY) if text in caplog.text]


# -- deep JSON ---------------------------------------------------------------------------------


def nested(depth: int) -> bytes:
    """An object ``depth`` levels deep with one ``\\u`` escape at the bottom."""
    return b'{"a":' * depth + b'"\\u0041"' + b"}" * depth


@pytest.mark.parametrize("depth", [600, 950, 5000, 200_000])
@pytest.mark.parametrize("status", [400, 200])
async def test_json_nested_deeper_than_python_recurses_is_a_clean_error(
    status: int, depth: int
) -> None:
    error = await caught(lambda request: Answer(status, body=nested(depth), reason=b"Deep"))
    assert isinstance(error, APIStatusError | ResponseValidationError)
    # Every surface can be shown and pickled: none recurses through the body.
    assert leaks(error) == []
    assert pickle.loads(pickle.dumps(error)).args == error.args


@pytest.mark.parametrize("depth", [600, 200_000])
async def test_a_page_nested_deeper_than_python_recurses_is_a_clean_error(depth: int) -> None:
    body = b'{"incident_updates": [' + nested(depth) + b'], "pagination_meta": {"page_size": 25}}'
    error = await caught(
        lambda request: Answer(200, body=body),
        lambda client: client.incident_updates_v2.list().to_list(),
    )
    assert isinstance(error, ResponseValidationError)
    assert pickle.loads(pickle.dumps(error)).args == error.args


# -- one printable line ------------------------------------------------------------------------

CONTROLS = "\x1b[2J\x1b]0;owned\x07\x00\x08\x0b\x7f\x9b31m\u202eevil\u2066\ud800"


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that a terminal would act on instead of showing."""
    return [
        c
        for c in text
        if ord(c) < 0x20
        or 0x7F <= ord(c) < 0xA0
        or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
        or 0xD800 <= ord(c) < 0xE000
    ]


def controls_everywhere(request: Received) -> Answer:
    body = {
        "type": f"bad{CONTROLS}",
        "request_id": f"req\r\nInjected: {CONTROLS}",
        "errors": [{"code": "c", "message": f"line one\nline two{CONTROLS}"}],
    }
    return Answer(400, body=json.dumps(body).encode(), reason=b"Bad \x1b[31mRequest\x07\x00\x9b")


def controls_in_the_reason(request: Received) -> Answer:
    return Answer(503, body=b"<html>\x1b[2J</html>", reason=b"Down \x1b]0;owned\x07now")


def controls_in_a_2xx(request: Received) -> Answer:
    return Answer(200, body=f"not json {CONTROLS}".encode("utf-8", "surrogatepass"))


@pytest.mark.parametrize(
    "handler", [controls_everywhere, controls_in_the_reason, controls_in_a_2xx]
)
async def test_error_messages_are_one_printable_line(handler: Callable[[Received], Answer]) -> None:
    error = await caught(handler)
    for text in (str(error), *(arg for arg in error.args if isinstance(arg, str))):
        assert unprintable(text) == [], text
        assert "\n" not in text and "\r" not in text
    assert "\\x1b" in str(error)  # escaped, not dropped


@pytest.mark.parametrize(
    "handler", [controls_everywhere, controls_in_the_reason, controls_in_a_2xx]
)
def test_the_cli_prints_server_text_as_one_printable_line(
    handler: Callable[[Received], Answer], monkeypatch: pytest.MonkeyPatch
) -> None:
    import anyio

    async def run() -> tuple[int, str]:
        async with hostile_server(handler) as server:
            monkeypatch.setattr(cli, "make_client", lambda args: server.client())
            err = io.StringIO()
            code = await anyio.to_thread.run_sync(
                lambda: cli.main(["follow-ups-v3", "get", "01FU"], io.StringIO(), err)
            )
            return code, err.getvalue()

    code, err = anyio.run(run)
    assert code != 0 and err.endswith("\n") and err.count("\n") == 1
    assert unprintable(err.rstrip("\n")) == [], err


# -- pages that never advance ------------------------------------------------------------------

PageScript = Callable[[int, str | None], tuple[list[int], str | None]]
"""Given the request's number (from 1) and its ``after``, the records (by index) and cursor
the server answers with."""


def pages(script: PageScript, *, ordered: bool = False) -> Callable[[Received], Answer]:
    """A handler serving incident updates as ``script`` says (V3 follow-ups with ``ordered``:
    the list the spec declares ordered by id)."""
    count = 0
    key, record = (
        ("follow_ups", follow_up_record) if ordered else ("incident_updates", update_record)
    )

    def answer(request: Received) -> Answer:
        nonlocal count
        count += 1
        indexes, cursor = script(count, request.query.get("after"))
        meta: dict[str, Any] = {"page_size": len(indexes)}
        if cursor is not None:
            meta["after"] = cursor
        body = {key: [record(i) for i in indexes], "pagination_meta": meta}
        return Answer(200, body=json.dumps(body).encode())

    return answer


def follow_up_record(index: int) -> dict[str, Any]:
    """A minimal valid V3 follow-up whose id sorts by ``index``."""
    return {**FOLLOW_UP, "id": f"01FOLLOW{index:018d}"}


def uid(index: int, *, ordered: bool = False) -> str:
    return str((follow_up_record if ordered else update_record)(index)["id"])


def index_of(cursor: str | None) -> int:
    """The index of the record a cursor (a record id) names; -1 for the start."""
    return -1 if cursor is None else int(cursor[len("01UPDATE") :])


def honest(
    total: int, size: int, *, newest_first: bool = False, ordered: bool = False
) -> PageScript:
    """A server listing ``total`` records by id, ``size`` a page, cursors being record ids."""
    order = list(range(total))[::-1] if newest_first else list(range(total))

    def script(number: int, after: str | None) -> tuple[list[int], str | None]:
        start = 0 if after is None else order.index(index_of(after)) + 1
        page = order[start : start + size]
        return page, (uid(page[-1], ordered=ordered) if start + size < total else None)

    return script


async def listed(
    script: PageScript, *, ordered: bool = False, **kwargs: Any
) -> tuple[list[str], PaginationError | None, list[Received]]:
    """Every id the pager yields from a server following ``script``, and the error that ended
    the iteration (None: it ended normally). ``ordered``: list V3 follow-ups, which the spec
    says are ordered by id, instead of incident updates, which it leaves unordered."""
    got: list[str] = []
    async with hostile_server(pages(script, ordered=ordered)) as server, server.client() as client:
        resource = client.follow_ups_v3 if ordered else client.incident_updates_v2
        try:
            async for update in resource.list(page_size=250, **kwargs):
                got.append(update.id)
        except PaginationError as error:
            return got, error, server.received
    return got, None, server.received


async def resumes_cleanly(
    resume_after: str | None, total: int, *, ordered: bool = False
) -> list[str]:
    """What ``list(after=resume_after)`` yields from an honest server: the cursor is one the
    client accepts and sends."""
    got, error, _ = await listed(
        honest(total, 250, ordered=ordered), ordered=ordered, after=resume_after
    )
    assert error is None
    return got


async def test_the_same_records_under_fresh_cursors_are_yielded_once() -> None:
    got, error, received = await listed(lambda n, after: (list(range(10)), f"fresh-{n}"))
    assert got == [uid(i) for i in range(10)]
    assert error is not None and "nothing new" in str(error)
    assert len(received) <= 12
    assert error.resume_after == uid(9)  # right after the last record yielded
    assert await resumes_cleanly(error.resume_after, 30) == [uid(i) for i in range(10, 30)]


async def test_pages_overlapping_the_previous_one_yield_every_record_once() -> None:
    def overlapping(number: int, after: str | None) -> tuple[list[int], str | None]:
        start = max(0, index_of(after) + 1 - 100)  # each page repeats the last 100 records
        page = list(range(start, min(start + 250, 3000)))
        return page, (uid(page[-1]) if page[-1] < 2999 else None)

    got, error, _ = await listed(overlapping)
    assert error is None and got == [uid(i) for i in range(3000)]


@pytest.mark.parametrize(("old", "requests"), [(1000, 5 + 10), (0, 5 + 1)])
async def test_an_empty_page_alternating_with_an_old_record_stops(old: int, requests: int) -> None:
    """Records 0-1249, then an old record between empty pages: a recent one is recognised by
    its id (and the run of pages with nothing new stops), a long gone one by the order of the
    ids (at once)."""

    def alternating(number: int, after: str | None) -> tuple[list[int], str | None]:
        if number <= 5:
            return list(range((number - 1) * 250, number * 250)), f"c{number}"
        return ([] if number % 2 else [old]), f"c{number}"

    got, error, received = await listed(alternating, ordered=True)
    assert got == [uid(i, ordered=True) for i in range(1250)]
    assert error is not None
    assert requests <= len(received) <= requests + 1  # (+ the lookahead, cancelled)
    assert error.resume_after == uid(1249, ordered=True)
    resumed = await resumes_cleanly(error.resume_after, 1260, ordered=True)
    assert resumed == [uid(i, ordered=True) for i in range(1250, 1260)]


async def test_a_long_cycle_of_old_pages_under_fresh_cursors_stops() -> None:
    """Longer than any window of recent ids: the order of the ids tells the repeat."""

    def cycling(number: int, after: str | None) -> tuple[list[int], str | None]:
        start = ((number - 1) % 8) * 250  # 2000 records, then again from the first
        return list(range(start, start + 250)), f"cursor-{number}"

    got, error, _ = await listed(cycling, ordered=True)
    assert got == [uid(i, ordered=True) for i in range(2000)]
    assert error is not None and "again" in str(error)
    assert error.resume_after == uid(1999, ordered=True)


async def test_a_list_in_no_id_order_is_yielded_whole() -> None:
    """Incident updates promise no order: ids far out of order over more records than the
    window of recent ids remembers are all yielded, not taken for repeats."""
    order = [i for pair in zip(range(0, 1500), range(3000, 1500, -1), strict=True) for i in pair]

    def scattered(number: int, after: str | None) -> tuple[list[int], str | None]:
        start = 0 if after is None else order.index(index_of(after)) + 1
        page = order[start : start + 250]
        return page, (uid(page[-1]) if start + 250 < len(order) else None)

    got, error, _ = await listed(scattered)
    assert error is None and got == [uid(i) for i in order]


@pytest.mark.parametrize("newest_first", [False, True])
async def test_an_honest_list_in_either_order_is_yielded_whole(newest_first: bool) -> None:
    got, error, _ = await listed(honest(3100, 250, newest_first=newest_first))
    expected = [uid(i) for i in range(3100)]
    assert error is None and got == (expected[::-1] if newest_first else expected)


async def test_records_a_little_out_of_id_order_are_all_yielded() -> None:
    """Ids minted in the same millisecond may list out of order: a local disorder is not a
    repeat."""
    order = [i ^ 1 for i in range(3000)]  # every pair swapped

    def script(number: int, after: str | None) -> tuple[list[int], str | None]:
        start = 0 if after is None else order.index(index_of(after)) + 1
        page = order[start : start + 250]
        return page, (uid(page[-1]) if start + 250 < len(order) else None)

    got, error, _ = await listed(script)
    assert error is None and sorted(got) == [uid(i) for i in range(3000)]


# -- cursors the client cannot send ------------------------------------------------------------


@pytest.mark.parametrize(
    "cursor",
    ["01\ud800", "x" * 100_000, "01\x1b[2J", "01\r\nX-Injected: 1"],
    ids=["lone surrogate", "100 KB", "escape sequence", "line break"],
)
async def test_a_cursor_the_client_cannot_send_is_the_servers_fault(cursor: str) -> None:
    def script(number: int, after: str | None) -> tuple[list[int], str | None]:
        return list(range(20)), cursor

    got, error, received = await listed(script)
    assert got == [uid(i) for i in range(20)] and len(received) == 1
    assert isinstance(error, PaginationError) and not isinstance(error, InvalidArgumentError)
    assert "the API returned a cursor this client cannot send back" in str(error)
    assert unprintable(str(error)) == []
    assert error.resume_after == uid(19)
    assert await resumes_cleanly(error.resume_after, 30) == [uid(i) for i in range(20, 30)]


async def test_records_whose_ids_cannot_be_sent_are_left_for_the_resumed_run() -> None:
    """The resume cursor is a record id: one after the last record the client could name."""

    def bad_ids(request: Received) -> Answer:
        records = [update_record(i) for i in range(5)]
        records[3]["id"] = records[4]["id"] = "01\ud800"
        meta = {"page_size": 5, "after": "\ud800"}
        body = json.dumps({"incident_updates": records, "pagination_meta": meta})
        return Answer(200, body=body.encode())

    async with hostile_server(bad_ids) as server, server.client() as client:
        got: list[str] = []
        with pytest.raises(PaginationError) as info:
            async for update in client.incident_updates_v2.list():
                got.append(update.id)
    assert got == [uid(i) for i in range(3)] and info.value.resume_after == uid(2)


def test_the_cli_names_a_usable_resume_cursor_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import anyio

    def script(number: int, after: str | None) -> tuple[list[int], str | None]:
        return list(range(3)), "\x1b]0;owned\x07\ud800"

    async def run() -> tuple[int, str]:
        async with hostile_server(pages(script)) as server:
            monkeypatch.setattr(cli, "make_client", lambda args: server.client())
            err = io.StringIO()
            argv = ["incident-updates-v2", "list", "-o", "jsonl"]
            code = await anyio.to_thread.run_sync(lambda: cli.main(argv, io.StringIO(), err))
            return code, err.getvalue()

    code, err = anyio.run(run)
    assert code == 1 and err.count("\n") == 1 and unprintable(err.rstrip("\n")) == []
    assert f"resume with --after {uid(2)})" in err


async def test_max_items_counts_records_once() -> None:
    def overlapping(number: int, after: str | None) -> tuple[list[int], str | None]:
        start = max(0, index_of(after) + 1 - 5)  # each page repeats the last 5 records
        return list(range(start, start + 10)), uid(start + 9)

    got, error, _ = await listed(overlapping, max_items=23)
    assert error is None and got == [uid(i) for i in range(23)]


async def test_a_cursor_echoing_the_key_is_never_sent_nor_kept() -> None:
    def echoed(request: Received) -> Answer:
        key = request.headers["authorization"].removeprefix("Bearer ")
        meta = {"page_size": 2, "after": f"page-2-{key}"}
        records = [update_record(0), update_record(1)]
        return Answer(
            200, body=json.dumps({"incident_updates": records, "pagination_meta": meta}).encode()
        )

    async with hostile_server(echoed) as server, server.client() as client:
        with pytest.raises(PaginationError) as info:
            await client.incident_updates_v2.list().to_list()
    assert len(server.received) == 1 and info.value.resume_after == uid(1)
    assert "holds the API key" in str(info.value) and leaks(info.value) == []


def test_table_cells_from_the_server_cannot_drive_the_terminal() -> None:
    from incidentio_async.cli.output import Column, render_table

    column = Column(header="title", read=lambda record: record, wide=True)
    table = render_table([column], [["\x1b]0;owned\x07 Fix \x1b[2Jit"]], 80)
    assert unprintable(table.replace("\n", "")) == []
    assert "Fix" in table
