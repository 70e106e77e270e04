"""Operating-system installs and their licences."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from devicebank.core.errors import DomainError
from devicebank.core.events import record_event
from devicebank.core.models import EventKind
from devicebank.devices.models import Device
from devicebank.people.access import acting_scope
from devicebank.people.models import User
from devicebank.refurbishment.licences import normalise_coa_number, normalise_product_key
from devicebank.refurbishment.models import WINDOWS, LicenceChannel, OperatingSystem, OsInstall, SecretKind
from devicebank.refurbishment.permissions import can_refurbish
from devicebank.refurbishment.services._common import _lock, _open_pass, _pass_of, _text, _when
from devicebank.refurbishment.services.device_secrets import _store_secret

KEYED_CHANNELS = frozenset(
    {LicenceChannel.MAR_CITIZENSHIP, LicenceChannel.MAR_COMMERCIAL, LicenceChannel.ORIGINAL_COA}
)


def _licence_inputs(os: str, channel: str, licence_key: str, coa_number: str) -> tuple[str, str]:
    if os not in OperatingSystem.values:
        raise DomainError("Choose the operating system installed.", field="os")
    if channel not in LicenceChannel.values:
        raise DomainError("Say how it is licensed.", field="licence_channel")
    key = licence_key.strip()
    coa = coa_number.strip()
    if os in WINDOWS:
        if channel == LicenceChannel.NONE:
            raise DomainError("Windows needs a licence: say which.", field="licence_channel")
        if channel in KEYED_CHANNELS and not key:
            raise DomainError("Give the Windows product key for this licence.", field="licence_key")
        if channel == LicenceChannel.MAR_COMMERCIAL and not coa:
            raise DomainError(
                "A commercial refurbisher licence needs the original COA number.", field="coa_number"
            )
    else:
        if channel != LicenceChannel.NONE:
            raise DomainError("Only Windows takes a Windows licence.", field="licence_channel")
        if key or coa:
            raise DomainError("Only Windows installs take a product key or COA number.", field="licence_key")
    return (normalise_product_key(key) if key else "", normalise_coa_number(coa) if coa else "")


@transaction.atomic
def os_install_record(
    *,
    device: Device,
    by: User | None,
    os: str,
    licence_channel: str,
    image_name: str = "",
    image_version: str = "",
    licence_key: str = "",
    coa_number: str = "",
    mdm_note: str = "",
    at: datetime | None = None,
) -> OsInstall:
    """Record the operating system put on a device this pass; its licence key and COA number are encrypted."""
    locked = _lock(device)
    can_refurbish.require(acting_scope(by), locked.programme_id)
    key, coa = _licence_inputs(os, licence_channel, licence_key, coa_number)
    image_name = _text(image_name, "image_name", "", limit=200, required=False)
    image_version = _text(image_version, "image_version", "", limit=100, required=False)
    mdm_note = _text(mdm_note, "mdm_note", "", limit=500, required=False)
    locked = _open_pass(locked, by, at)
    when = _when(at, locked)
    install = OsInstall.objects.create(
        device=locked,
        sanitisation_id=_pass_of(locked),
        os=os,
        image_name=image_name,
        image_version=image_version,
        licence_channel=licence_channel,
        mdm_note=mdm_note,
        recorded_by=by,
        recorded_at=when,
    )
    if key:
        _store_secret(
            device=locked, kind=SecretKind.LICENCE_KEY, value=key, by=by, at=when, os_install=install
        )
    if coa:
        _store_secret(
            device=locked, kind=SecretKind.COA_NUMBER, value=coa, by=by, at=when, os_install=install
        )
    record_event(
        kind=EventKind.OS_INSTALLED,
        subject=locked,
        actor=by,
        programme_id=locked.programme_id,
        occurred_at=when,
        data={
            "new": os,
            "image_name": image_name,
            "image_version": image_version,
            "licence_channel": licence_channel,
            "licence_key_recorded": bool(key),
            "coa_number_recorded": bool(coa),
            "evidence": [{"type": "refurbishment.osinstall", "id": install.pk}],
        },
    )
    return install
