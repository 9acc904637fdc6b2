from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.error_debug import ErrorDebug
from ..models.error_rate_limit import ErrorRateLimit
from ..models.error_response_type import ErrorResponseType
from ..models.error_single import ErrorSingle

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "errors",
        "request_id",
        "status",
        "type",
        "debug",
        "rate_limit",
    )
)


@_attrs_define(kw_only=True)
class ErrorResponse:
    """
    Example:
        {'debug': {'message': 'Something broke: and something else: and something else', 'stacktrace':
            ['thing.go:123']}, 'errors': [{'code': 'trial_expired', 'message': 'Default incident call link must be a valid
            URL', 'metadata': {'abc123': 'abc123'}, 'source': {'field': 'default_call_url', 'pointer':
            '/settings/default_call_url'}}], 'rate_limit': {'limit': 100, 'name': 'client_ip', 'remaining': 98,
            'retry_after': '2020-01-01T00:00:00Z'}, 'request_id': '2T1p0e3j', 'status': 408, 'type':
            'invalid_request_error'}

    Attributes:
        errors (list[ErrorSingle]): List of errors that caused this request to fail Example: [{'code': 'trial_expired',
            'message': 'Default incident call link must be a valid URL', 'metadata': {'abc123': 'abc123'}, 'source':
            {'field': 'default_call_url', 'pointer': '/settings/default_call_url'}}].
        request_id (str): Unique identifier of the request Example: 2T1p0e3j.
        status (int): HTTP status of the response Example: 408.
        type_ (ErrorResponseType): Machine-readable identifier for the general category of error Example:
            invalid_request_error.
        debug (ErrorDebug | None):  Example: {'message': 'Something broke: and something else: and something else',
            'stacktrace': ['thing.go:123']}.
        rate_limit (ErrorRateLimit | None):  Example: {'limit': 100, 'name': 'client_ip', 'remaining': 98,
            'retry_after': '2020-01-01T00:00:00Z'}.
    """

    errors: list[ErrorSingle]
    request_id: str
    status: int
    type_: ErrorResponseType
    debug: ErrorDebug | None = None
    rate_limit: ErrorRateLimit | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()

            errors.append(errors_item)

        request_id = self.request_id

        status = self.status

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errors": errors,
                "request_id": request_id,
                "status": status,
                "type": type_,
            }
        )
        debug: dict[str, Any] | None = None
        if self.debug is not None:
            debug = self.debug.to_dict()

        if debug is not None:
            field_dict["debug"] = debug
        elif "debug" in self._null_fields:
            field_dict["debug"] = None
        rate_limit: dict[str, Any] | None = None
        if self.rate_limit is not None:
            rate_limit = self.rate_limit.to_dict()

        if rate_limit is not None:
            field_dict["rate_limit"] = rate_limit
        elif "rate_limit" in self._null_fields:
            field_dict["rate_limit"] = None

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
        null_fields: tuple[str, ...] = ()
        try:
            if type(src_dict) is not dict and not isinstance(src_dict, Mapping):
                raise TypeError("not a JSON object")
            parsing = "errors"
            _errors = src_dict["errors"]
            if not isinstance(_errors, list):
                raise TypeError("expected a JSON array")

            errors = []
            for errors_item_data in _errors:
                errors_item = ErrorSingle.from_dict(errors_item_data)

                errors.append(errors_item)

            parsing = "request_id"
            request_id = src_dict["request_id"]
            if type(request_id) is not str:
                raise TypeError("expected a JSON string")

            parsing = "status"
            status = src_dict["status"]
            if type(status) is not int:
                raise TypeError("expected a JSON integer")

            parsing = "type"
            type_ = ErrorResponseType.from_value(src_dict["type"])

            parsing = "debug"
            _debug = src_dict.get("debug")
            debug: ErrorDebug | None = None
            if _debug is not None:
                present += 1
                debug = ErrorDebug.from_dict(_debug)

            elif "debug" in src_dict:
                present += 1
                null_fields += ("debug",)

            parsing = "rate_limit"
            _rate_limit = src_dict.get("rate_limit")
            rate_limit: ErrorRateLimit | None = None
            if _rate_limit is not None:
                present += 1
                rate_limit = ErrorRateLimit.from_dict(_rate_limit)

            elif "rate_limit" in src_dict:
                present += 1
                null_fields += ("rate_limit",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        error_response = cls(
            errors=errors,
            request_id=request_id,
            status=status,
            type_=type_,
            debug=debug,
            rate_limit=rate_limit,
        )
        if len(src_dict) != present:
            error_response.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            error_response._null_fields = frozenset(null_fields)
        return error_response

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
