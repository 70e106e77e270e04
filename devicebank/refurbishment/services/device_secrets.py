"""Passwords, licence keys and COA numbers, kept encrypted (core.crypto) and never logged or evented."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from devicebank.core import crypto
from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.core.viewlog import record_view
from devicebank.devices.models import Device
from devicebank.devices.states import TERMINAL_STATES
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.refurbishment.licences import hint_for
from devicebank.refurbishment.models import DeviceSecret, OsInstall, SecretKind
from devicebank.refurbishment.permissions import can_refurbish, can_reveal_secrets
from devicebank.refurbishment.services._common import _lock


def _store_secret(
    *,
    device: Device,
    kind: str,
    value: str,
    by: User | None,
    at: datetime,
    os_install: OsInstall | None = None,
) -> DeviceSecret:
    hint = hint_for(value) if kind in (SecretKind.LICENCE_KEY, SecretKind.COA_NUMBER) else ""
    secret = DeviceSecret.objects.create(
        device=device,
        os_install=os_install,
        kind=kind,
        ciphertext=crypto.encrypt(value),
        hint=hint,
        recorded_by=by,
        recorded_at=at,
    )
    record_event(
        kind=EventKind.SECRET_RECORDED,
        subject=secret,
        actor=by,
        programme_id=device.programme_id,
        occurred_at=at,
        data={"kind": kind, "device_id": device.pk, "asset_tag": device.asset_tag},
    )
    return secret


PASSWORD_KINDS = frozenset({SecretKind.BIOS_PASSWORD, SecretKind.ADMIN_PASSWORD})


@transaction.atomic
def device_secret_record(*, device: Device, by: User | None, kind: str, value: str) -> DeviceSecret:
    """Keep a BIOS/firmware or administrator password, encrypted. Only while the device is in the scheme's hands."""
    locked = _lock(device)
    can_refurbish.require(acting_scope(by), locked.programme_id)
    if kind not in PASSWORD_KINDS:
        raise DomainError("Say which password this is: BIOS/firmware or administrator.", field="kind")
    if not value or len(value) > 200 or value != value.strip():
        raise DomainError("Give the password (up to 200 characters, no spaces at the ends).", field="value")
    if locked.state in TERMINAL_STATES:
        raise DomainError(f"{locked.asset_tag} is {locked.state_label.lower()}: nothing more is recorded.")
    return _store_secret(device=locked, kind=kind, value=value, by=by, at=timezone.now())


@transaction.atomic
def device_secret_reveal(*, secret: DeviceSecret, by: User) -> str:
    """Decrypt a secret for someone whose role needs it, and log the reveal (SECRET_VIEWED)."""
    locked = DeviceSecret.objects.select_related("device").get(pk=secret.pk)
    # `by` None is refused too: the system never reads a secret out (acting_scope(None) is a platform admin's,
    # and platform admins do not hold this capability).
    can_reveal_secrets.require(acting_scope(by), locked.device.programme_id)
    value = crypto.decrypt(locked.ciphertext)
    record_event(
        kind=EventKind.SECRET_VIEWED,
        subject=locked,
        actor=by,
        programme_id=locked.device.programme_id,
        data={"kind": locked.kind, "device_id": locked.device_id, "asset_tag": locked.device.asset_tag},
    )
    # and in the device's "who viewed" log (core.viewlog), which the workbench page shows
    record_view(
        viewer=by,
        subject=locked.device,
        what=f"secret_{locked.kind}",
        programme_id=locked.device.programme_id,
    )
    return value
