"""The state of a change feed, and the opaque string it travels as between runs.

The string is ``incidentio-sync.<format>.<base64url of zlib-compressed JSON>``: ASCII, safe in
JSON, a file or an environment variable. zlib's checksum catches a truncated or edited copy;
the JSON names the operation the feed lists, so one resource's checkpoint is refused by
another's feed; a format newer than this release reads is refused rather than misread.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import zlib
from dataclasses import dataclass, field
from typing import Any

from .errors import InvalidArgumentError

PREFIX = "incidentio-sync"
FORMAT = 1
"""The format this release writes and reads."""
MAX_STATE_BYTES = 16 * 1024 * 1024
"""The most a checkpoint may inflate to (a feed remembers the records of one overlap window:
a few kB, hundreds of thousands of records within this), so that a crafted one cannot take
the memory of the process."""
_EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
"""No change time a feed stores is older (and one far older could not be looked back from)."""


@dataclass
class Pass:
    """A listing under way: everything changed at or after ``since``, in ID order."""

    since: datetime.datetime | None
    """Its filter (None: everything)."""
    after: str | None = None
    """The last record handed on (or skipped as handed on before): where it resumes."""
    started: datetime.datetime | None = None
    """The server's time at its first response."""
    latest: datetime.datetime | None = None
    """The latest change time it has listed."""


@dataclass
class FeedState:
    """Where a change feed stands."""

    operation: str
    """The operation it lists (an operationId)."""
    watermark: datetime.datetime | None = None
    """The latest change time a complete listing saw (None: never listed)."""
    seen: dict[str, datetime.datetime] = field(default_factory=dict)
    """Records handed on whose change time is recent enough to be listed again, with it."""
    current: Pass | None = None
    """A listing that was stopped before its end, to resume."""

    def encode(self) -> str:
        """The state as an opaque string."""
        data: dict[str, Any] = {
            "operation": self.operation,
            "watermark": _text(self.watermark),
            "seen": sorted([key, _text(at)] for key, at in self.seen.items()),
        }
        if self.current is not None:
            data["pass"] = {
                "since": _text(self.current.since),
                "after": self.current.after,
                "started": _text(self.current.started),
                "latest": _text(self.current.latest),
            }
        raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
        packed = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")
        return f"{PREFIX}.{FORMAT}.{packed}"

    @classmethod
    def decode(cls, text: object, operation: str, owner: str) -> FeedState:
        """The state ``text`` holds, for a feed of ``operation``; ``owner`` names that feed in
        messages (``client.follow_ups_v3.sync``). Raises InvalidArgumentError for anything
        such a feed did not write."""
        if not isinstance(text, str):
            raise InvalidArgumentError(
                f"checkpoint must be the string feed.checkpoint gave, not {type(text).__name__}"
            )
        prefix, _, rest = text.partition(".")
        version, _, packed = rest.partition(".")
        if prefix != PREFIX or not (version.isascii() and version.isdigit()):
            raise _refused(owner, "it is not a checkpoint of incidentio-async")
        if len(version) > 6 or int(version) > FORMAT:
            raise _refused(
                owner,
                f"it was written in format {version} by a newer incidentio-async (this one "
                f"reads format {FORMAT}): upgrade, or start again without a checkpoint",
            )
        try:
            raw = _inflate(base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4)))
            data = json.loads(raw)
            state = cls._from_json(data)
        except (
            binascii.Error,
            zlib.error,
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
            RecursionError,  # JSON nested deeper than the parser goes
        ):
            raise _refused(owner, "it is damaged (cut short or edited)") from None
        if state.operation != operation:
            raise _refused(owner, f"it was made by the feed of another list ({state.operation})")
        return state

    @classmethod
    def _from_json(cls, data: Any) -> FeedState:
        operation = data["operation"]
        if not isinstance(operation, str):
            raise TypeError("operation")
        seen = {}
        for key, at in data["seen"]:
            moment = _moment(at)
            if not isinstance(key, str) or moment is None:
                raise TypeError("seen")
            seen[key] = moment
        current = None
        if data.get("pass") is not None:
            listing = data["pass"]
            after = listing["after"]
            if after is not None and not isinstance(after, str):
                raise TypeError("after")
            current = Pass(
                since=_moment(listing["since"]),
                after=after,
                started=_moment(listing["started"]),
                latest=_moment(listing["latest"]),
            )
        return cls(operation, _moment(data["watermark"]), seen, current)


def _inflate(packed: bytes) -> bytes:
    inflater = zlib.decompressobj()
    raw = inflater.decompress(packed, MAX_STATE_BYTES)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("larger than a checkpoint, or cut short")
    return raw


def _text(moment: datetime.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(text: Any) -> datetime.datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError("a time")
    moment = datetime.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a naive time")
    if moment < _EARLIEST:
        raise ValueError("a time before 1970")
    return moment


def _refused(owner: str, reason: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"checkpoint refused: {owner}() did not make it; {reason}")
