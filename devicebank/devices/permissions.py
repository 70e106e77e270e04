"""Which roles may move a device into which state. Read access lives in people.access."""

from __future__ import annotations

from devicebank.devices.states import DeviceState
from devicebank.people.access import AccessScope
from devicebank.people.roles import Role

S = DeviceState

TARGETS_BY_ROLE: dict[str, frozenset[DeviceState]] = {
    Role.PLATFORM_ADMIN: frozenset(DeviceState),
    Role.PROGRAMME_MANAGER: frozenset(DeviceState),
    Role.TECHNICIAN: frozenset(
        {S.RECEIVED, S.SANITISED, S.IN_REFURBISHMENT, S.READY, S.RECYCLED, S.DESTROYED, S.LOST}
    ),
    Role.WAREHOUSE: frozenset(
        {
            S.PLEDGED,
            S.RECEIVED,
            S.READY,
            S.RESERVED,
            S.IN_TRANSIT,
            S.WITH_RECIPIENT,
            S.RETURNED,
            S.LOST,
            S.WITHDRAWN,
        }
    ),
}


def transition_targets_for(scope: AccessScope, programme_id: int) -> frozenset[DeviceState]:
    """The states this user may move a device of this programme into (before lifecycle rules)."""
    targets: set[DeviceState] = set()
    for role in scope.roles_in_programme(programme_id):
        targets |= TARGETS_BY_ROLE.get(role, frozenset())
    return frozenset(targets)


def can_edit_devices(scope: AccessScope, programme_id: int) -> bool:
    return bool(scope.roles_in_programme(programme_id))
