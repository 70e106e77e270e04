"""The --json / API shape, the byte formatters, and the shared normalisation rules."""

from __future__ import annotations

import pytest

from devicebank.hardware.parsers import (
    JSON_KEYS,
    Drive,
    HardwareReport,
    error_json,
    format_bytes_binary,
    format_bytes_decimal,
)
from devicebank.hardware.parsers.draft import ReportDraft
from devicebank.hardware.parsers.normalise import (
    chassis_device_type,
    hypervisor_in,
    is_placeholder,
    is_virtual_interface,
    normalise_mac,
)
from devicebank.hardware.parsers.units import size_to_bytes
from devicebank.hardware.tests.helpers import parse_fixture

EXACT_KEYS = [
    "file",
    "format",
    "manufacturer",
    "model",
    "serial",
    "device_type",
    "cpu_model",
    "cpu_cores",
    "ram_bytes",
    "drives",
    "battery_health_percent",
    "mac_addresses",
    "warnings",
    "error",
]


class TestJsonShape:
    def test_it_gives_exactly_the_documented_keys_for_a_report(self) -> None:
        result = parse_fixture("thinkpad-t480-nvme-usb-stick.lshw.json").to_json("t480.json")
        assert list(result) == EXACT_KEYS == list(JSON_KEYS)
        assert result["file"] == "t480.json"
        assert result["error"] is None
        assert result["drives"][0] == {
            "model": "SAMSUNG MZVLB256HAHQ-000L7",
            "serial": "S41GNX0M123456",
            "size_bytes": 256060514304,
            "kind": "nvme",
        }

    def test_it_gives_null_for_what_is_unknown(self) -> None:
        result = HardwareReport(format="lshw").to_json("x")
        assert result == {
            **dict.fromkeys(EXACT_KEYS),
            "file": "x",
            "format": "lshw",
            "drives": [],
            "mac_addresses": [],
            "warnings": [],
        }

    def test_it_gives_the_same_keys_all_empty_for_an_error(self) -> None:
        result = error_json("photo.png", "not a hardware report: looks like a PNG image")
        assert list(result) == EXACT_KEYS
        assert result == {
            **dict.fromkeys(EXACT_KEYS),
            "file": "photo.png",
            "drives": [],
            "mac_addresses": [],
            "warnings": [],
            "error": "not a hardware report: looks like a PNG image",
        }

    def test_a_drive_shows_four_keys_only(self) -> None:
        drive = Drive(model="m", serial="s", size_bytes=1, kind="ssd", interface="sata", power_on_hours=3)
        assert drive.to_json() == {"model": "m", "serial": "s", "size_bytes": 1, "kind": "ssd"}


class TestByteFormatting:
    @pytest.mark.parametrize(
        ("size", "decimal", "binary"),
        [
            (256060514304, "256.1 GB", "238.5 GiB"),
            (500107862016, "500.1 GB", "465.8 GiB"),
            (0, "0 B", "0 B"),
            (999, "999 B", "999 B"),
            (1000, "1.0 kB", "1000 B"),
            (1024, "1.0 kB", "1.0 KiB"),
            (999_960_000_000, "1.0 TB", "931.3 GiB"),
            (2**40, "1.1 TB", "1.0 TiB"),
        ],
    )
    def test_it_formats_sizes_for_people(self, size: int, decimal: str, binary: str) -> None:
        assert (format_bytes_decimal(size), format_bytes_binary(size)) == (decimal, binary)

    def test_it_refuses_a_negative_size(self) -> None:
        with pytest.raises(ValueError, match="negative"):
            format_bytes_decimal(-1)

    @pytest.mark.parametrize(
        ("text", "binary", "expected"),
        [
            ("8192 MB", True, 8 * 2**30),
            ("16 GB", True, 16 * 2**30),
            ("512 kB", True, 512 * 1024),
            ("160042.0 MB", False, 160_042_000_000),
            ("1024.0 mebibyte", False, 2**30),
            ("238.47 GiB", False, round(238.47 * 2**30)),
            ("No Module Installed", True, None),
            ("12 parsecs", True, None),
        ],
    )
    def test_it_reads_size_strings(self, text: str, binary: bool, expected: int | None) -> None:
        assert size_to_bytes(text, megabyte_is_binary=binary) == expected


class TestNormalisation:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("8C:16:45:5A:1B:2C", "8c:16:45:5a:1b:2c"),
            ("8c-16-45-5a-1b-2c", "8c:16:45:5a:1b:2c"),
            ("8c16455a1b2c", "8c:16:45:5a:1b:2c"),
            ("8c16.455a.1b2c", "8c:16:45:5a:1b:2c"),
            ("00:00:00:00:00:00", None),
            ("ff:ff:ff:ff:ff:ff", None),
            ("[REMOVED]", None),
            ("80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:1a:2b:3c", None),
            (None, None),
        ],
    )
    def test_it_normalises_mac_addresses(self, raw: str | None, expected: str | None) -> None:
        assert normalise_mac(raw) == expected

    @pytest.mark.parametrize(
        "name", ["docker0", "br-07e71be689bd", "virbr0", "veth1a2b3c", "lo", "lxcbr0", "tun0", "wg0"]
    )
    def test_it_recognises_virtual_interfaces_by_name(self, name: str) -> None:
        assert is_virtual_interface(name)

    @pytest.mark.parametrize("name", ["eth0", "enp0s31f6", "wlp59s0", "wlan0", "eno1"])
    def test_it_keeps_network_cards(self, name: str) -> None:
        assert not is_virtual_interface(name, "e1000e")

    def test_it_recognises_virtual_interfaces_by_driver(self) -> None:
        assert is_virtual_interface("anything", "bridge")

    @pytest.mark.parametrize(
        "text",
        [
            "To Be Filled By O.E.M.",
            "System Product Name",
            "Type1 - TBD by OEM",
            "Default string",
            "Not Specified",
            "0",
            "",
        ],
    )
    def test_it_recognises_firmware_placeholders(self, text: str) -> None:
        assert is_placeholder(text)

    @pytest.mark.parametrize("text", ["ThinkPad T480", "OptiPlex 7010", "HP EliteBook 840 G3", "B450M Pro4"])
    def test_it_keeps_real_names(self, text: str) -> None:
        assert not is_placeholder(text)

    def test_it_returns_a_warning_with_an_unknown_chassis(self) -> None:
        assert chassis_device_type("Bookshelf", source="DMI chassis type") == (
            None,
            "Unrecognised DMI chassis type 'Bookshelf', so the device type is unknown: set it by hand.",
        )

    @pytest.mark.parametrize(
        ("text", "name"), [("QEMU", "QEMU/KVM"), ("VMware, Inc.", "VMware"), ("Xen", "Xen")]
    )
    def test_it_recognises_hypervisors(self, text: str, name: str) -> None:
        assert hypervisor_in(text) == name

    def test_it_does_not_take_xenon_for_xen(self) -> None:
        assert hypervisor_in("Xenon Systems") is None


class TestPlausibility:
    def test_it_rounds_battery_health_to_one_decimal(self) -> None:
        draft = ReportDraft("dmidecode", battery_design_capacity=45000, battery_full_charge_capacity=37200)
        assert draft.finish().battery_health_percent == 82.7

    @pytest.mark.parametrize(("design", "full"), [(1000, 1200), (50000, 100), (0, 100)])
    def test_it_refuses_implausible_battery_health(self, design: float, full: float) -> None:
        report = ReportDraft(
            "dmidecode", battery_design_capacity=design, battery_full_charge_capacity=full
        ).finish()
        assert report.battery_health_percent is None
        assert any("Implausible battery health" in warning for warning in report.warnings)

    def test_it_accepts_a_battery_slightly_above_its_design_capacity(self) -> None:
        report = ReportDraft(
            "dmidecode", battery_design_capacity=1000, battery_full_charge_capacity=1080
        ).finish()
        assert report.battery_health_percent == 108.0

    def test_it_refuses_implausible_cores_and_ram(self) -> None:
        report = ReportDraft("lshw", cpu_cores=100_000, ram_bytes=1024).finish()
        assert (report.cpu_cores, report.ram_bytes) == (None, None)
        assert len(report.warnings) == 2
