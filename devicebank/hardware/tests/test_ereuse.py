"""eReuse Workbench snapshots: Workbench 11 components, Workbench 14 and workbench-script bundles, signed credentials."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devicebank.hardware.parsers import HardwareReportError, parse_hardware_report
from devicebank.hardware.tests.helpers import (
    fixture_bytes,
    fixture_json,
    has_warning,
    parse_fixture,
    parse_json,
)

WB11 = "ereuse-wb11-acer-netbook.json"
WB14 = "ereuse-wb14-thinkpad-x1-carbon.json"
SCRIPT = "ereuse-workbench-script-latitude-e7240.json"


class TestWorkbench11Components:
    def test_it_reads_the_device_and_its_components(self) -> None:
        report = parse_fixture(WB11)
        assert report.format == "ereuse-workbench"
        assert (report.manufacturer, report.model, report.serial) == (
            "Acer",
            "AOHAPPY",
            "LUSEA0D010041234567890",
        )
        assert report.device_type == "laptop"  # chassis "Netbook"
        assert (report.cpu_model, report.cpu_cores) == ("Intel Atom CPU N450 @ 1.66GHz", 1)
        assert report.tool_version == "Workbench 11.0b9"

    def test_it_reads_pint_sizes_with_their_units(self) -> None:
        report = parse_fixture(WB11)
        assert report.ram_bytes == 2**30  # "1024.0 mebibyte"
        assert report.drives[0].size_bytes == 160_042_000_000  # "160042.0 MB"
        assert report.drives[0].kind == "hdd"

    def test_it_leaves_out_usb_drives(self) -> None:
        report = parse_fixture(WB11)
        assert [drive.model for drive in report.drives] == ["WDC WD1600BEVT-2"]
        assert has_warning(report, "Left out USB storage DataTraveler 2.0")

    def test_it_computes_battery_health_from_the_measure_battery_action(self) -> None:
        report = parse_fixture(WB11)
        assert (report.battery_design_capacity, report.battery_full_charge_capacity) == (2200, 1870)
        assert report.battery_capacity_unit == "mAh"
        assert report.battery_health_percent == 85.0

    def test_it_normalises_network_adapter_macs(self) -> None:
        assert parse_fixture(WB11).mac_addresses == ["88:ae:1d:a6:f3:11", "00:26:c7:8e:cb:11"]

    def test_it_reads_bare_sizes_as_mib_and_says_they_are_approximate(self) -> None:
        snapshot = fixture_json(WB11)
        snapshot["components"][0]["size"] = 238475
        snapshot["components"][2]["size"] = 1024
        report = parse_json(snapshot)
        assert report.drives[0].size_bytes == 238475 * 2**20
        assert report.ram_bytes == 2**30
        assert has_warning(report, "bare number", "approximate")

    def test_it_reads_the_older_device_inventory_layout_with_at_type_keys(self) -> None:
        snapshot = {
            "@type": "Snapshot",
            "device": {
                "@type": "Computer",
                "manufacturer": "Dell Inc.",
                "model": "OptiPlex GX520",
                "serialNumber": "GTK1N3J",
                "type": "Desktop",
            },
            "components": [
                {"@type": "Processor", "model": "Intel(R) Pentium(R) D CPU 2.80GHz", "numberOfCores": 2},
                {"@type": "RamModule", "size": 512},
                {"@type": "RamModule", "size": 512},
                {
                    "@type": "HardDrive",
                    "model": "ST380815AS",
                    "serialNumber": "2QZBZX1M",
                    "size": 76319,
                    "interface": "ata",
                },
                {"@type": "NetworkAdapter", "serialNumber": "00:11:22:33:44:55"},
            ],
        }
        report = parse_json(snapshot)
        assert (report.manufacturer, report.model, report.device_type) == (
            "Dell",
            "OptiPlex GX520",
            "desktop",
        )
        assert (report.cpu_cores, report.ram_bytes) == (2, 2**30)
        assert report.drives[0].size_bytes == 76319 * 2**20
        assert report.mac_addresses == ["00:11:22:33:44:55"]

    @pytest.mark.parametrize(
        ("kind", "device_type"), [("Smartphone", "phone"), ("Tablet", "tablet"), ("Server", "other")]
    )
    def test_it_maps_workbench_device_types(self, kind: str, device_type: str) -> None:
        snapshot = {"type": "Snapshot", "device": {"type": kind, "manufacturer": "Samsung"}, "components": []}
        assert parse_json(snapshot).device_type == device_type


class TestWorkbench14Bundle:
    def test_it_takes_identity_cpu_and_ram_from_the_bundled_dmidecode(self) -> None:
        report = parse_fixture(WB14)
        assert (report.manufacturer, report.model, report.model_number) == (
            "Lenovo",
            "ThinkPad X1 Carbon 5th",
            "20HRCTO1WW",
        )
        assert (report.serial, report.device_type, report.cpu_cores, report.ram_bytes) == (
            "PF0ABC12",
            "laptop",
            2,
            16 * 2**30,
        )
        assert report.tool_version == "Workbench 14.0.0"

    def test_it_takes_drives_from_the_bundled_smartctl_string(self) -> None:
        [drive] = parse_fixture(WB14).drives
        assert (drive.model, drive.size_bytes, drive.kind) == (
            "SAMSUNG MZVLW1T0HMLH-000L7",
            1024209543168,
            "nvme",
        )

    def test_it_drops_the_notes_of_sources_it_did_not_use(self) -> None:
        report = parse_fixture(WB14)
        assert not has_warning(report, "dmidecode does not list drives")
        assert not has_warning(report, "describes a drive")

    def test_it_reads_macs_from_hwinfo_without_loopback_or_the_usb_dock(self) -> None:
        report = parse_fixture(WB14)
        assert report.mac_addresses == ["00:28:f8:a6:d5:11", "54:e1:ad:11:fb:11"]
        assert has_warning(report, "Left out USB network adapter 48:65:ee:17:57:11")

    def test_it_keeps_the_design_capacity_from_dmidecode(self) -> None:
        report = parse_fixture(WB14)
        assert (report.battery_design_capacity, report.battery_health_percent) == (57000, None)

    def test_it_reads_the_misspelt_demidecode_key(self) -> None:
        snapshot = fixture_json(WB14)
        snapshot["data"]["demidecode"] = snapshot["data"].pop("dmidecode")
        assert parse_json(snapshot).model == "ThinkPad X1 Carbon 5th"


class TestWorkbenchScript:
    def test_it_reads_identity_drives_and_battery_health(self) -> None:
        report = parse_fixture(SCRIPT)
        assert (report.manufacturer, report.model, report.serial) == ("Dell", "Latitude E7240", "5CQ1AB2")
        assert [drive.model for drive in report.drives] == ["CT500MX500SSD1"]
        assert report.battery_health_percent == 82.7  # inxi "condition: 37.2/45.0 Wh"
        assert (report.battery_design_capacity, report.battery_capacity_unit) == (45000, "mWh")
        assert report.tool_version == "workbench-script 0.0.1"

    def test_it_explains_the_usb_boot_stick_smartctl_could_not_read(self) -> None:
        assert has_warning(parse_fixture(SCRIPT), "/dev/sdb", "Unknown USB bridge", "USB storage")

    def test_it_reads_macs_from_inxi_without_docker_or_bridges(self) -> None:
        assert parse_fixture(SCRIPT).mac_addresses == ["f0:1f:af:55:7e:11", "0c:8b:fd:68:c8:11"]

    def test_it_reads_a_signed_credential_carrying_the_same_evidence(self) -> None:
        snapshot = fixture_json(SCRIPT)
        credential = {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential", "DeviceSnapshot"],
            "credentialSubject": {
                "uuid": snapshot["uuid"],
                "software": "workbench-script",
                "type": "hardwareList",
            },
            "evidence": [
                {"type": "HardwareList", "operation": "dmidecode", "output": snapshot["data"]["dmidecode"]},
                {
                    "type": "HardwareList",
                    "operation": "smartctl",
                    "output": json.loads(snapshot["data"]["smartctl"]),
                },
                {"type": "HardwareList", "operation": "inxi", "output": json.loads(snapshot["data"]["inxi"])},
            ],
            "proof": {"type": "Ed25519Signature2018", "jws": "eyJhbGciOiJFZERTQSJ9..c2lnbmF0dXJl"},
        }
        report = parse_json(credential)
        assert (report.model, report.battery_health_percent) == ("Latitude E7240", 82.7)
        assert report.tool_version == "workbench-script"

    def test_it_reads_a_legacy_conversion_with_lshw_and_a_smart_list(self) -> None:
        snapshot = fixture_json(SCRIPT)
        data = snapshot["data"]
        data["smart"] = json.loads(data.pop("smartctl"))
        data.pop("inxi")
        data["lshw"] = fixture_bytes("thinkpad-t480-nvme-usb-stick.lshw.json").decode()
        report = parse_json(snapshot)
        assert report.model == "Latitude E7240"  # dmidecode wins over lshw for identity
        assert report.mac_addresses == ["3c:6a:a7:9e:11:22", "8c:16:45:5a:1b:2c"]  # lshw wins for MACs
        assert [drive.model for drive in report.drives] == ["CT500MX500SSD1"]  # smartctl wins for drives

    def test_it_warns_about_a_broken_bundled_part_and_reads_the_rest(self) -> None:
        snapshot = fixture_json(SCRIPT)
        snapshot["data"]["inxi"] = '[{"000#1#0#Machine": ['
        report = parse_json(snapshot)
        assert report.model == "Latitude E7240"
        assert has_warning(report, "bundled inxi output could not be read", "truncated JSON")

    def test_it_falls_back_to_lshw_drives_without_smartctl(self) -> None:
        snapshot: dict[str, Any] = {
            "type": "Snapshot",
            "software": "Workbench",
            "version": "2022.5.1-beta",
            "data": {"lshw": fixture_json("thinkpad-t480-nvme-usb-stick.lshw.json"), "lspci": ""},
        }
        report = parse_json(snapshot)
        assert report.model == "ThinkPad T480"
        assert len(report.drives) == 2


class TestRefusals:
    def test_it_refuses_a_snapshot_without_hardware_data(self) -> None:
        with pytest.raises(HardwareReportError, match="without hardware data"):
            parse_json({"type": "Snapshot", "software": "Workbench", "version": "14.0.0"})

    def test_it_refuses_a_bundle_whose_parts_are_all_unreadable(self) -> None:
        with pytest.raises(HardwareReportError, match="no readable dmidecode, lshw or smartctl"):
            parse_json(
                {"type": "Snapshot", "data": {"dmidecode": "", "smart": "", "lshw": "{}", "hwinfo": "x"}}
            )

    def test_it_names_the_line_where_a_truncated_snapshot_stops(self) -> None:
        data = fixture_bytes(WB11)[:1500]
        with pytest.raises(HardwareReportError, match="truncated JSON at line"):
            parse_hardware_report(data, filename="cut.json")


def test_a_bundle_with_only_smartctl_says_the_machine_itself_is_unknown() -> None:
    snapshot = fixture_json(SCRIPT)
    del snapshot["data"]["dmidecode"], snapshot["data"]["inxi"]
    report = parse_json(snapshot)
    assert (report.manufacturer, report.model, len(report.drives)) == (None, None, 1)
    assert has_warning(report, "no readable dmidecode or lshw output")
