"""Render records as a table, JSON, JSON lines or CSV, never leaving half a document.

JSON lines and CSV are written record by record (every line complete, so a run that fails
leaves whole records, and the error says where to resume); a JSON array and a table are
written whole once the last record has arrived, so a run that fails writes none of them. With
``--output FILE`` the output goes to a temporary file beside FILE, renamed over it only when
the run succeeds.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import enum
import functools
import json
import os
import shutil
import tempfile
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TextIO

import attrs

from incidentio_api.types import format_datetime
from incidentio_async._printable import one_line

FORMATS = ("table", "json", "jsonl", "csv")

STREAMED = frozenset({"jsonl", "csv"})
"""Formats written as records arrive: a failed run leaves complete records."""

ALL_COLUMNS = "all"
"""``--columns all``: every column a record type has."""

_SPOOL_IN_MEMORY = 8 * 1024 * 1024
"""Bytes of a JSON array kept in memory before the rest waits in a temporary file."""


class UsageError(Exception):
    """The command line asked for something this command cannot do (an unknown column)."""


class Record(Protocol):
    """What every generated model offers."""

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Column:
    """A column of the table and CSV views: a header and how to read it off a record."""

    header: str
    read: Callable[[Any], object]
    wide: bool = False
    """Takes the width left over by the other columns in a table."""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return format_datetime(value)  # as the API wrote it (and the JSON formats show it)
    return str(value)


FOLLOW_UP_COLUMNS = (
    Column("id", lambda f: f.id),
    Column("status", lambda f: f.status),
    Column("title", lambda f: f.title, wide=True),
    Column("assignee", lambda f: f.assignee.name if f.assignee else None),
    Column("labels", lambda f: f.labels),
    Column("incident_id", lambda f: f.incident_id),
)

INCIDENT_UPDATE_COLUMNS = (
    Column("id", lambda u: u.id),
    Column("incident_id", lambda u: u.incident_id),
    Column("created_at", lambda u: u.created_at.strftime("%Y-%m-%d %H:%M:%S")),
    Column("status", lambda u: u.new_incident_status.name),
    Column("severity", lambda u: u.new_severity.name if u.new_severity else None),
    Column("message", lambda u: u.message, wide=True),
)


CHOSEN_COLUMNS = {
    "FollowUpV2": FOLLOW_UP_COLUMNS,
    "FollowUpV3": FOLLOW_UP_COLUMNS,
    "IncidentUpdateV2": INCIDENT_UPDATE_COLUMNS,
}
"""Columns picked for the records people look at most; others get :func:`plain_columns`."""


def columns_for(record_type: type | None, chosen: str | None = None) -> Sequence[Column]:
    """The table/CSV columns of a model class: those named in ``chosen`` (comma-separated,
    or ``all``), else the usual ones."""
    if record_type is None:
        return ()
    if chosen is None:
        return CHOSEN_COLUMNS.get(record_type.__name__) or plain_columns(record_type)
    available = available_columns(record_type)
    if chosen.strip() == ALL_COLUMNS:
        return list(plain_columns(record_type, nested=True))
    names = [name.strip() for name in chosen.split(",") if name.strip()]
    unknown = [name for name in names if name not in available]
    if unknown or not names:
        raise UsageError(
            f"unknown column {', '.join(map(repr, unknown)) or '(none given)'} for "
            f"{record_type.__name__}; the columns are: {', '.join(available)}"
        )
    return [available[name] for name in names]


@functools.cache
def available_columns(record_type: type) -> dict[str, Column]:
    """Every column ``--columns`` can name for a model class: each scalar field, nested ones
    flattened with dots (``assignee.email``), and the usual columns by their names."""
    columns = {column.header: column for column in plain_columns(record_type, nested=True)}
    for column in CHOSEN_COLUMNS.get(record_type.__name__, ()):
        columns.setdefault(column.header, column)
    return columns


def plain_columns(record_type: type, *, nested: bool = False) -> Sequence[Column]:
    """A column for each field of a model that reads as text (strings, numbers, enums,
    timestamps, lists of those). Nested objects are left to the JSON formats, or with
    ``nested`` flattened into columns of their own: ``assignee.email``."""
    return list(_fields(record_type, (), nested, depth=3))


def _fields(record_type: type, path: tuple[str, ...], nested: bool, depth: int) -> Iterator[Column]:
    for name, hint in typing.get_type_hints(record_type).items():
        if name.startswith("_") or name == "additional_properties":
            continue
        if _plain(hint):
            yield Column(".".join((*path, name)), _reader((*path, name)))
            continue
        model = _model(hint)
        if nested and model is not None and depth > 1:
            yield from _fields(model, (*path, name), nested, depth - 1)


def _reader(path: tuple[str, ...]) -> Callable[[Any], object]:
    """Reads ``a.b.c`` off a record; None when an object on the way is absent."""

    def read(record: Any) -> object:
        value = record
        for name in path:
            if value is None:
                return None
            value = getattr(value, name)
        return value

    return read


def _members(hint: object) -> tuple[object, ...]:
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    return tuple(member for member in members if member is not type(None))


def _plain(hint: object) -> bool:
    for member in _members(hint):
        if typing.get_origin(member) is list:
            member = typing.get_args(member)[0]
        if not (isinstance(member, type) and issubclass(member, _PLAIN)):
            return False
    return True


def _model(hint: object) -> type | None:
    """The model class of a field holding one nested object (optional or not)."""
    members = _members(hint)
    if len(members) == 1 and isinstance(members[0], type) and attrs.has(members[0]):
        return members[0]
    return None


_PLAIN = (str, int, float, datetime.datetime, enum.Enum)


class Writer:
    """Writes records one at a time, so a long export never sits in memory.

    JSON lines and CSV reach ``stream`` as records arrive; a JSON array (spooled to a
    temporary file past a few MiB) and a table reach it only at :meth:`close`, so a run that
    fails before then writes nothing to it.
    """

    def __init__(self, stream: TextIO, output_format: str, columns: Sequence[Column]) -> None:
        if output_format not in FORMATS:
            raise ValueError(f"unknown format {output_format!r}")
        self._stream = stream
        self._format = output_format
        self._columns = columns
        self._table_rows: list[list[str]] = []
        self._count = 0
        self._csv = csv.writer(stream, lineterminator="\n")
        self._spool: tempfile.SpooledTemporaryFile[str] | None = None
        if output_format == "csv":
            self._csv.writerow([column.header for column in columns])
        elif output_format == "json":
            # Closed by close() or discard(), whichever ends the run.
            self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115
                max_size=_SPOOL_IN_MEMORY, mode="w+", encoding="utf-8"
            )

    @property
    def count(self) -> int:
        """How many records were added."""
        return self._count

    @property
    def streamed(self) -> bool:
        """Whether records reach the stream as they are added (not only at :meth:`close`)."""
        return self._format in STREAMED

    def write(self, record: Record) -> None:
        """Add one record."""
        if self._format == "jsonl":
            self._stream.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        elif self._spool is not None:
            self._spool.write(("," if self._count else "") + "\n  ")
            self._spool.write(json.dumps(record.to_dict(), ensure_ascii=False))
        else:
            row = [_text(column.read(record)) for column in self._columns]
            if self._format == "csv":
                self._csv.writerow(row)
            else:
                self._table_rows.append(row)
        self._count += 1

    def write_all(self, records: Iterable[Record]) -> None:
        """Add several records."""
        for record in records:
            self.write(record)

    def close(self) -> None:
        """Finish the output: the JSON array and the table are written here, whole (tables
        are laid out once every width is known)."""
        if self._spool is not None:
            self._stream.write("[")
            self._spool.seek(0)
            shutil.copyfileobj(self._spool, self._stream)
            self._spool.close()
            self._spool = None
            self._stream.write("\n]\n" if self._count else "]\n")
        elif self._format == "table":
            self._stream.write(render_table(self._columns, self._table_rows, _width(self._stream)))
        self._stream.flush()

    def discard(self) -> None:
        """Drop what was held back for :meth:`close` (a failed run's JSON array or table)."""
        self._table_rows.clear()
        if self._spool is not None:
            self._spool.close()
            self._spool = None


def write_one(
    stream: TextIO, output_format: str, record: Record, columns: Sequence[Column] | None = None
) -> None:
    """Write a single record: JSON formats print the object itself, not a list."""
    if output_format in ("json", "jsonl"):
        indent = 2 if output_format == "json" else None
        stream.write(json.dumps(record.to_dict(), indent=indent, ensure_ascii=False) + "\n")
        return
    writer = Writer(stream, output_format, columns or columns_for(type(record)))
    writer.write(record)
    writer.close()


@contextlib.contextmanager
def replaced_on_success(path: Path) -> Iterator[TextIO]:
    """A file to write ``path``'s new content to: a temporary file beside it, flushed to disk
    and renamed over it when the block ends normally, removed when it raises (``path`` is then
    as it was): a crash leaves the old content or the new, never part of one."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _mode_for(path: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets (umask applied)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def render_table(columns: Sequence[Column], rows: list[list[str]], width: int) -> str:
    """Rows under a header, columns padded; the wide column is cut to fit ``width``."""
    if not rows:
        return "(no results)\n"
    # Cells hold the server's text: escape what a terminal would act on (ESC sequences, BEL).
    rows = [[one_line(cell) for cell in row] for row in rows]
    widths = [
        max(len(column.header), *(len(row[index]) for row in rows))
        for index, column in enumerate(columns)
    ]
    spare = width - (sum(widths) + 2 * (len(columns) - 1))
    for index, column in enumerate(columns):
        if column.wide and spare < 0:
            widths[index] = max(len(column.header), widths[index] + spare, 10)
    lines = [[column.header.upper() for column in columns], *rows]
    out = []
    for line in lines:
        cells = [_fit(cell, widths[index]) for index, cell in enumerate(line)]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out) + "\n"


def _fit(cell: str, width: int) -> str:
    return cell.ljust(width) if len(cell) <= width else cell[: width - 1] + "…"


def _width(stream: TextIO) -> int:
    """The terminal's width; unlimited when writing to a file or pipe."""
    if stream.isatty():
        return shutil.get_terminal_size().columns
    return 10_000
