"""The API's resources, as attributes of :class:`~incidentio_async.IncidentIO`."""

from .follow_ups import FollowUps
from .incident_updates import IncidentUpdates

__all__ = ["FollowUps", "IncidentUpdates"]
