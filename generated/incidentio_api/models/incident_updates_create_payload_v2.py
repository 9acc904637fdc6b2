from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "idempotency_key",
        "incident_id",
        "message",
        "to_incident_status_id",
        "to_severity_id",
    )
)


@_attrs_define(kw_only=True)
class IncidentUpdatesCreatePayloadV2:
    """
    Example:
        {'idempotency_key': 'alert-uuid', 'incident_id': '01G0J1EXE7AXZ2C93K61WBPYEH', 'message': "We're working on a
            fix, hoping to ship in the next 30 minutes", 'to_incident_status_id': '01G0J1EXE7AXZ2C93K61WBPYEH',
            'to_severity_id': '01FH5TZRWMNAFB0DZ23FD1TV96'}

    Attributes:
        idempotency_key (str): Unique string used to de-duplicate incident update requests. Retrying with the same key
            returns the update the first request created, rather than sharing a second one. Example: alert-uuid.
        incident_id (str): The incident you want to update Example: 01G0J1EXE7AXZ2C93K61WBPYEH.
        message (str | None): Message that explains the context behind the update, in markdown Example: We're working on
            a fix, hoping to ship in the next 30 minutes.
        to_incident_status_id (str | None): Move the incident to this status Example: 01G0J1EXE7AXZ2C93K61WBPYEH.
        to_severity_id (str | None): Move the incident to this severity Example: 01FH5TZRWMNAFB0DZ23FD1TV96.
    """

    idempotency_key: str
    incident_id: str
    message: str | None = None
    to_incident_status_id: str | None = None
    to_severity_id: str | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        idempotency_key = self.idempotency_key

        incident_id = self.incident_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "idempotency_key": idempotency_key,
                "incident_id": incident_id,
            }
        )
        message = self.message
        if message is not None:
            field_dict["message"] = message
        elif "message" in self._null_fields:
            field_dict["message"] = None
        to_incident_status_id = self.to_incident_status_id
        if to_incident_status_id is not None:
            field_dict["to_incident_status_id"] = to_incident_status_id
        elif "to_incident_status_id" in self._null_fields:
            field_dict["to_incident_status_id"] = None
        to_severity_id = self.to_severity_id
        if to_severity_id is not None:
            field_dict["to_severity_id"] = to_severity_id
        elif "to_severity_id" in self._null_fields:
            field_dict["to_severity_id"] = None

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
        present = 2
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "idempotency_key"
            idempotency_key = src_dict["idempotency_key"]
            if type(idempotency_key) is not str:
                raise TypeError("expected a JSON string")

            parsing = "incident_id"
            incident_id = src_dict["incident_id"]
            if type(incident_id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "message"
            message = src_dict.get("message")
            if type(message) is str:
                present += 1
            elif message is not None:
                raise TypeError("expected a JSON string")
            elif "message" in src_dict:
                present += 1
                null_fields += ("message",)

            parsing = "to_incident_status_id"
            to_incident_status_id = src_dict.get("to_incident_status_id")
            if type(to_incident_status_id) is str:
                present += 1
            elif to_incident_status_id is not None:
                raise TypeError("expected a JSON string")
            elif "to_incident_status_id" in src_dict:
                present += 1
                null_fields += ("to_incident_status_id",)

            parsing = "to_severity_id"
            to_severity_id = src_dict.get("to_severity_id")
            if type(to_severity_id) is str:
                present += 1
            elif to_severity_id is not None:
                raise TypeError("expected a JSON string")
            elif "to_severity_id" in src_dict:
                present += 1
                null_fields += ("to_severity_id",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        incident_updates_create_payload_v2 = cls(
            idempotency_key=idempotency_key,
            incident_id=incident_id,
            message=message,
            to_incident_status_id=to_incident_status_id,
            to_severity_id=to_severity_id,
        )
        if len(src_dict) != present:
            incident_updates_create_payload_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            incident_updates_create_payload_v2._null_fields = frozenset(null_fields)
        return incident_updates_create_payload_v2

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
