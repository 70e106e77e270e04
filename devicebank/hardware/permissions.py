"""What people may do with hardware reports. Read access to devices lives in people.access.

- `can_file_hardware_reports`: file a report (lshw, dmidecode, smartctl, eReuse) against a device, or register a
  device from one. Every programme role (technicians, warehouse staff, programme managers).
- Download a kept report: anyone who can see its device (hardware.selectors.hardware_report_get).
"""

from __future__ import annotations

from devicebank.people.capabilities import Capability
from devicebank.people.roles import OPERATIONAL_ROLES

can_file_hardware_reports = Capability("file hardware reports", roles=OPERATIONAL_ROLES)
