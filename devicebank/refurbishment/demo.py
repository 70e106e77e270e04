"""How demo data, factories and browser tests make a device pass refurbishment before `ready`.

Kept here so that the readiness rules and the data that must satisfy them change together.
"""

from __future__ import annotations

from datetime import datetime

from devicebank.devices.models import Device
from devicebank.people.models import User


def refurbish_for_demo(device: Device, *, by: User | None, at: datetime | None = None) -> Device:
    """Record whatever refurbishment `device` needs to be allowed into `ready` (nothing yet)."""
    return device
