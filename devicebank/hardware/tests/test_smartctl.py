"""smartctl --json for one drive: NVMe, SATA SSD and HDD, SAS, a USB enclosure, and real output from this VM."""

from __future__ import annotations

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


def only_drive(name: str) -> Any:
    report = parse_fixture(name)
    assert report.format == "smartctl"
    [drive] = report.drives
    return drive


class TestDrives:
    def test_it_reads_an_nvme_drive(self) -> None:
        drive = only_drive("samsung-pm981-nvme.smartctl.json")
        assert (drive.model, drive.serial, drive.size_bytes) == (
            "SAMSUNG MZVLB256HAHQ-000L7",
            "S41GNX0M123456",
            256060514304,
        )
        assert (drive.kind, drive.interface, drive.power_on_hours, drive.smart_passed) == (
            "nvme",
            "nvme",
            4523,
            True,
        )

    def test_it_calls_a_drive_with_rotation_rate_zero_an_ssd(self) -> None:
        drive = only_drive("crucial-mx500-sata-ssd.smartctl.json")
        assert (drive.model, drive.size_bytes, drive.kind, drive.interface) == (
            "CT500MX500SSD1",
            500107862016,
            "ssd",
            "sata",
        )

    def test_it_calls_a_spinning_drive_an_hdd(self) -> None:
        drive = only_drive("wd-blue-sata-hdd.smartctl.json")
        assert (drive.model, drive.serial, drive.kind) == ("WDC WD5000LPCX-24C6HT0", "WD-WX11A1234567", "hdd")

    def test_it_reads_a_sas_drive(self) -> None:
        drive = only_drive("seagate-sas-hdd.smartctl.json")
        assert (drive.model, drive.size_bytes, drive.kind, drive.interface) == (
            "SEAGATE ST300MM0008",
            300000000000,
            "hdd",
            "sas",
        )

    def test_it_reads_scsi_vendor_and_product_from_smartctl_before_7_3(self) -> None:
        document = fixture_json("seagate-sas-hdd.smartctl.json")
        for key in ("scsi_model_name", "scsi_vendor", "scsi_product"):
            document.pop(key)
        document.update(vendor="SEAGATE", product="ST300MM0008")
        assert parse_json(document).drives[0].model == "SEAGATE ST300MM0008"

    def test_it_says_smartctl_describes_a_drive_not_a_machine(self) -> None:
        report = parse_fixture("samsung-pm981-nvme.smartctl.json")
        assert (report.manufacturer, report.serial, report.device_type) == (None, None, None)
        assert has_warning(report, "describes a drive")
        assert report.tool_version == "smartctl 7.3"

    def test_it_leaves_out_a_drive_behind_a_usb_bridge(self) -> None:
        report = parse_fixture("usb-jmicron-enclosure-hdd.smartctl.json")
        assert report.drives == []
        assert has_warning(report, "Left out ST1000LM035-1RK172", "attached over USB")

    def test_it_sums_nvme_namespaces_when_user_capacity_is_absent(self) -> None:
        document = fixture_json("samsung-pm981-nvme.smartctl.json")
        del document["user_capacity"], document["nvme_total_capacity"]
        document["nvme_namespaces"].append({"id": 2, "size": {"blocks": 1000, "bytes": 512000}})
        assert parse_json(document).drives[0].size_bytes == 256060514304 + 512000

    def test_it_does_not_guess_ssd_or_hdd_without_a_rotation_rate(self) -> None:
        document = fixture_json("crucial-mx500-sata-ssd.smartctl.json")
        del document["rotation_rate"]
        report = parse_json(document)
        assert report.drives[0].kind is None
        assert has_warning(report, "SSD or HDD is unknown", "supports TRIM")

    def test_it_treats_a_placeholder_drive_serial_as_missing(self) -> None:
        document = fixture_json("wd-blue-sata-hdd.smartctl.json")
        document["serial_number"] = "0000000000"
        report = parse_json(document)
        assert report.drives[0].serial is None
        assert has_warning(report, "('0000000000') is a placeholder")

    def test_it_warns_loudly_about_a_failing_drive(self) -> None:
        document = fixture_json("wd-blue-sata-hdd.smartctl.json")
        document["smart_status"]["passed"] = False
        document["smartctl"]["exit_status"] = 8
        report = parse_json(document)
        assert report.drives[0].smart_passed is False
        assert has_warning(report, "is FAILING")

    def test_it_warns_about_a_worn_out_nvme_drive(self) -> None:
        document = fixture_json("samsung-pm981-nvme.smartctl.json")
        document["nvme_smart_health_information_log"]["percentage_used"] = 112
        assert has_warning(parse_json(document), "112% of its rated write endurance")

    def test_it_reads_a_list_of_smartctl_documents(self) -> None:
        report = parse_json(
            [fixture_json("samsung-pm981-nvme.smartctl.json"), fixture_json("wd-blue-sata-hdd.smartctl.json")]
        )
        assert [drive.kind for drive in report.drives] == ["nvme", "hdd"]


class TestUnreadableDrives:
    def test_it_reports_why_smartctl_could_not_read_the_drive_in_this_vm(self) -> None:
        with pytest.raises(
            HardwareReportError, match=r"could not read /dev/vda \(exit status 1\): .*Unable to detect"
        ):
            parse_fixture("vm-vda-unknown-device-type.smartctl.json")

    def test_it_names_an_unknown_usb_bridge_as_usb_storage(self) -> None:
        document = fixture_json("vm-vda-unknown-device-type.smartctl.json")
        document["smartctl"]["messages"] = [
            {"string": "/dev/sdb: Unknown USB bridge [0x0781:0x5567 (0x100)]"}
        ]
        with pytest.raises(HardwareReportError, match="USB storage"):
            parse_json(document)

    def test_it_names_the_line_where_truncated_smartctl_json_stops(self) -> None:
        cut = fixture_bytes("samsung-pm981-nvme.smartctl.json")[:700]
        line = cut.rstrip().count(b"\n") + 1
        with pytest.raises(HardwareReportError, match=rf"truncated JSON at line {line}\b"):
            parse_hardware_report(cut, filename="cut.json")

    def test_it_refuses_smartctl_output_that_describes_no_drive(self) -> None:
        scan = {
            "json_format_version": [1, 0],
            "smartctl": {"version": [7, 3], "argv": ["smartctl", "--scan", "-j"], "exit_status": 0},
            "devices": [{"name": "/dev/sda", "info_name": "/dev/sda", "type": "scsi", "protocol": "SCSI"}],
        }
        with pytest.raises(HardwareReportError, match="gives no model, serial or capacity"):
            parse_json(scan)
