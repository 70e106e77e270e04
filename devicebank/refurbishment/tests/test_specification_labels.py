"""A specification's minimums read as people say them: sizes as sold, operating systems by name, no stray "; "."""

from __future__ import annotations

from decimal import Decimal

from devicebank.devices.models import DeviceType
from devicebank.refurbishment.models import OsTarget, Specification
from devicebank.refurbishment.templatetags.refurbishment_tags import specification_minimums

GB = 1_000_000_000


def test_minimums_show_sizes_as_sold_and_operating_systems_by_name() -> None:
    spec = Specification(
        device_type=DeviceType.LAPTOP,
        min_ram_bytes=4 * GB,
        min_storage_bytes=64 * GB,
        require_ssd=True,
        min_intel_generation=8,
        os_targets=[OsTarget.WINDOWS_11, OsTarget.LINUX],
    )
    assert specification_minimums(spec) == (
        "4 GB memory; 64 GB SSD storage; Intel Core 8th generation or later; OS: Windows 11, Linux"
    )


def test_a_specification_with_only_some_minimums_has_no_stray_separators() -> None:
    spec = Specification(
        device_type=DeviceType.TABLET, min_battery_percent=70, min_screen_inches=Decimal("10.1")
    )
    assert specification_minimums(spec) == 'battery 70%; screen 10.1"'


def test_a_specification_without_minimums_says_so() -> None:
    assert specification_minimums(Specification(device_type=DeviceType.PHONE)) == "None"


def test_ordinals_read_as_english() -> None:
    shown = [specification_minimums(Specification(min_intel_generation=n)) for n in (1, 2, 3, 11, 12, 13, 21)]
    assert [s.split()[2] for s in shown] == ["1st", "2nd", "3rd", "11th", "12th", "13th", "21st"]
