"""Public verification: an unguessable code opens a certificate's page; sequential numbers never do."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
import zlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from devicebank.conftest import World
from devicebank.core.evidence import evidence_read
from devicebank.devices.models import Device
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.donations.services import donation_create
from devicebank.sanitisation.models import (
    VERIFICATION_CODE,
    Certificate,
    CertificateBatch,
    new_verification_code,
    normalise_verification_code,
)
from devicebank.sanitisation.services import certificate_batch_run, certificate_issue_for_device

S = DeviceState


@pytest.fixture
def device_certificate(world: World) -> Certificate:
    device = make_device(
        programme=world.programme, location=world.warehouse, state=S.SANITISED, donor=world.donor
    )
    return certificate_issue_for_device(device=device, by=world.user("technician"))


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, so its link annotations can be read."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def _page(path: str) -> tuple[int, str]:
    response = Client().get(path)
    return response.status_code, response.content.decode()


def test_each_certificate_gets_its_own_unguessable_code(
    world: World, device_certificate: Certificate
) -> None:
    again = certificate_issue_for_device(device=device_certificate.device, by=world.user("technician"))
    codes = {device_certificate.verification_code, again.verification_code}
    assert len(codes) == 2
    assert all(VERIFICATION_CODE.fullmatch(code or "") for code in codes)
    assert len({new_verification_code() for _ in range(1000)}) == 1000


def test_the_pdf_links_to_the_code_not_the_number(device_certificate: Certificate) -> None:
    pdf = _pdf_objects(evidence_read(device_certificate.pdf_file, device_certificate.pdf_sha256))
    assert f"/verify/{device_certificate.verification_code}/".encode() in pdf
    assert f"/verify/{device_certificate.number}/".encode() not in pdf


def test_the_public_page_shows_what_the_certificate_proves(
    world: World, device_certificate: Certificate
) -> None:
    status, page = _page(f"/verify/{device_certificate.verification_code}/")
    assert status == 200
    facts = device_certificate.facts
    drive = facts["drives"][0]
    for shown in [
        facts["device"]["asset_tag"],
        facts["device"]["model"],
        drive["method"],
        drive["result"],
        drive["date"][:10],
        world.programme.name,  # the issuer
        "Refurbisher",  # who sanitised it, as an organisation
        device_certificate.content_sha256,
    ]:
        assert shown in page, shown
    assert "Technician" not in page  # no people's names


def test_the_donor_is_named_only_when_it_opted_in(world: World, device_certificate: Certificate) -> None:
    url = f"/verify/{device_certificate.verification_code}/"
    assert world.donor.name not in _page(url)[1]
    world.donor.name_on_public_certificates = True
    world.donor.save(update_fields=["name_on_public_certificates"])
    assert world.donor.name in _page(url)[1]


def test_a_donation_certificate_hides_the_donor_unless_it_opted_in(world: World) -> None:
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    device = make_device(programme=world.programme, location=world.warehouse, state=S.SANITISED)
    Device.objects.filter(pk=device.pk).update(donation=donation)
    batch = certificate_batch_run(batch_id=CertificateBatch.objects.create(donation=donation).pk)
    assert batch.certificate is not None
    url = f"/verify/{batch.certificate.verification_code}/"
    status, page = _page(url)
    assert status == 200
    assert donation.reference in page
    assert device.asset_tag in page
    assert world.donor.name not in page
    world.donor.name_on_public_certificates = True
    world.donor.save(update_fields=["name_on_public_certificates"])
    assert world.donor.name in _page(url)[1]
    # every PDF in the pack (named after its certificate's number) links to that certificate's own code
    archive = zipfile.ZipFile(io.BytesIO(evidence_read(batch.archive_file, batch.archive_sha256)))
    code_of = dict(Certificate.objects.values_list("number", "verification_code"))
    for name in archive.namelist():
        number = name[: len("SC-2026-000001")]
        assert f"/verify/{code_of.pop(number)}/".encode() in _pdf_objects(archive.read(name)), name
    assert not code_of


def test_a_number_an_unknown_code_and_a_forged_code_get_the_same_page(
    device_certificate: Certificate,
) -> None:
    code = device_certificate.verification_code or ""
    forged = code[:-1] + ("a" if code[-1] != "a" else "b")
    misses = [
        _page(f"/verify/{device_certificate.number}/"),  # the old QR code's address
        _page(f"/verify/{device_certificate.number.lower()}/"),
        _page(f"/verify/{forged}/"),
        _page(f"/verify/{new_verification_code()}/"),
        _page("/verify/%F4%8F%BF%BF/"),
    ]
    assert {status for status, _ in misses} == {404}
    assert len({page for _, page in misses}) == 1
    assert "No certificate with that code" in misses[0][1]
    assert device_certificate.number not in misses[0][1]


def test_a_typed_code_is_found_whatever_its_case_and_spacing(device_certificate: Certificate) -> None:
    code = device_certificate.verification_code or ""
    typed = " " + "-".join(code[i : i + 4] for i in range(0, 24, 4)).upper() + " "
    assert normalise_verification_code(typed) == code
    response = Client().get("/verify/", {"code": typed})
    assert (response.status_code, response["Location"]) == (302, f"/verify/{code}/")
    assert Client().get(f"/verify/{typed.strip()}/").status_code == 200


def test_an_older_certificate_is_found_by_its_number_and_hash_never_by_the_number_alone(
    device_certificate: Certificate,
) -> None:
    number, sha = device_certificate.number, device_certificate.content_sha256
    found = Client().get("/verify/", {"number": number.lower(), "sha256": sha.upper()})
    assert found["Location"] == f"/verify/{device_certificate.verification_code}/"
    unknown = _page(f"/verify/{new_verification_code()}/")[1]
    for params in [
        {"number": number},
        {"number": number, "sha256": sha[:-1] + ("0" if sha[-1] != "0" else "1")},
        {"number": "SC-2026-999999", "sha256": sha},
        {"sha256": sha},
        {"code": "x" * 60},
    ]:
        response = Client().get("/verify/", params)
        assert response.status_code == 404, params
        # the same page as an unknown code, apart from the form keeping what was typed
        assert "No certificate with that code" in response.content.decode()
    assert "No certificate with that code" in unknown
    blank = Client().get("/verify/")
    assert blank.status_code == 200
    assert "Check a certificate of sanitisation" in blank.content.decode()


def test_the_api_gives_signed_in_readers_the_verification_address(
    world: World, device_certificate: Certificate
) -> None:
    client = Client()
    client.force_login(world.user("donor"))
    body = client.get(f"/api/v1/certificates/{device_certificate.number}/").json()
    assert body["verify_url"].endswith(f"/verify/{device_certificate.verification_code}/")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_every_existing_certificate_a_code_of_its_own() -> None:
    before, after = (
        ("sanitisation", "0003_certificate_verification_code"),
        ("sanitisation", "0005_verification_code_unique"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    try:
        old_apps = MigrationExecutor(connection).loader.project_state([before]).apps
        OldCertificate = old_apps.get_model("sanitisation", "Certificate")
        OldDevice = old_apps.get_model("devices", "Device")
        device = _old_device(old_apps)
        ids = [
            OldCertificate.objects.create(
                number=f"SC-2026-{n:06d}",
                kind="device",
                device=OldDevice.objects.get(pk=device),
                facts={},
                content_sha256="0" * 64,
                pdf=b"%PDF",
                issued_at=timezone.now(),
            ).pk
            for n in range(1, 2502)  # more than one batch of 2,000
        ]
        executor = MigrationExecutor(connection)
        executor.migrate([after])
        codes = list(OldCertificate.objects.filter(pk__in=ids).values_list("verification_code", flat=True))
        assert len(set(codes)) == len(ids)
        assert all(VERIFICATION_CODE.fullmatch(code) for code in codes)
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        Certificate.objects.all().delete()
        Device.objects.all().delete()


def _old_device(apps) -> int:  # type: ignore[no-untyped-def]
    """A device row made with the historical models (the app's factories need the current schema)."""
    Organisation = apps.get_model("people", "Organisation")
    Programme = apps.get_model("programmes", "Programme")
    Device = apps.get_model("devices", "Device")
    owner = Organisation.objects.create(name="Owner", kind="programme_owner")
    programme = Programme.objects.create(name="Scheme", slug="scheme", owner=owner, asset_tag_prefix="MIG")
    device = Device.objects.create(
        programme=programme,
        asset_tag="MIG-000001",
        manufacturer="Dell",
        model="Latitude",
        state_changed_at=timezone.now(),
    )
    return int(device.pk)
