"""What a parsed hardware report looks like, and the JSON shape the CLI and API return for it.

`HardwareReport.to_json` and `error_json` share one key list (`JSON_KEYS`), so a file that parsed and a file that
failed look the same to a client: every key is always present, `null` when unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

FORMATS: Final = ("lshw", "dmidecode", "smartctl", "ereuse-workbench")
DEVICE_TYPES: Final = ("laptop", "desktop", "all_in_one", "tablet", "phone", "chromebook", "other")
DRIVE_KINDS: Final = ("hdd", "ssd", "nvme", "emmc")

JSON_KEYS: Final = (
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
)
DRIVE_JSON_KEYS: Final = ("model", "serial", "size_bytes", "kind")
# How the warning that a report describes a virtual machine starts (`identity.warn_virtual` writes it).
VIRTUAL_MACHINE_NOTE: Final = "This report comes from a virtual machine"


def is_virtual_machine(warnings: list[str]) -> bool:
    """Whether a report's warnings (parsed now, or kept as JSON) say it describes a virtual machine."""
    return any(warning.startswith(VIRTUAL_MACHINE_NOTE) for warning in warnings)


class HardwareReportError(Exception):
    """The file is not a hardware report this package can read; the message says why, in plain words."""


@dataclass
class Drive:
    """One internal storage drive.

    Attributes:
        model: Model as the tool reports it ("Samsung SSD 860 EVO 500GB"), or None.
        serial: Drive serial, None when missing or a placeholder.
        size_bytes: Capacity in bytes as the tool reports it (decimal: a "256 GB" drive is 256_060_514_304).
        kind: "hdd", "ssd", "nvme", "emmc", or None when the report does not say.
        interface: "sata", "ata", "nvme", "scsi", "sas", "mmc", "virtio", "ide", or None.
        power_on_hours: Hours powered on (smartctl only).
        smart_passed: SMART overall health self-assessment (smartctl only); None when not read.
    """

    model: str | None
    serial: str | None
    size_bytes: int | None
    kind: str | None
    interface: str | None = None
    power_on_hours: int | None = None
    smart_passed: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "serial": self.serial, "size_bytes": self.size_bytes, "kind": self.kind}


@dataclass
class HardwareReport:
    """What one machine (or, for smartctl, one drive) says about itself.

    Every field is None (or empty) when the report does not say; a value is never guessed. Anything odd is
    explained in `warnings`, one plain sentence each.

    Attributes:
        format: Which format the file was in: "lshw", "dmidecode", "smartctl" or "ereuse-workbench".
        manufacturer: Canonical maker name ("Dell", "Lenovo"), see `devices.identity.canonical_manufacturer`.
        model: Friendly model ("ThinkPad T480", "Latitude E7470"); a Chromebook's board code name ("Coral").
        serial: System serial, None when missing or a firmware placeholder.
        device_type: laptop, desktop, all_in_one, tablet, phone, chromebook or other; None when unknown.
        cpu_model: Processor model string as the firmware or OS reports it.
        cpu_cores: Physical cores summed over populated sockets.
        ram_bytes: Installed RAM in bytes (binary: an "8 GB" module is 8 * 2**30).
        drives: Internal storage drives; USB sticks, card readers and optical drives are left out.
        battery_health_percent: Full-charge capacity / design capacity * 100, 1 decimal place.
        mac_addresses: Physical network interfaces, lower-case colon form, virtual interfaces left out.
        warnings: Plain sentences about anything missing, odd, or left out.
        model_number: Lenovo/IBM machine type ("20L5CTO1WW") when the friendly model is used as `model`.
        battery_design_capacity: Design capacity summed over batteries, in `battery_capacity_unit`.
        battery_full_charge_capacity: Last full-charge capacity summed over batteries, same unit.
        battery_capacity_unit: "mWh" or "mAh".
        tool_version: The producing tool and version when the file says ("dmidecode 3.5", "Workbench 11.0b9").
    """

    format: str
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    device_type: str | None = None
    cpu_model: str | None = None
    cpu_cores: int | None = None
    ram_bytes: int | None = None
    drives: list[Drive] = field(default_factory=list)
    battery_health_percent: float | None = None
    mac_addresses: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    model_number: str | None = None
    battery_design_capacity: float | None = None
    battery_full_charge_capacity: float | None = None
    battery_capacity_unit: str | None = None
    tool_version: str | None = None

    def to_json(self, file: str) -> dict[str, Any]:
        """The `--json` / API shape: exactly `JSON_KEYS`, `error` None."""
        return {
            "file": file,
            "format": self.format,
            "manufacturer": self.manufacturer,
            "model": self.model,
            "serial": self.serial,
            "device_type": self.device_type,
            "cpu_model": self.cpu_model,
            "cpu_cores": self.cpu_cores,
            "ram_bytes": self.ram_bytes,
            "drives": [drive.to_json() for drive in self.drives],
            "battery_health_percent": self.battery_health_percent,
            "mac_addresses": list(self.mac_addresses),
            "warnings": list(self.warnings),
            "error": None,
        }


def error_json(file: str, message: str) -> dict[str, Any]:
    """The `--json` / API shape for a file that could not be read: every key present, all empty, `error` set."""
    result: dict[str, Any] = dict.fromkeys(JSON_KEYS)
    result.update(file=file, drives=[], mac_addresses=[], warnings=[], error=message)
    return result
