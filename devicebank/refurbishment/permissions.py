"""Who may do what at the workbench. Read access to devices lives in people.access; services check these.

- Work on a device (tests, grades, repairs, parts, OS installs, decisions, ready): the roles that may move a
  device into refurbishment and on to `ready` in its programme (technician, programme manager, platform admin;
  not warehouse staff, whose `ready` right is for cancelled reservations and failed deliveries).
- Recycle: the roles that may move it to `recycled`.
- Edit specifications, checklists and the value of a working device: programme managers and platform admins.
- See refurbishment records (readiness, tests, grades, repairs): anyone who works in the programme (warehouse
  staff too, read-only) and platform admins. Donors, schools, referrers and funders: no.
- Reveal a licence key, COA number or BIOS/admin password: technicians and programme managers of the
  programme, and no one else, platform admins included (least privilege; each reveal is logged).
- Throughput figures: programme managers and platform admins.
"""

from __future__ import annotations

from collections.abc import Callable

from devicebank.devices.permissions import transition_targets_for
from devicebank.devices.states import DeviceState
from devicebank.people.access import AccessScope
from devicebank.people.roles import Role

SECRET_ROLES = frozenset({Role.TECHNICIAN, Role.PROGRAMME_MANAGER})


def can_see_refurbishment(scope: AccessScope, programme_id: int) -> bool:
    return bool(scope.roles_in_programme(programme_id))


def can_work(scope: AccessScope, programme_id: int) -> bool:
    # Warehouse staff may also move devices to `ready` (a cancelled reservation), but not through refurbishment.
    targets = transition_targets_for(scope, programme_id)
    return DeviceState.READY in targets and DeviceState.IN_REFURBISHMENT in targets


def can_recycle(scope: AccessScope, programme_id: int) -> bool:
    return DeviceState.RECYCLED in transition_targets_for(scope, programme_id)


def can_manage_specifications(scope: AccessScope, programme_id: int) -> bool:
    roles = scope.roles_in_programme(programme_id)
    return Role.PLATFORM_ADMIN in roles or Role.PROGRAMME_MANAGER in roles


def can_reveal_secrets(scope: AccessScope, programme_id: int) -> bool:
    if scope.is_platform_admin:
        return False
    return bool(SECRET_ROLES & scope.roles_in_programme(programme_id))


def can_see_throughput(scope: AccessScope, programme_id: int) -> bool:
    return can_manage_specifications(scope, programme_id)


def programmes_where(scope: AccessScope, check: Callable[[AccessScope, int], bool]) -> frozenset[int] | None:
    """The programme ids where `check(scope, id)` holds; None means every programme (platform admins)."""
    if scope.is_platform_admin:
        return None
    return frozenset(pid for pid in scope.operational_programme_ids if check(scope, pid))
