"""Pure-Python readers for what a machine says about itself: lshw, dmidecode, smartctl and eReuse snapshots.

No database and no Django here: bytes in, a `HardwareReport` out. See docs/hardware-reports.md.

    report = parse_hardware_report(data, filename="laptop-42.json")
    report.to_json("laptop-42.json")  # the CLI --json / API shape
"""

from devicebank.hardware.parsers.parse import parse_hardware_report
from devicebank.hardware.parsers.report import (
    DEVICE_TYPES,
    DRIVE_KINDS,
    FORMATS,
    JSON_KEYS,
    Drive,
    HardwareReport,
    HardwareReportError,
    error_json,
    is_virtual_machine,
)
from devicebank.hardware.parsers.sniff import MAX_REPORT_BYTES, detect_format
from devicebank.hardware.parsers.units import format_bytes_binary, format_bytes_decimal

__all__ = [
    "DEVICE_TYPES",
    "DRIVE_KINDS",
    "FORMATS",
    "JSON_KEYS",
    "MAX_REPORT_BYTES",
    "Drive",
    "HardwareReport",
    "HardwareReportError",
    "detect_format",
    "error_json",
    "format_bytes_binary",
    "format_bytes_decimal",
    "is_virtual_machine",
    "parse_hardware_report",
]
