from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "limit",
        "name",
        "remaining",
        "retry_after",
    )
)


@_attrs_define(kw_only=True)
class ErrorRateLimit:
    """
    Example:
        {'limit': 100, 'name': 'client_ip', 'remaining': 98, 'retry_after': '2020-01-01T00:00:00Z'}

    Attributes:
        limit (int): The maximum number of requests that the consumer is permitted to make per minute Example: 100.
        name (str): Which rate limit was exceeded Example: client_ip.
        remaining (int): The number of requests remaining in the current rate limit window Example: 98.
        retry_after (str): When the client can retry, as an RFC3339 timestamp in UTC. Prefer the Retry-After response
            header, which carries the same instant as a number of seconds Example: 2020-01-01T00:00:00Z.
    """

    limit: int
    name: str
    remaining: int
    retry_after: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        limit = self.limit

        name = self.name

        remaining = self.remaining

        retry_after = self.retry_after

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "limit": limit,
                "name": name,
                "remaining": remaining,
                "retry_after": retry_after,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build this model from JSON data, keeping unknown fields in ``additional_properties``.

        Raises:
            ModelParseError: the data is not an object, a required field is missing, or a
                value has the wrong type.
        """
        # Reads the fields in place (no copy of the data): parsing pages of records is
        # dominated by allocations and the garbage collector's work on them.
        parsing = ""
        present = 4
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "limit"
            limit = src_dict["limit"]
            if type(limit) is not int:
                raise TypeError("expected a JSON integer")

            parsing = "name"
            name = src_dict["name"]
            if type(name) is not str:
                raise TypeError("expected a JSON string")

            parsing = "remaining"
            remaining = src_dict["remaining"]
            if type(remaining) is not int:
                raise TypeError("expected a JSON integer")

            parsing = "retry_after"
            retry_after = src_dict["retry_after"]
            if type(retry_after) is not str:
                raise TypeError("expected a JSON string")

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        error_rate_limit = cls(
            limit=limit,
            name=name,
            remaining=remaining,
            retry_after=retry_after,
        )
        if len(src_dict) != present:
            error_rate_limit.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        return error_rate_limit

    @property
    def additional_keys(self) -> list[str]:
        """Names of the fields this client's models do not know, as received."""
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
