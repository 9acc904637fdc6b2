"""Names a package exports but imports only when first read (a module ``__getattr__``).

For exports a plain call does not need (the Redis limiter, the pager's classes, ...), so that
``import incidentio_async`` stays cheap. The package still imports them under
``TYPE_CHECKING``, and defines its ``__getattr__`` out of the type checker's sight, which then
sees every name and still refuses a misspelt one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module


def lazy_exports(
    package: str, origins: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``package``: each name of ``origins`` is
    imported from the module given for it (relative to ``package``) when first read, then
    kept in the package as an ordinary attribute; ``dir()`` lists them all along."""

    def __getattr__(name: str) -> object:
        origin = origins.get(name)
        if origin is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(origin, package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *origins})

    return __getattr__, __dir__
