"""dmidecode text output: the six real linuxhw samples (read in place), hand-made variants and real VM output."""

from __future__ import annotations

import pytest

from devicebank.hardware.parsers import HardwareReport, HardwareReportError, parse_hardware_report
from devicebank.hardware.tests.helpers import FIXTURES, has_warning, parse_fixture, parse_text, sample_bytes

GIB = 2**30


def parse_sample(name: str) -> HardwareReport:
    return parse_hardware_report(sample_bytes(f"dmidecode/{name}"), filename=name)


class TestRealSamples:
    def test_it_reads_the_friendly_lenovo_model_from_version_and_keeps_the_machine_type(self) -> None:
        report = parse_sample("linuxhw-Notebook-Lenovo-ThinkPad_T480_20L5CTO1WW-035D95A3446F.dmidecode.txt")
        assert report.format == "dmidecode"
        assert (report.manufacturer, report.model, report.model_number) == (
            "Lenovo",
            "ThinkPad T480",
            "20L5CTO1WW",
        )
        assert report.device_type == "laptop"
        assert report.cpu_model == "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz"
        assert report.cpu_cores == 4
        assert report.ram_bytes == 32 * GIB

    def test_it_adds_up_the_design_capacity_of_a_thinkpads_two_batteries(self) -> None:
        report = parse_sample("linuxhw-Notebook-Lenovo-ThinkPad_T480_20L5CTO1WW-035D95A3446F.dmidecode.txt")
        assert report.battery_design_capacity == 24000 + 24050
        assert report.battery_capacity_unit == "mWh"
        assert report.battery_health_percent is None
        assert has_warning(report, "design capacity only")

    def test_it_treats_the_anonymised_serial_as_a_placeholder(self) -> None:
        report = parse_sample("linuxhw-Notebook-Dell-Latitude_E7470-0C0E5E1F4F00.dmidecode.txt")
        assert report.serial is None
        assert has_warning(report, "'--' is a placeholder")

    def test_it_reads_a_dell_latitude(self) -> None:
        report = parse_sample("linuxhw-Notebook-Dell-Latitude_E7470-0C0E5E1F4F00.dmidecode.txt")
        assert (report.manufacturer, report.model, report.device_type) == ("Dell", "Latitude E7470", "laptop")
        assert (report.cpu_cores, report.ram_bytes) == (2, 8 * GIB)
        assert report.battery_design_capacity == 54990

    def test_it_skips_empty_memory_slots_on_a_lunch_box_desktop(self) -> None:
        report = parse_sample("linuxhw-Desktop-Dell-OptiPlex_7010-00FECFF99EFE.dmidecode.txt")
        assert (report.model, report.device_type) == ("OptiPlex 7010", "desktop")
        assert report.ram_bytes == 4 * GIB
        assert report.cpu_model == "Intel(R) Core(TM) i3-3225 CPU @ 3.30GHz"
        assert report.battery_design_capacity is None

    def test_it_maps_an_hp_notebook_chassis_to_laptop(self) -> None:
        report = parse_sample("linuxhw-Notebook-Hewlett-Packard-EliteBook_840_G3-003D6485DB70.dmidecode.txt")
        assert (report.manufacturer, report.model, report.device_type) == (
            "HP",
            "HP EliteBook 840 G3",
            "laptop",
        )
        assert report.ram_bytes == 8 * GIB
        assert report.battery_design_capacity == 46510

    def test_it_ignores_hp_oem_records_that_claim_to_list_mac_addresses(self) -> None:
        report = parse_sample("linuxhw-Notebook-Hewlett-Packard-EliteBook_840_G3-003D6485DB70.dmidecode.txt")
        assert report.mac_addresses == []

    def test_it_reads_an_apple_model_identifier_and_an_empty_battery_record(self) -> None:
        report = parse_sample("linuxhw-Notebook-Apple-MacBookAir7-2-0019A8B5165D.dmidecode.txt")
        assert (report.manufacturer, report.model, report.device_type) == ("Apple", "MacBookAir7,2", "laptop")
        assert report.ram_bytes == 8 * GIB
        assert report.battery_design_capacity is None
        assert has_warning(report, "battery record gives no design capacity")

    def test_it_calls_a_google_machine_a_chromebook_and_warns_about_its_code_name(self) -> None:
        report = parse_sample("linuxhw-Notebook-Google-Coral-135CC6E2C929.dmidecode.txt")
        assert report.device_type == "chromebook"
        assert report.model == "Coral"
        assert has_warning(report, "code name 'Coral'")

    def test_it_does_not_trust_the_core_count_of_a_processor_marked_unpopulated(self) -> None:
        report = parse_sample("linuxhw-Notebook-Google-Coral-135CC6E2C929.dmidecode.txt")
        assert report.cpu_model == "Intel(R) Celeron(R) CPU N3350 @ 1.10GHz"
        assert report.cpu_cores is None  # the firmware says 32 for a 2-core Celeron
        assert has_warning(report, "Unpopulated")
        assert report.ram_bytes == 4 * GIB

    def test_it_reads_the_dmidecode_version(self) -> None:
        report = parse_sample("linuxhw-Notebook-Google-Coral-135CC6E2C929.dmidecode.txt")
        assert report.tool_version == "dmidecode 3.5"

    def test_it_says_dmidecode_lists_no_drives(self) -> None:
        report = parse_sample("linuxhw-Notebook-Google-Coral-135CC6E2C929.dmidecode.txt")
        assert report.drives == []
        assert has_warning(report, "does not list drives")


class TestHandMadeVariants:
    def test_it_falls_back_to_the_motherboard_when_the_system_strings_are_placeholders(self) -> None:
        report = parse_fixture("asrock-whitebox-desktop-placeholders.dmidecode.txt")
        assert (report.manufacturer, report.model) == ("ASRock", "B450M Pro4")
        assert has_warning(report, "using the motherboard maker 'ASRock'")
        assert has_warning(report, "using the motherboard model 'B450M Pro4'")

    def test_it_warns_that_to_be_filled_by_oem_is_not_a_serial(self) -> None:
        report = parse_fixture("asrock-whitebox-desktop-placeholders.dmidecode.txt")
        assert report.serial is None
        assert has_warning(report, "'To Be Filled By O.E.M.' is a placeholder")

    def test_it_reads_memory_sizes_given_in_megabytes_as_binary(self) -> None:
        report = parse_fixture("asrock-whitebox-desktop-placeholders.dmidecode.txt")
        assert report.ram_bytes == 16 * GIB
        assert (report.cpu_model, report.cpu_cores) == ("AMD Ryzen 5 2600 Six-Core Processor", 6)
        assert report.device_type == "desktop"

    def test_it_reads_quiet_output_without_handle_lines(self) -> None:
        report = parse_fixture("hp-probook-450-g5-quiet.dmidecode.txt")
        assert (report.manufacturer, report.model, report.serial) == ("HP", "HP ProBook 450 G5", "5CD8123ABC")
        assert (report.device_type, report.cpu_cores, report.ram_bytes) == ("laptop", 4, 8 * GIB)
        assert report.battery_design_capacity == 48010

    def test_it_reads_windows_line_endings(self) -> None:
        text = (FIXTURES / "hp-probook-450-g5-quiet.dmidecode.txt").read_text()
        report = parse_hardware_report(text.replace("\n", "\r\n").encode(), filename="crlf.txt")
        assert report.model == "HP ProBook 450 G5"


class TestRealVirtualMachineOutput:
    @pytest.mark.parametrize("name", ["vm-no-smbios.dmidecode.txt", "vm-no-smbios-stderr.dmidecode.txt"])
    def test_it_explains_that_a_machine_without_smbios_has_nothing_to_read(self, name: str) -> None:
        with pytest.raises(HardwareReportError, match="no SMBIOS/DMI data"):
            parse_fixture(name)


SYSTEM = "Handle 0x0001, DMI type 1, 27 bytes\nSystem Information\n\tManufacturer: {maker}\n\tProduct Name: {product}\n"
SYSTEM += "\tVersion: {version}\n\tSerial Number: {serial}\n\tFamily: {family}\n\n"
CHASSIS = "Handle 0x0003, DMI type 3, 22 bytes\nChassis Information\n\tType: {chassis}\n\tSerial Number: {serial}\n\n"


def dmi(
    maker: str = "Dell Inc.",
    product: str = "Latitude 5490",
    version: str = "Not Specified",
    serial: str = "7XYZ123",
    family: str = "Latitude",
    chassis: str = "Notebook",
    chassis_serial: str = "7XYZ123",
    extra: str = "",
) -> str:
    return (
        "# dmidecode 3.4\nGetting SMBIOS data from sysfs.\n\n"
        + SYSTEM.format(maker=maker, product=product, version=version, serial=serial, family=family)
        + CHASSIS.format(chassis=chassis, serial=chassis_serial)
        + extra
    )


def cpu(version: str, cores: str, status: str = "Populated, Enabled", handle: str = "0x0004") -> str:
    return (
        f"Handle {handle}, DMI type 4, 48 bytes\nProcessor Information\n\tType: Central Processor\n"
        f"\tVersion: {version}\n\tStatus: {status}\n\tCore Count: {cores}\n\n"
    )


class TestRules:
    @pytest.mark.parametrize(
        ("chassis", "device_type"),
        [
            ("Notebook", "laptop"),
            ("Laptop", "laptop"),
            ("Portable", "laptop"),
            ("Sub Notebook", "laptop"),
            ("Convertible", "laptop"),
            ("Detachable", "laptop"),
            ("Desktop", "desktop"),
            ("Tower", "desktop"),
            ("Mini Tower", "desktop"),
            ("Low Profile Desktop", "desktop"),
            ("Space-saving", "desktop"),
            ("Mini PC", "desktop"),
            ("Lunch Box", "desktop"),
            ("All In One", "all_in_one"),
            ("Tablet", "tablet"),
            ("Main Server Chassis", "other"),
        ],
    )
    def test_it_maps_smbios_chassis_types_to_device_types(self, chassis: str, device_type: str) -> None:
        assert parse_text(dmi(chassis=chassis)).device_type == device_type

    @pytest.mark.parametrize("chassis", ["Other", "Unknown", "Docking Station", "Wibble"])
    def test_it_leaves_an_unknown_chassis_type_unset_and_warns(self, chassis: str) -> None:
        report = parse_text(dmi(chassis=chassis))
        assert report.device_type is None
        assert has_warning(report, "device type is unknown")

    @pytest.mark.parametrize(
        "serial", ["To Be Filled By O.E.M.", "Default string", "0", "--", "System Serial Number"]
    )
    def test_it_treats_placeholder_serials_as_missing(self, serial: str) -> None:
        report = parse_text(dmi(serial=serial, chassis_serial=serial))
        assert report.serial is None
        assert has_warning(report, "placeholder")

    def test_it_uses_the_chassis_serial_when_the_system_serial_is_a_placeholder(self) -> None:
        report = parse_text(dmi(serial="Default string", chassis_serial="CZC1234XYZ"))
        assert report.serial == "CZC1234XYZ"
        assert has_warning(report, "using the chassis serial number 'CZC1234XYZ'")

    def test_it_uses_the_lenovo_family_when_the_version_is_a_placeholder(self) -> None:
        report = parse_text(
            dmi(maker="LENOVO", product="20HRCTO1WW", version="None", family="ThinkPad X1 Carbon 5th")
        )
        assert (report.model, report.model_number) == ("ThinkPad X1 Carbon 5th", "20HRCTO1WW")

    def test_it_keeps_the_lenovo_machine_type_with_a_warning_when_there_is_no_friendly_name(self) -> None:
        report = parse_text(
            dmi(maker="LENOVO", product="10AXS0B400", version="Lenovo", family="To Be Filled By O.E.M.")
        )
        assert (report.model, report.model_number) == ("10AXS0B400", "10AXS0B400")
        assert has_warning(report, "only the machine type '10AXS0B400'")

    def test_it_sums_core_counts_over_populated_sockets_only(self) -> None:
        extra = (
            cpu("Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz", "6", handle="0x0040")
            + cpu("Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz", "6", handle="0x0041")
            + cpu("Not Specified", "0", status="Unpopulated", handle="0x0042")
        )
        report = parse_text(dmi(chassis="Tower", extra=extra))
        assert report.cpu_model == "Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz"
        assert report.cpu_cores == 12

    def test_it_leaves_out_memory_arrays_that_are_not_system_memory(self) -> None:
        extra = (
            "Handle 0x0010, DMI type 16, 23 bytes\nPhysical Memory Array\n\tUse: System Memory\n\n"
            "Handle 0x0011, DMI type 16, 23 bytes\nPhysical Memory Array\n\tUse: Flash Memory\n\n"
            "Handle 0x0012, DMI type 17, 40 bytes\nMemory Device\n\tArray Handle: 0x0010\n\tSize: 4 GB\n\n"
            "Handle 0x0013, DMI type 17, 40 bytes\nMemory Device\n\tArray Handle: 0x0011\n\tSize: 16 MB\n\n"
        )
        assert parse_text(dmi(extra=extra)).ram_bytes == 4 * GIB

    def test_it_warns_about_an_unreadable_module_size(self) -> None:
        extra = "Handle 0x0012, DMI type 17, 40 bytes\nMemory Device\n\tSize: lots\n\n"
        report = parse_text(dmi(extra=extra))
        assert report.ram_bytes is None
        assert has_warning(report, "Unreadable memory module size 'lots'")

    def test_it_computes_battery_health_when_a_full_charge_capacity_is_present(self) -> None:
        extra = (
            "Handle 0x0020, DMI type 22, 26 bytes\nPortable Battery\n\tDesign Capacity: 50000 mWh\n"
            "\tFull Charge Capacity: 41234 mWh\n\n"
        )
        report = parse_text(dmi(extra=extra))
        assert report.battery_health_percent == 82.5

    def test_it_refuses_an_implausible_battery_health(self) -> None:
        extra = (
            "Handle 0x0020, DMI type 22, 26 bytes\nPortable Battery\n\tDesign Capacity: 5000 mWh\n"
            "\tFull Charge Capacity: 41234 mWh\n\n"
        )
        report = parse_text(dmi(extra=extra))
        assert report.battery_health_percent is None
        assert has_warning(report, "Implausible battery health")

    def test_it_asks_for_full_output_when_only_a_subset_was_captured(self) -> None:
        text = "# dmidecode 3.4\n\n" + cpu("Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz", "4")
        report = parse_text(text)
        assert report.cpu_cores == 4
        assert report.manufacturer is None
        assert has_warning(report, "no System Information record")

    def test_it_warns_when_dmidecode_says_the_table_is_broken(self) -> None:
        report = parse_text(dmi(extra="Invalid entry length (0). DMI table is broken! Stop.\n"))
        assert has_warning(report, "DMI table is broken")

    def test_it_warns_about_a_virtual_machine(self) -> None:
        report = parse_text(dmi(maker="QEMU", product="Standard PC (Q35 + ICH9, 2009)", chassis="Other"))
        assert has_warning(report, "virtual machine")
