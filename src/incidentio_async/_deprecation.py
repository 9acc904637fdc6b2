"""The warning for operations the spec marks deprecated, once per operation and process."""

from __future__ import annotations

import warnings
from typing import Any

from ._operation import Operation


class IncidentIODeprecationWarning(DeprecationWarning):
    """incident.io deprecated an operation this program calls (the message says until when,
    and what replaces it).

    A subclass of ``DeprecationWarning``, so that users and libraries can filter exactly
    ours::

        warnings.filterwarnings("ignore", category=IncidentIODeprecationWarning)

    or in pytest's configuration:
    ``filterwarnings = ["ignore::incidentio_async.IncidentIODeprecationWarning"]``.
    """


_warned: set[str] = set()

# user code -> generated method -> Resource._call -> warn_if_deprecated -> warnings.warn
_STACK_LEVEL = 4


def warn_if_deprecated(operation: Operation[Any]) -> None:
    """Warn, the first time in this process only, that ``operation`` is deprecated."""
    if operation.deprecation is None or operation.id in _warned:
        return
    warnings.warn(operation.deprecation, IncidentIODeprecationWarning, stacklevel=_STACK_LEVEL)
    # Only once the warning was shown: where warnings are errors (``-W error``), every call
    # raises, whatever order a test suite runs in.
    _warned.add(operation.id)
