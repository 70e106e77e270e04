"""The data migrations that move evidence out of the database into file storage (run on SQLite and, with
DATABASE_URL, PostgreSQL: `make test-pg`)."""

from __future__ import annotations

import gzip
import hashlib
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from devicebank.core.evidence import evidence_read

# The last migration of each app before its files move.
BEFORE = [
    ("sanitisation", "0006_evidence_in_file_storage"),
    ("hardware", "0002_evidence_in_file_storage"),
    ("donations", "0004_evidence_in_file_storage"),
    ("recipients", "0002_evidence_in_file_storage"),
]
MOVED = [
    ("sanitisation", "0007_move_evidence_to_file_storage"),
    ("hardware", "0003_move_reports_to_file_storage"),
    ("donations", "0005_move_registers_to_file_storage"),
    ("recipients", "0003_move_school_imports_to_file_storage"),
]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _old_rows(apps: Any) -> dict[str, Any]:
    """One row of every kind with its bytes in the database, made with the historical models."""
    now = timezone.now()
    Organisation = apps.get_model("people", "Organisation")
    owner = Organisation.objects.create(name="Owner", kind="programme_owner")
    donor = Organisation.objects.create(name="Donor", kind="donor")
    programme = apps.get_model("programmes", "Programme").objects.create(
        name="Scheme", slug="scheme", owner=owner, asset_tag_prefix="MIG"
    )
    device = apps.get_model("devices", "Device").objects.create(
        programme=programme, asset_tag="MIG-000001", state_changed_at=now
    )
    donation = apps.get_model("donations", "Donation").objects.create(programme=programme, donor=donor)
    log, lshw, register, gias = (
        b"nwipe log\n" * 50,
        b"<lshw/>\n" * 50,
        b"Serial\nABC123\n",
        b"URN,Name\n1,A\n",
    )
    pdf, pack, report = b"%PDF-1.7 old certificate", b"PK old pack", b"line,reason\n2,no serial\n"
    certificate = apps.get_model("sanitisation", "Certificate").objects.create(
        number="SC-2026-000001",
        kind="device",
        device=device,
        facts={},
        content_sha256="0" * 64,
        pdf=pdf,
        issued_at=now,
        verification_code="a" * 24,
    )
    return {
        "erasure": (
            apps.get_model("sanitisation", "ErasureEvidence").objects.create(
                device=device,
                file_name="run.log",
                sha256=_sha(log),
                raw_size=len(log),
                raw_gzip=gzip.compress(log),
                tool="nwipe",
            ),
            "raw_file",
            "sha256",
            log,
        ),
        "hardware": (
            apps.get_model("hardware", "HardwareReport").objects.create(
                device=device,
                format="lshw",
                file_name="m.xml",
                sha256=_sha(lshw),
                raw_size=len(lshw),
                raw_gzip=gzip.compress(lshw),
            ),
            "raw_file",
            "sha256",
            lshw,
        ),
        "certificate": (certificate, "pdf_file", "pdf_sha256", pdf),
        "pack": (
            apps.get_model("sanitisation", "CertificateBatch").objects.create(
                donation=donation, status="done", certificate=certificate, zip_file=pack
            ),
            "archive_file",
            "archive_sha256",
            pack,
        ),
        "register": (
            apps.get_model("donations", "RegisterImport").objects.create(
                donation=donation,
                file_name="Register.CSV",
                file_sha256=_sha(register),
                file_bytes=register,
                status="validated",
                report_csv=report,
            ),
            "stored_file",
            "file_sha256",
            register,
        ),
        "register report": (None, "report_file", "report_sha256", report),
        "school import": (
            apps.get_model("recipients", "SchoolImport").objects.create(
                file_name="gias.csv", file_sha256=_sha(gias), file_bytes=gias, status="queued"
            ),
            "stored_file",
            "file_sha256",
            gias,
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_evidence_moves_to_file_storage_and_back() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old_apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
        rows = _old_rows(old_apps)
        rows["register report"] = (rows["register"][0], *rows["register report"][1:])
        finished_import = old_apps.get_model("recipients", "SchoolImport").objects.create(
            file_name="done.csv", file_sha256="1" * 64, status="completed"
        )

        MigrationExecutor(connection).migrate(MOVED)
        for what, (row, name_field, sha_field, data) in rows.items():
            row.refresh_from_db()
            name = getattr(row, name_field)
            assert name, what
            # the recorded SHA-256 is of the original bytes, and reads check it
            assert getattr(row, sha_field) == _sha(data), what
            assert evidence_read(name, getattr(row, sha_field)) == data, what
        assert rows["register"][0].stored_file.endswith(".csv")
        assert rows["erasure"][0].raw_file.endswith(".gz")  # moved as it was kept: gzip'd
        finished_import.refresh_from_db()
        assert finished_import.stored_file == ""  # nothing to move

        # Going back puts the bytes of files written since the move into the old columns.
        Certificate = old_apps.get_model("sanitisation", "Certificate")
        Certificate.objects.filter(pk=rows["certificate"][0].pk).update(pdf=None)
        MigrationExecutor(connection).migrate(BEFORE)
        assert bytes(Certificate.objects.get(pk=rows["certificate"][0].pk).pdf) == rows["certificate"][3]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
