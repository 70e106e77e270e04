"""Refurbishment fixtures: a laptop at the bench with known specs, and a programme specification."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from devicebank.conftest import World
from devicebank.devices.models import Device, StorageKind
from devicebank.devices.services import device_update_details
from devicebank.devices.states import DeviceState
from devicebank.devices.tests.factories import make_device
from devicebank.refurbishment.checklists import default_checklist
from devicebank.refurbishment.models import (
    ItemOutcome,
    LicenceChannel,
    OperatingSystem,
    OsTarget,
    Specification,
)
from devicebank.refurbishment.services import (
    ItemInput,
    SpecificationValues,
    device_tests_record,
    grade_record,
    os_install_record,
    specification_save,
)

GB = 1_000_000_000
GIB = 1024**3


def bench_laptop(world: World, state: DeviceState = DeviceState.SANITISED, **specs: Any) -> Device:
    """A sanitised Latitude 5490 (8th-generation i5, 8 GiB, 256 GB SSD) unless `specs` say otherwise."""
    device = make_device(programme=world.programme, location=world.warehouse, state=state)
    changes = {
        "cpu_model": "Intel(R) Core(TM) i5-8350U CPU @ 1.70GHz",
        "ram_bytes": 8 * GIB,
        "storage_bytes": 256 * GB,
        "storage_kind": StorageKind.SSD,
        **specs,
    }
    return device_update_details(device=device, by=None, changes=changes)


def all_pass(device: Device, **extra: Any) -> list[ItemInput]:
    return [ItemInput(item.key, ItemOutcome.PASS) for item in default_checklist(device.device_type)]


def finish_bench_work(device: Device, by: Any = None, **tests: Any) -> Device:
    """Passing tests (with TPM 2.0, a 14" screen and an 85% battery), grade B and Windows 11 with a key."""
    run = device_tests_record(
        device=device,
        by=by,
        results=all_pass(device),
        battery_health_percent=tests.pop("battery_health_percent", Decimal("85")),
        screen_inches=tests.pop("screen_inches", Decimal("14.0")),
        tpm_version=tests.pop("tpm_version", "2.0"),
    )
    grade_record(device=run.device, by=by, cosmetic="B")
    os_install_record(
        device=run.device,
        by=by,
        os=OperatingSystem.WINDOWS_11_PRO,
        licence_channel=LicenceChannel.MAR_CITIZENSHIP,
        licence_key="VK7JG-NPHTM-C97JM-9MPGT-3V66T",
        image_name="Win11 Pro",
        image_version="24H2",
    )
    run.device.refresh_from_db()
    return run.device


LAPTOP_SPEC = SpecificationValues(
    min_ram_bytes=4 * GB,
    min_storage_bytes=64 * GB,
    require_ssd=True,
    min_intel_generation=8,
    min_ryzen_series=3000,
    min_battery_percent=60,
    min_screen_inches=Decimal("11.6"),
    require_webcam=True,
    os_targets=[OsTarget.WINDOWS_11, OsTarget.LINUX],
    working_value=Decimal("150.00"),
)


@pytest.fixture
def laptop_spec(world: World) -> Specification:
    return specification_save(programme=world.programme, device_type="laptop", values=LAPTOP_SPEC, by=None)


@pytest.fixture
def laptop(world: World) -> Device:
    return bench_laptop(world)
