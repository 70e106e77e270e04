"""How demo data, factories and browser tests sanitise a device: through the real services, with evidence.

Kept here so that the sanitisation rules and the data that must satisfy them change together.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from devicebank.devices.models import Device, StorageKind
from devicebank.people.models import User
from devicebank.sanitisation.parsers import DriveErasure as ParsedErasure
from devicebank.sanitisation.services import drive_erasure_record, sanitisation_record_outcome

GB = 1_000_000_000


def sanitise_for_demo(
    device: Device, *, by: User | None, at: datetime | None = None, verified: bool = True
) -> Device:
    """Record a plausible nwipe erasure of the device's drive and move it to `sanitised`."""
    if device.device_type in ("tablet", "phone"):
        return sanitisation_record_outcome(device=device, by=by, mobile_reset=True, recorded_at=at)
    when = at or timezone.now()
    size = device.storage_bytes or 256 * GB
    nvme = device.storage_kind == StorageKind.NVME
    seconds = max(60, size // 150_000_000)  # about 150 MB/s
    drive_erasure_record(
        device=device,
        by=by,
        recorded_at=when,
        parsed=ParsedErasure(
            tool="nwipe",
            tool_version="0.34",
            device_serial=device.serial_number,
            drive_model=f"{device.manufacturer} OEM {'NVMe' if nvme else 'SATA'} {size // GB} GB".strip(),
            drive_serial=f"D{device.serial_key or device.pk}",
            size_bytes=size,
            media_type="nvme" if nvme else (device.storage_kind or None),
            method="Fill With Zeros",
            passes=1,
            rounds=1,
            final_overwrite="blank",
            technique="overwrite",
            nist_level="clear",
            verification="last" if verified else "none",
            result="erased" if verified else "erased_unverified",
            started_at=when - timedelta(seconds=seconds + 5),
            finished_at=when - timedelta(seconds=5),
        ),
    )
    return sanitisation_record_outcome(device=device, by=by, recorded_at=when)
