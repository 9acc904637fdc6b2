from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..errors import ModelParseError
from ..models.alert_actor_v2 import AlertActorV2
from ..models.api_key_actor_v2 import APIKeyActorV2
from ..models.user_v2 import UserV2
from ..models.workflow_actor_v2 import WorkflowActorV2

# The documented fields; any others go to additional_properties.
_FIELD_NAMES: frozenset[str] = frozenset(
    (
        "alert",
        "api_key",
        "user",
        "workflow",
    )
)


@_attrs_define(kw_only=True)
class ActorV2:
    """
    Example:
        {'alert': {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title': '*errors.withMessage: PG::Error failed to connect'},
            'api_key': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My test API key'}, 'user': {'email':
            'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa Karlin Curtis', 'role': 'owner',
            'slack_user_id': 'U02AYNF2XJM'}, 'workflow': {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My little workflow'}}

    Attributes:
        alert (AlertActorV2 | None):  Example: {'id': '01GW2G3V0S59R238FAHPDS1R66', 'title': '*errors.withMessage:
            PG::Error failed to connect'}.
        api_key (APIKeyActorV2 | None):  Example: {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My test API key'}.
        user (UserV2 | None):  Example: {'email': 'lisa@incident.io', 'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'Lisa
            Karlin Curtis', 'role': 'owner', 'slack_user_id': 'U02AYNF2XJM'}.
        workflow (WorkflowActorV2 | None):  Example: {'id': '01FCNDV6P870EA6S7TK1DSYDG0', 'name': 'My little workflow'}.
    """

    alert: AlertActorV2 | None = None
    api_key: APIKeyActorV2 | None = None
    user: UserV2 | None = None
    workflow: WorkflowActorV2 | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # Optional fields that arrived as an explicit null, so that to_dict can write them back.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, default=frozenset(), repr=False, eq=False
    )

    def to_dict(self) -> dict[str, Any]:
        """This model as JSON-ready data: absent optional fields are left out."""
        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        alert: dict[str, Any] | None = None
        if self.alert is not None:
            alert = self.alert.to_dict()

        if alert is not None:
            field_dict["alert"] = alert
        elif "alert" in self._null_fields:
            field_dict["alert"] = None
        api_key: dict[str, Any] | None = None
        if self.api_key is not None:
            api_key = self.api_key.to_dict()

        if api_key is not None:
            field_dict["api_key"] = api_key
        elif "api_key" in self._null_fields:
            field_dict["api_key"] = None
        user: dict[str, Any] | None = None
        if self.user is not None:
            user = self.user.to_dict()

        if user is not None:
            field_dict["user"] = user
        elif "user" in self._null_fields:
            field_dict["user"] = None
        workflow: dict[str, Any] | None = None
        if self.workflow is not None:
            workflow = self.workflow.to_dict()

        if workflow is not None:
            field_dict["workflow"] = workflow
        elif "workflow" in self._null_fields:
            field_dict["workflow"] = None

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
            parsing = "alert"
            _alert = src_dict.get("alert")
            alert: AlertActorV2 | None = None
            if _alert is not None:
                present += 1
                alert = AlertActorV2.from_dict(_alert)

            elif "alert" in src_dict:
                present += 1
                null_fields += ("alert",)

            parsing = "api_key"
            _api_key = src_dict.get("api_key")
            api_key: APIKeyActorV2 | None = None
            if _api_key is not None:
                present += 1
                api_key = APIKeyActorV2.from_dict(_api_key)

            elif "api_key" in src_dict:
                present += 1
                null_fields += ("api_key",)

            parsing = "user"
            _user = src_dict.get("user")
            user: UserV2 | None = None
            if _user is not None:
                present += 1
                user = UserV2.from_dict(_user)

            elif "user" in src_dict:
                present += 1
                null_fields += ("user",)

            parsing = "workflow"
            _workflow = src_dict.get("workflow")
            workflow: WorkflowActorV2 | None = None
            if _workflow is not None:
                present += 1
                workflow = WorkflowActorV2.from_dict(_workflow)

            elif "workflow" in src_dict:
                present += 1
                null_fields += ("workflow",)

        except ModelParseError as exc:
            raise exc.within(cls.__name__, parsing) from None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelParseError.from_exception(cls.__name__, parsing, src_dict, exc) from exc

        actor_v2 = cls(
            alert=alert,
            api_key=api_key,
            user=user,
            workflow=workflow,
        )
        if len(src_dict) != present:
            actor_v2.additional_properties = {
                key: value for key, value in src_dict.items() if key not in _FIELD_NAMES
            }
        if null_fields:
            actor_v2._null_fields = frozenset(null_fields)
        return actor_v2

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
