"""The sanitisation rule: what evidence lets a device into `sanitised`, and what never does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from devicebank.conftest import World
from devicebank.core.errors import DomainError, NotPermitted
from devicebank.devices.models import Device
from devicebank.devices.services import DeviceSpec, device_register, device_transition
from devicebank.devices.states import DeviceState, InvalidTransition
from devicebank.devices.tests.factories import make_device, move
from devicebank.hardware.models import DeviceDrive
from devicebank.sanitisation.models import DriveErasure, ErasureResult
from devicebank.sanitisation.parsers import DriveErasure as Parsed
from devicebank.sanitisation.services import (
    drive_destruction_record,
    drive_erasure_record,
    drive_erasure_review,
    erasure_report_import,
    no_storage_attest,
    pass_evidence,
    sanitisation_record_outcome,
)

FIXTURES = Path(__file__).parent / "fixtures"
S = DeviceState


def _run(serial: str, result: str = "erased", verification: str = "last", **extra) -> Parsed:  # type: ignore[no-untyped-def]
    now = timezone.now()
    return Parsed(
        tool="nwipe",
        tool_version="0.35",
        device_serial=None,
        drive_model="WDC WD5000",
        drive_serial=serial,
        size_bytes=500_107_862_016,
        media_type="hdd",
        method="Fill With Zeros",
        passes=1,
        rounds=1,
        final_overwrite="blank",
        technique="overwrite",
        nist_level="clear",
        verification=verification,
        result=result,
        started_at=now - dt.timedelta(hours=1, minutes=30),
        finished_at=now - dt.timedelta(minutes=1),
        **extra,
    )


@pytest.fixture
def received(world: World) -> Device:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    for serial in ("WD-AAA111", "WD-BBB222"):
        DeviceDrive.objects.create(
            device=device, model="WDC WD5000", serial=serial, serial_key=serial.replace("-", "")
        )
    return device


def test_every_known_drive_needs_evidence(world: World, received: Device) -> None:
    tech = world.user("technician")
    drive_erasure_record(device=received, by=tech, parsed=_run("WD-AAA111"))
    with pytest.raises(
        DomainError, match=r"Drive WDC WD5000 \(WD-BBB222\): it has no erasure or destruction record"
    ):
        sanitisation_record_outcome(device=received, by=tech)
    drive_destruction_record(
        device=received,
        by=tech,
        drive=DeviceDrive.objects.get(serial="WD-BBB222"),
        method="shred",
        destroyed_on=timezone.localdate(),
        destroyed_by="ShredCo",
        certificate_number="SHR-991",
    )
    device = sanitisation_record_outcome(device=received, by=tech)
    assert device.state == S.SANITISED
    assert device.sanitisation.basis == "erasure"
    assert device.sanitisation.level == "clear"


@pytest.mark.parametrize("result", ["failed", "cancelled", "incomplete"])
def test_failed_cancelled_and_incomplete_runs_never_count(
    world: World, received: Device, result: str
) -> None:
    tech = world.user("technician")
    for serial in ("WD-AAA111", "WD-BBB222"):
        drive_erasure_record(device=received, by=tech, parsed=_run(serial, result=result))
    with pytest.raises(DomainError, match=f"its last erasure {ErasureResult(result).label.lower()}"):
        sanitisation_record_outcome(device=received, by=tech)
    for serial in ("WD-AAA111", "WD-BBB222"):  # a repeat that succeeds does count
        drive_erasure_record(device=received, by=tech, parsed=_run(serial))
    assert sanitisation_record_outcome(device=received, by=tech).state == S.SANITISED


def test_a_programme_can_require_verified_erasure(world: World, received: Device) -> None:
    world.programme.require_verified_erasure = True
    world.programme.save()
    tech = world.user("technician")
    for serial in ("WD-AAA111", "WD-BBB222"):
        drive_erasure_record(
            device=received, by=tech, parsed=_run(serial, result="erased_unverified", verification="none")
        )
    with pytest.raises(DomainError, match="this programme requires it"):
        sanitisation_record_outcome(device=received, by=tech)


def test_a_flagged_record_counts_only_after_a_review(world: World, received: Device) -> None:
    tech = world.user("technician")
    quick = _run("WD-AAA111", warnings=["Erased 500 GB in 1 second: faster than any drive can write."])
    flagged = drive_erasure_record(device=received, by=tech, parsed=quick)
    drive_erasure_record(device=received, by=tech, parsed=_run("WD-BBB222"))
    assert flagged.flagged
    with pytest.raises(DomainError, match="flagged"):
        sanitisation_record_outcome(device=received, by=tech)
    with pytest.raises(DomainError, match="Say why"):
        drive_erasure_review(record=flagged, by=tech, note=" ")
    drive_erasure_review(record=flagged, by=tech, note="Drive is a 500 MB test disk; log checked")
    assert sanitisation_record_outcome(device=received, by=tech).state == S.SANITISED


def test_a_log_for_a_drive_the_device_does_not_have_is_flagged(world: World, received: Device) -> None:
    record = drive_erasure_record(device=received, by=world.user("technician"), parsed=_run("OTHER999"))
    assert record.flagged
    assert any("not among this device's known drives" in w for w in record.warnings)


def test_no_storage_attested_needs_no_drives_recorded(world: World) -> None:
    tech = world.user("technician")
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    with pytest.raises(DomainError, match="no successful erasure"):
        sanitisation_record_outcome(device=device, by=tech)
    no_storage_attest(device=device, by=tech, reason="Drive caddy empty; donor removed drives")
    device = sanitisation_record_outcome(device=device, by=tech)
    assert (device.sanitisation.basis, device.sanitisation.level) == ("no_storage", "")


def test_a_factory_reset_only_counts_for_phones_and_tablets(world: World) -> None:
    tech = world.user("technician")
    laptop = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    with pytest.raises(DomainError, match="only counts for phones and tablets"):
        sanitisation_record_outcome(device=laptop, by=tech, mobile_reset=True)
    phone = make_device(
        programme=world.programme, location=world.warehouse, state=S.RECEIVED, device_type="phone"
    )
    assert (
        sanitisation_record_outcome(device=phone, by=tech, mobile_reset=True).sanitisation.basis
        == "factory_reset"
    )


def test_evidence_from_before_a_return_does_not_count(world: World) -> None:
    tech = world.user("technician")
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RETURNED)
    assert DriveErasure.objects.filter(device=device).count() == 1  # from its first pass
    # The drive that first pass found is known now, and needs this pass's erasure.
    with pytest.raises(DomainError, match="it has no erasure or destruction record"):
        sanitisation_record_outcome(device=device, by=tech)
    assert pass_evidence(device).erasures == []


def test_roles_without_the_right_cannot_record_evidence(world: World, received: Device) -> None:
    for persona in ("warehouse", "donor", "school", "funder", "outsider"):
        with pytest.raises(NotPermitted):
            drive_erasure_record(device=received, by=world.user(persona), parsed=_run("WD-AAA111"))


def test_no_path_moves_an_unwiped_device_to_sanitised_or_ready(world: World, received: Device) -> None:
    from django.test import Client
    from rest_framework.test import APIClient

    # the service
    with pytest.raises(InvalidTransition):
        device_transition(device=received, to=S.SANITISED, by=None)
    # the API transitions endpoint
    api = APIClient()
    api.force_authenticate(world.user("manager"))
    response = api.post(
        f"/api/v1/devices/{received.asset_tag}/transitions/", {"to": "sanitised"}, format="json"
    )
    assert response.status_code == 400
    # the page that marks a device sanitised
    web = Client()
    web.force_login(world.user("manager"))
    response = web.post(f"/sanitisation/devices/{received.asset_tag}/outcome/", {"summary": "trust me"})
    assert response.status_code == 400
    assert "cannot be marked sanitised yet" in response.content.decode()
    # the generic state form does not offer sanitised at all
    response = web.post(
        f"/devices/{received.asset_tag}/state/", {"to": "sanitised", "expected_state": "received"}
    )
    assert response.status_code == 400
    # the Django admin cannot change devices
    web.force_login(world.user("admin"))
    response = web.post(f"/admin/devices/device/{received.pk}/change/", {"state": "sanitised"})
    assert response.status_code == 403
    received.refresh_from_db()
    assert received.state == S.RECEIVED


def test_an_erasure_report_is_filed_per_drive_against_its_device(world: World) -> None:
    device = device_register(
        programme=world.programme,
        by=None,
        state=S.RECEIVED,
        location=world.warehouse,
        spec=DeviceSpec(manufacturer="Dell", serial_number="HOST0001"),
    )
    data = (FIXTURES / "nwipe-0.33-dodshort-verify-all-three-drives.log").read_bytes()
    result = erasure_report_import(
        data=data, file_name="three.log", by=world.user("technician"), device=device
    )
    assert result.error is None
    assert [row["result"] for row in result.rows] == ["erased", "failed", "erased"]
    assert DriveErasure.objects.filter(device=device).count() == 3
    assert result.records[0].evidence.sha256 == __import__("hashlib").sha256(data).hexdigest()
    # The loop devices nwipe wiped here have no serials: those records wait for a person's review...
    flagged = [r for r in result.records if r.flagged]
    assert len(flagged) == 2
    with pytest.raises(DomainError, match=r"is flagged .*No drive serial"):
        sanitisation_record_outcome(device=device, by=world.user("technician"))
    for record in flagged:
        drive_erasure_review(
            record=record, by=world.user("technician"), note="Checked the loop devices by hand"
        )
    # ...and the drive whose verification failed still blocks the device.
    with pytest.raises(DomainError, match="the erasure failed and was not repeated"):
        sanitisation_record_outcome(device=device, by=world.user("technician"))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02\x03" * 50, "binary"),
        (b"Serial,Make\nA,B\n", ""),
        ((FIXTURES / "blancco-drive-eraser-report.xml").read_bytes(), "Blancco"),
        (
            (FIXTURES / "ereuse-workbench-11-erase-steps-without-end-time.json").read_bytes(),
            "has erasure steps but no end time",
        ),
        ((FIXTURES / "nwipe-0.33-killed-before-any-wipe.log").read_bytes(), "ends before any wipe began"),
    ],
)
def test_a_bad_file_is_named_and_writes_nothing(
    world: World, received: Device, data: bytes, expected: str
) -> None:
    from devicebank.core.models import Event

    before = (DriveErasure.objects.count(), Event.objects.count())
    result = erasure_report_import(
        data=data, file_name="odd.log", by=world.user("technician"), device=received
    )
    assert result.error is not None
    assert result.error.startswith("odd.log: ")
    assert expected in result.error
    assert result.rows[0]["error"] == result.error
    assert (DriveErasure.objects.count(), Event.objects.count()) == before


def test_a_snapshot_size_without_a_unit_is_noted_but_does_not_flag_the_record(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.RECEIVED)
    data = (FIXTURES / "ereuse-workbench-11-events-two-hdds.json").read_bytes()

    result = erasure_report_import(data=data, file_name="wb.json", by=world.user("technician"), device=device)

    erased = result.records[0]
    assert any(w.startswith("Size not recorded") for w in erased.warnings)
    assert (erased.result, erased.flagged) == (ErasureResult.ERASED_UNVERIFIED, False)


def test_ready_still_needs_the_sanitisation_of_this_pass(world: World) -> None:
    device = make_device(programme=world.programme, location=world.warehouse, state=S.SANITISED)
    device = move(device, S.IN_REFURBISHMENT, location=world.warehouse)
    Device.objects.filter(pk=device.pk).update(sanitisation=None)
    with pytest.raises(InvalidTransition, match="no sanitisation evidence"):
        device_transition(device=device, to=S.READY, by=None)
