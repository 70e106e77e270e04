"""Helpers every refurbishment service shares: role checks, locking, opening a pass, clean inputs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from devicebank.core.errors import DomainError
from devicebank.devices.models import Device
from devicebank.devices.services import device_transition
from devicebank.devices.states import DeviceState
from devicebank.people.models import User
from devicebank.refurbishment.selectors import WORK_STATES

MAX_MONEY = Decimal("99999.99")
MAX_MINUTES = 100_000
MAX_BYTES = 2**60


def _lock(device: Device) -> Device:
    return Device.objects.select_for_update().get(pk=device.pk)


def _open_pass(device: Device, by: User | None, at: datetime | None) -> Device:
    """The device (locked) ready for bench work in this pass; a sanitised device is moved into refurbishment."""
    if device.state not in WORK_STATES or device.sanitisation_id is None:
        raise DomainError(
            f"{device.asset_tag} is {device.state_label.lower()}: only sanitised devices, or devices in "
            "refurbishment, are worked on at the bench."
        )
    if device.state == DeviceState.SANITISED:
        device = device_transition(
            device=device,
            to=DeviceState.IN_REFURBISHMENT,
            by=by,
            reason="Work started at the workbench",
            expected_state=DeviceState.SANITISED,
            occurred_at=at,
        )
    return device


def _pass_of(device: Device) -> int:
    """The sanitisation outcome that opened the device's current pass (checked present by _open_pass)."""
    if device.sanitisation_id is None:
        raise DomainError(f"{device.asset_tag} has no sanitisation evidence for this pass.")
    return device.sanitisation_id


def _when(at: datetime | None, device: Device) -> datetime:
    moment = at or timezone.now()
    if moment < device.state_changed_at:
        raise DomainError("That time is before the device's last change.", field="recorded_at")
    return moment


def _money(value: Decimal | int | str | None, field_name: str) -> Decimal:
    try:
        amount = Decimal(str(value if value is not None else "0")).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise DomainError("Give an amount in pounds, like 12.50.", field=field_name) from exc
    if not Decimal(0) <= amount <= MAX_MONEY:
        raise DomainError(f"Give an amount from £0 to £{MAX_MONEY}.", field=field_name)
    return amount


def _minutes(value: int, field_name: str) -> int:
    if not 0 <= value <= MAX_MINUTES:
        raise DomainError(f"Give minutes from 0 to {MAX_MINUTES:,}.", field=field_name)
    return value


def _text(value: str, field_name: str, what: str, *, limit: int, required: bool = True) -> str:
    cleaned = " ".join(str(value or "").split())
    if required and not cleaned:
        raise DomainError(f"Say {what}.", field=field_name)
    if len(cleaned) > limit:
        raise DomainError(f"Keep it to {limit} characters.", field=field_name)
    return cleaned


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
