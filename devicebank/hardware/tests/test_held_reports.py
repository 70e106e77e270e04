"""Hardware reports never overwrite silently: a report for another machine, or from a virtual machine, is held
for a person's decision; applied reports never replace a known value with "not known", and every change is an
event with old and new values and the report's id."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from devicebank.conftest import World
from devicebank.core.errors import DomainError, NotPermitted
from devicebank.core.models import Event, EventKind, Note
from devicebank.devices.models import Device
from devicebank.devices.services import DeviceSpec, device_register, device_update_details
from devicebank.hardware.models import DeviceDrive, HardwareReport
from devicebank.hardware.selectors import spec_sources
from devicebank.hardware.services import NO_DRIVES_SEEN, hardware_report_decide, hardware_report_ingest

FIXTURES = Path(__file__).parent / "fixtures"
E7240 = FIXTURES / "ereuse-workbench-script-latitude-e7240.json"  # Dell Latitude E7240, serial 5CQ1AB2
T480 = FIXTURES / "thinkpad-t480-nvme-usb-stick.lshw.json"  # Lenovo ThinkPad T480, serial PF1HXK2Q
VM = FIXTURES / "virtual-machine.lshw.json"  # AMD EPYC, 24 GiB, no serial, no battery
S = HardwareReport.Status
D = HardwareReport.Decision


def _latitude_5490(world: World, serial: str = "5CQ1AB2", **spec: object) -> Device:
    return device_register(
        programme=world.programme,
        by=None,
        spec=DeviceSpec(
            manufacturer="Dell",
            model="Latitude 5490",
            serial_number=serial,
            cpu_model="Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz",
            ram_bytes=8 * 2**30,
            **spec,  # type: ignore[arg-type]
        ),
    )


def _file(world: World, path: Path, device: Device | None = None, **extra: object):  # type: ignore[no-untyped-def]
    return hardware_report_ingest(
        data=path.read_bytes(), file_name=path.name, by=world.user("technician"), device=device, **extra
    )


def _events(device: Device, kind: EventKind) -> list[Event]:
    return list(
        Event.objects.filter(subject_type="devices.device", subject_id=device.pk, kind=kind).order_by("id")
    )


def test_a_report_of_another_model_is_held_and_changes_nothing_on_the_device(world: World) -> None:
    device = _latitude_5490(world)

    result = _file(world, E7240, device=device)

    assert result.outcome == "held"
    device.refresh_from_db()
    assert (device.cpu_model, device.ram_bytes) == ("Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz", 8 * 2**30)
    assert not DeviceDrive.objects.filter(device=device).exists()
    assert result.differences == [
        {"field": "model", "label": "Model", "device": "Latitude 5490", "report": "Latitude E7240"}
    ]
    report = HardwareReport.objects.get()
    assert (report.status, report.device, report.held_for) == (S.HELD, None, device)
    assert result.as_json()["held_report"] == report.pk
    (held,) = _events(device, EventKind.HARDWARE_REPORT_HELD)
    assert held.data["fields"] == ["model"]
    assert not _events(device, EventKind.DEVICE_DETAILS_CHANGED)


def test_serial_maker_and_model_that_disagree_are_all_shown_side_by_side(world: World) -> None:
    device = _latitude_5490(world, serial="JX4K2L2")

    result = _file(world, T480, device=device)

    assert [(d["field"], d["device"], d["report"]) for d in result.differences] == [
        ("serial_number", "JX4K2L2", "PF1HXK2Q"),
        ("manufacturer", "Dell", "Lenovo"),
        ("model", "Latitude 5490", "ThinkPad T480"),
    ]


def test_a_virtual_machine_report_is_held_even_for_the_device_it_names(world: World) -> None:
    device = _latitude_5490(world)
    device_update_details(device=device, by=None, changes={"cpu_model": "Intel Core i5-8350U"})

    result = _file(world, VM, device=device)

    assert result.outcome == "held"
    assert [d["field"] for d in result.differences] == ["virtual_machine"]
    device.refresh_from_db()
    assert device.cpu_model == "Intel Core i5-8350U"  # not "AMD EPYC"
    assert device.ram_bytes == 8 * 2**30  # not 24 GiB


def test_a_virtual_machine_is_not_registered_as_a_device(world: World) -> None:
    devices = Device.objects.count()

    result = _file(world, VM, programme=world.programme, location=world.warehouse)

    assert result.outcome == "held"
    assert Device.objects.count() == devices
    assert HardwareReport.objects.get().programme == world.programme


def test_a_dry_run_says_the_report_would_be_held_and_writes_nothing(world: World) -> None:
    device = _latitude_5490(world)

    result = _file(world, E7240, device=device, dry_run=True)

    assert result.outcome == "would_hold"
    assert not HardwareReport.objects.exists()


def test_attaching_anyway_needs_a_reason_then_applies_the_report_with_events_that_name_it(
    world: World,
) -> None:
    device = _latitude_5490(world)
    report = _file(world, E7240, device=device).report
    technician = world.user("technician")

    with pytest.raises(DomainError, match="Say why"):
        hardware_report_decide(report=report, decision=D.ATTACH, by=technician, reason="  ")

    decided = hardware_report_decide(
        report=report, decision=D.ATTACH, by=technician, reason="Motherboard swapped by the donor"
    )

    assert (decided.status, decided.device, decided.decided_by) == (S.APPLIED, device, technician)
    device.refresh_from_db()
    assert device.cpu_model.startswith("Intel(R) Core(TM) i7-4600U")
    assert device.model == "Latitude 5490"  # identity stays as recorded
    change = _events(device, EventKind.DEVICE_DETAILS_CHANGED)[0]
    assert change.data["old"]["cpu_model"] == "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz"
    assert change.data["report_id"] == report.pk
    (decision,) = _events(device, EventKind.HARDWARE_REPORT_DECIDED)
    assert decision.data["decision"] == "attach"
    assert "Motherboard" not in str(decision.data)  # the reason is in the erasable note, not the event
    assert Note.objects.get(event=decision).text == "Motherboard swapped by the donor"
    assert spec_sources(device)["cpu_model"] == f"hardware report {E7240.name}"


def test_registering_as_another_device_leaves_the_first_one_alone(world: World) -> None:
    device = _latitude_5490(world, serial="JX4K2L2")
    report = _file(world, T480, device=device).report

    with pytest.raises(DomainError, match="where the other device is"):
        hardware_report_decide(report=report, decision=D.REGISTER, by=world.user("technician"))
    decided = hardware_report_decide(
        report=report, decision=D.REGISTER, by=world.user("technician"), location=world.warehouse
    )

    other = decided.device
    assert other is not None
    assert other != device
    assert (other.manufacturer, other.model, other.serial_number) == ("Lenovo", "ThinkPad T480", "PF1HXK2Q")
    device.refresh_from_db()
    assert device.model == "Latitude 5490"
    assert not DeviceDrive.objects.filter(device=device).exists()


def test_registering_a_serial_that_is_already_another_device_is_refused(world: World) -> None:
    device = _latitude_5490(world, serial="JX4K2L2")
    report = _file(world, E7240, device=device).report  # serial 5CQ1AB2, model E7240: held
    existing = _latitude_5490(world, serial="5CQ1AB2")

    with pytest.raises(DomainError, match=f"already registered as {existing.asset_tag}"):
        hardware_report_decide(
            report=report, decision=D.REGISTER, by=world.user("technician"), location=world.warehouse
        )

    assert HardwareReport.objects.get().status == S.HELD


def test_rejecting_keeps_the_report_as_evidence_only(world: World) -> None:
    device = _latitude_5490(world)
    report = _file(world, E7240, device=device).report

    decided = hardware_report_decide(report=report, decision=D.REJECT, by=world.user("technician"))

    assert (decided.status, decided.device) == (S.REJECTED, None)
    with pytest.raises(DomainError, match="already been decided"):
        hardware_report_decide(report=report, decision=D.ATTACH, by=world.user("technician"), reason="x")
    device.refresh_from_db()
    assert device.ram_bytes == 8 * 2**30


def test_a_donor_contact_may_not_decide(world: World) -> None:
    report = _file(world, E7240, device=_latitude_5490(world)).report

    with pytest.raises(NotPermitted):
        hardware_report_decide(report=report, decision=D.REJECT, by=world.user("donor"))


def test_a_report_that_sees_no_drives_leaves_storage_as_it_was_with_a_warning(world: World) -> None:
    device = device_register(
        programme=world.programme,
        by=None,
        spec=DeviceSpec(
            manufacturer="Lenovo", model="ThinkPad T480", storage_bytes=256 * 10**9, storage_kind="ssd"
        ),
    )
    import json

    data = json.loads(T480.read_text())
    _strip_disks(data)
    result = hardware_report_ingest(
        data=json.dumps(data).encode(), file_name="t480-no-disks.json", by=None, device=device
    )

    assert result.outcome == "matched"
    assert NO_DRIVES_SEEN in result.json["warnings"]
    device.refresh_from_db()
    assert (device.storage_bytes, device.storage_kind) == (256 * 10**9, "ssd")


def test_a_drive_of_unknown_kind_does_not_make_a_known_storage_kind_unknown(world: World) -> None:
    from devicebank.hardware.parsers import Drive
    from devicebank.hardware.parsers import HardwareReport as Parsed
    from devicebank.hardware.services import _spec_changes

    device = _latitude_5490(world, storage_kind="ssd")
    parsed = Parsed(
        format="lshw", drives=[Drive(model="WDC WD5000", serial="W1", size_bytes=500 * 10**9, kind=None)]
    )

    assert _spec_changes(device, parsed) == {"storage_bytes": 500 * 10**9}  # the size, not "kind: not known"


def test_a_measured_battery_health_is_not_hidden_by_a_later_report_without_one(world: World) -> None:
    import json

    from devicebank.hardware.models import HardwareReport as Kept
    from devicebank.refurbishment.selectors import _battery

    device = device_register(programme=world.programme, by=None, spec=DeviceSpec(serial_number="5CQ1AB2"))
    first = _file(world, E7240, device=device)  # 82.7 %
    assert first.outcome == "matched", first.differences
    later = json.loads(T480.read_text())  # lshw never has a full-charge capacity: health not known
    later.update(vendor="Dell Inc.", product="Latitude E7240", serial="5CQ1AB2")
    second = hardware_report_ingest(
        data=json.dumps(later).encode(), file_name="later.lshw.json", by=None, device=first.device
    )
    assert second.outcome == "matched", second.differences
    assert second.json["battery_health_percent"] is None
    assert Kept.objects.filter(device=device).count() == 2

    value, source, _ = _battery([], device)

    assert value == Decimal("82.7")
    assert E7240.name in source


def _strip_disks(node: dict) -> None:  # type: ignore[type-arg]
    node["children"] = [c for c in node.get("children", []) if c.get("class") not in ("disk", "storage")]
    for child in node["children"]:
        _strip_disks(child)


def test_the_api_shows_a_held_report_and_takes_a_decision_or_answers_400_with_the_reason(
    world: World,
) -> None:
    from rest_framework.test import APIClient

    device = _latitude_5490(world)
    client = APIClient()
    client.force_authenticate(world.user("technician"))
    upload = client.post(
        "/api/v1/hardware-reports/",
        {"file": [_upload(E7240)], "device": device.asset_tag},
        format="multipart",
    )
    (result,) = upload.json()
    assert (result["outcome"], result["differences"][0]["field"]) == ("held", "model")

    shown = client.get(f"/api/v1/hardware-reports/{result['held_report']}/").json()
    assert (shown["status"], shown["held_for"], shown["device"]) == ("held", device.asset_tag, None)
    assert shown["differences"][0]["report"] == "Latitude E7240"

    refused = client.post(
        f"/api/v1/hardware-reports/{result['held_report']}/decision/", {"decision": "attach"}, format="json"
    )
    assert refused.status_code == 400
    assert "Say why" in str(refused.json())
    done = client.post(
        f"/api/v1/hardware-reports/{result['held_report']}/decision/",
        {"decision": "attach", "reason": "Board replaced"},
        format="json",
    )
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["device"]) == ("applied", device.asset_tag)


def test_the_report_page_compares_side_by_side_and_the_decision_form_keeps_what_was_typed(
    world: World,
) -> None:
    from django.test import Client

    device = _latitude_5490(world)
    report = _file(world, E7240, device=device).report
    client = Client()
    client.force_login(world.user("technician"))

    device_page = client.get(f"/devices/{device.asset_tag}/").content.decode()
    assert f"/hardware/reports/{report.pk}/" in device_page

    page = client.get(f"/hardware/reports/{report.pk}/").content.decode()
    assert "This report waits for a decision" in page
    assert "Latitude 5490" in page
    assert "Latitude E7240" in page

    refused = client.post(
        f"/hardware/reports/{report.pk}/", {"decision": "register", "reason": "two machines"}
    )
    assert refused.status_code == 400
    assert "Choose where the other device is" in refused.content.decode()
    assert "two machines" in refused.content.decode()

    done = client.post(f"/hardware/reports/{report.pk}/", {"decision": "attach", "reason": "Board replaced"})
    assert done.status_code == 302
    assert HardwareReport.objects.get(pk=report.pk).status == S.APPLIED


def _upload(path: Path):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(path.name, path.read_bytes())
