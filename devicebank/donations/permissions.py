"""What people may do with donations. Read access (who sees a donation) lives in people.access and
donations.selectors.

- `can_manage_donations`: record a donation, schedule and confirm its collection, receive it, cancel it, import
  its asset register, scan devices in. Warehouse staff and programme managers (and platform admins). Donor
  contacts see their donations, read-only.
"""

from __future__ import annotations

from devicebank.people.capabilities import Capability
from devicebank.people.roles import Role

can_manage_donations = Capability("manage donations", roles={Role.PROGRAMME_MANAGER, Role.WAREHOUSE})
