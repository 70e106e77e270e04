"""What people may do about sanitisation. Read access to devices lives in people.access.

- `can_sanitise`: record evidence (erasures, reviews, destructions, "no storage"), mark a device sanitised, issue
  certificates. Technicians and programme managers (and platform admins); not warehouse staff.
"""

from __future__ import annotations

from devicebank.people.capabilities import Capability
from devicebank.people.roles import Role

can_sanitise = Capability("record sanitisation", roles={Role.PROGRAMME_MANAGER, Role.TECHNICIAN})
