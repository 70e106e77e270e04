"""Certificates: what they state, that they verify, supersede and never cover a failed wipe."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client

from devicebank.conftest import World
from devicebank.core.errors import DomainError
from devicebank.core.evidence import evidence_read
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.donations.services import donation_create
from devicebank.sanitisation.certificates import canonical_sha256
from devicebank.sanitisation.models import Certificate, CertificateBatch
from devicebank.sanitisation.services import (
    certificate_batch_start,
    certificate_issue_for_device,
    drive_erasure_record,
    sanitisation_record_outcome,
)
from devicebank.sanitisation.tests.test_rule_and_records import _run

S = DeviceState


def test_a_device_certificate_states_every_drive_and_its_hash_matches(world: World) -> None:
    device = make_device(
        programme=world.programme, location=world.warehouse, state=S.READY, donor=world.donor
    )
    cert = certificate_issue_for_device(device=device, by=world.user("technician"))
    assert cert.number.startswith("SC-")
    assert evidence_read(cert.pdf_file, cert.pdf_sha256).startswith(b"%PDF")
    assert cert.content_sha256 == canonical_sha256(cert.facts)
    facts = cert.facts
    assert facts["device"]["asset_tag"] == device.asset_tag
    assert facts["device"]["media_source"] == "Donated by Donor Ltd"
    assert facts["drives"][0]["tool"] == "nwipe 0.34"
    assert facts["drives"][0]["sanitization_description"] == "Clear"
    assert facts["drives"][0]["verification"] == "Full read-back of the last pass"
    assert facts["sanitised_by"]["organisation"] == "Refurbisher"


def test_reissuing_supersedes_and_the_verification_page_says_so(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.SANITISED)
    first = certificate_issue_for_device(device=device, by=world.user("technician"))
    second = certificate_issue_for_device(device=device, by=world.user("technician"))
    first.refresh_from_db()
    assert (first.superseded_by, second.superseded_by) == (second, None)
    anonymous = Client()
    old = anonymous.get(f"/verify/{first.verification_code}/").content.decode()
    assert "Superseded" in old
    assert f'href="/verify/{second.verification_code}/">{second.number}' in old
    new = anonymous.get(f"/verify/{second.verification_code}/").content.decode()
    assert "Current" in new
    assert second.content_sha256 in new
    assert "Technician" not in new  # no people's names on the public page


def test_no_certificate_for_a_device_whose_wipe_failed(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    drive_erasure_record(device=device, by=None, parsed=_run("FAIL0001", result="failed"))
    with pytest.raises(DomainError):
        sanitisation_record_outcome(device=device, by=None)
    with pytest.raises(DomainError, match="no sanitisation recorded"):
        certificate_issue_for_device(device=device, by=world.user("technician"))
    assert not Certificate.objects.exists()


def test_a_donation_gets_its_certificates_in_the_background_as_a_pdf_and_a_zip(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    devices = [
        make_device(programme=world.programme, location=world.warehouse, state=S.SANITISED) for _ in range(3)
    ]
    pending = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    Device.objects.filter(pk__in=[d.pk for d in [*devices, pending]]).update(donation=donation)
    with django_capture_on_commit_callbacks(execute=True):
        batch = certificate_batch_start(donation=donation, by=world.user("technician"))
    batch.refresh_from_db()
    assert batch.status == CertificateBatch.Status.DONE, batch.error
    assert batch.certificate.facts["devices_not_yet_sanitised"] == 1
    assert len(batch.certificate.facts["devices"]) == 3
    archive = zipfile.ZipFile(io.BytesIO(evidence_read(batch.archive_file, batch.archive_sha256)))
    names = archive.namelist()
    assert len(names) == 4
    assert all(archive.read(name).startswith(b"%PDF") for name in names)
    # a second run re-uses the device certificates that still state the current pass
    with django_capture_on_commit_callbacks(execute=True):
        certificate_batch_start(donation=donation, by=world.user("technician"))
    assert Certificate.objects.filter(kind="device", superseded_by__isnull=True).count() == 3
    assert Certificate.objects.filter(kind="device").count() == 3


def test_a_donor_downloads_their_certificates_but_cannot_issue_them(world: World) -> None:
    device = make_device(
        programme=world.programme, location=world.warehouse, state=S.SANITISED, donor=world.donor
    )
    cert = certificate_issue_for_device(device=device, by=world.user("technician"))
    donor = Client()
    donor.force_login(world.user("donor"))
    response = donor.get(f"/sanitisation/certificates/{cert.number}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        donor.post(f"/sanitisation/devices/{device.asset_tag}/", {"action": "certificate"}).status_code == 403
    )
    school = Client()
    school.force_login(world.user("school"))
    assert school.get(f"/sanitisation/certificates/{cert.number}/pdf/").status_code == 404
