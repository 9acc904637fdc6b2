"""Keep the API key out of the log records of httpx and httpcore too.

They log what the server sent (a status line's reason, response headers at DEBUG), and a
server or proxy echoing the request would put the key there. A filter on their loggers
redacts each record that carries a live key; records are formatted only when a handler would
see them anyway.
"""

from __future__ import annotations

import logging

from ._secret import redact

# Filters on a logger do not apply to its children: each logger that logs is named.
LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "incidentio_async",
)


class RedactingFilter(logging.Filter):
    """Replaces a record's message by its redacted text when it carries a live key."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; redact it first if need be."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactingFilter()


def redact_library_logs() -> None:
    """Install the filter on every logger of :data:`LOGGERS` (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
