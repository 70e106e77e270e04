"""The donation API end to end, and messy registers that must never cause a 500 or a half-written import."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from devicebank.conftest import World
from devicebank.core.models import Event
from devicebank.devices.models import Device
from devicebank.donations.models import RegisterImport


def _client(world: World, persona: str = "warehouse") -> APIClient:
    client = APIClient()
    client.force_authenticate(world.user(persona))
    return client


def _donation(client: APIClient, world: World) -> dict[str, Any]:
    response = client.post(
        "/api/v1/donations/",
        {"programme": "scheme", "donor": world.donor.pk, "description": "Office refresh"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_program_can_run_a_donation_from_register_to_received(
    world: World, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = _client(world)
    donation = _donation(client, world)
    register = b"S/N;Vendor;Product;Colour\r\nAB123456;Dell Inc.;Latitude 7490;grey\r\nCD654321;HP;EliteBook 840;grey\r\n"
    upload = client.post(
        f"/api/v1/donations/{donation['id']}/register-imports/",
        {"file": SimpleUploadedFile("register.csv", register)},
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    imp = upload.json()
    assert imp["status"] == "needs_mapping"
    assert imp["unmapped_headers"] == ["Colour"]
    mapped = client.post(
        f"/api/v1/register-imports/{imp['id']}/mapping/", {"columns": {"Colour": None}}, format="json"
    )
    assert mapped.json()["status"] == "validated"
    assert mapped.json()["rows_valid"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            f"/api/v1/register-imports/{imp['id']}/confirm/", {"mode": "all_or_nothing"}, format="json"
        )
    assert confirmed.status_code == 202
    done = client.get(f"/api/v1/register-imports/{imp['id']}/").json()
    assert (done["status"], done["devices_created"], done["progress_percent"]) == ("completed", 2, 100)

    missing = client.get(f"/api/v1/donations/{donation['id']}/devices/?show=missing").json()
    assert {d["serial_number"] for d in missing["results"]} == {"AB123456", "CD654321"}
    scan = client.post(
        f"/api/v1/donations/{donation['id']}/receive/",
        {"code": "ab123456", "location": world.warehouse.pk},
        format="json",
    )
    assert scan.json()["outcome"] == "received"
    again = client.post(
        f"/api/v1/donations/{donation['id']}/receive/",
        {"code": scan.json()["asset_tag"], "location": world.warehouse.pk},
        format="json",
    )
    assert again.json()["outcome"] == "already_received"
    unknown = client.post(
        f"/api/v1/donations/{donation['id']}/receive/",
        {"code": "ZZZ999999", "location": world.warehouse.pk},
        format="json",
    )
    assert unknown.json()["outcome"] == "unknown"
    detail = client.get(f"/api/v1/donations/{donation['id']}/").json()
    assert detail["reconciliation"] == {
        "expected": 2,
        "received": 1,
        "missing": 1,
        "unexpected": 0,
        "withdrawn": 0,
    }


def test_bad_uploads_get_a_400_naming_the_file(world: World) -> None:
    client = _client(world)
    donation = _donation(client, world)
    for name, data in [
        ("empty.csv", b""),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        ("dupe.csv", b"Serial,S/N\nA1234,B1234\n"),
        ("noserial.csv", b"Make,Model\nDell,X\n"),
    ]:
        response = client.post(
            f"/api/v1/donations/{donation['id']}/register-imports/",
            {"file": SimpleUploadedFile(name, data)},
            format="multipart",
        )
        assert response.status_code == 400, (name, response.json())
        assert response.json()["error"]["fields"]["file"][0].startswith(name) or name == "empty.csv"
    assert not RegisterImport.objects.exists()


CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "=cmd|' /C calc'!A0",
            "+1",
            "@SUM(1)",
            "To Be Filled By O.E.M.",
            "0",
            "8 GB",
            "512GB SSD",
            "31/02/2020",
            "Dell Inc.",
            "",
            "\u00a0",
            "£",
            "é",
        ]
    ),
)
HEADER = st.sampled_from(
    [
        "Serial",
        "Serial Number",
        "S/N",
        "Make",
        "Model",
        "Asset Tag",
        "RAM",
        "Storage",
        "Purchase Date",
        "Type",
        "Notes",
        "Junk",
        "",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    headers=st.lists(HEADER, min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL, max_size=7), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_messy_registers_never_cause_a_500_or_a_half_written_import(
    world: World,
    django_capture_on_commit_callbacks: Any,
    headers: list[str],
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding, errors="replace")
    client = _client(world)
    donation = _donation(client, world)
    devices = Device.objects.count()
    device_events = Event.objects.filter(subject_type="devices.device").count()
    upload = client.post(
        f"/api/v1/donations/{donation['id']}/register-imports/",
        {"file": SimpleUploadedFile("messy.csv", data)},
        format="multipart",
    )
    assert upload.status_code in (200, 201, 400), upload.content
    if upload.status_code == 400:
        return
    imp = upload.json()
    with django_capture_on_commit_callbacks(execute=True):
        confirm = client.post(
            f"/api/v1/register-imports/{imp['id']}/confirm/", {"mode": "all_or_nothing"}, format="json"
        )
    assert confirm.status_code in (202, 400), confirm.content
    created = Device.objects.count() - devices
    done = RegisterImport.objects.get(pk=imp["id"])
    if confirm.status_code == 400:  # refused (rows with problems, or columns to confirm): nothing written
        assert created == 0
        assert Event.objects.filter(subject_type="devices.device").count() == device_events
    else:  # the whole file landed: every valid row is a device, with its event
        assert done.status == "completed"
        assert created == done.devices_created == done.rows_valid
        assert done.rows_rejected == 0
        assert Event.objects.filter(subject_type="devices.device").count() == device_events + created
