"""The API's models: every generated class, plus short names for the ones used most.

This is the one place to import models from::

    from incidentio_async.models import FollowUpV3, FollowUpV3Status, IncidentUpdateV2

Every model and enum the specs define is here under its generated name (``FollowUpV3``,
``FollowUpsUpdatePayloadV3Status``, ...), with ``ModelParseError``. Each is imported the first
time it is read, so importing this module costs next to nothing and a program pays only for
the models it uses. (They live in the generated package ``incidentio_api``, whose module
layout is regenerated with the specs: import them from here.)

Models keep fields the API added after this release in ``additional_properties``, accept
enum values it added (``is_known`` tells them apart), read absent or null optional fields as
``None``, and ``to_dict()`` gives back what was received.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import incidentio_api.models as _generated

if TYPE_CHECKING:
    from incidentio_api.errors import ModelParseError
    from incidentio_api.models import *  # noqa: F403  (re-exported on purpose)
    from incidentio_api.models import ActorV2 as Actor
    from incidentio_api.models import ExternalIssueReferenceV2 as ExternalIssueReference
    from incidentio_api.models import (
        ExternalIssueReferenceV2Provider as ExternalIssueReferenceProvider,
    )
    from incidentio_api.models import FollowUpPriorityV2 as FollowUpPriority
    from incidentio_api.models import (
        FollowUpsConnectExternalIssuePayloadV2Provider as ExternalIssueProvider,
    )
    from incidentio_api.models import FollowUpsUpdatePayloadV2Status as FollowUpUpdateStatus
    from incidentio_api.models import FollowUpsV2ListIncidentMode as IncidentMode
    from incidentio_api.models import FollowUpV2 as FollowUp
    from incidentio_api.models import FollowUpV2Status as FollowUpStatus
    from incidentio_api.models import IncidentStatusV2 as IncidentStatus
    from incidentio_api.models import IncidentStatusV2Category as IncidentStatusCategory
    from incidentio_api.models import IncidentUpdateV2 as IncidentUpdate
    from incidentio_api.models import SeverityV2 as Severity
    from incidentio_api.models import TeamSlimV2 as Team
    from incidentio_api.models import UserV2 as User
    from incidentio_api.models import UserV2Role as UserRole

SHORT_NAMES: dict[str, str] = {
    "Actor": "ActorV2",
    "ExternalIssueProvider": "FollowUpsConnectExternalIssuePayloadV2Provider",
    "ExternalIssueReference": "ExternalIssueReferenceV2",
    "ExternalIssueReferenceProvider": "ExternalIssueReferenceV2Provider",
    "FollowUp": "FollowUpV2",
    "FollowUpPriority": "FollowUpPriorityV2",
    "FollowUpStatus": "FollowUpV2Status",
    "FollowUpUpdateStatus": "FollowUpsUpdatePayloadV2Status",
    "IncidentMode": "FollowUpsV2ListIncidentMode",
    "IncidentStatus": "IncidentStatusV2",
    "IncidentStatusCategory": "IncidentStatusV2Category",
    "IncidentUpdate": "IncidentUpdateV2",
    "Severity": "SeverityV2",
    "Team": "TeamSlimV2",
    "User": "UserV2",
    "UserRole": "UserV2Role",
}
"""The short names of version 0.1.0, each for the generated class it stands for."""

__all__ = [
    "Actor",
    "ExternalIssueProvider",
    "ExternalIssueReference",
    "ExternalIssueReferenceProvider",
    "FollowUp",
    "FollowUpPriority",
    "FollowUpStatus",
    "FollowUpUpdateStatus",
    "IncidentMode",
    "IncidentStatus",
    "IncidentStatusCategory",
    "IncidentUpdate",
    "ModelParseError",
    "Severity",
    "Team",
    "User",
    "UserRole",
]
__all__ += _generated.__all__

# Out of the type checker's sight: it reads the imports above, and a module ``__getattr__``
# would make it accept any name, misspelt ones included.
if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name == "ModelParseError":
            from incidentio_api.errors import ModelParseError as value
        elif name in SHORT_NAMES or name in _generated.__all__:
            value = getattr(_generated, SHORT_NAMES.get(name, name))
        else:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
