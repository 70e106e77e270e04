"""Filing hardware reports against devices: match, register, evidence, drives, and nothing half-written."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from devicebank.conftest import World
from devicebank.core.evidence import evidence_storage
from devicebank.core.models import Event, EventKind
from devicebank.devices.models import Device
from devicebank.devices.services import DeviceSpec, device_register
from devicebank.hardware.models import DeviceDrive, HardwareReport
from devicebank.hardware.services import hardware_report_ingest, raw_report_bytes

FIXTURES = Path(__file__).parent / "fixtures"
T480 = FIXTURES / "thinkpad-t480-nvme-usb-stick.lshw.json"


def test_a_new_machine_is_registered_as_received_with_its_drives_and_evidence(world: World) -> None:
    data = T480.read_bytes()
    result = hardware_report_ingest(
        data=data,
        file_name="t480.json",
        by=world.user("technician"),
        programme=world.programme,
        location=world.warehouse,
    )
    assert result.outcome == "registered"
    device = result.device
    assert device is not None
    assert (device.manufacturer, device.model, device.serial_number, device.state) == (
        "Lenovo",
        "ThinkPad T480",
        "PF1HXK2Q",
        "received",
    )
    assert device.ram_bytes == 32 * 1024**3
    drives = list(DeviceDrive.objects.filter(device=device).values_list("serial", "size_bytes", "kind"))
    assert ("S41GNX0M123456", 256060514304, "nvme") in drives
    assert len(drives) == 2  # the USB stick is not internal storage
    report = HardwareReport.objects.get(device=device)
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.raw_file.startswith("hardware-reports/")
    assert report.raw_gzip is None  # nothing in the database
    assert gzip.decompress(evidence_storage().open(report.raw_file).read()) == data  # kept gzip'd
    assert raw_report_bytes(report) == data
    event = Event.objects.get(
        subject_type="devices.device", subject_id=device.pk, kind=EventKind.HARDWARE_REPORT_INGESTED
    )
    assert event.data["evidence"] == [{"type": "hardware.hardwarereport", "id": report.pk}]


def test_a_known_serial_matches_and_fills_in_specs_once(world: World) -> None:
    device = device_register(
        programme=world.programme, by=None, spec=DeviceSpec(manufacturer="LENOVO", serial_number="pf1hxk2q")
    )
    first = hardware_report_ingest(data=T480.read_bytes(), file_name="t480.json", by=world.user("technician"))
    assert (first.outcome, first.device) == ("matched", device)
    device.refresh_from_db()
    assert device.model == "ThinkPad T480"
    assert device.cpu_model.startswith("Intel(R) Core(TM) i7-8650U")
    events = Event.objects.count()
    again = hardware_report_ingest(data=T480.read_bytes(), file_name="t480.json", by=world.user("technician"))
    assert again.outcome == "unchanged"
    assert Event.objects.count() == events


def test_a_dry_run_writes_nothing(world: World) -> None:
    before = (Device.objects.count(), HardwareReport.objects.count(), Event.objects.count())
    result = hardware_report_ingest(data=T480.read_bytes(), file_name="t480.json", by=None, dry_run=True)
    assert result.outcome == "would_register"
    assert result.json["serial"] == "PF1HXK2Q"
    assert (Device.objects.count(), HardwareReport.objects.count(), Event.objects.count()) == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\0\0\0", "PNG"),
        (T480.read_bytes()[:500], "truncated|JSON"),
        (b"[2016/01/01 10:00:00] nwipe: notice: Opened entropy source", "not a hardware report|nwipe"),
    ],
)
def test_a_bad_file_gets_a_clear_error_naming_it_and_writes_nothing(
    world: World, data: bytes, expected: str
) -> None:
    import re

    before = (Device.objects.count(), HardwareReport.objects.count(), Event.objects.count())
    result = hardware_report_ingest(
        data=data,
        file_name="odd-file.json",
        by=world.user("technician"),
        programme=world.programme,
        location=world.warehouse,
    )
    assert result.outcome == "error"
    assert result.json["error"].startswith("odd-file.json: ")
    assert re.search(expected, result.json["error"], flags=re.IGNORECASE)
    assert (Device.objects.count(), HardwareReport.objects.count(), Event.objects.count()) == before


def test_an_unknown_machine_without_a_programme_is_not_guessed(world: World) -> None:
    result = hardware_report_ingest(
        data=T480.read_bytes(), file_name="t480.json", by=world.user("technician")
    )
    assert "no device you can see has serial PF1HXK2Q" in result.json["error"]
    assert not Device.objects.filter(serial_key="PF1HXK2Q").exists()


def test_a_device_outside_the_callers_scope_is_not_touched_nor_named(world: World) -> None:
    other = device_register(
        programme=world.other_programme,
        by=None,
        spec=DeviceSpec(manufacturer="Lenovo", serial_number="PF1HXK2Q"),
    )
    result = hardware_report_ingest(
        data=T480.read_bytes(), file_name="t480.json", by=world.user("technician")
    )
    assert "no device you can see has serial PF1HXK2Q" in result.json["error"]
    assert other.asset_tag not in result.json["error"]
    assert not HardwareReport.objects.exists()


def test_a_device_the_caller_sees_but_may_not_update_is_refused(world: World) -> None:
    from devicebank.devices.identity import serial_key

    Device.objects.filter(pk=world.device.pk).update(
        serial_number="PF1HXK2Q", serial_key=serial_key("PF1HXK2Q")
    )
    result = hardware_report_ingest(data=T480.read_bytes(), file_name="t480.json", by=world.user("donor"))
    assert "not one you can update" in result.json["error"]
    assert not HardwareReport.objects.exists()


def test_the_api_takes_several_files_and_answers_per_file(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = APIClient()
    client.force_authenticate(world.user("technician"))
    response = client.post(
        "/api/v1/hardware-reports/",
        {
            "file": [
                SimpleUploadedFile("t480.json", T480.read_bytes()),
                SimpleUploadedFile("junk.txt", b"hello"),
            ],
            "programme": "scheme",
            "location": world.warehouse.pk,
        },
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    first, second = response.json()
    assert (first["outcome"], first["serial"]) == ("registered", "PF1HXK2Q")
    assert first["device"].startswith("SCH-")
    assert second["error"].startswith("junk.txt: ")
    only_junk = client.post(
        "/api/v1/hardware-reports/", {"file": [SimpleUploadedFile("junk.txt", b"hello")]}, format="multipart"
    )
    assert only_junk.status_code == 400
    no_file = client.post("/api/v1/hardware-reports/", {"dry_run": "true"}, format="json")
    assert no_file.status_code == 400
