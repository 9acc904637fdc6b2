"""The once-per-process warning that Follow-ups V2 is going away upstream."""

from __future__ import annotations

import warnings

FOLLOW_UPS_V2_REMOVAL = "31 December 2026"

_warned = False


def warn_follow_ups_v2_deprecated() -> None:
    """Warn, the first time only, that incident.io removes Follow-ups V2 on 31 December 2026."""
    global _warned
    if _warned:
        return
    _warned = True
    warnings.warn(
        "incident.io's Follow-ups V2 API (/v2/follow_ups) is deprecated and will be removed on "
        f"{FOLLOW_UPS_V2_REMOVAL}; its successor is /v3/follow_ups.",
        DeprecationWarning,
        stacklevel=3,
    )
