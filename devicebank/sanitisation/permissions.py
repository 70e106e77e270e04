"""Who may sanitise. Read access to devices lives in people.access; services, views and the API ask these.

- Record evidence (erasures, reviews, destructions, "no storage"), mark a device sanitised, issue certificates:
  the roles that may move a device into `sanitised` in its programme (technician, programme manager, platform
  admin; devices.permissions).
"""

from __future__ import annotations

from devicebank.devices.permissions import transition_targets_for
from devicebank.devices.states import DeviceState
from devicebank.people.access import AccessScope


def can_sanitise(scope: AccessScope, programme_id: int) -> bool:
    return DeviceState.SANITISED in transition_targets_for(scope, programme_id)
