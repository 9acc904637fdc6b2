"""The webhook event types this release knows, one constant each, with their payload models
(generated from the specs' webhook events: ``incidentio_api.events``).

::

    from incidentio_async.webhooks import events

    if events.PUBLIC_INCIDENT_FOLLOW_UP_CREATED_V2.matches(event):
        event.data.title    # FollowUpV2

``EVENT_TYPES`` maps each type's name to it; ``Refetched`` is what
``client.webhooks.refetch(event)`` returns.
"""

from incidentio_api.events import *  # noqa: F403  (re-exported on purpose)
from incidentio_api.events import __all__ as __all__
