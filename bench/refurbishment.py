"""Workbench figures: how long the `ready` guard takes on a device with a history, how many devices a pallet
action handles per second, and the demo's per-device cost. Run in a fresh database of its own (bench/run.py)."""

from __future__ import annotations

import statistics
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
T480 = ROOT / "devicebank" / "hardware" / "tests" / "fixtures" / "thinkpad-t480-nvme-usb-stick.lshw.json"
GB = 1_000_000_000


def _setup() -> tuple[Any, Any, Any]:
    from devicebank.people.models import Location, Membership, User
    from devicebank.people.roles import OrganisationKind, Role
    from devicebank.programmes.models import Programme
    from devicebank.refurbishment.demo import DEMO_SPECIFICATIONS
    from devicebank.refurbishment.services import specification_save

    programme = Programme.objects.get(slug="synthetic")
    location = Location.objects.filter(organisation__in=programme.partners.all()).first()
    if location is None:
        raise SystemExit("The synthetic programme has no partner sites: run generate-synthetic first.")
    refurbisher = (
        programme.partners.filter(kind=OrganisationKind.REFURBISHER).first() or location.organisation
    )
    technician = User.objects.filter(email="bench-technician@example.org").first()
    if technician is None:
        technician = User.objects.create_user(
            "bench-technician@example.org", "x" * 12, full_name="Bench Technician"
        )
    Membership.objects.get_or_create(user=technician, organisation=refurbisher, role=Role.TECHNICIAN)
    for device_type, values in DEMO_SPECIFICATIONS.items():
        specification_save(programme=programme, device_type=device_type, values=values, by=None)
    return programme, location, technician


def _laptops(programme: Any, location: Any, count: int, prefix: str) -> list[Any]:
    from devicebank.devices.models import DeviceType, StorageKind
    from devicebank.devices.services import DeviceSpec, device_register
    from devicebank.devices.states import DeviceState
    from devicebank.sanitisation.demo import sanitise_for_demo

    devices = []
    for i in range(count):
        device = device_register(
            programme=programme,
            spec=DeviceSpec(
                device_type=DeviceType.LAPTOP,
                manufacturer="Dell",
                model="Latitude 5490",
                serial_number=f"{prefix}{i:06d}",
                cpu_model="Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz",
                ram_bytes=8 * 1024**3,
                storage_bytes=256 * GB,
                storage_kind=StorageKind.SSD,
            ),
            by=None,
            state=DeviceState.RECEIVED,
            location=location,
        )
        devices.append(sanitise_for_demo(device, by=None))
    return devices


def _history(device: Any, technician: Any) -> Any:
    """A device that has been round the bench a few times: a hardware report, three test runs (one failed),
    a repair, two grades, an OS install with a key, a password and a decision."""
    from devicebank.hardware.services import hardware_report_ingest
    from devicebank.refurbishment.models import ItemOutcome
    from devicebank.refurbishment.services import (
        ItemInput,
        _checklist_for,
        decision_record,
        device_secret_record,
        device_tests_record,
        grade_record,
        os_install_record,
        repair_record,
    )

    hardware_report_ingest(data=T480.read_bytes(), file_name="t480.json", by=None, device=device)
    items = [ItemInput(item.key, ItemOutcome.PASS) for item in _checklist_for(device)]
    device_tests_record(device=device, by=technician, results=[ItemInput("keyboard", ItemOutcome.FAIL)])
    repair_record(device=device, by=technician, fault="Keyboard", action="Replaced", minutes=20, cost="15.00")
    device_tests_record(device=device, by=technician, results=items, battery_health_percent=Decimal(81))
    device_tests_record(
        device=device, by=technician, results=items[:3], tpm_version="2.0", screen_inches=Decimal(14)
    )
    grade_record(device=device, by=technician, cosmetic="C")
    grade_record(device=device, by=technician, cosmetic="B")
    os_install_record(
        device=device,
        by=technician,
        os="windows_11_pro",
        licence_channel="mar_citizenship",
        licence_key="VK7JG-NPHTM-C97JM-9MPGT-3V66T",
    )
    device_secret_record(device=device, by=technician, kind="bios_password", value="bench-bios")
    decision_record(
        device=device,
        by=technician,
        estimated_parts_cost=Decimal(10),
        estimated_minutes=20,
        decision="repair",
        reason="ok",
    )
    device.refresh_from_db()
    return device


def measure_refurbishment(params: dict[str, Any], repeat: int = 30, pallet: int = 50) -> list[dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from devicebank.devices.states import DeviceState
    from devicebank.refurbishment.demo import refurbish_for_demo
    from devicebank.refurbishment.selectors import readiness_guard
    from devicebank.refurbishment.services import BulkAction, refurbishment_bulk_apply

    programme, location, technician = _setup()
    device = _history(_laptops(programme, location, 1, "BRH")[0], technician)
    assert readiness_guard(device) == [], readiness_guard(device)
    with CaptureQueriesContext(connection) as queries:
        readiness_guard(device)
    samples = []
    for _ in range(repeat + 3):
        start = time.perf_counter()
        readiness_guard(device)
        samples.append((time.perf_counter() - start) * 1000)
    samples = sorted(samples[3:])

    devices = _laptops(programme, location, pallet, "BRP")
    timings: dict[str, float] = {}
    for action, extra in (
        (BulkAction.TESTS_PASSED, {"not_applicable": []}),
        (BulkAction.GRADE, {"cosmetic": "B"}),
    ):
        start = time.perf_counter()
        outcomes = refurbishment_bulk_apply(devices=devices, by=technician, action=action, params=extra)
        timings[action] = time.perf_counter() - start
        assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok][:3]

    demo = _laptops(programme, location, 20, "BRD")
    start = time.perf_counter()
    demo = [refurbish_for_demo(item, by=technician) for item in demo]
    demo_ms = (time.perf_counter() - start) * 1000 / len(demo)
    assert all(d.state == DeviceState.IN_REFURBISHMENT for d in demo)

    p = {**params, "history_events": device.test_runs.count()}
    return [
        {
            "name": "refurbishment.readiness_check.median",
            "value": round(statistics.median(samples), 2),
            "unit": "ms",
            "params": p,
        },
        {
            "name": "refurbishment.readiness_check.p95",
            "value": round(samples[int(0.95 * (len(samples) - 1))], 2),
            "unit": "ms",
            "params": p,
        },
        {
            "name": "refurbishment.readiness_check.queries",
            "value": len(queries),
            "unit": "queries",
            "params": p,
        },
        {
            "name": "refurbishment.bulk_tests.devices_per_s",
            "value": round(pallet / timings[BulkAction.TESTS_PASSED], 1),
            "unit": "devices/s",
            "params": {**params, "pallet": pallet},
        },
        {
            "name": "refurbishment.bulk_grade.devices_per_s",
            "value": round(pallet / timings[BulkAction.GRADE], 1),
            "unit": "devices/s",
            "params": {**params, "pallet": pallet},
        },
        {
            "name": "refurbishment.demo_refurbish.ms_per_device",
            "value": round(demo_ms, 1),
            "unit": "ms",
            "params": params,
        },
    ]
