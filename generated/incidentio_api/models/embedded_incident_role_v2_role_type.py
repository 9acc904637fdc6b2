from enum import StrEnum
from typing import Any, Self


class EmbeddedIncidentRoleV2RoleType(StrEnum):
    """EmbeddedIncidentRoleV2RoleType values documented by the API; unknown values are accepted as they are.

    The API may add enum values without notice, so a value this version does not know
    parses to a pseudo-member that keeps its string value and round-trips unchanged.
    """

    CUSTOM = "custom"
    LEAD = "lead"
    REPORTER = "reporter"

    def __str__(self) -> str:
        return str(self.value)

    @property
    def is_known(self) -> bool:
        """Whether this value is one of the members documented when the client was generated."""
        return self._value_ in type(self)._value2member_map_

    @classmethod
    def from_value(cls, value: Any) -> Self:
        """The member for ``value`` (what ``from_dict`` uses): a plain dictionary lookup for
        documented values, much cheaper than calling the class; new values as for ``cls(value)``."""
        try:
            return cls._value2member_map_[value]  # type: ignore[return-value]
        except (KeyError, TypeError):
            return cls(value)

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = value
        pseudo_member._value_ = value
        return pseudo_member
