"""The default of arguments that are left out of the request when not given."""

from __future__ import annotations

from enum import Enum
from typing import Final, Literal


class NotGiven(Enum):
    """The type of :data:`NOT_GIVEN`: distinguishes "not given" from an explicit None."""

    NOT_GIVEN = "NOT_GIVEN"

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> Literal[False]:
        return False


NOT_GIVEN: Final = NotGiven.NOT_GIVEN
"""Default of optional update arguments: the field is not sent at all."""
