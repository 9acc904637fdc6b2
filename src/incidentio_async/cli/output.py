"""Render records as a table, JSON, JSON lines or CSV."""

from __future__ import annotations

import csv
import datetime
import enum
import json
import operator
import shutil
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TextIO

FORMATS = ("table", "json", "jsonl", "csv")


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


def columns_for(record_type: type | None) -> Sequence[Column]:
    """The table/CSV columns of a model class."""
    if record_type is None:
        return ()
    return CHOSEN_COLUMNS.get(record_type.__name__) or plain_columns(record_type)


def plain_columns(record_type: type) -> Sequence[Column]:
    """A column for each field of a model that reads as text (strings, numbers, enums,
    timestamps, lists of those); nested objects are left to the JSON formats."""
    hints = typing.get_type_hints(record_type)
    columns = []
    for name, hint in hints.items():
        if name.startswith("_") or name == "additional_properties" or not _plain(hint):
            continue
        columns.append(Column(name, operator.attrgetter(name)))
    return columns


def _plain(hint: object) -> bool:
    members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    for member in members:
        if member is type(None):
            continue
        if typing.get_origin(member) is list:
            member = typing.get_args(member)[0]
        if not (isinstance(member, type) and issubclass(member, _PLAIN)):
            return False
    return True


_PLAIN = (str, int, float, datetime.datetime, enum.Enum)


class Writer:
    """Writes records one at a time, so a long export never sits in memory."""

    def __init__(self, stream: TextIO, output_format: str, columns: Sequence[Column]) -> None:
        if output_format not in FORMATS:
            raise ValueError(f"unknown format {output_format!r}")
        self._stream = stream
        self._format = output_format
        self._columns = columns
        self._table_rows: list[list[str]] = []
        self._count = 0
        self._csv = csv.writer(stream, lineterminator="\n")
        if output_format == "csv":
            self._csv.writerow([column.header for column in columns])
        elif output_format == "json":
            stream.write("[")

    def write(self, record: Record) -> None:
        """Add one record."""
        if self._format == "jsonl":
            self._stream.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
        elif self._format == "json":
            self._stream.write(("," if self._count else "") + "\n  ")
            self._stream.write(json.dumps(record.to_dict(), ensure_ascii=False))
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
        """Finish the output (tables are laid out here, once every width is known)."""
        if self._format == "json":
            self._stream.write("\n]\n" if self._count else "]\n")
        elif self._format == "table":
            self._stream.write(render_table(self._columns, self._table_rows, _width(self._stream)))
        self._stream.flush()


def write_one(stream: TextIO, output_format: str, record: Record) -> None:
    """Write a single record: JSON formats print the object itself, not a list."""
    if output_format in ("json", "jsonl"):
        indent = 2 if output_format == "json" else None
        stream.write(json.dumps(record.to_dict(), indent=indent, ensure_ascii=False) + "\n")
        return
    writer = Writer(stream, output_format, columns_for(type(record)))
    writer.write(record)
    writer.close()


def render_table(columns: Sequence[Column], rows: list[list[str]], width: int) -> str:
    """Rows under a header, columns padded; the wide column is cut to fit ``width``."""
    if not rows:
        return "(no results)\n"
    rows = [[" ".join(cell.split()) for cell in row] for row in rows]
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
