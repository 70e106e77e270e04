"""What people may do at the workbench. Read access to devices lives in people.access.

- `can_see_refurbishment`: see refurbishment records (readiness, tests, grades, repairs, parts, specifications):
  anyone who works in the programme (warehouse staff too, read-only) and platform admins. Donors, schools,
  referrers and funders: no.
- `can_refurbish`: work on a device (tests, grades, repairs, parts, OS installs, decisions, ready): technicians
  and programme managers; not warehouse staff, whose `ready` right is for cancelled reservations and failed
  deliveries.
- `can_recycle`: recycle a device (WEEE): technicians and programme managers.
- `can_manage_specifications`: edit specifications, checklists and the value of a working device: programme
  managers.
- `can_reveal_secrets`: reveal a licence key, COA number or BIOS/admin password: technicians and programme
  managers of the programme, and no one else, platform admins included (least privilege; each reveal is logged).
- `can_see_throughput`: throughput figures: programme managers.
"""

from __future__ import annotations

from devicebank.people.capabilities import Capability
from devicebank.people.roles import OPERATIONAL_ROLES, Role

BENCH_ROLES = frozenset({Role.PROGRAMME_MANAGER, Role.TECHNICIAN})

can_see_refurbishment = Capability("see refurbishment records", roles=OPERATIONAL_ROLES)
can_refurbish = Capability("work on devices at the workbench", roles=BENCH_ROLES)
can_recycle = Capability("recycle devices", roles=BENCH_ROLES)
can_manage_specifications = Capability("change specifications", roles={Role.PROGRAMME_MANAGER})
can_reveal_secrets = Capability("reveal licence keys and passwords", roles=BENCH_ROLES, platform_admins=False)
can_see_throughput = Capability("see throughput figures", roles={Role.PROGRAMME_MANAGER})
