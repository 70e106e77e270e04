"""Evidence files in file storage: kept with their SHA-256, checked on every read, downloads streamed."""

from __future__ import annotations

import gzip
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from devicebank.conftest import World
from devicebank.core.evidence import (
    SPOOL_BYTES,
    EvidenceDamaged,
    evidence_open,
    evidence_read,
    evidence_response,
    evidence_storage,
    evidence_store,
)
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.sanitisation.services import certificate_issue_for_device


def test_a_file_is_kept_under_the_temporary_media_root_with_the_hash_and_size_of_its_bytes(
    evidence_root: Path,
) -> None:
    stored = evidence_store(b"nwipe log\n", folder="erasure-reports", suffix=".log")
    assert stored.name.startswith("erasure-reports/")
    assert stored.name.endswith(".log")
    assert (stored.size, len(stored.sha256)) == (10, 64)
    assert (evidence_root / stored.name).read_bytes() == b"nwipe log\n"
    assert evidence_read(stored.name, stored.sha256) == b"nwipe log\n"


def test_two_files_with_the_same_bytes_are_kept_apart() -> None:
    first, second = (evidence_store(b"same", folder="x") for _ in range(2))
    assert first.name != second.name
    assert first.sha256 == second.sha256


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=4096), compress=st.booleans())
def test_what_is_read_back_is_what_was_kept(data: bytes, compress: bool) -> None:
    stored = evidence_store(data, folder="property", compress=compress)
    assert evidence_read(stored.name, stored.sha256) == data


def test_compressed_files_are_gzipped_in_storage_and_checked_against_the_original(
    evidence_root: Path,
) -> None:
    text = b"lshw output line\n" * 1000
    stored = evidence_store(text, folder="hardware-reports", compress=True)
    on_disk = (evidence_root / stored.name).read_bytes()
    assert len(on_disk) < len(text) / 10
    assert gzip.decompress(on_disk) == text
    assert evidence_read(stored.name, stored.sha256) == text


def test_a_file_changed_in_storage_is_refused_and_logged(
    evidence_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    stored = evidence_store(b"the original report", folder="erasure-reports")
    (evidence_root / stored.name).write_bytes(b"the altered report!")
    with (
        caplog.at_level(logging.ERROR, logger="devicebank.evidence"),
        pytest.raises(EvidenceDamaged) as raised,
    ):
        evidence_read(stored.name, stored.sha256)
    assert "does not match the SHA-256" in raised.value.message
    (record,) = caplog.records
    assert stored.name in record.getMessage()
    assert stored.sha256 in record.getMessage()


@pytest.mark.parametrize("damage", ["missing", "truncated gzip"])
def test_a_missing_or_unreadable_file_is_refused_too(evidence_root: Path, damage: str) -> None:
    stored = evidence_store(b"x" * 5000, folder="hardware-reports", compress=True)
    path = evidence_root / stored.name
    if damage == "missing":
        path.unlink()
    else:
        path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(EvidenceDamaged):
        evidence_read(stored.name, stored.sha256)


def test_a_large_file_is_checked_on_disk_not_in_memory() -> None:
    data = os.urandom(SPOOL_BYTES + 1024 * 1024)
    stored = evidence_store(data, folder="registers")
    with evidence_open(stored.name, stored.sha256) as checked:
        assert checked._rolled  # type: ignore[attr-defined]  # SpooledTemporaryFile went to disk
        assert checked.read() == data


def test_a_download_streams_the_checked_file() -> None:
    stored = evidence_store(b"%PDF-1.7 certificate", folder="certificates", suffix=".pdf")
    request = RequestFactory().get("/sanitisation/certificates/SC-2026-000001/pdf/")
    response = evidence_response(
        request,
        stored.name,
        stored.sha256,
        filename="SC.pdf",
        content_type="application/pdf",
        attachment=False,
    )
    assert response.streaming
    assert b"".join(response.streaming_content) == b"%PDF-1.7 certificate"  # type: ignore[attr-defined]
    assert response["Content-Disposition"] == 'inline; filename="SC.pdf"'


def test_a_damaged_download_is_a_clear_error_not_the_wrong_bytes(evidence_root: Path) -> None:
    stored = evidence_store(b"the real pack", folder="certificate-packs", suffix=".zip")
    (evidence_root / stored.name).write_bytes(b"something else")
    page = evidence_response(
        RequestFactory().get("/sanitisation/batches/1/zip/"),
        stored.name,
        stored.sha256,
        filename="p.zip",
        content_type="application/zip",
    )
    assert page.status_code == 500
    assert "does not match the SHA-256" in page.content.decode()  # type: ignore[attr-defined]
    api = evidence_response(
        RequestFactory().get("/api/v1/certificates/SC-2026-000001/pdf/"),
        stored.name,
        stored.sha256,
        filename="p.pdf",
        content_type="application/pdf",
    )
    assert api.status_code == 500
    assert json.loads(api.content)["error"]["code"] == "evidence_damaged"  # type: ignore[attr-defined]


def test_a_certificate_pdf_altered_in_storage_is_refused_on_the_page_and_the_api(
    world: World, evidence_root: Path
) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=DeviceState.SANITISED)
    cert = certificate_issue_for_device(device=device, by=world.user("technician"))
    client = Client()
    client.force_login(world.user("manager"))
    fine = client.get(f"/sanitisation/certificates/{cert.number}/pdf/")
    assert fine.status_code == 200
    assert b"".join(fine.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    (evidence_root / cert.pdf_file).write_bytes(b"%PDF forged")
    assert client.get(f"/sanitisation/certificates/{cert.number}/pdf/").status_code == 500
    assert (
        client.get(f"/api/v1/certificates/{cert.number}/pdf/").json()["error"]["code"] == "evidence_damaged"
    )


def test_nothing_is_written_to_the_project_var_directory(evidence_root: Path) -> None:
    assert Path(evidence_storage().location) == evidence_root  # type: ignore[attr-defined]


def test_object_storage_is_configured_from_the_environment() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devicebank.settings",
        "DEBUG": "1",
        "EVIDENCE_S3_BUCKET": "council-evidence",
        "EVIDENCE_S3_ENDPOINT_URL": "https://s3.example.org",
        "EVIDENCE_S3_REGION": "eu-west-2",
    }
    script = (
        "import django, json; django.setup(); from django.core.files.storage import storages; "
        "s = storages['evidence']; "
        "print(json.dumps([type(s).__module__, s.bucket_name, s.endpoint_url, s.location, s.default_acl, "
        "s.file_overwrite]))"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert json.loads(out.strip().splitlines()[-1]) == [
        "storages.backends.s3",
        "council-evidence",
        "https://s3.example.org",
        "evidence",
        "private",
        False,
    ]


def test_every_evidence_download_streams_the_kept_bytes(world: World) -> None:
    from devicebank.donations.services import donation_create, register_import_start
    from devicebank.hardware.models import HardwareReport
    from devicebank.hardware.services import hardware_report_ingest
    from devicebank.sanitisation.services import erasure_report_import

    fixtures = Path(__file__).parents[2]
    lshw = (fixtures / "hardware/tests/fixtures/thinkpad-t480-nvme-usb-stick.lshw.json").read_bytes()
    nwipe = (fixtures / "sanitisation/tests/fixtures/nwipe-0.33-zero-verified.log").read_bytes()
    technician = world.user("technician")
    device = hardware_report_ingest(
        data=lshw, file_name="t480.json", by=technician, programme=world.programme, location=world.warehouse
    ).device
    report = HardwareReport.objects.get(device=device)
    evidence = erasure_report_import(data=nwipe, file_name="zero.log", by=technician, device=device).records[
        0
    ]
    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    register = f"Serial,Manufacturer\n{world.other_device.serial_number},Dell\nNEW12345,Dell\n".encode()
    imp, _ = register_import_start(
        donation=donation, file_name="r.csv", data=register, by=world.user("warehouse")
    )

    client = Client()
    client.force_login(world.user("manager"))
    for url, expected in [
        (f"/hardware/reports/{report.pk}/raw/", lshw),
        (f"/sanitisation/evidence/{evidence.evidence_id}/raw/", nwipe),
        (f"/api/v1/register-imports/{imp.pk}/rejected-rows/", None),
        (f"/donations/{donation.pk}/register/{imp.pk}/rejected.csv", None),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.streaming, url
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if expected is not None:
            assert body == expected, url
        else:
            assert b"cannot be registered here" in body, url


# Old columns that still hold bytes for one release (docs/operations.md, "Evidence files"); the next release drops
# them and empties this list.
LEGACY_BINARY = {
    "sanitisation.ErasureEvidence.raw_gzip",
    "sanitisation.Certificate.pdf",
    "sanitisation.CertificateBatch.zip_file",
    "hardware.HardwareReport.raw_gzip",
    "donations.RegisterImport.file_bytes",
    "donations.RegisterImport.report_csv",
    "recipients.SchoolImport.file_bytes",
}


def test_no_model_keeps_files_in_the_database() -> None:
    from django.apps import apps
    from django.db import models

    binary = {
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, models.BinaryField)
    }
    assert binary == LEGACY_BINARY


def test_every_field_naming_evidence_files_is_registered_for_the_check() -> None:
    from django.apps import apps

    from devicebank.core.evidence import registered_evidence

    naming = {
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        if model.__module__.startswith("devicebank.")
        for f in model._meta.get_fields()
        if f.name.endswith("_file") and "evidence storage" in str(getattr(f, "help_text", ""))
    }
    assert naming
    assert naming == {entry.label for entry in registered_evidence()}


def test_check_evidence_lists_each_missing_or_altered_file(world: World, evidence_root: Path) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    device = make_device(programme=world.programme, location=world.warehouse, state=DeviceState.SANITISED)
    first = certificate_issue_for_device(device=device, by=None)
    second = certificate_issue_for_device(device=device, by=None)
    out = StringIO()
    call_command("check-evidence", stdout=out)
    assert "sanitisation.Certificate.pdf_file: 2 file(s) checked" in out.getvalue()
    assert "All 2 evidence file(s) match" in out.getvalue()

    (evidence_root / first.pdf_file).write_bytes(b"altered")
    (evidence_root / second.pdf_file).unlink()
    out = StringIO()
    with pytest.raises(CommandError, match="2 of 2 evidence file"):
        call_command("check-evidence", stdout=out)
    assert f"DAMAGED sanitisation.Certificate.pdf_file id {first.pk}: {first.pdf_file}" in out.getvalue()
    assert f"id {second.pk}: {second.pdf_file}" in out.getvalue()


def test_a_new_import_that_keeps_a_report_commits_cleanly(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # A row not yet saved holds its fields' database defaults: deleting "the previous report" must not try them.
    from devicebank.donations.services import donation_create, register_import_start

    donation = donation_create(programme=world.programme, donor=world.donor, by=None)
    register = f"Serial,Manufacturer\n{world.other_device.serial_number},Dell\nNEW12345,Dell\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        imp, _ = register_import_start(
            donation=donation, file_name="r.csv", data=register, by=world.user("warehouse")
        )
    assert evidence_storage().exists(imp.report_file)
    assert evidence_storage().exists(imp.stored_file)
