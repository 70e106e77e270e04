"""lshw -json: real output from this VM (plain, -C, -sanitize, not root), a hand-made laptop, and lshw 02.18's broken JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devicebank.hardware.parsers import HardwareReportError, parse_hardware_report
from devicebank.hardware.parsers.lshw import parse_lshw
from devicebank.hardware.tests.helpers import (
    fixture_bytes,
    fixture_json,
    has_warning,
    parse_fixture,
    parse_json,
    sample_bytes,
)

T480 = "thinkpad-t480-nvme-usb-stick.lshw.json"


class TestRealVirtualMachineOutput:
    @pytest.mark.parametrize("name", ["vm-debian12.lshw.json", "virtual-machine.lshw.json"])
    def test_it_reads_what_a_vm_without_dmi_data_says(self, name: str) -> None:
        report = parse_fixture(name)
        assert report.format == "lshw"
        assert report.cpu_model == "AMD EPYC"
        assert report.ram_bytes == 24 * 2**30
        assert report.mac_addresses == ["02:fc:00:00:00:01"]
        assert (report.manufacturer, report.model, report.serial, report.device_type) == (
            None,
            None,
            None,
            None,
        )

    def test_it_warns_about_everything_the_vm_does_not_say(self) -> None:
        report = parse_fixture("vm-debian12.lshw.json")
        assert has_warning(report, "virtual machine")
        assert has_warning(report, "system manufacturer is missing")
        assert has_warning(report, "no system serial number")
        assert has_warning(report, "chassis type is missing")
        assert has_warning(report, "no processor core count")

    def test_it_lists_the_virtio_disk_without_inventing_its_size_or_kind(self) -> None:
        [drive] = parse_fixture("vm-debian12.lshw.json").drives
        assert (drive.size_bytes, drive.kind, drive.interface) == (None, None, "virtio")

    def test_it_reads_the_shared_sample_in_place_too(self) -> None:
        report = parse_hardware_report(sample_bytes("lshw/virtual-machine.lshw.json"), filename="vm.json")
        assert report.mac_addresses == ["02:fc:00:00:00:01"]

    def test_it_reads_class_filtered_output_and_says_identity_is_missing(self) -> None:
        report = parse_fixture("vm-class-disk-network.lshw.json")
        assert len(report.drives) == 1
        assert report.mac_addresses == ["02:fc:00:00:00:01"]
        assert has_warning(report, "class filter (-C)")
        assert not has_warning(report, "no memory size")

    def test_it_strips_the_not_root_warning_lshw_prints_before_its_json(self) -> None:
        assert fixture_bytes("vm-not-root.lshw.json").startswith(
            b"WARNING: you should run this program as super-user."
        )
        report = parse_fixture("vm-not-root.lshw.json")
        assert report.format == "lshw"
        assert has_warning(report, "not run as root")

    def test_it_drops_mac_addresses_removed_by_sanitize(self) -> None:
        report = parse_fixture("vm-sanitized.lshw.json")
        assert report.mac_addresses == []

    def test_it_reads_a_list_holding_one_machine(self) -> None:
        report = parse_json([fixture_json("vm-debian12.lshw.json")])
        assert report.cpu_model == "AMD EPYC"
        assert not has_warning(report, "class filter")


class TestLaptop:
    def test_it_reads_the_friendly_lenovo_model_and_strips_the_sku_lshw_appends(self) -> None:
        report = parse_fixture(T480)
        assert (report.manufacturer, report.model, report.model_number) == (
            "Lenovo",
            "ThinkPad T480",
            "20L5CTO1WW",
        )
        assert (report.serial, report.device_type) == ("PF1HXK2Q", "laptop")

    def test_it_reads_processor_cores_and_sums_memory_banks(self) -> None:
        report = parse_fixture(T480)
        assert (report.cpu_model, report.cpu_cores) == ("Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", 4)
        assert report.ram_bytes == 32 * 2**30

    def test_it_takes_nvme_model_and_serial_from_the_controller_and_size_from_the_namespace(self) -> None:
        nvme = parse_fixture(T480).drives[0]
        assert (nvme.model, nvme.serial, nvme.size_bytes) == (
            "SAMSUNG MZVLB256HAHQ-000L7",
            "S41GNX0M123456",
            256060514304,
        )
        assert (nvme.kind, nvme.interface) == ("nvme", "nvme")

    def test_it_does_not_guess_whether_a_sata_drive_spins(self) -> None:
        report = parse_fixture(T480)
        sata = report.drives[1]
        assert (sata.model, sata.size_bytes, sata.kind) == ("ST500LM021-1KJ15", 500107862016, None)
        assert has_warning(report, "ST500LM021-1KJ15", "SSD or a hard disk")

    def test_it_leaves_out_the_usb_stick_and_says_so(self) -> None:
        report = parse_fixture(T480)
        assert [drive.model for drive in report.drives] == ["SAMSUNG MZVLB256HAHQ-000L7", "ST500LM021-1KJ15"]
        assert has_warning(report, "Left out USB storage Cruzer Blade (/dev/sdb, 15.4 GB)")

    def test_it_keeps_physical_network_cards_only(self) -> None:
        report = parse_fixture(T480)
        assert report.mac_addresses == [
            "3c:6a:a7:9e:11:22",
            "8c:16:45:5a:1b:2c",
        ]  # not docker0, not the USB dongle
        assert has_warning(report, "Left out USB network adapter 00:e0:4c:68:00:01")

    def test_it_keeps_the_battery_design_capacity_without_inventing_health(self) -> None:
        report = parse_fixture(T480)
        assert (report.battery_design_capacity, report.battery_capacity_unit) == (48050, "mWh")
        assert report.battery_health_percent is None


class TestBrokenJson:
    def test_it_repairs_lshw_0218_class_output_and_says_so(self) -> None:
        report = parse_fixture("optiplex-lshw-02.18-class-disk-broken.lshw.json")
        assert has_warning(
            report, "Repaired lshw's known broken JSON", "trailing commas", "2 top-level objects"
        )
        [disk] = report.drives  # the DVD writer is not storage
        assert (disk.model, disk.serial, disk.size_bytes, disk.kind) == (
            "WDC WD5000AAKX-0",
            "WD-WCC2EAB12345",
            500107862016,
            "hdd",
        )

    def test_it_repairs_a_list_with_a_trailing_comma(self) -> None:
        text = json.dumps([fixture_json("vm-debian12.lshw.json")], indent=2)
        broken = text[: text.rstrip().rfind("]")] + ",\n]"
        report = parse_hardware_report(broken.encode(), filename="x.json")
        assert report.cpu_model == "AMD EPYC"
        assert has_warning(report, "trailing commas")

    def test_it_names_the_line_where_truncated_lshw_json_stops(self) -> None:
        data = fixture_bytes(T480)
        cut = data[: len(data) // 2]
        line = cut.rstrip().count(b"\n") + 1
        with pytest.raises(HardwareReportError, match=f"truncated JSON at line {line}"):
            parse_hardware_report(cut, filename="cut.json")

    def test_it_refuses_repaired_lshw_json_without_hardware_nodes(self) -> None:
        with pytest.raises(HardwareReportError, match="lshw JSON without any hardware nodes"):
            parse_lshw('{"class" : "disk"} , [1, 2]', json_value=[1, 2])


def machine(*children: dict[str, Any], **root: Any) -> dict[str, Any]:
    return {"id": "pc", "class": "system", "description": "Computer", "children": list(children), **root}


def disk(**fields: Any) -> dict[str, Any]:
    return {"id": "disk", "class": "disk", "claimed": True, "units": "bytes", **fields}


class TestVariants:
    def test_it_reads_an_emmc_as_internal_storage(self) -> None:
        host = {
            "id": "mmc0",
            "class": "storage",
            "description": "MMC Host",
            "logicalname": "mmc0",
            "children": [
                disk(
                    id="card",
                    description="SD/MMC Device",
                    product="DF4032",
                    serial="3221225472",
                    logicalname="/dev/mmcblk0",
                    size=31268536320,
                )
            ],
        }
        [emmc] = parse_json(machine(host, vendor="HP", product="HP Stream Laptop 11-y0XX")).drives
        assert (emmc.model, emmc.kind, emmc.interface, emmc.size_bytes) == (
            "DF4032",
            "emmc",
            "mmc",
            31268536320,
        )

    def test_it_leaves_out_an_sd_card(self) -> None:
        card = disk(
            id="card", description="SD Card", product="SD64G", logicalname="/dev/mmcblk1", size=63864569856
        )
        report = parse_json(
            machine({"id": "mmc1", "class": "storage", "description": "MMC Host", "children": [card]})
        )
        assert report.drives == []
        assert has_warning(report, "SD card")

    def test_it_reads_ssd_from_the_model_name(self) -> None:
        ssd = disk(
            description="ATA Disk", product="Samsung SSD 860", logicalname="/dev/sda", size=500107862016
        )
        [drive] = parse_json(machine(ssd)).drives
        assert (drive.kind, drive.interface) == ("ssd", "ata")

    def test_it_reads_an_old_lshw_nvme_controller_without_a_namespace(self) -> None:
        controller = {
            "id": "storage",
            "class": "storage",
            "description": "Non-Volatile memory controller",
            "product": "NVMe SSD Controller SM981/PM981",
            "logicalname": "/dev/nvme0",
            "serial": "S4DYNX0N123456",
            "capabilities": {"nvme": True},
        }
        report = parse_json(machine(controller))
        [drive] = report.drives
        assert (drive.kind, drive.size_bytes, drive.serial) == ("nvme", None, "S4DYNX0N123456")
        assert has_warning(report, "no size for NVMe drive")

    def test_it_treats_a_zero_serial_as_a_placeholder(self) -> None:
        report = parse_json(machine(vendor="innotek GmbH", product="VirtualBox", serial="0"))
        assert report.serial is None
        assert has_warning(report, "'0' is a placeholder")
        assert has_warning(report, "virtual machine (VirtualBox)")

    @pytest.mark.parametrize(
        ("chassis", "device_type"),
        [
            ("notebook", "laptop"),
            ("mini-tower", "desktop"),
            ("all-in-one", "all_in_one"),
            ("tablet", "tablet"),
        ],
    )
    def test_it_maps_lshw_chassis_names(self, chassis: str, device_type: str) -> None:
        report = parse_json(machine(vendor="Dell Inc.", configuration={"chassis": chassis}))
        assert report.device_type == device_type

    def test_it_skips_logical_cpus_and_sums_sockets(self) -> None:
        def socket(name: str) -> dict[str, Any]:
            logical = {"id": "logicalcpu:0", "class": "processor", "capabilities": {"logical": "Logical CPU"}}
            return {
                "id": name,
                "class": "processor",
                "product": "Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz",
                "configuration": {"cores": "6"},
                "children": [logical],
            }

        empty = {"id": "cpu:2", "class": "processor", "description": "CPU [empty]", "disabled": True}
        report = parse_json(machine(socket("cpu:0"), socket("cpu:1"), empty))
        assert report.cpu_cores == 12

    def test_it_uses_the_system_memory_size_when_there_are_no_banks(self) -> None:
        memory = {
            "id": "memory",
            "class": "memory",
            "description": "System memory",
            "units": "bytes",
            "size": 8 * 2**30,
        }
        assert parse_json(machine(memory)).ram_bytes == 8 * 2**30
