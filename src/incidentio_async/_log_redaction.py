"""Keep the API key, and control characters a server sent, out of the log records of httpx
and httpcore too.

They log what the server sent (a status line's reason, response headers at DEBUG), and a
server or proxy echoing the request would put the key there, in any spelling or encoding
(httpcore quotes header bytes through ``repr``). A filter on their loggers rewrites each record
whose message carries a live key or a control character into one printable line without the
key (:func:`~._printable.one_line`, the same as every error message); records are formatted
only when a handler would see them anyway.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from ._printable import one_line

PACKAGE_LOGGERS = (
    "incidentio_async",
    "incidentio_async.webhooks",
    "incidentio_async.testing.webhooks",
)
"""The loggers this package logs on."""

# Filters on a logger do not apply to its children: each logger that logs is named.
LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    *PACKAGE_LOGGERS,
)


class RedactingFilter(logging.Filter):
    """Replaces a record's message by a clean one when it carries a live key or a control
    character."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; clean it first if need be."""
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: the handler reports it, as without this filter
            return True
        cleaned = one_line(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactingFilter()


def install_filter(filter_: logging.Filter, names: Iterable[str]) -> None:
    """Add ``filter_`` to each logger of ``names`` that does not have it yet."""
    for name in names:
        logger = logging.getLogger(name)
        if filter_ not in logger.filters:
            logger.addFilter(filter_)


def redact_library_logs() -> None:
    """Install the filter on every logger of :data:`LOGGERS` (once)."""
    install_filter(_FILTER, LOGGERS)
