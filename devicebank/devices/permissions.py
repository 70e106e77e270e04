"""What people may do to devices. Read access (who sees which device) lives in people.access.

Capabilities (people.capabilities: declared here, asked by services, views, navigation and the API alike):
- `can_register_devices`: register a device that has arrived (technicians, warehouse staff, programme managers).
- `can_change_devices`: change anything about a programme's devices at all (every programme role); which
  states each role may move a device into is `transition_targets_for`, below.
- `can_correct_devices`: correct by hand what is recorded about a device (maker, model, serial, type, specification),
  with a reason (technicians and programme managers, who handle and check the machines).

`TARGETS_BY_ROLE` is the lifecycle's own rule: the states each role may move a device into. Other domains do not
infer their capabilities from it; they name their own (donations.permissions, sanitisation.permissions, ...), and
core/tests/test_capabilities.py checks that no capability promises a move its roles may not make.
"""

from __future__ import annotations

from devicebank.devices.states import DeviceState
from devicebank.people.access import AccessScope
from devicebank.people.capabilities import Capability
from devicebank.people.roles import OPERATIONAL_ROLES, Role

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

can_register_devices = Capability(
    "register devices", roles={Role.PROGRAMME_MANAGER, Role.TECHNICIAN, Role.WAREHOUSE}
)
can_change_devices = Capability("change devices", roles=OPERATIONAL_ROLES)
can_correct_devices = Capability("correct device details", roles={Role.PROGRAMME_MANAGER, Role.TECHNICIAN})


def transition_targets_for(scope: AccessScope, programme_id: int) -> frozenset[DeviceState]:
    """The states this user may move a device of this programme into (before lifecycle rules)."""
    targets: set[DeviceState] = set()
    for role in scope.roles_in_programme(programme_id):
        targets |= TARGETS_BY_ROLE.get(role, frozenset())
    return frozenset(targets)
