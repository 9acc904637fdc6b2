"""Vendor our tags of incident.io's published OpenAPI document into ``openapi/``.

The command line is ``scripts/refresh_specs.py``; this package holds its parts, one job each:
``source`` reads the published document, ``config`` the vendoring config and patch list,
``cut`` extracts one tag, ``patches`` applies our deviations, ``render`` writes byte-stable
YAML and ``drift`` compares a refresh with the committed files.
"""

from __future__ import annotations


class RefreshError(Exception):
    """The refresh cannot go on: unreadable source, bad config, or a patch that no longer fits."""
