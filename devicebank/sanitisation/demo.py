"""How demo data, factories and browser tests sanitise a device: through the real services, with evidence.

Kept here so that the sanitisation rules and the data that must satisfy them change together.
"""

from __future__ import annotations

from datetime import datetime

from devicebank.devices.models import Device, StorageKind
from devicebank.people.models import User
from devicebank.sanitisation.models import SanitisationBasis, SanitisationLevel
from devicebank.sanitisation.services import sanitisation_record_outcome


def sanitise_for_demo(
    device: Device, *, by: User | None, at: datetime | None = None, verified: bool = True
) -> Device:
    """Record a successful sanitisation for `device` (received or returned) and move it to `sanitised`."""
    mobile = device.device_type in ("tablet", "phone")
    return sanitisation_record_outcome(
        device=device,
        basis=SanitisationBasis.FACTORY_RESET if mobile else SanitisationBasis.ERASURE,
        level=SanitisationLevel.PURGE if device.storage_kind == StorageKind.NVME else SanitisationLevel.CLEAR,
        by=by,
        summary="nwipe 0.34, zeros, " + ("verified last pass" if verified else "no verification"),
        recorded_at=at,
    )
