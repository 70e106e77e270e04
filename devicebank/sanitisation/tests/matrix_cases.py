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
    world.erasure = result.records[0]  # a loop device with no serial: flagged
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
        "sanitisation:outcome",
        "GET",
        lambda w: f"/sanitisation/devices/{w.device.asset_tag}/outcome/",
        _see_then(SEES_DEVICE, SANITISERS, 200, 403),
    ),
    Case(
        "sanitisation:outcome",
        "POST",
        lambda w: f"/sanitisation/devices/{w.device.asset_tag}/outcome/",
        # the device is ready, so even those allowed get a 400 saying it cannot be sanitised now
        _see_then(SEES_DEVICE, SANITISERS, 400, 403),
        data=lambda w: {"basis": "erasure", "level": "clear", "summary": "nwipe"},
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
    Case("verify", "GET", lambda w: f"/verify/{w.certificate.verification_code}/", _status(ALL, 200, 200)),
    Case("verify-find", "GET", lambda w: "/verify/", _status(ALL, 200, 200)),
]


def _api_upload(world: World) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("zero.log", NWIPE.read_bytes()), "device": world.received.asset_tag}


def _r(suffix: str) -> Any:
    return lambda w: f"/api/v1/devices/{w.received.asset_tag}/sanitisation/{suffix}"


WRITE = _see_then(SEES_DEVICE, SANITISERS, 200, 403)
CREATE = _see_then(SEES_DEVICE, SANITISERS, 201, 403)

CASES += [
    Case("api-erasure-report-upload", "POST", lambda w: "/api/v1/erasure-reports/", WRITE, data=_api_upload),
    Case("api-device-sanitisation", "GET", _r(""), _status(SEES_DEVICE, 200, 404)),
    # the flagged record blocks it, so even those allowed get a 400 that names the rule
    Case(
        "api-device-sanitised",
        "POST",
        _r("sanitised/"),
        _see_then(SEES_DEVICE, SANITISERS, 400, 403),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api-drive-destruction",
        "POST",
        _r("destructions/"),
        CREATE,
        json=True,
        data=lambda w: {
            "drive_serial": "SHRED1",
            "method": "shred",
            "destroyed_on": "2026-11-01",
            "destroyed_by": "ShredCo",
        },
    ),
    Case(
        "api-no-storage", "POST", _r("no-storage/"), CREATE, data=lambda w: {"reason": "Bay empty"}, json=True
    ),
    Case(
        "api-erasure-review",
        "POST",
        lambda w: f"/api/v1/devices/{w.received.asset_tag}/sanitisation/erasures/{w.erasure.pk}/review/",
        WRITE,
        data=lambda w: {"note": "Loop device, checked"},
        json=True,
    ),
    Case(
        "api-device-certificate-issue",
        "POST",
        lambda w: f"/api/v1/devices/{w.device.asset_tag}/certificates/",
        CREATE,
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api-certificate",
        "GET",
        lambda w: f"/api/v1/certificates/{w.certificate.number}/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "api-certificate-pdf",
        "GET",
        lambda w: f"/api/v1/certificates/{w.certificate.number}/pdf/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "api-donation-certificates",
        "POST",
        lambda w: f"/api/v1/donations/{w.donation.pk}/certificates/",
        _see_then(SEES_DONATION, SANITISERS, 202, 403),
        data=lambda w: {},
        json=True,
    ),
    Case(
        "api-certificate-batch",
        "GET",
        lambda w: f"/api/v1/certificate-batches/{w.batch.pk}/",
        _status(SEES_DONATION, 200, 404),
    ),
]
