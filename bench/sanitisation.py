"""Sanitisation figures: erasure logs imported per second, and certificates per second for a 1,000-device
donation (made the way the background job makes them: one layout pass, split into per-device PDFs)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOG = (
    ROOT
    / "devicebank"
    / "sanitisation"
    / "tests"
    / "fixtures"
    / "nwipe-0.33-dodshort-verify-all-three-drives.log"
)


def _received_devices(count: int, tag: str) -> list[Any]:
    from devicebank.devices.services import DeviceSpec, device_register
    from devicebank.devices.states import DeviceState
    from devicebank.people.models import Location
    from devicebank.programmes.models import Programme

    programme = Programme.objects.get(slug="synthetic")
    location = Location.objects.filter(organisation__in=programme.partners.all()).first()
    return [
        device_register(
            programme=programme,
            by=None,
            state=DeviceState.RECEIVED,
            location=location,
            spec=DeviceSpec(manufacturer="Dell", model="Latitude 5490", serial_number=f"{tag}{i:07d}"),
        )
        for i in range(count)
    ]


def measure_erasure_import(files: int, params: dict[str, Any]) -> list[dict[str, Any]]:
    from devicebank.sanitisation.services import erasure_report_import

    devices = _received_devices(files, "BENCHSAN")
    data = LOG.read_bytes()
    start = time.perf_counter()
    for i, device in enumerate(devices):
        result = erasure_report_import(data=data, file_name=f"log-{i}.log", by=None, device=device)
        assert result.error is None, result.error
    seconds = time.perf_counter() - start
    return [
        {
            "name": "sanitisation.erasure_import.logs_per_s",
            "value": round(files / seconds, 1),
            "unit": "logs/s",
            "params": {**params, "files": files, "drives_per_log": 3, "tool": "nwipe"},
        }
    ]


def measure_donation_certificates(devices: int, params: dict[str, Any]) -> list[dict[str, Any]]:
    from devicebank.devices.models import Device
    from devicebank.donations.services import donation_create
    from devicebank.people.models import Organisation
    from devicebank.people.roles import OrganisationKind
    from devicebank.programmes.models import Programme
    from devicebank.sanitisation.demo import sanitise_for_demo
    from devicebank.sanitisation.models import CertificateBatch
    from devicebank.sanitisation.services import certificate_batch_run

    donor = Organisation.objects.get_or_create(name="Bench donor", kind=OrganisationKind.DONOR)[0]
    donation = donation_create(programme=Programme.objects.get(slug="synthetic"), donor=donor, by=None)
    made = _received_devices(devices, "BENCHCRT")
    for device in made:
        sanitise_for_demo(device, by=None)
    Device.objects.filter(pk__in=[d.pk for d in made]).update(donation=donation)
    batch = CertificateBatch.objects.create(donation=donation)
    start = time.perf_counter()
    batch = certificate_batch_run(batch_id=batch.pk)
    seconds = time.perf_counter() - start
    assert batch.status == CertificateBatch.Status.DONE, batch.error
    return [
        {
            "name": "sanitisation.certificates.per_s",
            "value": round(devices / seconds, 1),
            "unit": "certificates/s",
            "params": {**params, "donation_devices": devices},
        },
        {
            "name": "sanitisation.donation_certificates.seconds",
            "value": round(seconds, 1),
            "unit": "s",
            "params": {**params, "donation_devices": devices, "includes": "device PDFs, donation PDF, ZIP"},
        },
    ]
