"""How demo data, factories and browser tests make a device pass refurbishment before `ready`, and the demo
programme's specifications.

Kept here so that the readiness rules and the data that must satisfy them change together. Everything goes
through the services, so demo histories carry the same records and events as real bench work.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

from devicebank.devices.models import Device, DeviceType, StorageKind
from devicebank.devices.services import device_update_details
from devicebank.devices.states import DeviceState
from devicebank.people.models import User
from devicebank.programmes.models import Programme
from devicebank.refurbishment.licences import KEY_ALPHABET
from devicebank.refurbishment.models import (
    ChromeOSFlexModel,
    CosmeticGrade,
    FlexModelStatus,
    ItemOutcome,
    LicenceChannel,
    OperatingSystem,
    OsTarget,
    Part,
    PartKind,
    Specification,
    TpmVersion,
)
from devicebank.refurbishment.selectors import (
    OS_NEEDED_BY_DEFAULT,
    flex_key,
    readiness,
    specification_for,
)
from devicebank.refurbishment.services import (
    ItemInput,
    SpecificationValues,
    device_tests_record,
    grade_record,
    os_install_record,
    part_create,
    repair_record,
    specification_save,
)
from devicebank.refurbishment.services.grading import _checklist_for

GB = 1_000_000_000
MOBILE = (DeviceType.TABLET, DeviceType.PHONE)
# Screen sizes of the demo's models (hardware reports do not carry them; a technician measures).
SCREENS: dict[str, Decimal] = {
    "Latitude 5490": Decimal("14.0"),
    "Latitude E7470": Decimal("14.0"),
    "EliteBook 840 G5": Decimal("14.0"),
    "EliteBook 840 G3": Decimal("14.0"),
    "ThinkPad T480": Decimal("14.0"),
    "ThinkPad X280": Decimal("12.5"),
    "Chromebook 314": Decimal("14.0"),
    "iPad (7th generation)": Decimal("10.2"),
    "Galaxy A52": Decimal("6.5"),
}
DEFAULT_SCREEN: dict[str, Decimal] = {
    DeviceType.LAPTOP: Decimal("14.0"),
    DeviceType.CHROMEBOOK: Decimal("11.6"),
}
SSD_PART = "256 GB 2.5-inch SATA SSD"


def _digest(device: Device) -> bytes:
    return hashlib.sha256(f"devicebank-demo-{device.pk}".encode()).digest()


def demo_product_key(device: Device) -> str:
    """A well-formed, made-up Windows product key, the same for the same device every time."""
    chars = "".join(KEY_ALPHABET[b % len(KEY_ALPHABET)] for b in _digest(device)[:25]).replace("N", "B")
    return "-".join(chars[i : i + 5] for i in range(0, 25, 5))


def refurbish_for_demo(device: Device, *, by: User | None, at: datetime | None = None) -> Device:
    """Record what `device` (sanitised or in refurbishment) needs to be allowed into `ready`: an SSD if its
    programme needs one and a spare is in stock, passing tests with measurements, a grade and an OS install.

    A device coming back to ready from reserved or in transit already passed in this pass: nothing to record.
    """
    if device.state not in (DeviceState.SANITISED, DeviceState.IN_REFURBISHMENT):
        return device
    spec = specification_for(device)
    if spec is not None and spec.require_ssd and device.storage_kind == StorageKind.HDD:
        device = _swap_in_ssd(device, by=by, at=at)
    digest = _digest(device)
    computer = device.device_type not in MOBILE
    results = [ItemInput(item.key, ItemOutcome.PASS) for item in _checklist_for(device)]
    run = device_tests_record(
        device=device,
        by=by,
        results=results,
        battery_health_percent=None
        if device.device_type in (DeviceType.DESKTOP, DeviceType.OTHER, DeviceType.ALL_IN_ONE)
        else Decimal(72 + digest[0] % 25),
        tpm_version=TpmVersion.TPM_2 if computer and device.device_type != DeviceType.CHROMEBOOK else "",
        screen_inches=SCREENS.get(device.model) or DEFAULT_SCREEN.get(device.device_type),
        at=at,
    )
    device = run.device
    grade_record(device=device, by=by, cosmetic=CosmeticGrade.values[digest[1] % 3], at=at)
    if spec is None:  # no targets to meet (factories, tests): skip the evaluation, the demo's hot path
        if device.device_type in OS_NEEDED_BY_DEFAULT:
            _install_os(device, by=by, at=at, eligible={})
    else:
        state = readiness(device)
        if state.os_required:
            eligible = {t: a.ok for t, a in state.evaluation.os_eligibility.items()}
            _install_os(device, by=by, at=at, eligible=eligible)
    device.refresh_from_db()
    return device


def _install_os(
    device: Device, *, by: User | None, at: datetime | None, eligible: dict[str, bool | None]
) -> None:
    if device.device_type == DeviceType.CHROMEBOOK:
        os_install_record(
            device=device,
            by=by,
            os=OperatingSystem.CHROMEOS,
            licence_channel=LicenceChannel.NONE,
            image_name="ChromeOS stable",
            image_version="powerwashed",
            at=at,
        )
    elif eligible.get(OsTarget.WINDOWS_11):
        os_install_record(
            device=device,
            by=by,
            os=OperatingSystem.WINDOWS_11_PRO,
            licence_channel=LicenceChannel.MAR_CITIZENSHIP,
            image_name="Northbridge Win11 Pro",
            image_version="24H2",
            licence_key=demo_product_key(device),
            at=at,
        )
    elif eligible.get(OsTarget.CHROMEOS_FLEX):
        os_install_record(
            device=device,
            by=by,
            os=OperatingSystem.CHROMEOS_FLEX,
            licence_channel=LicenceChannel.NONE,
            image_name="ChromeOS Flex",
            image_version="stable",
            at=at,
        )
    else:
        os_install_record(
            device=device,
            by=by,
            os=OperatingSystem.LINUX,
            licence_channel=LicenceChannel.NONE,
            image_name="Ubuntu 24.04 LTS",
            image_version="24.04.1",
            at=at,
        )


def _swap_in_ssd(device: Device, *, by: User | None, at: datetime | None) -> Device:
    part = Part.objects.filter(
        programme_id=device.programme_id, kind=PartKind.STORAGE, description=SSD_PART, quantity__gt=0
    ).first()
    if part is None:
        return device
    repair_record(
        device=device,
        by=by,
        fault="Hard disk: the programme needs an SSD",
        action="Fitted a 256 GB SSD",
        minutes=15,
        cost=Decimal("18.00"),
        parts=[(part, 1)],
        at=at,
    )
    return device_update_details(
        device=device,
        by=by,
        changes={"storage_bytes": 256 * GB, "storage_kind": StorageKind.SSD},
        reason="Hard disk replaced with an SSD",
    )


# The demo programme's specifications: believable minimums for a borough's lending scheme.
DEMO_SPECIFICATIONS: dict[str, SpecificationValues] = {
    DeviceType.LAPTOP: SpecificationValues(
        min_ram_bytes=4 * GB,
        min_storage_bytes=64 * GB,
        require_ssd=True,
        min_intel_generation=6,
        min_ryzen_series=2000,
        min_battery_percent=60,
        min_screen_inches=Decimal("11.6"),
        require_webcam=True,
        os_targets=[OsTarget.WINDOWS_11, OsTarget.CHROMEOS_FLEX, OsTarget.LINUX],
        working_value=Decimal("150.00"),
    ),
    DeviceType.CHROMEBOOK: SpecificationValues(
        min_ram_bytes=4 * GB,
        min_storage_bytes=32 * GB,
        min_battery_percent=60,
        require_webcam=True,
        os_targets=[OsTarget.CHROMEOS],
        working_value=Decimal("90.00"),
    ),
    DeviceType.DESKTOP: SpecificationValues(
        min_ram_bytes=4 * GB,
        min_storage_bytes=120 * GB,
        require_ssd=True,
        min_intel_generation=6,
        min_ryzen_series=2000,
        os_targets=[OsTarget.WINDOWS_11, OsTarget.LINUX],
        working_value=Decimal("100.00"),
    ),
    DeviceType.TABLET: SpecificationValues(
        min_storage_bytes=32 * GB,
        min_battery_percent=70,
        require_os_install=False,
        working_value=Decimal("80.00"),
    ),
    DeviceType.PHONE: SpecificationValues(
        min_storage_bytes=64 * GB,
        min_battery_percent=70,
        require_os_install=False,
        working_value=Decimal("60.00"),
    ),
}

# A few entries of Google's ChromeOS Flex certified-models list (the real list is loaded with
# `devicebank load-flex-models`).
DEMO_FLEX_MODELS = [
    ("Dell Latitude E7470", FlexModelStatus.CERTIFIED, 2027),
    ("HP EliteBook 840 G3", FlexModelStatus.CERTIFIED, 2027),
    ("HP EliteBook 840 G5", FlexModelStatus.CERTIFIED, 2028),
    ("Dell OptiPlex 7060", FlexModelStatus.CERTIFIED, 2028),
]


def demo_specifications(programme: Programme) -> None:
    """Give the demo programme its specifications, a spare-parts shelf and a few Flex entries (idempotent)."""
    for name, status, year in DEMO_FLEX_MODELS:
        ChromeOSFlexModel.objects.get_or_create(
            key=flex_key(name), defaults={"name": name, "status": status, "end_of_support_year": year}
        )
    if Specification.objects.filter(programme=programme).exists():
        return
    for device_type, values in DEMO_SPECIFICATIONS.items():
        specification_save(programme=programme, device_type=device_type, values=values, by=None)
    for kind, description, models, quantity in [
        (PartKind.STORAGE, SSD_PART, "any laptop or desktop with a 2.5-inch bay", 200),
        (
            PartKind.CHARGER,
            "65 W USB-C charger",
            "Latitude 5490, EliteBook 840 G5, ThinkPad T480, ThinkPad X280",
            12,
        ),
        (PartKind.BATTERY, "ThinkPad T480 rear battery 24 Wh", "ThinkPad T480", 3),
        (PartKind.MEMORY, "8 GB DDR4 SO-DIMM", "Latitude 5490, EliteBook 840 G5, ThinkPad T480", 6),
    ]:
        part_create(
            programme=programme,
            by=None,
            kind=kind,
            description=description,
            compatible_models=models,
            quantity=quantity,
        )
