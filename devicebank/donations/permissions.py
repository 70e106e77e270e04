"""Who may run donations. Read access (who sees a donation) lives in people.access and donations.selectors.

- Record a donation, schedule and confirm its collection, receive it, cancel it, import its asset register,
  scan devices in: the roles that may both pledge and receive devices in its programme (warehouse staff,
  programme managers, platform admins; devices.permissions). Donor contacts see their donations, read-only.
"""

from __future__ import annotations

from devicebank.devices.permissions import transition_targets_for
from devicebank.devices.states import DeviceState
from devicebank.people.access import AccessScope


def can_manage_donations(scope: AccessScope, programme_id: int) -> bool:
    targets = transition_targets_for(scope, programme_id)
    return DeviceState.PLEDGED in targets and DeviceState.RECEIVED in targets
