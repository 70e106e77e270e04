"""Who may file hardware reports. Read access to devices lives in people.access.

- File a report (lshw, dmidecode, smartctl, eReuse) against a device, or register a device from one: the roles
  that may change devices in its programme (devices.permissions.can_edit_devices).
- Download a kept report: anyone who can see its device (hardware.selectors.hardware_report_get).
"""

from __future__ import annotations

from devicebank.devices.permissions import can_edit_devices
from devicebank.people.access import AccessScope


def can_file_hardware_reports(scope: AccessScope, programme_id: int) -> bool:
    return can_edit_devices(scope, programme_id)
