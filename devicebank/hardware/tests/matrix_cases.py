"""The hardware pages in the permission matrix (devicebank/core/tests/test_permission_matrix.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from devicebank.conftest import World
from devicebank.core.tests.matrix import OPERATORS, SEES_DEVICE, Case, _see_then, _status

T480 = Path(__file__).parent / "fixtures" / "thinkpad-t480-nvme-usb-stick.lshw.json"
E7240 = Path(__file__).parent / "fixtures" / "ereuse-workbench-script-latitude-e7240.json"
FILES_ALLOWED = OPERATORS | {"outsider"}  # the outsider files reports in its own programme


def prepare(world: World) -> None:
    from devicebank.devices.states import DeviceState
    from devicebank.devices.tests.factories import make_device
    from devicebank.hardware.services import hardware_report_ingest

    # A device of its own: drives found on world.device would (rightly) undo its sanitisation evidence.
    device = make_device(
        programme=world.programme,
        location=world.warehouse,
        state=DeviceState.RECEIVED,
        donor=world.donor,
        manufacturer="Lenovo",
        model="ThinkPad T480",
        serial="PF1HXK2Q",
    )
    result = hardware_report_ingest(data=T480.read_bytes(), file_name="t480.json", by=None, device=device)
    world.hardware_report = result.device.hardware_reports.get()  # type: ignore[union-attr]
    # A Latitude E7240's report filed against a Latitude 5490: held for a person's decision.
    other = make_device(
        programme=world.programme, location=world.warehouse, state=DeviceState.RECEIVED, donor=world.donor
    )
    held = hardware_report_ingest(data=E7240.read_bytes(), file_name="e7240.json", by=None, device=other)
    world.held_report = held.report


def _upload(world: World) -> dict[str, Any]:
    return {
        "reports": SimpleUploadedFile("t480.json", T480.read_bytes()),
        "programme": world.programme.pk,
        "location": world.warehouse.pk,
    }


CASES = [
    Case("hardware:upload", "GET", lambda w: "/hardware/upload/", _status(FILES_ALLOWED, 200, 403)),
    # the outsider cannot choose this programme: its form says so (400)
    Case(
        "hardware:upload",
        "POST",
        lambda w: "/hardware/upload/",
        lambda p: 200 if p in OPERATORS else 400 if p == "outsider" else 403,
        data=_upload,
    ),
    Case(
        "hardware:report",
        "GET",
        lambda w: f"/hardware/reports/{w.hardware_report.pk}/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "hardware:report",
        "GET",
        lambda w: f"/hardware/reports/{w.held_report.pk}/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "hardware:report",
        "POST",
        lambda w: f"/hardware/reports/{w.held_report.pk}/",
        _see_then(SEES_DEVICE, OPERATORS, 302, 403),
        data=lambda w: {"decision": "reject"},
    ),
    Case(
        "api-hardware-report-detail",
        "GET",
        lambda w: f"/api/v1/hardware-reports/{w.held_report.pk}/",
        _status(SEES_DEVICE, 200, 404),
    ),
    Case(
        "api-hardware-report-decision",
        "POST",
        lambda w: f"/api/v1/hardware-reports/{w.held_report.pk}/decision/",
        _see_then(SEES_DEVICE, OPERATORS, 200, 403),
        data=lambda w: {"decision": "attach", "reason": "Motherboard replaced"},
        json=True,
    ),
    Case(
        "hardware:raw",
        "GET",
        lambda w: f"/hardware/reports/{w.hardware_report.pk}/raw/",
        _status(SEES_DEVICE, 200, 404),
    ),
]
