"""The sanitisation pages and API in the permission matrix (devicebank/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from devicebank.conftest import World
from devicebank.core.tests.matrix import ALL, SEES_DEVICE, Case, _see_then, _status

NWIPE = Path(__file__).parent / "fixtures" / "nwipe-0.33-zero-verified.log"
SANITISERS = {"admin", "manager", "technician"}
QUEUE = SANITISERS | {"outsider"}  # the outsider sanitises in its own programme
SEES_DONATION = {"admin", "manager", "technician", "warehouse", "donor"}


def prepare(world: World) -> None:
    from devicebank.devices.states import DeviceState
    from devicebank.devices.tests.factories import make_device
    from devicebank.sanitisation.models import CertificateBatch
    from devicebank.sanitisation.services import (
        certificate_batch_run,
        certificate_issue_for_device,
        erasure_report_import,
    )

    world.certificate = certificate_issue_for_device(device=world.device, by=None)
    world.received = make_device(
        programme=world.programme, location=world.warehouse, state=DeviceState.RECEIVED, donor=world.donor
    )
    result = erasure_report_import(
        data=NWIPE.read_bytes(), file_name="zero.log", by=None, device=world.received
    )
    world.evidence = result.records[0].evidence
    from devicebank.devices.models import Device

    Device.objects.filter(pk=world.device.pk).update(donation=world.donation)
    batch = CertificateBatch.objects.create(donation=world.donation)
    world.batch = certificate_batch_run(batch_id=batch.pk)


def _upload(world: World) -> dict[str, Any]:
    return {"action": "upload", "report": SimpleUploadedFile("zero.log", NWIPE.read_bytes())}


CASES = [
    Case("sanitisation:queue", "GET", lambda w: "/sanitisation/", _status(QUEUE, 200, 403)),
    Case(
        "sanitisation:device",
        "GET",
        lambda w: f"/sanitisation/devices/{w.received.asset_tag}/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "sanitisation:device",
        "POST",
        lambda w: f"/sanitisation/devices/{w.received.asset_tag}/",
        _see_then(SEES_DEVICE, SANITISERS, 302, 403),
        data=_upload,
    ),
    Case(
        "sanitisation:evidence-raw",
        "GET",
        lambda w: f"/sanitisation/evidence/{w.evidence.pk}/raw/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "sanitisation:certificate-pdf",
        "GET",
        lambda w: f"/sanitisation/certificates/{w.certificate.number}/pdf/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "sanitisation:donation-certificates",
        "GET",
        lambda w: f"/sanitisation/donations/{w.donation.pk}/certificates/",
        _status(SEES_DONATION, 200, 404),
    ),
    Case(
        "sanitisation:donation-certificates",
        "POST",
        lambda w: f"/sanitisation/donations/{w.donation.pk}/certificates/",
        _see_then(SEES_DONATION, SANITISERS, 302, 403),
    ),
    Case(
        "sanitisation:batch-download",
        "GET",
        lambda w: f"/sanitisation/batches/{w.batch.pk}/zip/",
        _status(SEES_DONATION, 200, 404),
    ),
    Case("verify", "GET", lambda w: f"/verify/{w.certificate.number}/", _status(ALL, 200, 200)),
]
