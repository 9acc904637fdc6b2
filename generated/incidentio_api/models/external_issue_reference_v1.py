from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.external_issue_reference_v1_provider import ExternalIssueReferenceV1Provider

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "issue_name",
        "issue_permalink",
        "provider",
    )
)


@_attrs_define(kw_only=True)
class ExternalIssueReferenceV1:
    """
    Example:
        {'issue_name': 'INC-123', 'issue_permalink': 'https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-
            write-up', 'provider': 'asana'}

    Attributes:
        issue_name (str | None): Human readable ID for the issue Example: INC-123.
        issue_permalink (str | None): URL linking directly to the action in the issue tracker Example:
            https://linear.app/incident-io/issue/INC-1609/find-copywriter-to-write-up.
        provider (ExternalIssueReferenceV1Provider | None): ID of the issue tracker provider Example: asana.
    """

    issue_name: str | None = None
    issue_permalink: str | None = None
    provider: ExternalIssueReferenceV1Provider | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        issue_name = self.issue_name
        if issue_name is not None:
            field_dict["issue_name"] = issue_name
        elif "issue_name" in self._null_fields:
            field_dict["issue_name"] = None
        issue_permalink = self.issue_permalink
        if issue_permalink is not None:
            field_dict["issue_permalink"] = issue_permalink
        elif "issue_permalink" in self._null_fields:
            field_dict["issue_permalink"] = None
        provider: str | None = None
        if self.provider is not None:
            provider = self.provider.value

        if provider is not None:
            field_dict["provider"] = provider
        elif "provider" in self._null_fields:
            field_dict["provider"] = None

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
        present = 0
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "issue_name"
            issue_name = src_dict.get("issue_name")
            if type(issue_name) is str:
                present += 1
            elif issue_name is not None:
                raise TypeError("expected a JSON string")
            elif "issue_name" in src_dict:
                present += 1
                null_fields += ("issue_name",)

            parsing = "issue_permalink"
            issue_permalink = src_dict.get("issue_permalink")
            if type(issue_permalink) is str:
                present += 1
            elif issue_permalink is not None:
                raise TypeError("expected a JSON string")
            elif "issue_permalink" in src_dict:
                present += 1
                null_fields += ("issue_permalink",)

            parsing = "provider"
            _provider = src_dict.get("provider")
            provider: ExternalIssueReferenceV1Provider | None = None
            if _provider is not None:
                present += 1
                provider = ExternalIssueReferenceV1Provider.from_value(_provider)

            elif "provider" in src_dict:
                present += 1
                null_fields += ("provider",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        external_issue_reference_v1 = cls(
            issue_name=issue_name,
            issue_permalink=issue_permalink,
            provider=provider,
        )
        if len(src_dict) != present:
            external_issue_reference_v1.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            external_issue_reference_v1._null_fields = frozenset(null_fields)
        return external_issue_reference_v1

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
